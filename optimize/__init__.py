"""The integer program: what to buy next year with a budget (doctors, AEDs, care beds and carers,
ambulance boats, circuit visits), valued in natural outcomes per year; its frontier, its league
table of options and, when no plan fits, why.

Pure: takes a ``Scenario``, today's ``Policy`` and ``OptimizerSettings``; returns objects and tables.
Never imports Hydra, ``sim``, ``experiments`` or ``report``; never prints or writes files.
"""

from optimize.api import PlanResult, solve_data, solve_plan
from optimize.data import ProgramData, build_data
from optimize.plan import outcome_values, outcomes_table, plan_policy_config, plan_table
from optimize.settings import OUTCOMES, OptimizerSettings, resolve_optimizer
from optimize.solve import SolveReport

__all__ = [
    "OUTCOMES", "OptimizerSettings", "PlanResult", "ProgramData", "SolveReport", "build_data", "outcome_values",
    "outcomes_table", "plan_policy_config", "plan_table", "resolve_optimizer", "solve_data", "solve_plan",
]
