"""Why a program is infeasible, in a planner's words.

Elastic re-solves: the constraint groups a planner controls (budgets, hiring limits, team days,
minimums, equity) are rebuilt with penalised slack variables that let them be violated.

1. *Together*: every group elastic, least total violation (money per 10,000 yuan, counts per unit).
   The groups with slack are the ones in conflict, by those amounts.
2. *Alone*: one group elastic at a time, the others hard. If that solves, relaxing this one group by
   its slack is enough (e.g. "raise the capital budget by 12,000 yuan").

Decision bounds (today's levels as floors, site limits) stay hard: if even the all-elastic program
is infeasible, the conflict lies there and the report says so.
"""

from __future__ import annotations

import math

import pandas as pd
import pulp

from optimize.blocks import build_program
from optimize.data import ProgramData
from optimize.program import GROUP_SCALE, GROUPS, Program
from optimize.settings import OUTCOMES, OptimizerSettings
from optimize.solve import solve

LABELS = {
    "operating_budget": "operating budget",
    "capital_budget": "capital budget",
    "workforce_doctors": "limit on doctors the county can hire",
    "workforce_carers": "limit on carers the county can hire",
    "team_days": "circuit teams' days per month",
    "minimum_doctors_per_1000": "minimum of doctors per 1,000 residents",
    "minimum_aeds_per_10k": "minimum of AEDs per 10,000 residents",
    "minimum_carers_per_10k_elderly": "minimum of carers per 10,000 elderly",
    "minimum_circuit_visits_per_month": "minimum of circuit visits per month to islands without a doctor",
    "equity_doctors": "equity floor on clinician-days per resident",
    "equity_aeds": "equity floor on AEDs per resident",
    **{f"floor_{o}": f"floor on {o} (optimizer.floors.{o})" for o in OUTCOMES},
}
LIMIT_GROUPS = ("operating_budget", "capital_budget", "workforce_doctors", "workforce_carers", "team_days")
COLUMNS = ["group", "label", "unit", "limit", "relax_alone", "relax_together", "conflict", "sentence"]
TOL = 1e-6


def diagnose(data: ProgramData, settings: OptimizerSettings) -> tuple[pd.DataFrame, str]:
    """The diagnosis table (one row per constraint group present) and a summary paragraph."""
    base = build_program(data, settings)
    present = [g for g in GROUPS if g in base.groups]
    limits = {g: _limit(base, g) for g in present}
    together = _elastic_solve(data, settings, frozenset(present))
    alone = {g: _elastic_solve(data, settings, frozenset([g])) for g in present}
    rows = []
    for g in present:
        t = together.get(g) if together is not None else None
        a = alone[g].get(g) if alone[g] is not None else None
        conflict = bool((t or 0) > TOL or (a is not None and a > TOL))
        rows.append({"group": g, "label": LABELS[g], "unit": GROUPS[g], "limit": limits[g],
                     "relax_alone": a, "relax_together": t, "conflict": conflict,
                     "sentence": _sentence(g, a, limits[g]) if a is not None and a > TOL else ""})
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table, _summary(table, together is None)


def _elastic_solve(data: ProgramData, settings: OptimizerSettings, groups: frozenset[str]) -> dict[str, float] | None:
    """Least violation of ``groups`` (others hard); None when even that is infeasible."""
    prog = build_program(data, settings, elastic=groups)
    slack = pulp.lpSum(s / GROUP_SCALE.get(g, 1.0) for g, ss in prog.slacks.items() for s in ss)
    prog.problem.sense = pulp.LpMinimize
    prog.problem.setObjective(slack)
    report = solve(prog.problem, settings.replace(gap=0.0))
    if not report.has_solution:
        return None
    return {g: float(sum(s.varValue or 0.0 for s in ss)) for g, ss in prog.slacks.items()}


def _limit(prog: Program, group: str) -> float:
    """The right-hand side of a one-constraint group (NaN for per-island groups)."""
    names = prog.groups[group]
    if len(names) != 1:
        return math.nan
    return prog.rhs[names[0]]


def _amount(group: str, x: float) -> str:
    unit = GROUPS[group]
    if unit.startswith("yuan"):
        return f"{math.ceil(x - 1e-6):,.0f} {unit}"
    if abs(x - round(x)) < 1e-6:
        return f"{round(x):,.0f} {unit}"
    return f"{x:,.1f} {unit}"


def _sentence(group: str, slack: float, limit: float) -> str:
    label = LABELS[group]
    if group in LIMIT_GROUPS:
        to = f" (from {limit:,.0f} to {limit + slack:,.0f})" if math.isfinite(limit) else ""
        return f"raise the {label} by {_amount(group, slack)}{to}"
    if group.startswith(("minimum", "floor_")):
        of = f" (it asks for {limit:,.0f})" if math.isfinite(limit) else ""
        return f"lower the {label} by {_amount(group, slack)}{of}"
    return f"lower the {label}: islands fall short by {_amount(group, slack)} in total"


def _summary(table: pd.DataFrame, hard_bounds: bool) -> str:
    if hard_bounds:
        return ("No plan meets the settings, and relaxing budgets, hiring limits, minimums and equity does not "
                "help: the conflict lies in the decision bounds (today's levels as floors, optimizer.limits per "
                "site). Allow levels below today (optimizer.allow_below_today=true) or raise the site limits.")
    lines = ["No plan meets every constraint."]
    fix = table[table.sentence != ""]
    budgets = fix[fix.group.isin(["operating_budget", "capital_budget"])]
    demands = fix[~fix.group.isin(LIMIT_GROUPS)]
    for b in budgets.itertuples():
        for m in demands.itertuples():
            lines.append(f"The {m.label} needs {_amount(b.group, b.relax_alone)} more than the {b.label} allows.")
    if len(fix):
        lines.append("Any one of these changes makes the plan feasible: " + "; ".join(fix.sentence) + ".")
    else:
        lines.append("No single group can be relaxed on its own to make it feasible.")
    together = table[table.relax_together.fillna(0) > TOL]
    if len(together) and len(together) != len(fix):
        parts = [f"{r.label} by {_amount(r.group, r.relax_together)}" for r in together.itertuples()]
        lines.append("The least total change relaxes: " + "; ".join(parts) + ".")
    return "\n".join(lines)
