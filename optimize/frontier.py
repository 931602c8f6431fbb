"""Frontiers that show the trade-off.

*One outcome against money* (``optimizer.frontier.outcomes=[survivors]``, the default being the
objective's outcome): the outcome maximised at a range of operating budgets, every other outcome at
least its floor. Unless ``optimizer.budgets`` lists them, the budgets run from the cheapest plan
meeting every floor and minimum (``min_cost``) to the budget beyond which the maximised outcome no
longer improves: the operating cost of the cheapest plan reaching its best level when operating
money is no object (the capital budget, site and hiring limits still bind). Other outcomes may go
on improving beyond it (their own frontiers show where). Consecutive budgets giving the same plan
are merged into one point (``budget`` to ``budget_to``, ``budgets_sampled``); budgets listed in
``optimizer.budgets`` keep one row each.

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
COLUMNS = ["point", "kind", "maximised", "constrained", "budget", "budget_to", "budgets_sampled", "epsilon", "status", *OUTCOMES, "cost_operating", "cost_capital", "knee",
           "pareto", "seconds", "plan"]


def budget_range(data: ProgramData, st: OptimizerSettings,
                 outcome: str | None = None) -> tuple[float | None, float | None, dict[str, float]]:
    """The default budget range of a frontier, found by solving.

    Parameters
    ----------
    data : ProgramData
        The program's data (today's levels, pieces, limits).
    st : OptimizerSettings
        Floors, minimums, limits and the capital budget apply; the operating budget is varied.
    outcome : str, optional
        The outcome the frontier maximises: the range ends where it stops improving. None: where no
        outcome improves (the largest of ``tops``).

    Returns
    -------
    low : float or None
        Operating cost per year of the cheapest plan meeting every floor and minimum (None: no plan).
    high : float or None
        The operating cost of the cheapest plan reaching ``outcome``'s best level when money is no
        object (beyond it that outcome does not improve); without ``outcome``, the largest such cost
        over the outcomes (beyond it no outcome improves). Never below ``low``.
    tops : dict
        Outcome -> that cost (``outcome`` only, when given; else every outcome the program models).
    """
    cheapest = solve_data(data, st.replace(objective="min_cost"), diagnose_infeasible=False)
    if not cheapest.report.has_solution:
        return None, None, {}
    low = float(cheapest.plan.cost_operating.sum())
    tops = {}
    for o in (OUTCOMES if outcome is None else (outcome,)):
        if not any(x.outcome == o for x in data.pieces) and o != "consultations_no_doctor":
            continue
        r = solve_data(data, st.replace(objective="max_outcome", outcome=o, operating_budget=UNLIMITED),
                       diagnose_infeasible=False)
        if r.report.has_solution:
            tops[o] = float(r.plan.cost_operating.sum())
    if outcome is not None:
        return low, max(low, tops.get(outcome, low)), tops
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
    rows, found = [_today_row(data)], []
    if len(outcomes) == 1:
        budgets = st.budgets
        if not budgets:
            low, high, _ = budget_range(data, st, outcomes[0])
            budgets = () if low is None else tuple(np.linspace(low, high, n)) if high > low + 1 else (low,)
            if low is None:
                rows.append({"point": 1, "kind": "budget", "status": "infeasible",
                             "plan": "no plan meets the floors and minimums at any budget"})
        for b in budgets:
            one = st.replace(objective="max_outcome", outcome=outcomes[0], operating_budget=float(b))
            found.append(_point(data, one, "budget", float(b), None))
        if not st.budgets:
            found = merge_runs(found)
    else:
        first, second = outcomes
        a = solve_data(data, st.replace(objective="max_outcome", outcome=first), diagnose_infeasible=False)
        b = solve_data(data, st.replace(objective="max_outcome", outcome=second), diagnose_infeasible=False)
        if a.report.has_solution and b.report.has_solution:
            lo = outcome_values(data, a.levels)[second]
            hi = outcome_values(data, b.levels)[second]
            for eps in np.linspace(lo, max(lo, hi), n):
                floors = {**st.floors, second: float(eps) - 1e-7 * max(1.0, abs(eps))}
                one = st.replace(objective="max_outcome", outcome=first, floors=floors)
                found.append(_point(data, one, "epsilon", st.operating_budget, float(eps)))
        else:
            rows.append({"point": 1, "kind": "epsilon", "status": "infeasible",
                         "plan": "no plan meets the floors and minimums at this budget"})
    plans = []
    for k, (row, levels) in enumerate(found, start=len(rows)):
        row["point"] = k
        if levels is not None:
            t = plan_table(data, levels)
            t.insert(0, "point", k)
            plans.append(t)
        rows.append(row)
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


def merge_runs(found: list[tuple[dict, dict | None]]) -> list[tuple[dict, dict | None]]:
    """One point per run of consecutive budgets giving the same plan: ``budget`` the run's lowest
    budget, ``budget_to`` its highest, ``budgets_sampled`` how many budgets it covers. Points without
    a plan are kept as they are."""
    out: list[tuple[dict, dict | None]] = []
    for row, levels in found:
        if out and levels is not None and out[-1][1] == levels:
            last = out[-1][0]
            last["budget_to"] = row["budget_to"]
            last["budgets_sampled"] += row["budgets_sampled"]
            last["seconds"] += row["seconds"]
            continue
        out.append((dict(row), levels))
    return out


def _today_row(data: ProgramData) -> dict:
    today = outcome_values(data, today_levels(data))
    return {"point": 0, "kind": "today", "status": "today", **today, "cost_operating": 0.0, "cost_capital": 0.0,
            "seconds": 0.0, "plan": "today's allocation"}


def _point(data: ProgramData, st: OptimizerSettings, kind: str, budget: float, eps) -> tuple[dict, dict | None]:
    """One solved point (row of the table) and its plan's levels (None without a solution)."""
    r = solve_data(data, st, diagnose_infeasible=False)
    row = {"kind": kind, "budget": budget, "budget_to": budget, "budgets_sampled": 1, "epsilon": eps,
           "status": r.report.status, "seconds": r.report.seconds}
    if not r.report.has_solution:
        return row, None
    row.update(outcome_values(data, r.levels))
    row["cost_capital"] = float(r.plan.cost_capital.sum())
    row["cost_operating"] = float(r.plan.cost_operating.sum())
    row["plan"] = plan_summary(data, r.levels)
    return row, dict(r.levels)


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
