"""Entry point: solve one plan (with the polishing pass), or diagnose why none fits. Pure: objects in,
tables out. The frontier is in ``optimize.frontier``, the league table in ``optimize.league``."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import pulp

from optimize.blocks import build_program
from optimize.data import ProgramData, build_data
from optimize.diagnose import diagnose
from optimize.plan import outcome_values, outcomes_table, plan_table, solution_levels, today_levels
from optimize.program import Program
from optimize.settings import OptimizerSettings
from optimize.solve import INFEASIBLE, SolveReport, solve
from scenarios.model import Scenario
from scenarios.policy import Policy

# Polishing pass: each outcome not in the objective, relative to today's level, per unit of the pass's
# objective (million yuan): 1% more of such an outcome counts as 100 yuan, so it only decides between
# plans of (nearly) equal cost, e.g. where the AEDs the county minimum asks for go.
OUTCOME_TIEBREAK = 1e-4


@dataclass
class PlanResult:
    """What one solve produced. ``levels``/``plan``/``outcomes`` are None without a solution;
    ``diagnosis``/``diagnosis_text`` are set when the program is infeasible."""

    report: SolveReport
    data: ProgramData
    program: Program
    levels: dict[str, int] | None = None
    plan: pd.DataFrame | None = None
    outcomes: pd.DataFrame | None = None
    diagnosis: pd.DataFrame | None = None
    diagnosis_text: str = ""

    @property
    def seconds(self) -> float:
        return self.report.seconds


def solve_plan(scenario: Scenario, policy: Policy, settings: OptimizerSettings,
               data: ProgramData | None = None, diagnose_infeasible: bool = True) -> PlanResult:
    """Build and solve the program for today's ``policy``; diagnose it when infeasible.

    Parameters
    ----------
    scenario, policy : the validated inputs (today's resources are the policy's).
    settings : the checked optimiser settings.
    data : the program's data when already built (e.g. with calibration corrections).
    diagnose_infeasible : run the elastic re-solves when no plan fits.

    Returns
    -------
    PlanResult
        The solve report, the plan and its outcomes, or the diagnosis.
    """
    data = data or build_data(scenario, policy, settings)
    return solve_data(data, settings, diagnose_infeasible)


def solve_data(data: ProgramData, settings: OptimizerSettings, diagnose_infeasible: bool = True) -> PlanResult:
    """:func:`solve_plan` for data already built.

    Returns
    -------
    PlanResult
        With ``levels``, ``plan`` and ``outcomes`` when a plan exists, the diagnosis when infeasible.
    """
    prog = build_program(data, settings)
    report = solve(prog.problem, settings)
    if report.has_solution:
        report = polish(prog, settings, report)
    result = PlanResult(report, data, prog)
    if report.has_solution:
        levels = solution_levels(prog, report)
        result.levels = levels
        result.plan = plan_table(data, levels)
        result.outcomes = outcomes_table(data, levels, settings.floors, settings.weights)
    elif report.status == INFEASIBLE and diagnose_infeasible:
        result.diagnosis, result.diagnosis_text = diagnose(data, settings)
    return result


def polish(prog: Program, settings: OptimizerSettings, first: SolveReport) -> SolveReport:
    """Second, lexicographic pass: among plans at least as good as the first pass's (benefit, or
    cost for ``min_cost``) and no dearer, the cheapest and best-balanced one.

    Among those, outcomes outside the objective break remaining ties (:data:`OUTCOME_TIEBREAK`).
    The tie-breaks are tiny in the first objective, below the solver's gap, so the first pass alone
    need not honour them. Returns the first pass's report with the polished plan's objective and the
    time of both passes; if the second pass finds nothing, the first pass's values are put back. The
    program keeps the two rows of the pass (``polish__cost``, ``polish__benefit``): solve a program once.
    """
    cw, bw = settings.options["cost_tiebreak"], settings.options["balance_tiebreak"]
    if settings.objective == "min_cost":
        cw = 0.0
    if cw <= 0 and bw <= 0:
        return first
    problem = prog.problem
    saved = {v.name: v.varValue for v in problem.variables()}
    objective, sense = problem.objective, problem.sense
    cost = prog.operating + prog.capital
    c1 = float(pulp.value(cost))
    problem.addConstraint(cost <= c1 + 1e-6 * max(1.0, abs(c1)), "polish__cost")
    if settings.objective != "min_cost":
        b1 = float(pulp.value(prog.benefit))
        problem.addConstraint(prog.benefit >= b1 - 1e-9 * max(1.0, abs(b1)), "polish__benefit")
    top = max(cw, bw)
    others = [o for o in prog.outcomes if o not in settings.objective_weights()]
    now = outcome_values(prog.data, today_levels(prog.data))
    rest = pulp.lpSum(prog.outcomes[o] / max(1.0, abs(now[o])) for o in others)
    problem.sense = pulp.LpMinimize
    problem.setObjective((cw / 1e6 * cost + bw * prog.balance) / top - OUTCOME_TIEBREAK * rest)
    second = solve(problem, settings)
    if not second.has_solution:
        for v in problem.variables():
            v.varValue = saved.get(v.name)
    problem.sense = sense
    problem.setObjective(objective)
    value = float(pulp.value(objective))
    gap = None if first.bound is None else abs(value - first.bound) / max(1e-9, abs(value))
    return replace(first, objective=value, gap=gap, seconds=first.seconds + second.seconds)
