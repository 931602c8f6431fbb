"""Brute force: on the tiny scenario with small limits, enumerate every integer allocation, check each
against the budgets, hiring limits, minimums and equity written out here from the definitions (not
from the program's constraints), value it with the benefit curves' envelopes, and require both
solvers to reach the enumeration's optimum.
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

CASES = {
    "benefit, budgets bind": dict(objective="benefit", operating_budget=400_000, capital_budget=200_000, minimums=OFF),
    "benefit, minimums and equity": dict(objective="benefit", operating_budget=1_500_000, capital_budget=3_500_000,
                                         minimums=MINIMUMS, equity_share=0.5),
    "benefit, money no object": dict(objective="benefit", operating_budget=1e9, capital_budget=1e9, minimums=OFF),
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
    weights = st.weights
    pop = {i.id: i.population for i in s.islands if i.population > 0}
    total_pop = sum(pop.values())
    best = -math.inf if st.objective == "benefit" else math.inf
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
        if st.objective == "min_cost":
            best = min(best, operating + capital)
            continue
        value = 0.0
        value += weights["aed_survivors"] * sum(c.hull_value(level[f"aeds__{i}"]) for i, c in data.aed_curves.items())
        value += weights["routine_within_target"] * sum(c.hull_value(level[f"doctors__{f}"])
                                                        for f, c in data.routine_curves.items())
        value += weights["urgent_boat_within_target"] * sum(
            g.curve.hull_value(sum(level[f"boats__{b}"] for b in g.bases)) for g in data.boat_groups)
        for i, c in data.circuit.items():
            if c.no_doctor:
                served = min(c.demand, c.per_visit * level[f"circuit_visits__{i}"] + c.demand * doctors_on.get(i, 0))
                value += weights["circuit_consultations"] * served
        for h, c in data.care_curves.items():
            usable = min(level[f"care_beds__{h}"], data.care_per_carer * level[f"carers__{h}"])
            value += weights["care_placed"] * c.hull_value(usable)
        best = max(best, value)
    return best


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
    case = dict(CASES["benefit, minimums and equity"], capital_budget=50_000)
    st = settings_for(case, "highs")
    assert enumerate_optimum(s, p, st) == -math.inf
    for solver in ("highs", "cbc"):
        r = solve_plan(s, p, settings_for(case, solver), diagnose_infeasible=False)
        assert r.report.status == "infeasible", solver
