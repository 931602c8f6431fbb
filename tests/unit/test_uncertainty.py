"""uncertainty.csv: parsing and checks (every problem at once, file:line and column), quantile
mapping, and cell overrides applied before the loader's checks."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from scenarios.errors import InputError, ProblemLog
from scenarios.loader import load_scenario
from scenarios.sensitivity import SCENARIO_TABLES, resolve_ranges
from scenarios.uncertainty import Range, TableValues, read_uncertainty
from scenarios.validate import load_from_config

HEADER = "table,key,column,low,high,distribution,source,group\n"
GOOD = (
    "parameters,boat.dispatch_min,value,10,40,triangular,estimate: test,\n"
    "facilities,hospital,doctors,15,25,uniform,estimate: test,staff\n"
    "facilities,near_clinic,doctors,1,3,uniform,estimate: test,staff\n"
    "islands,main,share_60_79,0.15,0.25,uniform,estimate: test,ages\n"
    "islands,near,share_80_plus,0.05,0.15,uniform,estimate: test,ages\n"
    "outcome_curves,ohca_cpr:5,probability,0.3,0.5,uniform,estimate: test,\n"
    "weather_months,1,fog_hours,5,20,loguniform,estimate: test,\n"
)


def _read(folder, text):
    (folder.path / "uncertainty.csv").write_text(HEADER + text, encoding="utf-8")
    log = ProblemLog()
    u = read_uncertainty(folder.path / "uncertainty.csv", log, TableValues(folder.path, SCENARIO_TABLES),
                         label_root=folder.path.parent)
    return u, log.problems


def _cfg(folder) -> dict:
    return {"kind": "data", "data_dir": str(folder.path), "name": "tiny", "weather": "climate"}


def test_factors_from_groups(tmp_scenario):
    u, problems = _read(tmp_scenario, GOOD)
    assert problems == []
    assert u.names == ("boat.dispatch_min", "staff", "ages", "outcome_curves:ohca_cpr:5:probability",
                       "weather_months:1:fog_hours")
    assert [r.key for r in u.factor("staff").ranges] == ["hospital", "near_clinic"]


def test_every_problem_at_once_with_line_and_column(tmp_scenario, problem_at):
    bad = ("nosuch,x,value,1,2,uniform,estimate: t,\n"  # line 2: unknown table
           "parameters,boat.nosuch,value,1,2,uniform,estimate: t,\n"  # 3: unknown key
           "facilities,hospital,nosuch,1,2,uniform,estimate: t,\n"  # 4: unknown column
           "parameters,boat.load_min,value,10,10,uniform,estimate: t,\n"  # 5: low = high
           "parameters,boat.handover_min,value,30,40,uniform,estimate: t,\n"  # 6: table value outside
           "outcome_curves,ohca_cpr:0,probability,0.5,1.2,uniform,estimate: t,\n"  # 7: probability above 1
           "parameters,boat.detour_factor,value,1.1,1.6,normal,estimate: t,\n"  # 8: unknown distribution
           "islands,main,share_15_59,0.5,0.7,uniform,estimate: t,\n")  # 9: a remainder
    _, problems = _read(tmp_scenario, bad)
    f = "tiny/uncertainty.csv"
    problem_at(problems, f"{f}:2", "table")
    problem_at(problems, f"{f}:3", "key")
    problem_at(problems, f"{f}:4", "column")
    assert "low below high" in problem_at(problems, f"{f}:5", "low").expected
    assert "table's value" in problem_at(problems, f"{f}:6", "low").expected
    assert "[0, 1]" in problem_at(problems, f"{f}:7", "high").expected
    problem_at(problems, f"{f}:8", "distribution")
    assert "remainder" in problem_at(problems, f"{f}:9", "column").expected
    assert len(problems) == 8


def test_quantile_mapping_matches_scipy():
    def rng(dist, low=2.0, high=10.0, value=4.0):
        return Range("t", "k", "c", low, high, dist, "s", None, value, "x")

    assert rng("uniform").at(0.25) == pytest.approx(4.0)
    tri = rng("triangular")
    for q in (0.0, 0.1, 0.25, 0.5, 0.9, 1.0):
        assert tri.at(q) == pytest.approx(stats.triang(c=0.25, loc=2.0, scale=8.0).ppf(q))
    log = rng("loguniform")
    assert log.at(0.5) == pytest.approx(math.sqrt(20.0))
    assert (log.at(0.0), log.at(1.0)) == (2.0, 10.0)


def test_overrides_go_through_the_loader_checks(tmp_scenario):
    u, _ = _read(tmp_scenario, GOOD)
    low = load_scenario(tmp_scenario.path, overrides=u.overrides({n: 0.0 for n in u.names}))
    high = load_scenario(tmp_scenario.path, overrides=u.overrides({n: 1.0 for n in u.names}))
    assert low.parameters.boat.dispatch_min == 10 and high.parameters.boat.dispatch_min == 40
    assert low.facility("hospital").doctors == 15 and high.facility("near_clinic").doctors == 3
    # a whole number is rounded: the hospital's doctors at the middle quantile of 15..25
    mid = load_scenario(tmp_scenario.path, overrides=u.overrides({"staff": 0.47}))
    assert mid.facility("hospital").doctors == 20 and isinstance(mid.facility("hospital").doctors, int)
    # the remainder share follows, so the age shares still sum to 1
    main = next(i for i in high.islands if i.id == "main")
    assert sum(main.age_shares) == pytest.approx(1.0) and main.age_shares[2] == pytest.approx(0.25)
    assert high.curves["ohca_cpr"].probabilities[1] == pytest.approx(0.5)


def test_an_override_that_breaks_a_check_names_the_cell(tmp_scenario, problem_at):
    with pytest.raises(InputError) as e:
        load_scenario(tmp_scenario.path, overrides={("outcome_curves", "ohca_cpr:5", "probability"): 1.5,
                                                    ("parameters", "boat.nosuch", "value"): 1.0})
    problem_at(e.value.problems, "tiny/outcome_curves.csv:3", "probability")
    problem_at(e.value.problems, "tiny/parameters.csv", "value")


def test_ranges_must_load_at_both_ends(tmp_scenario, problem_at):
    (tmp_scenario.path / "uncertainty.csv").write_text(
        HEADER + "islands,main,settled_area_km2,1,12,uniform,estimate: t,\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        resolve_ranges(_cfg(tmp_scenario), {}, None, lambda o: load_from_config(_cfg(tmp_scenario), None, o))
    p = problem_at(e.value.problems, "tiny/islands.csv:2", "settled_area_km2")
    assert "high end" in p.expected


def test_scenario_tables_are_the_loaders(tmp_scenario):
    assert set(SCENARIO_TABLES) == {p.stem for p in tmp_scenario.path.glob("*.csv")}


def test_shengsi_ranges_are_valid():
    folder = "scenarios/shengsi"
    cfg = {"kind": "data", "data_dir": folder, "name": "shengsi", "weather": "climate"}
    u = resolve_ranges(cfg, {}, None, lambda o: load_from_config(cfg, None, o))
    assert len(u.factors) >= 10


def test_shares_that_leave_no_room_are_scaled_to_sum_to_one(tmp_scenario):
    """An island of old people: its 60-79 and 80+ shares at their high ends would pass 100%."""
    text = ("islands,near,share_60_79,0.3,0.75,uniform,estimate: test,old\n"
            "islands,near,share_80_plus,0.1,0.35,uniform,estimate: test,old\n")
    u, problems = _read(tmp_scenario, text)
    assert problems == []
    high = load_scenario(tmp_scenario.path, overrides=u.overrides({"old": 1.0}))
    near = next(i for i in high.islands if i.id == "near")
    assert sum(near.age_shares) == pytest.approx(1.0) and near.age_shares[1] == 0.0
    assert near.age_shares[2] / near.age_shares[3] == pytest.approx(0.75 / 0.35, rel=1e-6)


def test_small_island_choice_shares_are_a_composition(tmp_scenario, problem_at):
    """Waiting and travelling are ranged; forgoing is their remainder, so the three still sum to 1."""
    text = ("parameters,routine.no_clinic_wait_share,value,0.5,1.0,uniform,estimate: test,\n"
            "parameters,routine.no_clinic_travel_share,value,0.0,0.6,uniform,estimate: test,\n")
    u, problems = _read(tmp_scenario, text)
    assert problems == []
    wait, travel = "routine.no_clinic_wait_share", "routine.no_clinic_travel_share"
    o = u.overrides({wait: 0.0, travel: 0.5})  # 0.5 + 0.3
    assert o[("parameters", "routine.no_clinic_forgo_share", "value")] == pytest.approx(0.2)
    only = u.overrides({travel: 0.5})  # wait keeps the table's 1.0: 1.0 + 0.3 is scaled to sum to 1
    assert only[("parameters", wait, "value")] == pytest.approx(1.0 / 1.3)
    assert only[("parameters", "routine.no_clinic_forgo_share", "value")] == pytest.approx(0.0, abs=1e-12)
    for q in (0.0, 0.3, 1.0):
        s = load_scenario(tmp_scenario.path, overrides=u.overrides({wait: q, travel: 1.0 - q}))
        shares = s.parameters.routine.choice_shares
        assert sum(shares) == pytest.approx(1.0) and min(shares) >= 0.0
    bad = "parameters,routine.no_clinic_forgo_share,value,0.0,0.5,uniform,estimate: test,\n"
    _, problems = _read(tmp_scenario, bad)
    assert "remainder" in problem_at(problems, "tiny/uncertainty.csv:2", "column").expected


def test_shengsi_varies_the_small_island_choice():
    folder = "scenarios/shengsi"
    cfg = {"kind": "data", "data_dir": folder, "name": "shengsi", "weather": "climate"}
    u = resolve_ranges(cfg, {}, None, lambda o: load_from_config(cfg, None, o))
    wait, travel = "routine.no_clinic_wait_share", "routine.no_clinic_travel_share"
    assert {wait, travel} <= set(u.names)  # two factors of their own: waiting against travelling
    for qw, qt in ((0.0, 0.0), (0.5, 0.5), (1.0, 1.0), (0.0, 1.0)):
        s = load_from_config(cfg, None, u.overrides({wait: qw, travel: qt}))
        assert sum(s.parameters.routine.choice_shares) == pytest.approx(1.0)
