"""The one place that knows solvers: choose HiGHS or CBC, solve, check the status, report.

``optimizer.solver=highs`` (default) uses HiGHS in-process through ``highspy`` (``pulp.HiGHS``);
``cbc`` runs the CBC binary bundled with PuLP 3 (``pulp.PULP_CBC_CMD``), kept as a cross-check. PuLP
3.3 deprecates that class (PuLP 4 drops it); moving to PuLP 4 means changing :func:`make_solver` only.

Every solve returns a :class:`SolveReport`; callers read variable values only when
``report.has_solution`` is true. HiGHS reports a time-limited solve as "optimal" to PuLP, so the
status here comes from the solver itself (HiGHS model status, CBC's log), not from PuLP's code.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass

import pulp

from optimize.settings import OptimizerSettings

OPTIMAL, TIME_LIMIT, INFEASIBLE, UNBOUNDED, NOT_SOLVED = "optimal", "time_limit", "infeasible", "unbounded", "not_solved"


@dataclass(frozen=True)
class SolveReport:
    status: str  # optimal | time_limit | infeasible | unbounded | not_solved
    has_solution: bool  # an integer-feasible solution can be read
    objective: float | None
    bound: float | None  # best bound on the objective (the dual bound)
    gap: float | None  # relative gap between objective and bound
    seconds: float
    solver: str

    @property
    def ok(self) -> bool:
        return self.status == OPTIMAL and self.has_solution

    def as_dict(self) -> dict:
        return {"status": self.status, "has_solution": self.has_solution, "objective": self.objective,
                "bound": self.bound, "gap": self.gap, "seconds": round(self.seconds, 4), "solver": self.solver}


def make_solver(settings: OptimizerSettings, log_path: str | None = None):
    """The PuLP solver object for ``settings.solver`` (time limit and relative gap applied)."""
    if settings.solver == "highs":
        _silence_highs_banner()
        return pulp.HiGHS(msg=False, timeLimit=settings.time_limit_s, gapRel=settings.gap)
    if settings.solver == "cbc":
        with warnings.catch_warnings():
            # Known: PuLP 3.3 deprecates the bundled CBC command (PuLP 4 removes it). This is the line
            # to change when moving to PuLP 4.
            warnings.simplefilter("ignore", DeprecationWarning)
            return pulp.PULP_CBC_CMD(msg=False, timeLimit=settings.time_limit_s, gapRel=settings.gap,
                                     logPath=log_path)
    raise ValueError(f"unknown solver {settings.solver!r}")


def solve(problem: pulp.LpProblem, settings: OptimizerSettings) -> SolveReport:
    """Solve ``problem`` with the configured solver and report what happened."""
    if settings.solver == "cbc":
        return _solve_cbc(problem, settings)
    t0 = time.perf_counter()
    problem.solve(make_solver(settings))
    return _highs_report(problem, time.perf_counter() - t0)


def values(problem: pulp.LpProblem, report: SolveReport, variables) -> dict:
    """Variable values, only when the report says a solution exists (status checked here)."""
    if not report.has_solution:
        raise RuntimeError(f"no solution to read: solve status {report.status}")
    return {k: v.varValue for k, v in variables.items()}


# --- HiGHS -------------------------------------------------------------------------------------------
_BANNER_DONE = False


def _silence_highs_banner() -> None:
    """HiGHS prints a copyright banner to the C-level stdout when the first ``Highs()`` of a process is
    made, before any option can switch output off. ``optimize`` never prints: make that first object
    here with stdout pointed at the null device."""
    global _BANNER_DONE
    if _BANNER_DONE:
        return
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_DONE = True


def _highs_report(problem: pulp.LpProblem, seconds: float) -> SolveReport:
    import highspy

    model = problem.solverModel
    ms = model.getModelStatus()
    info = model.getInfo()
    S = highspy.HighsModelStatus
    mip = any(v.cat == pulp.LpInteger for v in problem.variables())
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if ms == S.kOptimal:
        status = OPTIMAL
    elif ms in (S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit):
        status = TIME_LIMIT
    elif ms == S.kInfeasible:
        status, has_solution = INFEASIBLE, False
    elif ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        status = UNBOUNDED if ms == S.kUnbounded else INFEASIBLE
        has_solution = has_solution and ms == S.kUnbounded
    else:
        status = NOT_SOLVED
    objective = bound = gap = None
    if has_solution:
        objective = float(pulp.value(problem.objective))
        sign = -1.0 if problem.sense == pulp.LpMaximize else 1.0  # PuLP hands HiGHS a minimisation
        const = float(problem.objective.constant)
        if mip and math.isfinite(info.mip_dual_bound):
            bound = sign * info.mip_dual_bound + const
        elif not mip:
            bound = objective
        if bound is not None:
            gap = abs(objective - bound) / max(1e-9, abs(objective))
    return SolveReport(status, has_solution, objective, bound, gap, seconds, "highs")


# --- CBC ---------------------------------------------------------------------------------------------
def _solve_cbc(problem: pulp.LpProblem, settings: OptimizerSettings) -> SolveReport:
    fd, log_path = tempfile.mkstemp(prefix="islandcare_cbc_", suffix=".log")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        problem.solve(make_solver(settings, log_path=log_path))
        seconds = time.perf_counter() - t0
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            log = fh.read()
    finally:
        os.unlink(log_path)
    result = re.search(r"Result - (.+)", log)
    text = result.group(1).lower() if result else ""
    has_solution = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if "optimal" in text:
        status = OPTIMAL
    elif "infeasible" in text or problem.status == pulp.LpStatusInfeasible:
        status, has_solution = INFEASIBLE, False
    elif "unbounded" in text or problem.status == pulp.LpStatusUnbounded:
        status = UNBOUNDED
    elif "stopped" in text:
        status = TIME_LIMIT
    elif problem.status == pulp.LpStatusOptimal:
        status = OPTIMAL
    elif settings.time_limit_s and seconds >= 0.95 * settings.time_limit_s:
        status = TIME_LIMIT  # stopped by the clock before CBC could write its result line (a loaded machine)
    else:
        status, has_solution = NOT_SOLVED, False
    objective = float(pulp.value(problem.objective)) if has_solution else None
    bound = gap = None
    if has_solution:
        bound = _cbc_bound(log, problem)
        if bound is None and status == OPTIMAL:
            bound = objective
        if bound is not None:
            gap = abs(objective - bound) / max(1e-9, abs(objective))
    return SolveReport(status, has_solution, objective, bound, gap, seconds, "cbc")


def _cbc_bound(log: str, problem: pulp.LpProblem) -> float | None:
    """CBC prints the best bound in the problem's own sense ("Upper bound" when maximising, "Lower
    bound" when minimising), without the objective's constant term."""
    m = re.search(r"(?:Lower|Upper) bound:\s*([-\d.eE+]+)", log)
    if not m:
        return None
    return float(m.group(1)) + float(problem.objective.constant)
