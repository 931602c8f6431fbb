"""Structured-config schemas (plain dataclasses) for the Hydra config groups.

Registered in Hydra's ConfigStore by ``islandcare.hydra_app``; typed so that a misspelled key or a
value of the wrong type fails when the config is composed. Domain checks (a facility that does not
exist, a negative count) happen afterwards in the one validation step, ``scenarios.validate``.

Settings are defined once, in the frozen records the model uses:

- ``ScenarioConfig`` and ``ExperimentConfig`` are *derived* from ``scenarios.settings.ScenarioSettings``
  and ``scenarios.experiment.Experiment`` (same fields, same defaults); a new setting is added there;
- ``PolicyConfig`` reads its rules' defaults from ``scenarios.policy.Policy``; its resource maps are
  empty (empty = as in the scenario data), so it is written out here;
- ``OptimizerConfig`` names every key of ``optimize.settings.OptimizerSettings`` with a null default
  (= the record's default; importing ``optimize`` here would load the solver libraries on every
  start); ``tests/unit/test_config.py`` and ``tests/unit/test_optimize_settings.py`` check the names.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any

from scenarios.experiment import Experiment
from scenarios.policy import Policy
from scenarios.sensitivity import SensitivitySettings
from scenarios.settings import ScenarioSettings


def schema_of(record: type, name: str, types: dict[str, Any] | None = None) -> type:
    """A Hydra structured-config dataclass with the fields and defaults of a frozen ``record``.

    Parameters
    ----------
    record : dataclass type
        Every field must have a plain (immutable) default.
    name : str
        Name of the new class.
    types : dict, optional
        Field name -> annotation OmegaConf can hold, where the record's cannot be (e.g. a union of
        ``str`` and ``int``).
    """
    hints = typing.get_type_hints(record)
    specs = []
    for f in dataclasses.fields(record):
        if f.default is dataclasses.MISSING:
            raise TypeError(f"{record.__name__}.{f.name} has no plain default to derive a schema from")
        specs.append((f.name, (types or {}).get(f.name, hints[f.name]), field(default=f.default)))
    cls = dataclasses.make_dataclass(name, specs)
    cls.__module__ = __name__
    cls.__doc__ = f"The config group of ``{record.__module__}.{record.__name__}`` (derived from it)."
    return cls


ScenarioConfig = schema_of(ScenarioSettings, "ScenarioConfig")
ExperimentConfig = schema_of(Experiment, "ExperimentConfig", types={"reference": str | None})
SensitivityConfig = schema_of(SensitivitySettings, "SensitivityConfig")


@dataclass
class PolicyConfig:
    """Resource levels and rules. Empty maps mean 'as in the scenario data' (today)."""

    name: str = Policy.name
    doctors: dict[str, int] = field(default_factory=dict)  # facility -> doctors
    night_doctors: dict[str, int] = field(default_factory=dict)  # facility -> doctors at night
    hospital_beds: dict[str, int] = field(default_factory=dict)  # facility -> beds
    aeds: dict[str, int] = field(default_factory=dict)  # island -> AEDs
    aeds_per_10k: float | None = None  # if set: every island gets this density (never below the map)
    boats: dict[str, int] = field(default_factory=dict)  # base island -> boats of the base's boats.csv kind
    dedicated_boats: dict[str, int] = field(default_factory=dict)  # base island -> dedicated boats added
    care_beds: dict[str, int] = field(default_factory=dict)  # care home -> beds
    carers: dict[str, int] = field(default_factory=dict)  # care home -> certified carers
    carers_per_10k_elderly: float | None = None  # if set: carers scaled to this county ratio
    circuit: dict[str, Any] = field(default_factory=dict)  # island -> {team, visits_per_month, days_per_visit}
    transfer_rule: str = Policy.transfer_rule  # fastest | boat_first | ferry_only
    helicopter: bool = Policy.helicopter
    helicopter_conditions: list[str] | None = None  # None: every time-critical urgent condition
    out_of_county_conditions: list[str] = field(default_factory=list)  # always sent out of county
    bed_full_rule: str = Policy.bed_full_rule  # board | out_of_county
    placement_rule: str = Policy.placement_rule  # own_island | nearest_hub | centralised
    care_waitlist: bool = Policy.care_waitlist  # false: a person finding no bed is not placed (loss system)
    care_conversion_cap: int = Policy.care_conversion_cap  # hospital beds usable as care beds on demand
    postpone_rule: str = Policy.postpone_rule  # next_day | next_slot | skip
    bystander_cpr_share: float | None = Policy.bystander_cpr_share  # overrides the scenario's share
    helicopter_activation_min: float | None = Policy.helicopter_activation_min  # overrides the scenario's


# The optimizer group's sub-sections, one field per key so that ``optimizer.floors.within_target=1280``
# needs no ``+``. Every field defaults to null: the default of ``optimize.settings.OptimizerSettings``
# (the single source of the optimiser's defaults); tests/unit/test_optimize_settings.py checks that the
# names here are those of optimize.settings (not imported here: it would load the solvers on every start).
@dataclass
class OutcomeValues:
    survivors: Any = None
    within_target: Any = None
    delay_hours_avoided: Any = None
    consultations_no_doctor: Any = None
    placed_in_care: Any = None
    hospital_bed_found: Any = None


@dataclass
class OptimizerMinimums:
    doctors_per_1000: Any = None
    aeds_per_10k: Any = None
    carers_per_10k_elderly: Any = None
    circuit_visits_per_month: Any = None


@dataclass
class OptimizerLimits:
    doctors_hire: Any = None
    carers_hire: Any = None
    aeds_add_per_island: Any = None
    boats_add_per_base: Any = None
    care_beds_add_per_home: Any = None
    visits_per_month_max: Any = None
    team_days_per_month: Any = None
    convert_hospital_beds: Any = None


@dataclass
class OptimizerFrontier:
    outcomes: Any = None  # [one outcome] or [two] (a Pareto front)
    points: Any = None


@dataclass
class OptimizerLeague:
    aed_step: Any = None
    care_bed_step: Any = None
    convert_step: Any = None
    capital_life_years: Any = None
    simulate: Any = None


@dataclass
class OptimizerCalibration:
    max_rounds: Any = None
    max_scale: Any = None


@dataclass
class OptimizerOptions:
    flag_tolerance: Any = None
    cost_tiebreak: Any = None
    balance_tiebreak: Any = None


@dataclass
class OptimizerConfig:
    """The ``optimizer`` group, checked by ``optimize.settings.resolve_optimizer``; null = the default of
    ``OptimizerSettings`` (``conf/optimizer/default.yaml`` documents them)."""

    solver: Any = None  # highs | cbc
    time_limit_s: Any = None
    gap: Any = None  # relative MIP gap
    objective: Any = None  # max_outcome | min_cost | weighted
    outcome: Any = None  # survivors | within_target | delay_hours_avoided | consultations_no_doctor | placed_in_care
    operating_budget: Any = None  # yuan per year of extra operating cost
    capital_budget: Any = None  # yuan of one-off spending
    budgets: Any = None  # frontier: operating budgets to solve (list)
    floors: OutcomeValues = field(default_factory=OutcomeValues)  # outcome -> level per year
    weights: OutcomeValues = field(default_factory=OutcomeValues)  # outcome -> {value: yuan, unit: yuan_per_...}
    minimums: OptimizerMinimums = field(default_factory=OptimizerMinimums)  # true (target) | false | level
    limits: OptimizerLimits = field(default_factory=OptimizerLimits)
    equity_share: Any = None
    allow_below_today: Any = None
    frontier: OptimizerFrontier = field(default_factory=OptimizerFrontier)
    league: OptimizerLeague = field(default_factory=OptimizerLeague)
    calibration: OptimizerCalibration = field(default_factory=OptimizerCalibration)
    options: OptimizerOptions = field(default_factory=OptimizerOptions)


@dataclass
class ReportConfig:
    """The ``report`` group (read by ``report.build.write_report``)."""

    lang: str | None = None  # en | zh | both; None: the scenario's lang (Shengsi: both, Chinese first)
    workers: int = 0  # processes drawing figures (0: every usable core)


@dataclass
class AppConfig:
    mode: str = "run"  # run | summary | optimize | frontier | evaluate | calibrate | report | sensitivity
    input: str | None = None  # report: a run or sweep directory
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)  # type: ignore[valid-type]
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    experiment: ExperimentConfig = field(default_factory=ExperimentConfig)  # type: ignore[valid-type]
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    sensitivity: SensitivityConfig = field(default_factory=SensitivityConfig)  # type: ignore[valid-type]
