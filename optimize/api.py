"""Entry points: solve one plan, or trace the budget-benefit frontier. Pure: objects in, tables out."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import pulp

from optimize.blocks import build_program
from optimize.data import ProgramData, build_data
from optimize.diagnose import diagnose
from optimize.plan import (
    plan_costs,
    plan_summary,
    plan_table,
    solution_levels,
    term_values,
    terms_table,
    today_levels,
)
from optimize.program import Program
from optimize.settings import OptimizerSettings
from optimize.solve import INFEASIBLE, SolveReport, resolve_with_rhs, solve
from scenarios.model import Scenario
from scenarios.policy import Policy

BUDGET_CONSTRAINT = "operating_budget__total"


@dataclass
class PlanResult:
    """What one solve produced. ``levels``/``plan``/``terms`` are None without a solution;
    ``diagnosis``/``diagnosis_text`` are set when the program is infeasible."""

    report: SolveReport
    data: ProgramData
    program: Program
    levels: dict[str, int] | None = None
    plan: pd.DataFrame | None = None
    terms: pd.DataFrame | None = None
    diagnosis: pd.DataFrame | None = None
    diagnosis_text: str = ""

    @property
    def seconds(self) -> float:
        return self.report.seconds


def solve_plan(scenario: Scenario, policy: Policy, settings: OptimizerSettings,
               data: ProgramData | None = None, diagnose_infeasible: bool = True) -> PlanResult:
    """Build and solve the program for today's ``policy``; diagnose it when infeasible."""
    data = data or build_data(scenario, policy, settings)
    prog = build_program(data, settings)
    report = solve(prog.problem, settings)
    if report.has_solution:
        report = polish(prog, settings, report)
    result = PlanResult(report, data, prog)
    if report.has_solution:
        levels = solution_levels(prog, report)
        result.levels = levels
        result.plan = plan_table(data, levels)
        result.terms = terms_table(data, levels, settings.weights)
    elif report.status == INFEASIBLE and diagnose_infeasible:
        result.diagnosis, result.diagnosis_text = diagnose(data, settings)
    return result


def polish(prog: Program, settings: OptimizerSettings, first: SolveReport) -> SolveReport:
    """Second, lexicographic pass: among plans at least as good as the first pass's (benefit, or
    cost for ``min_cost``) and no dearer, the cheapest and best-balanced one.

    The tie-breaks are tiny in the first objective, below the solver's gap, so the first pass alone
    need not honour them. Returns the first pass's report with the polished plan's objective and the
    time of both passes; if the second pass finds nothing, the first pass's values are put back.
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
    if settings.objective == "benefit":
        b1 = float(pulp.value(prog.benefit))
        problem.addConstraint(prog.benefit >= b1 - 1e-9 * max(1.0, abs(b1)), "polish__benefit")
    top = max(cw, bw)
    problem.sense = pulp.LpMinimize
    problem.setObjective((cw / 1e6 * cost + bw * prog.balance) / top)
    second = solve(problem, settings)
    if not second.has_solution:
        for v in problem.variables():
            v.varValue = saved.get(v.name)
    problem.sense = sense
    problem.setObjective(objective)
    value = float(pulp.value(objective))
    gap = None if first.bound is None else abs(value - first.bound) / max(1e-9, abs(value))
    return replace(first, objective=value, gap=gap, seconds=first.seconds + second.seconds)


FRONTIER_COLUMNS = ["budget", "status", "benefit", "benefit_gain", "benefit_exact", "cost_operating",
                    "cost_capital", "marginal_per_10k", "best_marginal", "seconds", "plan"]


def frontier(scenario: Scenario, policy: Policy, settings: OptimizerSettings,
             data: ProgramData | None = None, reuse: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve the benefit program at every operating budget of ``settings.frontier_budgets()``.

    One program is built; each budget only changes the budget constraint's right-hand side (with
    HiGHS the solver keeps its model between solves). Returns the frontier (one row per budget:
    weighted benefit as the program counts it and with the exact curves, the gain over today, costs,
    benefit per extra 10,000 yuan from the previous budget, and which step buys the most) and the
    plans (long: budget x site). ``reuse=False`` hands the solver the whole model every time (for
    the benchmark's comparison).
    """
    settings = settings.replace(objective="benefit")
    data = data or build_data(scenario, policy, settings)
    prog = build_program(data, settings)
    w = settings.weights
    today = term_values(data, today_levels(data))
    today_benefit = sum(w.get(t, 0.0) * v for t, v in today.items())
    rows, plans = [], []
    loaded = False  # a model is in the solver (HiGHS keeps it between solves)
    for budget in settings.frontier_budgets():
        report = resolve_with_rhs(prog.problem, BUDGET_CONSTRAINT, prog.solver_rhs(BUDGET_CONSTRAINT, budget),
                                  settings, loaded)
        loaded = reuse
        row = {"budget": budget, "status": report.status, "seconds": report.seconds}
        if report.has_solution:
            levels = solution_levels(prog, report)
            model = term_values(data, levels, hull=True)
            exact = term_values(data, levels)
            cap, op = plan_costs(data, levels)
            row.update(benefit=sum(w.get(t, 0.0) * v for t, v in model.items()),
                       benefit_exact=sum(w.get(t, 0.0) * v for t, v in exact.items()),
                       cost_operating=op, cost_capital=cap, plan=plan_summary(data, levels))
            row["benefit_gain"] = row["benefit_exact"] - today_benefit
            t = plan_table(data, levels)
            t.insert(0, "budget", budget)
            plans.append(t)
        rows.append(row)
    df = pd.DataFrame(rows).reindex(columns=FRONTIER_COLUMNS)
    df["best_marginal"] = False
    ok = df[df.benefit.notna()]
    if len(ok) >= 2:
        marg = ok.benefit.diff() / ok.budget.diff() * 10_000
        df.loc[ok.index, "marginal_per_10k"] = marg
        if marg.notna().any() and marg.max() > 0:
            df.loc[marg.idxmax(), "best_marginal"] = True
    plans_df = pd.concat(plans, ignore_index=True) if plans else pd.DataFrame()
    return df, plans_df
