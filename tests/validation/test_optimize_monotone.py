"""Monotonicity: more budget never lowers the optimal benefit; a tighter minimum never raises it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from optimize.api import solve_plan
from optimize.data import build_data
from optimize.frontier import frontier
from optimize.settings import resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy

ROOT = Path(__file__).resolve().parents[2]
TOL = 1e-4  # the solvers' relative gap (optimizer.gap)


@pytest.fixture(scope="module")
def shengsi():
    s = load_scenario(ROOT / "scenarios" / "shengsi")
    return s, baseline_policy(s)


@pytest.fixture(scope="module")
def tiny():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    return s, baseline_policy(s)


def _objective(s, p, cfg) -> float | None:
    r = solve_plan(s, p, resolve_optimizer(cfg), diagnose_infeasible=False)
    return r.report.objective if r.report.ok else None


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_frontier_never_falls_with_budget(shengsi, solver):
    s, p = shengsi
    budgets = [0, 20.05e6, 20.5e6, 21e6, 22e6, 24e6, 30e6]
    table, _ = frontier(s, p, resolve_optimizer({"budgets": budgets, "solver": solver}))
    ok = table[table.status == "optimal"]
    assert len(ok) == len(budgets) - 1
    b = ok.survivors.to_numpy()
    assert all(y >= x - TOL * abs(x) for x, y in zip(b, b[1:], strict=False))
    assert b[-1] > b[0]  # the range is not flat: the test can see a fall


@settings(max_examples=15, deadline=None)
@given(hs.floats(0, 4e6), hs.floats(0, 4e6), hs.floats(0, 5e6))
def test_more_operating_budget_never_lowers_the_optimum(tiny, b1, b2, capital):
    s, p = tiny
    lo, hi = sorted((b1, b2))
    off = dict.fromkeys(("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"), False)
    a = _objective(s, p, {"operating_budget": lo, "capital_budget": capital, "minimums": off})
    b = _objective(s, p, {"operating_budget": hi, "capital_budget": capital, "minimums": off})
    assert a is not None and b is not None
    assert b >= a - TOL * abs(a)


OFF = dict.fromkeys(("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"), False)


@pytest.mark.parametrize("minimum,levels,extra", [
    ("aeds_per_10k", [0, 5, 10, 14, 18], {"outcome": "placed_in_care"}),  # AEDs then only cost money
    ("carers_per_10k_elderly", [0, 15, 25, 30], {}),
    ("doctors_per_1000", [1.0, 2.0, 2.1, 2.2], {"outcome": "placed_in_care"}),
])
def test_tightening_a_minimum_never_raises_the_optimum(tiny, minimum, levels, extra):
    """Exact solves (gap 0) on the tiny scenario with budgets that bind."""
    s, p = tiny
    values = []
    for level in levels:
        cfg = {"minimums": {**OFF, minimum: level}, "operating_budget": 7e5, "capital_budget": 7e5, "gap": 0.0,
               **extra}
        values.append(_objective(s, p, cfg))
    feasible = [v for v in values if v is not None]
    assert len(feasible) >= 2
    assert all(y <= x + 1e-9 * abs(x) for x, y in zip(feasible, feasible[1:], strict=False))
    assert feasible[-1] < feasible[0] - 1e-6  # the minimum binds somewhere in the range
    if None in values:  # once infeasible, tighter stays infeasible
        assert all(v is None for v in values[values.index(None):])


def test_switching_a_minimum_on_never_raises_the_optimum(shengsi):
    s, p = shengsi
    on = _objective(s, p, {"minimums": {"circuit_visits_per_month": 2}, "operating_budget": 25e6})
    off = _objective(s, p, {"minimums": {"circuit_visits_per_month": False}, "operating_budget": 25e6})
    assert on is not None and off is not None
    assert on <= off + TOL * abs(off)
    data = build_data(s, p, resolve_optimizer({}))
    assert any(c.no_doctor for c in data.circuit.values())
