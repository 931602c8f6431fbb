"""Frontiers that show the trade-off.

*One outcome against money* (``optimizer.frontier.outcomes=[survivors]``, the default being the
objective's outcome): the outcome maximised at a range of operating budgets, every other outcome at
least its floor. Unless ``optimizer.budgets`` lists them, the budgets run from the cheapest plan
meeting every floor and minimum (``min_cost``) to the budget beyond which no outcome improves: for
each outcome, the cost of the cheapest plan reaching its best level when money is no object (the
site and hiring limits still bind); the largest of these.

*Two outcomes* (``optimizer.frontier.outcomes=[survivors,within_target]``): an epsilon-constraint
Pareto front at the configured budgets: the first outcome maximised with the second at least each
of ``frontier.points`` levels from its value where the first is best to its own best.

Every point is a solved plan (polished: the cheapest among the equally good); ``knee`` marks the
point farthest above the chord joining the ends (both axes scaled to their range), where returns
start to diminish.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimize.api import solve_data
from optimize.data import ProgramData, build_data
from optimize.plan import outcome_values, plan_summary, plan_table, today_levels
from optimize.settings import OUTCOMES, OptimizerSettings
from scenarios.model import Scenario
from scenarios.policy import Policy

UNLIMITED = 1e12  # yuan: "money is no object" (the limits still bind)
COLUMNS = ["point", "kind", "maximised", "constrained", "budget", "epsilon", "status", *OUTCOMES, "cost_operating", "cost_capital", "knee",
           "pareto", "seconds", "plan"]


def budget_range(data: ProgramData, st: OptimizerSettings) -> tuple[float | None, float | None, dict[str, float]]:
    """The default budget range of a frontier, found by solving.

    Parameters
    ----------
    data : ProgramData
        The program's data (today's levels, pieces, limits).
    st : OptimizerSettings
        Floors, minimums, limits and the capital budget apply; the operating budget is varied.

    Returns
    -------
    low : float or None
        Operating cost per year of the cheapest plan meeting every floor and minimum (None: no plan).
    high : float or None
        The largest, over the outcomes, of the cheapest plan's operating cost reaching the outcome's
        best level when money is no object: beyond it no outcome improves.
    tops : dict
        Outcome -> that cost.
    """
    cheapest = solve_data(data, st.replace(objective="min_cost"), diagnose_infeasible=False)
    if not cheapest.report.has_solution:
        return None, None, {}
    low = float(cheapest.plan.cost_operating.sum())
    tops = {}
    for o in OUTCOMES:
        if not any(x.outcome == o for x in data.pieces) and o != "consultations_no_doctor":
            continue
        r = solve_data(data, st.replace(objective="max_outcome", outcome=o, operating_budget=UNLIMITED),
                       diagnose_infeasible=False)
        if r.report.has_solution:
            tops[o] = float(r.plan.cost_operating.sum())
    return low, max([low, *tops.values()]), tops


def frontier(scenario: Scenario, policy: Policy, st: OptimizerSettings,
             data: ProgramData | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frontier of ``st.frontier_outcomes()`` (see the module docstring).

    Parameters
    ----------
    scenario, policy : Scenario, Policy
        Validated inputs; today's resources are the policy's.
    st : OptimizerSettings
        ``frontier.outcomes`` (one or two), ``frontier.points``, ``budgets`` (empty: found by solving).
    data : ProgramData, optional
        Data already built (e.g. with calibration corrections).

    Returns
    -------
    table : DataFrame
        :data:`COLUMNS`; the first row is today's allocation, then one row per point.
    plans : DataFrame
        Every solved point's plan (``point`` + the columns of ``optimize.plan.plan_table``).
    """
    data = data or build_data(scenario, policy, st)
    outcomes = st.frontier_outcomes()
    n = int(st.frontier["points"])
    rows, plans = [_today_row(data)], []
    if len(outcomes) == 1:
        budgets = st.budgets
        if not budgets:
            low, high, _ = budget_range(data, st)
            budgets = () if low is None else tuple(np.linspace(low, high, n)) if high > low + 1 else (low,)
            if low is None:
                rows.append({"point": 1, "kind": "budget", "status": "infeasible",
                             "plan": "no plan meets the floors and minimums at any budget"})
        for k, b in enumerate(budgets, start=1):
            one = st.replace(objective="max_outcome", outcome=outcomes[0], operating_budget=float(b))
            rows.append(_point(data, one, k, "budget", float(b), None, plans))
    else:
        first, second = outcomes
        a = solve_data(data, st.replace(objective="max_outcome", outcome=first), diagnose_infeasible=False)
        b = solve_data(data, st.replace(objective="max_outcome", outcome=second), diagnose_infeasible=False)
        if a.report.has_solution and b.report.has_solution:
            lo = outcome_values(data, a.levels)[second]
            hi = outcome_values(data, b.levels)[second]
            for k, eps in enumerate(np.linspace(lo, max(lo, hi), n), start=1):
                floors = {**st.floors, second: float(eps) - 1e-7 * max(1.0, abs(eps))}
                one = st.replace(objective="max_outcome", outcome=first, floors=floors)
                rows.append(_point(data, one, k, "epsilon", st.operating_budget, float(eps), plans))
        else:
            rows.append({"point": 1, "kind": "epsilon", "status": "infeasible",
                         "plan": "no plan meets the floors and minimums at this budget"})
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    table["maximised"] = outcomes[0]
    table["constrained"] = outcomes[1] if len(outcomes) == 2 else None
    table["pareto"] = pareto(table, outcomes if len(outcomes) == 2 else (outcomes[0],), len(outcomes) == 1)
    table["knee"] = False
    x, y = (("cost_operating", outcomes[0]) if len(outcomes) == 1 else outcomes)
    k = knee(table[table.pareto], x, y)
    if k is not None:
        table.loc[k, "knee"] = True
    return table, (pd.concat(plans, ignore_index=True) if plans else pd.DataFrame())


def _today_row(data: ProgramData) -> dict:
    today = outcome_values(data, today_levels(data))
    return {"point": 0, "kind": "today", "status": "today", **today, "cost_operating": 0.0, "cost_capital": 0.0,
            "seconds": 0.0, "plan": "today's allocation"}


def _point(data: ProgramData, st: OptimizerSettings, k: int, kind: str, budget: float, eps, plans: list) -> dict:
    r = solve_data(data, st, diagnose_infeasible=False)
    row = {"point": k, "kind": kind, "budget": budget, "epsilon": eps, "status": r.report.status,
           "seconds": r.report.seconds}
    if r.report.has_solution:
        row.update(outcome_values(data, r.levels))
        row["cost_capital"] = float(r.plan.cost_capital.sum())
        row["cost_operating"] = float(r.plan.cost_operating.sum())
        row["plan"] = plan_summary(data, r.levels)
        t = plan_table(data, r.levels)
        t.insert(0, "point", k)
        plans.append(t)
    return row


def pareto(table: pd.DataFrame, outcomes: tuple[str, ...], with_cost: bool) -> pd.Series:
    """True for solved points no other solved point beats: at least as much of every outcome (and, on
    a budget frontier, no dearer) and better in one. Solver gaps can leave such points on a front."""
    ok = (table.kind != "today") & table.status.isin(["optimal", "time_limit"])
    cols = [*outcomes, *(["cost_operating"] if with_cost else [])]
    sign = [1.0] * len(outcomes) + ([-1.0] if with_cost else [])
    vals = table[cols].to_numpy(float) * sign
    out = pd.Series(False, index=table.index)
    idx = list(table.index[ok])
    for i in idx:
        a = vals[table.index.get_loc(i)]
        beaten = any(np.all(vals[table.index.get_loc(j)] >= a - 1e-9) and np.any(vals[table.index.get_loc(j)] > a + 1e-6)
                     for j in idx if j != i)
        out[i] = not beaten
    return out


def knee(points: pd.DataFrame, x: str, y: str) -> int | None:
    """Index of the point farthest from the chord between the first and last point (axes scaled to
    their range); None with fewer than three distinct points."""
    p = points[[x, y]].dropna().drop_duplicates()
    if len(p) < 3:
        return None
    xs, ys = p[x].to_numpy(float), p[y].to_numpy(float)
    span_x, span_y = np.ptp(xs), np.ptp(ys)
    if span_x <= 0 or span_y <= 0:
        return None
    u, v = (xs - xs.min()) / span_x, (ys - ys.min()) / span_y
    order = np.argsort(u)
    u, v = u[order], v[order]
    idx = p.index.to_numpy()[order]
    (u0, v0), (u1, v1) = (u[0], v[0]), (u[-1], v[-1])
    dist = np.abs((v1 - v0) * u - (u1 - u0) * v + u1 * v0 - v1 * u0) / np.hypot(u1 - u0, v1 - v0)
    best = int(np.argmax(dist))
    return int(idx[best]) if dist[best] > 1e-9 else None
