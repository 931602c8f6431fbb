"""Issue 5 validation: circuit teams, care homes and AEDs against hand-computable answers.

- Circuit schedule in always-calm weather: every planned visit is made, and the longest gap is
  the schedule's gap; with the sea always closed no visit happens and the backlog grows linearly.
- Care homes as a queue / loss system (Poisson entry, exponential stay, carers never binding):
  waiting and occupancy match Erlang C and Little's law; without a waiting list, blocking matches
  Erlang B.
- AEDs: survival is monotone in time to shock and matches the curves' points; doubling the AEDs on
  an island never lowers its expected survivors under common random numbers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from analytic.queues import erlang_b, mmc_wq
from experiments.summary import t_interval
from scenarios.experiment import Experiment
from scenarios.policy import resolve_policy
from scenarios.synthetic import build_synthetic
from sim.model import simulate


def _value(kpis, metric, island="all", condition="all"):
    rows = kpis[(kpis.metric == metric) & (kpis.island == island) & (kpis.condition == condition)]
    assert len(rows) == 1, (metric, island, condition, len(rows))
    return float(rows["value"].iloc[0])


def _urgent_only(s):
    """The scenario without routine demand: arrests and visits do not need half a million consultations."""
    conds = tuple(c if c.urgent else replace(c, incidence_per_1000=(0.0, 0.0, 0.0, 0.0)) for c in s.conditions)
    return replace(s, conditions=conds)


def _exp(days, warmup=0.0, reps=1, seed=11):
    return Experiment(horizon_days=days, warmup_days=warmup, replications=reps, seed=seed, workers=1,
                      progress=False)


# --- circuit teams ------------------------------------------------------------------------------------
def _no_escalation(s):
    # nobody gives up within the test's horizon
    return replace(s, parameters=s.parameters.with_values({"circuit.escalation_share": 0.0,
                                                           "circuit.abandon_days": 3650.0}))


def test_circuit_calm_every_visit_made_and_gap_is_the_schedules(tiny):
    s = replace(tiny, weather_mode="calm")
    k = simulate(s, resolve_policy(s, {"name": "b"}), _exp(180)).kpis
    planned, made = _value(k, "visits_planned", "far"), _value(k, "visits_made", "far")
    assert planned == 6  # one in each of the six months
    assert made == planned
    gap = _value(k, "days_between_visits_max", "far")
    assert 28.0 <= gap <= 31.0 + 0.01  # same day of consecutive months
    assert _value(k, "monthly_visit_compliance", "far") == 1.0


def test_circuit_more_visits_shorter_gap(tiny):
    s = replace(tiny, weather_mode="calm")
    p = resolve_policy(s, {"name": "x", "circuit": {"far": {"visits_per_month": 4}}})
    k = simulate(s, p, _exp(120)).kpis
    assert _value(k, "visits_made", "far") == _value(k, "visits_planned", "far") == 16
    assert _value(k, "days_between_visits_max", "far") <= 8.0 + 0.01  # ceil(31 / 4)


def test_circuit_sea_closed_no_visits_backlog_grows_linearly(tiny):
    s = _no_escalation(replace(tiny, weather_mode="closed"))
    p = resolve_policy(s, {"name": "b"})
    short = simulate(s, p, _exp(60)).kpis
    long = simulate(s, p, _exp(120)).kpis
    assert _value(long, "visits_made", "far") == 0
    assert _value(long, "visits_planned", "far") > 0
    # nobody is served: everyone who arrived is still in the backlog ...
    routine = ["primary_care", "chronic_followup"]
    arrivals = sum(_value(long, "arrivals", "far", c) for c in routine)
    waiting = sum(_value(long, "in_system_end", "far", c) for c in routine)
    assert arrivals > 50 and waiting == arrivals
    # ... and a backlog growing linearly from zero has a time-average of half its final size,
    # which doubles when the horizon doubles.
    assert _value(long, "backlog_mean", "far") == pytest.approx(arrivals / 2, rel=0.15)
    ratio = _value(long, "backlog_mean", "far") / _value(short, "backlog_mean", "far")
    assert ratio == pytest.approx(2.0, rel=0.2)


def test_backlog_patients_give_up_after_abandon_days(tiny):
    s = replace(tiny, weather_mode="closed")  # no visit ever: after 90 days the oldest leave
    k = simulate(s, resolve_policy(s, {"name": "b"}), _exp(200)).kpis
    arrivals = sum(_value(k, "arrivals", "far", c) for c in ("primary_care", "chronic_followup"))
    left = _value(k, "backlog_abandoned", "far") + _value(k, "escalations", "far")
    waiting = sum(_value(k, "in_system_end", "far", c) for c in ("primary_care", "chronic_followup"))
    assert left > 0 and left + waiting == arrivals
    assert _value(k, "left_without_care", "far") == left
    # what remains is at most the last 90 days of demand (about 90/200 of the arrivals)
    assert waiting / arrivals == pytest.approx(90 / 200, abs=0.08)


def test_circuit_postpone_rules_differ_in_windy_weather(shengsi):
    shengsi = _urgent_only(shengsi)
    exp = _exp(240)
    made = {}
    for rule in ("next_day", "skip"):
        p = resolve_policy(shengsi, {"name": rule, "postpone_rule": rule})
        k = simulate(shengsi, p, exp).kpis
        made[rule] = _value(k, "visits_made")
        assert _value(k, "visits_made") <= _value(k, "visits_planned")
    assert made["next_day"] > made["skip"]


# --- care homes as Erlang C / Erlang B ----------------------------------------------------------------
CARE = {"kind": "care", "beds": 10, "mean_stay_days": 100.0, "arrival_rate_per_hour": 8 / 100 / 24,
        "mean_service_min": 1.0, "service_cv": 1.0, "urgent_rate_per_hour": 0.0, "headway_min": 60.0,
        "servers": 1}


def _care_runs(waitlist: bool, reps: int, years: float):
    s = replace(build_synthetic(CARE), weather_mode="calm")
    p = resolve_policy(s, {"name": "care", "care_waitlist": waitlist})
    exp = _exp(365 * years, warmup=365, reps=reps)
    return [simulate(s, p, exp, r).kpis for r in range(reps)]


def test_care_home_matches_erlang_c_and_littles_law():
    runs = _care_runs(waitlist=True, reps=8, years=15)
    lam, mu, c = 0.08, 1 / 100, 10  # per day
    wait = [_value(k, "care_wait_days_mean") for k in runs]
    occ = [_value(k, "care_occupancy_mean") for k in runs]
    theory = mmc_wq(lam, mu, c)  # about 21 days
    _, lo, hi, _ = t_interval(np.array(wait))
    assert lo <= theory <= hi or abs(np.mean(wait) - theory) < 0.15 * theory, (np.mean(wait), theory, lo, hi)
    _, lo, hi, _ = t_interval(np.array(occ))
    assert lo - 0.1 <= lam / mu <= hi + 0.1, (np.mean(occ), lo, hi)


def test_care_home_without_waitlist_matches_erlang_b():
    runs = _care_runs(waitlist=False, reps=8, years=15)
    blocked = [_value(k, "care_not_placed") / _value(k, "care_demand") for k in runs]
    theory = erlang_b(10, 8.0)  # 0.1217
    mean, lo, hi, _ = t_interval(np.array(blocked))
    assert lo <= theory <= hi or abs(mean - theory) < 0.02, (mean, theory, lo, hi)


def test_carers_limit_usable_beds(tiny):
    # 4 carers x 5 residents each = 20 usable of 20 beds; 2 carers give only 10
    p_full = resolve_policy(tiny, {"name": "a"})
    p_cut = resolve_policy(tiny, {"name": "b", "carers": {"main_home": 2}})
    k_full = simulate(tiny, p_full, _exp(30)).kpis
    k_cut = simulate(tiny, p_cut, _exp(30)).kpis
    assert _value(k_full, "care_usable_beds") == 20
    assert _value(k_cut, "care_usable_beds") == 10
    assert _value(k_cut, "care_occupancy_mean") <= 10 + 1e-9


# --- AEDs and cardiac arrest --------------------------------------------------------------------------
def test_arrest_curves_monotone_and_match_points(shengsi):
    for key in ("ohca.curve_cpr", "ohca.curve_no_cpr"):
        curve = shengsi.curves[shengsi.parameters.as_mapping()[key]]
        for d, prob in zip(curve.delays_min, curve.probabilities, strict=True):
            assert curve(d) == pytest.approx(prob)
        ts = np.linspace(0, 60, 241)
        vals = [curve(t) for t in ts]
        assert all(b <= a + 1e-12 for a, b in zip(vals, vals[1:], strict=False))
    cpr = shengsi.curves[shengsi.parameters.ohca.curve_cpr]
    none = shengsi.curves[shengsi.parameters.ohca.curve_no_cpr]
    assert all(cpr(t) >= none(t) - 1e-12 for t in range(0, 30))


def test_doubling_aeds_never_lowers_expected_survivors(shengsi):
    shengsi = _urgent_only(shengsi)
    exp = _exp(365, seed=5)
    base = resolve_policy(shengsi, {"name": "base"})
    more = resolve_policy(shengsi, {"name": "more", "aeds": {k: 2 * v for k, v in base.aeds.items()}})
    for r in range(2):
        kb = simulate(shengsi, base, exp, r).kpis
        km = simulate(shengsi, more, exp, r).kpis
        assert _value(kb, "ohca_count", condition="cardiac_arrest") == _value(km, "ohca_count",
                                                                             condition="cardiac_arrest")
        for isl in shengsi.island_ids:
            b = _value(kb, "ohca_expected_survivors", isl, "cardiac_arrest")
            m = _value(km, "ohca_expected_survivors", isl, "cardiac_arrest")
            assert m >= b - 1e-12, (isl, b, m)
        assert _value(km, "aeds_per_10k") == pytest.approx(2 * _value(kb, "aeds_per_10k"))


def test_more_aeds_shorten_time_to_shock(shengsi):
    shengsi = _urgent_only(shengsi)
    exp = _exp(365, seed=3)
    base = resolve_policy(shengsi, {"name": "base"})
    dense = resolve_policy(shengsi, {"name": "dense", "aeds_per_10k": 50})
    kb = simulate(shengsi, base, exp).kpis
    kd = simulate(shengsi, dense, exp).kpis
    assert _value(kd, "ohca_shock_within_5min_share", condition="cardiac_arrest") > \
        _value(kb, "ohca_shock_within_5min_share", condition="cardiac_arrest")
    assert _value(kd, "ohca_expected_survivors", condition="cardiac_arrest") > \
        _value(kb, "ohca_expected_survivors", condition="cardiac_arrest")


@pytest.mark.slow
def test_care_home_erlang_c_long_run():
    runs = _care_runs(waitlist=True, reps=30, years=40)
    _, lo, hi, _ = t_interval(np.array([_value(k, "care_wait_days_mean") for k in runs]))
    assert lo <= mmc_wq(0.08, 1 / 100, 10) <= hi
    _, lo, hi, _ = t_interval(np.array([_value(k, "care_occupancy_mean") for k in runs]))
    assert lo <= 8.0 <= hi


@pytest.mark.slow
def test_care_home_erlang_b_long_run():
    runs = _care_runs(waitlist=False, reps=30, years=40)
    _, lo, hi, _ = t_interval(np.array([_value(k, "care_not_placed") / _value(k, "care_demand") for k in runs]))
    assert lo <= erlang_b(10, 8.0) <= hi


# --- common random numbers in the modules ---------------------------------------------------------------
def test_escalations_on_one_island_do_not_depend_on_another_islands_policy(tiny):
    s = replace(tiny, weather_mode="closed")  # no visit ever: escalation depends on the patients' own draws
    base = resolve_policy(s, {"name": "a"})
    other = resolve_policy(s, {"name": "b", "doctors": {"near_clinic": 0},
                               "circuit": {"near": {"team": "main_team", "visits_per_month": 2}}})
    ka, kb = simulate(s, base, _exp(150)).kpis, simulate(s, other, _exp(150)).kpis
    assert _value(kb, "arrivals", "near", "primary_care") == _value(ka, "arrivals", "near", "primary_care")
    assert _value(kb, "backlog_mean", "near") > 0  # near's demand now waits in a backlog too
    assert _value(ka, "escalations", "far") > 0
    assert _value(kb, "escalations", "far") == _value(ka, "escalations", "far")
    assert _value(kb, "backlog_abandoned", "far") == _value(ka, "backlog_abandoned", "far")


def test_care_homes_start_full_independently_of_other_homes(shengsi):
    """Each home's initial residents come from its own stream: cutting one home's beds changes its
    start and no other's. Care need is raised tenfold so that every home starts full (capped at its
    usable beds) whatever today's need in the data; a cut then shows in the home that was cut."""
    s = _urgent_only(shengsi)
    s = replace(s, care_need_per_1000={b: 10 * v for b, v in s.care_need_per_1000.items()})
    exp = _exp(0.01)  # the first quarter hour: the initial residents, before anyone new arrives
    base = resolve_policy(s, {"name": "a"})
    cut = resolve_policy(s, {"name": "b", "care_beds": {"sijiao_home": 150}})
    ka, kb = simulate(s, base, exp).kpis, simulate(s, cut, exp).kpis
    for isl in ("sijiao", "dayangshan", "huanglong", "huaniao", "shengshan"):  # the premise: all start full
        assert _value(ka, "care_occupancy_share", isl) == 1.0, isl
    assert _value(kb, "care_occupancy_mean", "sijiao") < _value(ka, "care_occupancy_mean", "sijiao")
    for isl in ("dayangshan", "huanglong", "huaniao", "shengshan"):
        assert _value(kb, "care_occupancy_mean", isl) == _value(ka, "care_occupancy_mean", isl), isl
