"""Brute force: on the tiny scenario with small limits, enumerate every integer allocation, check each
against the budgets, hiring limits, minimums, equity and floors written out here from the
definitions (not from the program's constraints), value each outcome with its pieces' envelopes, and
require both solvers to reach the enumeration's optimum (weighted in yuan, one outcome, least cost).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from optimize.api import solve_plan
from optimize.data import build_data
from optimize.settings import resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.model import DAYS_PER_YEAR
from scenarios.policy import baseline_policy

ROOT = Path(__file__).resolve().parents[2]
SMALL = {"doctors_hire": 2, "carers_hire": 2, "aeds_add_per_island": 2, "boats_add_per_base": 1,
         "care_beds_add_per_home": 2, "visits_per_month_max": 3, "team_days_per_month": 2}
MINIMUMS = {"doctors_per_1000": 2.0, "aeds_per_10k": 5, "carers_per_10k_elderly": 15, "circuit_visits_per_month": True}
OFF = dict.fromkeys(MINIMUMS, False)
NO_TIEBREAK = {"cost_tiebreak": 0.0, "balance_tiebreak": 0.0}

W = {"survivors": {"value": 2e6, "unit": "yuan_per_survivor"},
     "within_target": {"value": 5e4, "unit": "yuan_per_patient_within_target"},
     "delay_hours_avoided": {"value": 500, "unit": "yuan_per_patient_hour"},
     "consultations_no_doctor": {"value": 100, "unit": "yuan_per_consultation"},
     "placed_in_care": {"value": 1e5, "unit": "yuan_per_placement"}}
CASES = {
    "weighted, budgets bind": dict(objective="weighted", weights=W, operating_budget=400_000, capital_budget=200_000,
                                   minimums=OFF),
    "weighted, minimums and equity": dict(objective="weighted", weights=W, operating_budget=1_500_000,
                                          capital_budget=3_500_000, minimums=MINIMUMS, equity_share=0.5),
    "weighted, money no object": dict(objective="weighted", weights=W, operating_budget=1e9, capital_budget=1e9,
                                      minimums=OFF),
    "most survivors, a floor on placements": dict(objective="max_outcome", outcome="survivors", operating_budget=1e6,
                                                  capital_budget=4e5, minimums=OFF, floors={"placed_in_care": 2.0}),
    "most within target": dict(objective="max_outcome", outcome="within_target", operating_budget=3e6,
                               capital_budget=3e6, minimums=OFF),
    "least cost meeting the minimums": dict(objective="min_cost", operating_budget=1e9, capital_budget=1e9,
                                            minimums=MINIMUMS, equity_share=0.3),
}


@pytest.fixture(scope="module")
def tiny():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    return s, baseline_policy(s)


def settings_for(case: dict, solver: str):
    return resolve_optimizer({**case, "solver": solver, "gap": 0.0, "limits": SMALL, "options": NO_TIEBREAK})


def enumerate_optimum(s, p, st) -> float:
    data = build_data(s, p, st)
    sites = list(data.sites)
    pop = {i.id: i.population for i in s.islands if i.population > 0}
    total_pop = sum(pop.values())
    best = math.inf if st.objective == "min_cost" else -math.inf
    ranges = [range(x.low, x.high + 1) for x in sites]
    lv = st.minimum_level
    for combo in itertools.product(*ranges):
        level = {x.key: n for x, n in zip(sites, combo, strict=True)}
        change = {x.key: level[x.key] - x.today for x in sites}
        operating = sum(x.operating * change[x.key] for x in sites)
        capital = sum(x.capital * max(change[x.key], 0) for x in sites)
        if operating > st.operating_budget + 1e-6 or capital > st.capital_budget + 1e-6:
            continue
        by = {r: [x for x in sites if x.resource == r] for r in ("doctors", "aeds", "carers", "circuit_visits")}
        if sum(change[x.key] for x in by["doctors"]) > SMALL["doctors_hire"]:
            continue
        if sum(change[x.key] for x in by["carers"]) > SMALL["carers_hire"]:
            continue
        doctors_on = {i: sum(level[x.key] for x in by["doctors"] if x.island == i) for i in pop}
        if any(sum(data.circuit[x.site].days_per_visit * level[x.key] for x in by["circuit_visits"]
                   if data.circuit[x.site].team == t) > SMALL["team_days_per_month"] for t in data.teams):
            continue
        if (m := lv("doctors_per_1000", s)) is not None and sum(doctors_on.values()) < m * s.population / 1000:
            continue
        if (m := lv("aeds_per_10k", s)) is not None and sum(level[x.key] for x in by["aeds"]) < m * s.population / 1e4:
            continue
        if (m := lv("carers_per_10k_elderly", s)) is not None and \
                sum(level[x.key] for x in by["carers"]) < m * s.elderly / 1e4:
            continue
        m = lv("circuit_visits_per_month", s)
        if m and any(level[f"circuit_visits__{i}"] + m * doctors_on.get(i, 0) < m
                     for i, c in data.circuit.items() if c.no_doctor):
            continue
        if st.equity_share > 0:
            access = {i: DAYS_PER_YEAR * doctors_on[i] for i in pop}
            for i, c in data.circuit.items():
                access[i] += 12 * c.days_per_visit * c.team_size * level[f"circuit_visits__{i}"]
            county = sum(access.values())
            if any(access[i] < st.equity_share * pop[i] / total_pop * county - 1e-9 for i in pop):
                continue
            aeds = {x.island: level[x.key] for x in by["aeds"]}
            if any(aeds[i] < st.equity_share * pop[i] / total_pop * sum(aeds.values()) - 1e-9 for i in aeds):
                continue
        out = outcomes(data, level, doctors_on)
        if any(out[o] < f - 1e-9 for o, f in st.floors.items()):
            continue
        if st.objective == "min_cost":
            best = min(best, operating + capital)
            continue
        if st.objective == "weighted":
            best = max(best, 1e-6 * sum(w * out[o] for o, w in st.weights.items()))
        else:
            best = max(best, out[st.outcome])
    return best


def outcomes(data, level, doctors_on) -> dict[str, float]:
    """Each outcome: its constant plus its pieces' envelopes at the levels, the circuit's capacity."""
    out = dict(data.constants)
    for x in data.pieces:
        if x.level == "usable":
            lv = min(level[f"care_beds__{x.label}"], data.care_per_carer * level[f"carers__{x.label}"])
        elif x.level == "beds_left":
            lv = x.curve.hi - level[x.sites[0]]
        else:
            lv = sum(level[k] for k in x.sites)
        out[x.outcome] += x.curve.hull_value(lv)
    for i, c in data.circuit.items():
        if c.no_doctor:
            served = min(c.per_visit * level[f"circuit_visits__{i}"], c.waiting) + c.without_visit
            out["consultations_no_doctor"] += min(c.demand, served + c.demand * doctors_on.get(i, 0))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_both_solvers_reach_the_enumerated_optimum(tiny, name):
    s, p = tiny
    expected = enumerate_optimum(s, p, settings_for(CASES[name], "highs"))
    assert math.isfinite(expected), "the case should be feasible"
    for solver in ("highs", "cbc"):
        r = solve_plan(s, p, settings_for(CASES[name], solver))
        assert r.report.ok, (solver, r.report)
        assert r.report.objective == pytest.approx(expected, rel=1e-7, abs=1e-7), solver


def test_an_infeasible_small_case_is_infeasible_for_the_enumeration_too(tiny):
    s, p = tiny
    case = dict(CASES["weighted, minimums and equity"], capital_budget=50_000)
    st = settings_for(case, "highs")
    assert enumerate_optimum(s, p, st) == -math.inf
    for solver in ("highs", "cbc"):
        r = solve_plan(s, p, settings_for(case, solver), diagnose_infeasible=False)
        assert r.report.status == "infeasible", solver


def test_a_floor_no_allocation_reaches_is_infeasible_for_both(tiny):
    s, p = tiny
    case = dict(CASES["most survivors, a floor on placements"], operating_budget=1e9, capital_budget=1e9)
    st = settings_for(case, "highs")
    data = build_data(s, p, st)
    top = max(outcomes(data, {x.key: x.high for x in data.sites}, {})["placed_in_care"], 0.0)
    case["floors"] = {"placed_in_care": top + 1.0}
    assert enumerate_optimum(s, p, settings_for(case, "highs")) == -math.inf
    for solver in ("highs", "cbc"):
        r = solve_plan(s, p, settings_for(case, solver))
        assert r.report.status == "infeasible", solver
        d = r.diagnosis.set_index("group")
        assert bool(d.loc["floor_placed_in_care", "conflict"])
        assert d.loc["floor_placed_in_care", "relax_alone"] == pytest.approx(1.0, abs=1e-3)
        assert d.loc["operating_budget", "relax_alone"] != d.loc["operating_budget", "relax_alone"]  # NaN: money can't
