"""The league table on the tiny scenario against numbers worked out by hand.

- A circuit visit a month more to Far (100 residents, no doctor): need 100 x (0.4 x 5 + 0.4 x 10 +
  0.2 x 10) primary-care visits + 100 x (0.4 x 2 + 0.2 x 2) follow-ups = 920 a year; one visit a month
  of one day at 20 patients gives 240 a year; today 1 visit: 240 -> 480, +240 consultations for
  12 x 5,000 = 60,000 yuan a year: 250 yuan per consultation.
- Five AEDs more on Main: 150,000 yuan capital over 10 years + 5 x 2,000 upkeep = 25,000 yuan a year;
  survivors from the simulation's own scalar formula (``analytic.ohca.expected_survival``) with the
  hospital's doctors first on scene (night doctors: every hour), times Main's arrests a year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analytic.ohca import expected_survival
from optimize.data import build_data
from optimize.league import MIN_CHANGE, league_options, league_table
from optimize.settings import resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy
from scenarios.routing import arrivals_per_year

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    p = baseline_policy(s)
    st = resolve_optimizer({})
    data = build_data(s, p, st)
    return s, p, st, data, league_table(data, st).set_index(["option", "outcome"])


def test_a_circuit_visit_costs_what_it_buys_by_hand(tiny):
    *_, t = tiny
    row = t.loc[("visit_far", "consultations_no_doctor")]
    assert row.cost_operating == 60_000 and row.cost_capital == 0 and row.cost_per_year == 60_000
    assert row.change == pytest.approx(240.0)
    assert row.yuan_per_unit == pytest.approx(250.0)
    assert t.loc[("visit_far", "survivors")].change == 0 and t.loc[("visit_far", "survivors")].yuan_per_unit != \
        t.loc[("visit_far", "survivors")].yuan_per_unit  # NaN: buys no survivors, not ranked


def test_five_aeds_cost_per_survivor_by_hand(tiny):
    s, p, *_, t = tiny
    prm = s.parameters.ohca
    main = s.island("main")
    kw = dict(settled_km2=main.settled_area_km2, clinician_min=prm.collapse_to_call_min + prm.clinician_dispatch_min
              + main.road_min, p_home=prm.share_at_home, p_home_access=prm.aed_home_access_share,
              p_cpr=prm.bystander_cpr_share, p_shockable=prm.shockable_share,
              nonshockable_survival=prm.nonshockable_survival, collapse_to_call=prm.collapse_to_call_min,
              walk_m_per_min=prm.walk_speed_m_per_min, analysis_min=prm.aed_analysis_min)
    cpr, no = s.curves[prm.curve_cpr], s.curves[prm.curve_no_cpr]
    n = arrivals_per_year(s)[("main", "cardiac_arrest")]
    gain = n * (expected_survival(cpr, no, n_aeds=p.aeds["main"] + 5, **kw) - expected_survival(cpr, no, n_aeds=p.aeds["main"], **kw))
    row = t.loc[("aeds_main_+5", "survivors")]
    assert row.cost_capital == 150_000 and row.cost_operating == 10_000 and row.cost_per_year == 25_000
    assert row.change == pytest.approx(gain, rel=1e-9)
    assert row.yuan_per_unit == pytest.approx(25_000 / gain, rel=1e-9)


def test_ranks_follow_cost_per_unit_within_each_outcome(tiny):
    *_, t = tiny
    for outcome, g in t.reset_index().groupby("outcome"):
        ranked = g[g["rank"].notna()].sort_values("rank")
        assert ranked.yuan_per_unit.is_monotonic_increasing, outcome
        assert g[g["rank"].isna()].change.max() <= MIN_CHANGE if g["rank"].isna().any() else True


def test_care_beds_come_with_the_carers_they_need(tiny):
    s, p, st, data, _ = tiny
    opt = next(o for o in league_options(data, st) if o.kind == "care_beds")
    home = opt.site
    levels = opt.levels(data)
    usable_after = min(levels[f"care_beds__{home}"], levels[f"carers__{home}"] * data.care_per_carer)
    usable_now = min(p.care_beds[home], p.carers[home] * data.care_per_carer)
    assert usable_after == usable_now + opt.units == usable_now + st.league["care_bed_step"]
