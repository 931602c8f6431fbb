"""The frontier's default budgets are found by solving; the knee and the Pareto filter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimize.api import solve_data
from optimize.data import build_data
from optimize.frontier import budget_range, frontier, knee, merge_runs, pareto
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


def test_the_range_ends_where_the_maximised_outcome_stops_improving(tiny):
    s, p, st, data = tiny
    low, high, tops = budget_range(data, st, "survivors")
    assert set(tops) == {"survivors"} and high == pytest.approx(max(low, tops["survivors"]))
    best = solve_data(data, st.replace(operating_budget=1e12))
    at = solve_data(data, st.replace(operating_budget=high))
    assert outcome_values(data, at.levels)["survivors"] == pytest.approx(outcome_values(data, best.levels)["survivors"])
    _, everything, _ = budget_range(data, st)  # without an outcome: where no outcome improves
    assert everything >= high


def test_merge_runs_keeps_one_point_per_run_of_the_same_plan():
    def pt(b, levels):
        return {"budget": b, "budget_to": b, "budgets_sampled": 1, "seconds": 0.1}, levels
    found = [pt(1, {"a": 1}), pt(2, {"a": 1}), pt(3, None), pt(4, {"a": 2}), pt(5, {"a": 2}), pt(6, {"a": 2}),
             pt(7, {"a": 1})]
    out = merge_runs(found)
    assert [(r["budget"], r["budget_to"], r["budgets_sampled"]) for r, _ in out] == [
        (1, 2, 2), (3, 3, 1), (4, 6, 3), (7, 7, 1)]
    assert out[0][0]["seconds"] == pytest.approx(0.2) and found[0][0]["budget_to"] == 1  # inputs untouched


def test_the_default_frontier_has_no_repeated_plan_at_distinct_points(tiny):
    s, p, st, data = tiny
    table, plans = frontier(s, p, st, data)
    pts = table[table.kind == "budget"]
    assert int(pts.budgets_sampled.sum()) == 5 and (pts.budget <= pts.budget_to).all()
    assert (pts.cost_operating <= pts.budget_to + 1e-6).all()  # each plan affordable over its interval
    by_point = [tuple(g.sort_values(["resource", "site"]).planned) for _, g in plans.groupby("point", sort=True)]
    assert all(a != b for a, b in zip(by_point, by_point[1:], strict=False))
    assert pts.plan.is_unique


def test_listed_budgets_keep_one_row_each(tiny):
    s, p, st, data = tiny
    table, _ = frontier(s, p, st.replace(budgets=(2e7, 3e7, 4e7)), data)
    pts = table[table.kind == "budget"]
    assert list(pts.budget) == [2e7, 3e7, 4e7] and (pts.budgets_sampled == 1).all()


def test_the_frontier_starts_today_and_never_falls(tiny):
    s, p, st, data = tiny
    table, plans = frontier(s, p, st, data)
    assert table.kind.iloc[0] == "today" and 2 <= len(table) <= 6
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
