"""The frontier's default budgets are found by solving; the knee and the Pareto filter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimize.api import solve_data
from optimize.data import build_data
from optimize.frontier import budget_range, frontier, knee, pareto
from optimize.plan import outcome_values
from optimize.settings import OUTCOMES, resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    p = baseline_policy(s)
    st = resolve_optimizer({"frontier": {"points": 5}})
    return s, p, st, build_data(s, p, st)


def test_budgets_run_from_the_cheapest_plan_to_where_nothing_improves(tiny):
    s, p, st, data = tiny
    low, high, tops = budget_range(data, st)
    cheapest = solve_data(data, st.replace(objective="min_cost"))
    assert low == pytest.approx(cheapest.plan.cost_operating.sum())
    below = solve_data(data, st.replace(operating_budget=low - 1e4), diagnose_infeasible=False)
    assert below.report.status == "infeasible"  # the range starts where plans start
    for o in tops:  # past the top, no outcome improves
        at = solve_data(data, st.replace(outcome=o, operating_budget=high))
        more = solve_data(data, st.replace(outcome=o, operating_budget=10 * high + 1e7))
        assert outcome_values(data, more.levels)[o] <= outcome_values(data, at.levels)[o] + 1e-6, o
    assert high > low and set(tops) <= set(OUTCOMES)


def test_the_frontier_starts_today_and_never_falls(tiny):
    s, p, st, data = tiny
    table, plans = frontier(s, p, st, data)
    assert table.kind.iloc[0] == "today" and len(table) == 6
    pts = table[table.kind == "budget"]
    assert (pts.status == "optimal").all() and pts.survivors.is_monotonic_increasing
    assert pts.survivors.iloc[-1] > table.survivors.iloc[0]
    assert set(plans.point) == set(pts.point)


def test_knee_is_where_the_curve_bends():
    df = pd.DataFrame({"x": [0, 1, 2, 3, 4], "y": [0, 8, 9, 9.5, 10]})
    assert knee(df, "x", "y") == 1
    assert knee(df.iloc[:2], "x", "y") is None  # too few points
    assert knee(pd.DataFrame({"x": [0, 1, 2], "y": [0, 1, 2]}), "x", "y") is None  # straight: no knee


def test_pareto_drops_points_another_beats():
    t = pd.DataFrame({"kind": ["today", "e", "e", "e"], "status": ["today", "optimal", "optimal", "optimal"],
                      "a": [0, 5, 4, 3], "b": [0, 1, 1, 2]})
    assert list(pareto(t, ("a", "b"), with_cost=False)) == [False, True, False, True]
