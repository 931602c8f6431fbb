"""The optimiser's settings: a typed, checked, immutable form of the ``optimizer`` config group.

:func:`resolve_optimizer` turns the plain mapping (``conf/optimizer/*.yaml`` after Hydra composed it,
or a dict in a test) into :class:`OptimizerSettings`, collecting every problem with its config key
(``optimizer.solver``, ``optimizer.weights.aed_survivor``, ...) into one ``InputError``.

The defaults below mirror ``conf/optimizer/default.yaml`` (a unit test keeps them equal); runs read the
YAML, so a planner changes numbers there, never here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scenarios.errors import ProblemLog
from scenarios.model import Scenario, frozen_map

SOLVERS = ("highs", "cbc")
OBJECTIVES = ("benefit", "min_cost")

# Objective terms: name -> unit (what one unit of the term is). Weights are "value points per unit".
TERMS: dict[str, str] = {
    "aed_survivors": "expected cardiac-arrest survivors per year",
    "urgent_boat_within_target": "urgent transfers per year an ambulance boat delivers within the condition's target",
    "routine_within_target": "routine consultations per year at staffed facilities starting within the target",
    "circuit_consultations": "routine consultations per year on islands without a resident doctor today",
    "care_placed": "elderly people placed in a care home per year",
    "hospital_beds_free": "hospital admissions per year that find a free bed (matters when beds are converted)",
}

# Switchable minimums: true = the scenario's target (targets.csv), a number = that level, false = off.
MINIMUMS: dict[str, str] = {
    "doctors_per_1000": "licensed doctors per 1,000 residents (county)",
    "aeds_per_10k": "public AEDs per 10,000 residents (county)",
    "carers_per_10k_elderly": "certified carers per 10,000 residents aged 60+ (county)",
    "circuit_visits_per_month": "circuit visits per month to every inhabited island without a resident doctor",
}
# [S4] county plan: 每月至少提供1次上岛服务 (the scenario has no target row for it)
CIRCUIT_RULE_VISITS = 1.0

LIMITS: dict[str, str] = {
    "doctors_hire": "extra doctors the county can hire (county total)",
    "carers_hire": "extra certified carers the county can hire (county total)",
    "aeds_add_per_island": "extra AEDs per island",
    "boats_add_per_base": "extra ambulance boats per base",
    "care_beds_add_per_home": "extra care beds per care home",
    "visits_per_month_max": "circuit visits per month to one island",
    "team_days_per_month": "days a circuit team can be out per month",
    "convert_hospital_beds": "hospital beds per facility that may become care beds (0: no conversion)",
}
INTEGER_LIMITS = ("doctors_hire", "carers_hire", "aeds_add_per_island", "boats_add_per_base",
                  "care_beds_add_per_home", "visits_per_month_max", "convert_hospital_beds")

OPTIONS: dict[str, str] = {
    "flag_tolerance": "evaluate: flag a term when prediction and simulation differ by more than this share",
    "frontier_points": "frontier: number of budgets when optimizer.budgets is empty",
    "frontier_max_factor": "frontier: largest budget as a multiple of optimizer.operating_budget",
    "cost_tiebreak": "value points per million yuan subtracted so that equal-benefit plans cost least",
    "balance_tiebreak": "value points per doctor placed away from the population share (equal plans only)",
}

DEFAULT_WEIGHTS = {
    "aed_survivors": 1.0,
    "urgent_boat_within_target": 0.02,
    "routine_within_target": 0.0001,
    "circuit_consultations": 0.0005,
    "care_placed": 0.05,
    "hospital_beds_free": 0.005,
}
DEFAULT_MINIMUMS: dict[str, bool | float] = {
    "doctors_per_1000": True,
    "aeds_per_10k": True,
    "carers_per_10k_elderly": True,
    "circuit_visits_per_month": True,
}
DEFAULT_LIMITS = {
    "doctors_hire": 100,
    "carers_hire": 60,
    "aeds_add_per_island": 60,
    "boats_add_per_base": 1,
    "care_beds_add_per_home": 100,
    "visits_per_month_max": 8,
    "team_days_per_month": 20.0,
    "convert_hospital_beds": 0,
}
DEFAULT_OPTIONS = {"flag_tolerance": 0.25, "frontier_points": 20, "frontier_max_factor": 2.0, "cost_tiebreak": 1e-6,
                   "balance_tiebreak": 1e-6}


@dataclass(frozen=True)
class OptimizerSettings:
    """Checked optimiser settings (money in yuan; operating money per year)."""

    solver: str = "highs"
    time_limit_s: float = 60.0
    gap: float = 1e-4
    objective: str = "benefit"
    operating_budget: float = 20_000_000.0
    capital_budget: float = 10_000_000.0
    budgets: tuple[float, ...] = ()
    weights: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_WEIGHTS))
    minimums: Mapping[str, bool | float] = field(default_factory=lambda: frozen_map(DEFAULT_MINIMUMS))
    limits: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_LIMITS))
    equity_share: float = 0.0
    allow_below_today: bool = False
    options: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_OPTIONS))

    def minimum_level(self, name: str, scenario: Scenario) -> float | None:
        """The level a switched-on minimum asks for (None when it is off)."""
        v = self.minimums.get(name, False)
        if v is False:
            return None
        if v is True:
            if name == "circuit_visits_per_month":
                return CIRCUIT_RULE_VISITS
            return float(scenario.targets[name]) if name in scenario.targets else None
        return float(v)

    def frontier_budgets(self) -> tuple[float, ...]:
        """``budgets`` if given, else ``frontier_points`` budgets from 0 to ``frontier_max_factor`` x today's."""
        if self.budgets:
            return tuple(sorted(self.budgets))
        n = int(self.options["frontier_points"])
        top = self.options["frontier_max_factor"] * self.operating_budget
        return tuple(top * k / (n - 1) for k in range(n))

    def replace(self, **changes) -> OptimizerSettings:
        from dataclasses import replace

        return replace(self, **changes)


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _whole(v) -> bool:
    return _num(v) and float(v) == int(v)


def resolve_optimizer(cfg: Mapping[str, Any] | None, key: str = "optimizer") -> OptimizerSettings:
    """Check the ``optimizer`` config mapping; raise one InputError naming every bad key."""
    cfg = dict(cfg or {})
    log = ProblemLog()
    known = {"solver", "time_limit_s", "gap", "objective", "operating_budget", "capital_budget", "budgets",
             "weights", "minimums", "limits", "equity_share", "allow_below_today", "options"}
    for k in cfg:
        if k not in known:
            log.add(f"{key}.{k}", "", cfg[k], "a known optimizer key: " + ", ".join(sorted(known)))
    d = OptimizerSettings()

    solver = cfg.get("solver", d.solver)
    if solver not in SOLVERS:
        log.add(f"{key}.solver", "", solver, "one of " + ", ".join(SOLVERS))
    objective = cfg.get("objective", d.objective)
    if objective not in OBJECTIVES:
        log.add(f"{key}.objective", "", objective, "one of " + ", ".join(OBJECTIVES))
    t = cfg.get("time_limit_s", d.time_limit_s)
    if not (_num(t) and t > 0):
        log.add(f"{key}.time_limit_s", "", t, "a number of seconds > 0")
    gap = cfg.get("gap", d.gap)
    if not (_num(gap) and 0 <= gap < 1):
        log.add(f"{key}.gap", "", gap, "a relative MIP gap from 0 to below 1 (e.g. 1e-6)")
    money = {}
    for name in ("operating_budget", "capital_budget"):
        v = cfg.get(name, getattr(d, name))
        if not (_num(v) and v >= 0):
            log.add(f"{key}.{name}", "", v, "a finite number of yuan >= 0")
        money[name] = v
    budgets = cfg.get("budgets") or []
    if not isinstance(budgets, (list, tuple)):
        log.add(f"{key}.budgets", "", budgets, "a list of operating budgets in yuan per year (may be empty)")
        budgets = []
    for k, b in enumerate(budgets):
        if not (_num(b) and b >= 0):
            log.add(f"{key}.budgets[{k}]", "", b, "a finite number of yuan >= 0")
    weights = _mapping(log, f"{key}.weights", cfg.get("weights"), TERMS, DEFAULT_WEIGHTS,
                       lambda v: _num(v) and v >= 0, "a weight >= 0 (value points per unit of the term)")
    minimums = _mapping(log, f"{key}.minimums", cfg.get("minimums"), MINIMUMS, DEFAULT_MINIMUMS,
                        lambda v: isinstance(v, bool) or (_num(v) and v >= 0),
                        "true (the scenario's target), false (off) or a level >= 0")
    limits = _mapping(log, f"{key}.limits", cfg.get("limits"), LIMITS, DEFAULT_LIMITS,
                      lambda v: _num(v) and v >= 0, "a number >= 0")
    for name in INTEGER_LIMITS:
        v = limits.get(name)
        if _num(v) and not _whole(v):
            log.add(f"{key}.limits.{name}", "", v, "a whole number >= 0")
    options = _mapping(log, f"{key}.options", cfg.get("options"), OPTIONS, DEFAULT_OPTIONS,
                       lambda v: _num(v) and v >= 0, "a number >= 0")
    fp = options.get("frontier_points")
    if _num(fp) and not (_whole(fp) and fp >= 2):
        log.add(f"{key}.options.frontier_points", "", fp, "a whole number >= 2")
    ft = options.get("flag_tolerance")
    if _num(ft) and ft <= 0:
        log.add(f"{key}.options.flag_tolerance", "", ft, "a share > 0 (e.g. 0.25)")
    eq = cfg.get("equity_share", d.equity_share)
    if not (_num(eq) and 0 <= eq <= 1):
        log.add(f"{key}.equity_share", "", eq, "a share from 0 (off) to 1 of the county's average access")
    below = cfg.get("allow_below_today", d.allow_below_today)
    if not isinstance(below, bool):
        log.add(f"{key}.allow_below_today", "", below, "true or false")
    log.raise_if_any("optimizer settings")
    return OptimizerSettings(
        solver=solver, time_limit_s=float(t), gap=float(gap), objective=objective,
        operating_budget=float(money["operating_budget"]), capital_budget=float(money["capital_budget"]),
        budgets=tuple(float(b) for b in budgets), weights=frozen_map(weights),
        minimums=frozen_map(minimums), limits=frozen_map({k: float(v) for k, v in limits.items()}),
        equity_share=float(eq), allow_below_today=below, options=frozen_map({k: float(v) for k, v in options.items()}),
    )


def _mapping(log: ProblemLog, key: str, given, names: Mapping[str, str], defaults: Mapping, ok, expected: str) -> dict:
    out = dict(defaults)
    if given is None:
        return out
    if not isinstance(given, Mapping):
        log.add(key, "", given, "a mapping of " + ", ".join(names))
        return out
    for k, v in given.items():
        if k not in names:
            log.add(f"{key}.{k}", "", v, "one of " + ", ".join(names))
        elif not ok(v):
            log.add(f"{key}.{k}", "", v, expected)
        else:
            out[k] = v
    return out
