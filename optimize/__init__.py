"""The integer program: what to buy next year with a budget (doctors, AEDs, care beds and carers,
ambulance boats, circuit visits), its budget-benefit frontier and, when no plan fits, why.

Pure: takes a ``Scenario``, today's ``Policy`` and ``OptimizerSettings``; returns objects and tables.
Never imports Hydra, ``sim``, ``experiments`` or ``report``; never prints or writes files.
"""

from optimize.api import PlanResult, frontier, solve_plan
from optimize.data import ProgramData, build_data
from optimize.plan import plan_policy_config, plan_table, term_values, terms_table
from optimize.settings import OptimizerSettings, resolve_optimizer
from optimize.solve import SolveReport

__all__ = [
    "OptimizerSettings", "PlanResult", "ProgramData", "SolveReport", "build_data", "frontier",
    "plan_policy_config", "plan_table", "resolve_optimizer", "solve_plan", "term_values", "terms_table",
]
