"""The optimiser's settings: a typed, checked, immutable form of the ``optimizer`` config group.

:func:`resolve_optimizer` turns the plain mapping (``conf/optimizer/*.yaml`` after Hydra composed it,
or a dict in a test) into :class:`OptimizerSettings`, collecting every problem with its config key
(``optimizer.outcome``, ``optimizer.weights.survivors.unit``, ...) into one ``InputError``.

This module is the single source of the optimiser's defaults: ``conf/optimizer/default.yaml`` only
documents the keys (a unit test keeps the two equal where the YAML states a value).

Outcomes are in natural units per year (:data:`OUTCOMES`). Objectives: ``max_outcome`` (the outcome
``optimizer.outcome``, every other one at least its floor), ``min_cost`` (the cheapest plan meeting
every floor and minimum) and ``weighted`` (the sum of the outcomes valued by weights the user gives
in yuan per unit; there are no default weights).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from typing import Any

from scenarios.errors import ProblemLog
from scenarios.model import Scenario, frozen_map

SOLVERS = ("highs", "cbc")
OBJECTIVES = ("max_outcome", "min_cost", "weighted")

# Outcomes a planner names: id -> unit (per year). The order is the order of every table.
OUTCOMES: dict[str, str] = {
    "survivors": "expected cardiac-arrest survivors per year",
    "within_target": "time-critical patients per year reaching definitive care within the condition's target "
                     "(urgent conditions other than cardiac arrest)",
    "delay_hours_avoided": "patient-hours per year of onset-to-definitive-care time avoided against today "
                           "(urgent conditions other than cardiac arrest)",
    "consultations_no_doctor": ("routine patients per year of islands without a resident doctor today cared for in "
                                "the county (circuit visits, scheduled boat to a county facility, telephone)"),
    "placed_in_care": "elderly people placed in a care home per year",
    "hospital_bed_found": "hospital admissions per year finding a free bed (only where beds may be converted)",
}
# The unit a weight of each outcome must state (``optimizer.weights.<outcome>.unit``).
WEIGHT_UNITS: dict[str, str] = {
    "survivors": "yuan_per_survivor",
    "within_target": "yuan_per_patient_within_target",
    "delay_hours_avoided": "yuan_per_patient_hour",
    "consultations_no_doctor": "yuan_per_consultation",
    "placed_in_care": "yuan_per_placement",
    "hospital_bed_found": "yuan_per_admission",
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
    "flag_tolerance": "evaluate/calibrate: flag an outcome when prediction and simulation differ by more than this share",
    "cost_tiebreak": "outcome units per million yuan subtracted so that equally good plans cost least",
    "balance_tiebreak": "outcome units per doctor placed away from the population share (equal plans only)",
}
FRONTIER: dict[str, str] = {
    "outcomes": "one outcome (against the operating budget) or two (an epsilon-constraint Pareto front)",
    "points": "number of budgets (or of epsilon levels for two outcomes)",
}
LEAGUE: dict[str, str] = {
    "aed_step": "AEDs added to an island by one league-table option",
    "care_bed_step": "care beds (with the carers they need) added to a home by one option",
    "convert_step": "hospital beds converted to care beds by one option",
    "capital_life_years": "years over which capital is spread in the yearly cost (straight line)",
    "simulate": "evaluate: options simulated (the best-ranked by the objective's outcome; 0: none)",
}
CALIBRATION: dict[str, str] = {
    "max_rounds": "calibrate: most rounds of simulate, compare, correct, re-solve",
    "max_scale": "calibrate: largest correction factor of an outcome's modelled change",
}

DEFAULT_MINIMUMS: dict[str, bool | float] = dict.fromkeys(MINIMUMS, True)
DEFAULT_LIMITS = {"doctors_hire": 100, "carers_hire": 60, "aeds_add_per_island": 60, "boats_add_per_base": 1,
                  "care_beds_add_per_home": 100, "visits_per_month_max": 8, "team_days_per_month": 20.0,
                  "convert_hospital_beds": 0}
DEFAULT_OPTIONS = {"flag_tolerance": 0.25, "cost_tiebreak": 1e-6, "balance_tiebreak": 1e-6}
DEFAULT_FRONTIER: dict[str, Any] = {"outcomes": (), "points": 20}
DEFAULT_LEAGUE = {"aed_step": 5, "care_bed_step": 10, "convert_step": 5, "capital_life_years": 10, "simulate": 6}
DEFAULT_CALIBRATION = {"max_rounds": 5, "max_scale": 10.0}


@dataclass(frozen=True)
class OptimizerSettings:
    """Checked optimiser settings (money in yuan; operating money per year; outcomes per year).

    ``weights`` maps an outcome to yuan per unit (its unit was checked); ``floors`` maps an outcome to
    the level per year a plan must reach.
    """

    solver: str = "highs"
    time_limit_s: float = 60.0
    gap: float = 1e-4
    objective: str = "max_outcome"
    outcome: str = "survivors"
    operating_budget: float = 20_200_000.0
    capital_budget: float = 10_000_000.0
    budgets: tuple[float, ...] = ()
    floors: Mapping[str, float] = field(default_factory=lambda: frozen_map({}))
    weights: Mapping[str, float] = field(default_factory=lambda: frozen_map({}))
    minimums: Mapping[str, bool | float] = field(default_factory=lambda: frozen_map(DEFAULT_MINIMUMS))
    limits: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_LIMITS))
    equity_share: float = 0.0
    allow_below_today: bool = False
    frontier: Mapping[str, Any] = field(default_factory=lambda: frozen_map(DEFAULT_FRONTIER))
    league: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_LEAGUE))
    calibration: Mapping[str, float] = field(default_factory=lambda: frozen_map(DEFAULT_CALIBRATION))
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

    def objective_weights(self) -> dict[str, float]:
        """Weight of every outcome in the objective: yuan per unit for ``weighted``, 1 for the
        maximised outcome of ``max_outcome``, none for ``min_cost``."""
        if self.objective == "weighted":
            return dict(self.weights)
        if self.objective == "max_outcome":
            return {self.outcome: 1.0}
        return {}

    def frontier_outcomes(self) -> tuple[str, ...]:
        """The frontier's outcomes (default: the objective's outcome)."""
        return tuple(self.frontier.get("outcomes") or ()) or (self.outcome,)

    def replace(self, **changes) -> OptimizerSettings:
        return _replace(self, **changes)


def _drop_none(v):
    """A sub-section's keys given as None (null) take their defaults: drop them."""
    if isinstance(v, Mapping) and not ({"value", "unit"} & set(v)):
        return {k: x for k, x in v.items() if x is not None}
    return v


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _whole(v) -> bool:
    return _num(v) and float(v) == int(v)


KNOWN = ("solver", "time_limit_s", "gap", "objective", "outcome", "operating_budget", "capital_budget", "budgets",
         "floors", "weights", "minimums", "limits", "equity_share", "allow_below_today", "frontier", "league",
         "calibration", "options")


def resolve_optimizer(cfg: Mapping[str, Any] | None, key: str = "optimizer") -> OptimizerSettings:
    """Check the ``optimizer`` config mapping; raise one InputError naming every bad key.

    Keys given as None (``null`` in YAML) take the default of :class:`OptimizerSettings`.
    """
    cfg = {k: _drop_none(v) for k, v in dict(cfg or {}).items() if v is not None}
    log = ProblemLog()
    for k in cfg:
        if k not in KNOWN:
            log.add(f"{key}.{k}", "", cfg[k], "a known optimizer key: " + ", ".join(sorted(KNOWN)))
    d = OptimizerSettings()

    def choice(name, allowed):
        v = cfg.get(name, getattr(d, name))
        if v not in allowed:
            log.add(f"{key}.{name}", "", v, "one of " + ", ".join(allowed))
        return v

    solver = choice("solver", SOLVERS)
    objective = choice("objective", OBJECTIVES)
    outcome = choice("outcome", tuple(OUTCOMES))
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
    floors = _mapping(log, f"{key}.floors", cfg.get("floors"), OUTCOMES, {}, lambda v: _num(v) and v >= 0,
                      "a level per year >= 0 in the outcome's unit (see optimize/README.md)")
    weights = _weights(log, f"{key}.weights", cfg.get("weights"))
    if objective == "weighted" and not cfg.get("weights"):
        log.add(f"{key}.weights", "", "{}", "objective weighted needs weights in yuan per unit, e.g. "
                "optimizer.weights.survivors={value: 2000000, unit: yuan_per_survivor}")
    minimums = _mapping(log, f"{key}.minimums", cfg.get("minimums"), MINIMUMS, DEFAULT_MINIMUMS,
                        lambda v: isinstance(v, bool) or (_num(v) and v >= 0),
                        "true (the scenario's target), false (off) or a level >= 0")
    limits = _mapping(log, f"{key}.limits", cfg.get("limits"), LIMITS, DEFAULT_LIMITS,
                      lambda v: _num(v) and v >= 0, "a number >= 0")
    for name in INTEGER_LIMITS:
        if _num(v := limits.get(name)) and not _whole(v):
            log.add(f"{key}.limits.{name}", "", v, "a whole number >= 0")
    options = _mapping(log, f"{key}.options", cfg.get("options"), OPTIONS, DEFAULT_OPTIONS,
                       lambda v: _num(v) and v >= 0, "a number >= 0")
    if _num(ft := options.get("flag_tolerance")) and ft <= 0:
        log.add(f"{key}.options.flag_tolerance", "", ft, "a share > 0 (e.g. 0.25)")
    frontier = _frontier(log, f"{key}.frontier", cfg.get("frontier"))
    league = _mapping(log, f"{key}.league", cfg.get("league"), LEAGUE, DEFAULT_LEAGUE,
                      lambda v: _whole(v) and v >= 0, "a whole number >= 0")
    for name in ("aed_step", "care_bed_step", "convert_step", "capital_life_years"):
        if _num(v := league.get(name)) and v < 1:
            log.add(f"{key}.league.{name}", "", v, "a whole number >= 1")
    calibration = _mapping(log, f"{key}.calibration", cfg.get("calibration"), CALIBRATION, DEFAULT_CALIBRATION,
                           lambda v: _num(v) and v > 0, "a number > 0")
    if _num(r := calibration.get("max_rounds")) and not _whole(r):
        log.add(f"{key}.calibration.max_rounds", "", r, "a whole number >= 1")
    eq = cfg.get("equity_share", d.equity_share)
    if not (_num(eq) and 0 <= eq <= 1):
        log.add(f"{key}.equity_share", "", eq, "a share from 0 (off) to 1 of the county's average access")
    below = cfg.get("allow_below_today", d.allow_below_today)
    if not isinstance(below, bool):
        log.add(f"{key}.allow_below_today", "", below, "true or false")
    log.raise_if_any("optimizer settings")
    return OptimizerSettings(
        solver=solver, time_limit_s=float(t), gap=float(gap), objective=objective, outcome=outcome,
        operating_budget=float(money["operating_budget"]), capital_budget=float(money["capital_budget"]),
        budgets=tuple(float(b) for b in budgets), floors=frozen_map({k: float(v) for k, v in floors.items()}),
        weights=frozen_map(weights), minimums=frozen_map(minimums),
        limits=frozen_map({k: float(v) for k, v in limits.items()}), equity_share=float(eq),
        allow_below_today=below, frontier=frozen_map(frontier),
        league=frozen_map({k: int(v) for k, v in league.items()}),
        calibration=frozen_map({k: float(v) for k, v in calibration.items()}),
        options=frozen_map({k: float(v) for k, v in options.items()}),
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


def _weights(log: ProblemLog, key: str, given) -> dict[str, float]:
    """``{outcome: {value: yuan, unit: yuan_per_...}}``: a weight is never a bare number."""
    out: dict[str, float] = {}
    if given is None:
        return out
    if not isinstance(given, Mapping):
        log.add(key, "", given, "a mapping outcome -> {value, unit}")
        return out
    for name, w in given.items():
        where = f"{key}.{name}"
        if name not in OUTCOMES:
            log.add(where, "", w, "one of " + ", ".join(OUTCOMES))
            continue
        unit = WEIGHT_UNITS[name]
        if not isinstance(w, Mapping) or "unit" not in w:
            log.add(where, "", w, f"a value with its unit: {{value: <yuan>, unit: {unit}}}")
            continue
        extra = set(w) - {"value", "unit"}
        if extra:
            log.add(where, "", sorted(extra), "only the keys value and unit")
        if w["unit"] != unit:
            log.add(f"{where}.unit", "", w["unit"], unit)
        value = w.get("value")
        if not (_num(value) and value >= 0):
            log.add(f"{where}.value", "", value, f"yuan >= 0 ({unit.replace('_', ' ')})")
        elif w["unit"] == unit and not extra:
            out[name] = float(value)
    return out


def _frontier(log: ProblemLog, key: str, given) -> dict[str, Any]:
    out = dict(DEFAULT_FRONTIER)
    if given is None:
        return out
    if not isinstance(given, Mapping):
        log.add(key, "", given, "a mapping of " + ", ".join(FRONTIER))
        return out
    for k, v in given.items():
        if k not in FRONTIER:
            log.add(f"{key}.{k}", "", v, "one of " + ", ".join(FRONTIER))
        elif k == "points":
            if not (_whole(v) and v >= 2):
                log.add(f"{key}.points", "", v, "a whole number >= 2")
            else:
                out["points"] = int(v)
        else:
            names = [v] if isinstance(v, str) else v
            if not isinstance(names, (list, tuple)) or not 1 <= len(names) <= 2 or len(set(names)) != len(names):
                log.add(f"{key}.outcomes", "", v, "a list of one or two different outcomes, e.g. [survivors, within_target]")
                continue
            bad = [n for n in names if n not in OUTCOMES]
            for n in bad:
                log.add(f"{key}.outcomes", "", n, "one of " + ", ".join(OUTCOMES))
            if not bad:
                out["outcomes"] = tuple(names)
    return out
