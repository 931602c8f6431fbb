"""Structured-config schemas (plain dataclasses) for the Hydra config groups.

Registered in Hydra's ConfigStore by ``islandcare.hydra_app``; typed so that a misspelled key or a
value of the wrong type fails when the config is composed. Domain checks (a facility that does not
exist, a negative count) happen afterwards in ``scenarios.policy`` and ``scenarios.experiment``,
which turn these into the immutable objects the model uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScenarioConfig:
    """Where the place data comes from (`kind=data`), or a synthetic validation case."""

    name: str = "shengsi"
    kind: str = "data"  # data | mmc | priority | ferry | ward | care
    data_dir: str = "scenarios/shengsi"
    year: int = 2024
    weather: str = "climate"  # climate | calm | closed
    # Synthetic cases (used when kind != data); see scenarios/synthetic.py
    arrival_rate_per_hour: float = 1.0
    servers: int = 1
    mean_service_min: float = 30.0
    service_cv: float = 1.0
    urgent_rate_per_hour: float = 0.0
    headway_min: float = 60.0
    beds: int = 10
    mean_stay_days: float = 5.0
    lang: str = "en"  # the report's default language for this place: en | zh | both (report.lang overrides)


@dataclass
class CircuitVisitConfig:
    team: str = ""
    visits_per_month: float = 1.0
    days_per_visit: int = 1


@dataclass
class PolicyConfig:
    """Resource levels and rules. Empty maps mean 'as in the scenario data' (today)."""

    name: str = "baseline"
    doctors: dict[str, int] = field(default_factory=dict)  # facility -> doctors
    night_doctors: dict[str, int] = field(default_factory=dict)  # facility -> doctors at night
    hospital_beds: dict[str, int] = field(default_factory=dict)  # facility -> beds
    aeds: dict[str, int] = field(default_factory=dict)  # island -> AEDs
    aeds_per_10k: float | None = None  # if set: every island gets this density (never below the map)
    boats: dict[str, int] = field(default_factory=dict)  # base island -> ambulance boats
    care_beds: dict[str, int] = field(default_factory=dict)  # care home -> beds
    carers: dict[str, int] = field(default_factory=dict)  # care home -> certified carers
    carers_per_10k_elderly: float | None = None  # if set: carers scaled to this county ratio
    circuit: dict[str, Any] = field(default_factory=dict)  # island -> {team, visits_per_month, days_per_visit}
    transfer_rule: str = "fastest"  # fastest | boat_first | ferry_only
    helicopter: bool = True
    helicopter_conditions: list[str] | None = None  # None: every urgent condition
    out_of_county_conditions: list[str] = field(default_factory=list)  # always sent out of county
    bed_full_rule: str = "board"  # board | out_of_county
    placement_rule: str = "nearest_hub"  # own_island | nearest_hub | centralised
    care_waitlist: bool = True  # false: a person finding no bed is not placed (loss system)
    care_conversion_cap: int = 0  # hospital beds that may be used as care beds on demand
    postpone_rule: str = "next_day"  # next_day | next_slot | skip
    bystander_cpr_share: float | None = None  # overrides the scenario's share (CPR training)


@dataclass
class ExperimentConfig:
    name: str = "default"
    horizon_days: float = 365.0
    warmup_days: float = 30.0
    replications: int = 5
    seed: int = 20241
    workers: int = 0  # 0: all cores
    reference: str | None = None  # job (override string) to compare against; default the first
    resume: bool = True
    event_log: bool = False
    progress: bool = True
    report: bool = True  # write figures/ and report.html at the end of a run or sweep


@dataclass
class OptimizerConfig:
    """The ``optimizer`` group (checked by ``optimize.settings.resolve_optimizer``; empty maps mean
    the defaults listed in ``conf/optimizer/default.yaml``)."""

    solver: str = "highs"  # highs | cbc
    time_limit_s: float = 60.0
    gap: float = 1e-4  # relative MIP gap
    objective: str = "benefit"  # benefit | min_cost
    operating_budget: float = 20_000_000.0  # yuan per year of extra operating cost
    capital_budget: float = 10_000_000.0  # yuan of one-off spending
    budgets: list[float] = field(default_factory=list)  # frontier: operating budgets to solve
    weights: dict[str, float] = field(default_factory=dict)  # term -> value points per unit
    minimums: dict[str, Any] = field(default_factory=dict)  # minimum -> true (target) | false | level
    limits: dict[str, float] = field(default_factory=dict)  # workforce and site limits
    equity_share: float = 0.0
    allow_below_today: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReportConfig:
    """The ``report`` group (read by ``report.build.write_report``)."""

    lang: str | None = None  # en | zh | both; None: the scenario's lang (Shengsi: both, Chinese first)
    workers: int = 0  # processes drawing figures (0: every usable core)


@dataclass
class AppConfig:
    mode: str = "run"  # run | summary | optimize | frontier | evaluate | report
    input: str | None = None  # report: a run or sweep directory
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    experiment: ExperimentConfig = field(default_factory=ExperimentConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
