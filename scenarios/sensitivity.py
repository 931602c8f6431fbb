"""Settings of a sensitivity analysis (``conf/sensitivity/``), checked into a frozen record.

``resolve_sensitivity`` checks the ``sensitivity`` keys against the scenario's ranges and the KPI
names the simulation writes, collecting every problem: an unknown parameter or KPI, a design too
small for its method. ``resolve_ranges`` reads the ranges themselves (the scenario folder's
``uncertainty.csv``, another file, or rows in the configuration) and checks that the scenario still
loads with every range at its low end and at its high end.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from scenarios.errors import InputError, Problem, ProblemLog
from scenarios.model import Scenario
from scenarios.uncertainty import FILE, SyntheticValues, TableValues, Uncertainty, read_uncertainty
from scenarios.units import ALL, ARREST, DAYS_PER_YEAR

METHODS = ("morris", "sobol")
SCENARIO_TABLES = ("islands", "facilities", "care_homes", "destinations", "sea_links", "modes", "boats",
                   "weather_areas", "weather_months", "conditions", "outcome_curves", "time_of_day", "care_need",
                   "circuit_teams", "circuit_schedule", "costs", "targets", "parameters")

# Every metric of the KPI table (README, 'Outputs'), and those that are counts over the measured period
# (a sensitivity KPI shows them per year, so that designs of different horizons compare).
METRICS = (
    "aeds_per_10k", "arrivals", "backlog_abandoned", "backlog_mean", "bed_blocked_count", "bed_occupancy_mean",
    "bed_occupancy_share", "boat_utilization", "care_abandoned", "care_converted_placements", "care_demand",
    "care_not_placed", "care_occupancy_mean", "care_occupancy_share", "care_placed", "care_placed_own_island_share",
    "care_relocated_share", "care_relocation_km_mean", "care_usable_beds", "care_wait_days_mean",
    "care_waitlist_mean", "carers_per_10k_elderly", "completed", "days_between_visits_max", "died",
    "doctor_utilization", "escalations", "expected_survival", "ferry_wait_min_mean", "followups_within_30d_share",
    "hospital_beddays_blocked_by_care", "in_county_share", "in_system_end", "left_without_care",
    "monthly_visit_compliance", "ohca_count", "ohca_expected_survivors", "ohca_shock_within_5min_share",
    "team_utilization", "time_to_definitive_care_min_mean", "time_to_definitive_care_min_p90", "transfers_boat",
    "transfers_ferry", "transfers_helicopter", "transfers_out_of_county", "unserved", "visits_made",
    "visits_planned", "wait_min_mean", "weather_delay_min_mean", "within_target_share",
)
COUNTS = frozenset({
    "arrivals", "completed", "backlog_abandoned", "bed_blocked_count", "care_abandoned", "care_converted_placements",
    "care_demand", "care_not_placed", "care_placed", "died", "escalations", "hospital_beddays_blocked_by_care",
    "left_without_care", "ohca_count", "ohca_expected_survivors", "transfers_boat", "transfers_ferry",
    "transfers_helicopter", "transfers_out_of_county", "unserved", "visits_made", "visits_planned",
})
DEFAULT = "default"


@dataclass(frozen=True)
class Kpi:
    """One output a sensitivity analysis explains: ``metric`` for ``condition``, county-wide."""

    metric: str
    condition: str = ALL

    @property
    def name(self) -> str:
        return self.metric if self.condition == ALL else f"{self.metric}:{self.condition}"

    @property
    def per_year(self) -> bool:
        return self.metric in COUNTS

    @classmethod
    def parse(cls, text: str) -> Kpi:
        metric, _, condition = str(text).strip().partition(":")
        return cls(metric, condition or ALL)


def default_kpis(scenario: Scenario) -> list[Kpi]:
    """The planner's list: in-county share; time to definitive care and within-target share of each
    time-critical condition; weather delay; cardiac-arrest survivors; care waiting list; circuit
    visit compliance (those the scenario can produce)."""
    from scenarios.policy import time_critical

    out = [Kpi("in_county_share")]
    for c in time_critical(scenario):
        out += [Kpi("time_to_definitive_care_min_mean", c), Kpi("within_target_share", c)]
    out.append(Kpi("weather_delay_min_mean"))
    if ARREST in scenario.condition_ids:
        out.append(Kpi("ohca_expected_survivors", ARREST))
    if scenario.care_homes:
        out.append(Kpi("care_waitlist_mean"))
    if scenario.circuit_schedule:
        out.append(Kpi("monthly_visit_compliance"))
    if len(out) == 2:  # a synthetic case without the planner's outputs: its queue
        out += [Kpi("wait_min_mean"), Kpi("time_to_definitive_care_min_mean")]
    return out


@dataclass(frozen=True)
class SensitivitySettings:
    """The ``sensitivity`` keys as configured, with their defaults (the single source: the Hydra
    schema ``islandcare.config.SensitivityConfig`` is derived from these fields)."""

    method: str = "morris"  # morris (screening) | sobol (variance-based indices)
    uncertainty: str | None = None  # CSV of ranges; None: the data folder's uncertainty.csv
    ranges: tuple[dict[str, Any], ...] = ()  # more ranges: rows {table, key, column, low, high, distribution, source[, group]}
    parameters: tuple[str, ...] = ()  # factors to vary (group names, keys, table:key:column); empty: all
    kpis: tuple[str, ...] = (DEFAULT,)  # metric[:condition]; 'default': the planner's list
    trajectories: int = 10  # Morris: r trajectories -> r x (factors + 1) points
    levels: int = 4  # Morris grid levels
    samples: int = 64  # Sobol: N (a power of 2) -> N x (factors + 2) points
    screening: str | None = None  # Sobol: a Morris result folder whose top factors are varied
    top: int = 5  # Sobol: how many of the screening's top factors
    replications: int = 1  # per design point (the same seeds at every point)
    noise_replications: int = 10  # replications at the table's values: the KPIs' run-to-run spread (0: none)
    seed: int = 20241  # of the design (sampling); replication seeds come from experiment.seed
    horizon_days: float | None = 180.0  # simulated days per point (None: the experiment's)
    warmup_days: float | None = 30.0
    resamples: int = 1000  # bootstrap resamples for the intervals of the indices
    conf_level: float = 0.95
    shard: int = 0  # this job runs the points i with i % shards == shard (cluster sweeps)
    shards: int = 1
    dir: str | None = None  # the analysis folder (None: this job's output folder)


D = SensitivitySettings()
SENSITIVITY_KEYS = tuple(f.name for f in fields(SensitivitySettings))


def check_sensitivity_keys(cfg: Mapping[str, Any]) -> list[Problem]:
    """Unknown ``sensitivity`` keys (a misspelling added with ``++``), checked in every mode: a
    misspelt key must not leave its default in force unnoticed."""
    g = cfg.get("sensitivity")
    g = g if isinstance(g, Mapping) else {}  # not a mapping: scenarios.validate says so
    return [Problem(f"sensitivity.{k}", "", str(v), "a known sensitivity key: " + ", ".join(SENSITIVITY_KEYS))
            for k, v in g.items() if k not in SENSITIVITY_KEYS]


@dataclass(frozen=True)
class Sensitivity:
    """A checked sensitivity design (see ``conf/sensitivity/default.yaml`` for every key)."""

    method: str
    factors: tuple[str, ...]  # names of the factors varied (all of the scenario's ranges by default)
    kpis: tuple[Kpi, ...]
    trajectories: int  # Morris: r trajectories -> r x (factors + 1) design points
    levels: int  # Morris grid levels
    samples: int  # Sobol: N -> N x (factors + 2) design points
    screening: str | None  # Sobol: a Morris result folder whose top factors are varied
    top: int  # Sobol: how many of them
    replications: int  # per design point, the same seeds at every point
    noise_replications: int  # at the table's values, for the noise floor of mu* (0: none)
    seed: int  # of the design (the sampling); replications use experiment.seed
    horizon_days: float | None  # None: the experiment's
    warmup_days: float | None
    resamples: int  # bootstrap resamples for the intervals of mu* / the Sobol indices
    conf_level: float
    shard: int  # this job runs the points i with i % shards == shard (cluster sweeps)
    shards: int
    dir: str | None  # where points and results go (None: this job's output folder)


def resolve_ranges(scenario_cfg: Mapping[str, Any], sens_cfg: Mapping[str, Any], cwd: Path | None,
                   load: Callable[[Mapping], object], log: ProblemLog | None = None) -> Uncertainty:
    """The scenario's ranges: ``sensitivity.uncertainty`` (a CSV; default the data folder's
    ``uncertainty.csv``) plus ``sensitivity.ranges``; ``load(overrides)`` (the scenario, or the whole
    validation with the policy) must pass at both ends of them.

    Problems go to ``log`` when given (the caller raises); otherwise one InputError is raised."""
    from scenarios.loader import resolve_data_dir

    own = log is None
    log = ProblemLog() if log is None else log
    before = len(log.problems)
    given = sens_cfg.get("uncertainty")
    extra = list(sens_cfg.get("ranges") or [])
    if not all(isinstance(r, Mapping) for r in extra):
        log.add("sensitivity.ranges", "", extra, "a list of rows {table, key, column, low, high, distribution, source}")
        extra = []
    if scenario_cfg.get("kind", "data") == "data":
        folder = resolve_data_dir(scenario_cfg.get("data_dir", "scenarios/shengsi"), cwd)
        values: TableValues = TableValues(folder, SCENARIO_TABLES)
        path, root = folder / FILE, folder.parent
    else:
        values, path, root = SyntheticValues(scenario_cfg), Path(FILE), None
        if not given:
            path = Path("/nonexistent") / FILE  # a synthetic case has ranges only in the configuration
    if given:
        path = Path(str(given)).expanduser()
        path = path if path.is_absolute() else (cwd or Path.cwd()) / path
        if not path.is_file():
            log.add("sensitivity.uncertainty", "", given, "an existing CSV file of ranges")
    u = read_uncertainty(path, log, values, label_root=root, extra=extra, required=bool(given))
    for end, q in (("low", 0.0), ("high", 1.0)):
        if len(log.problems) > before:
            break  # the loads would only repeat the problems of the ranges
        try:
            load(u.overrides({n: q for n in u.names}))
        except InputError as e:
            for p in e.problems:
                log.add(p.place, p.column, p.value, f"{p.expected} (with every range at its {end} end)")
    if own:
        log.raise_if_any("ranges (uncertainty.csv)")
    return u


def resolve_sensitivity(cfg: Mapping[str, Any], uncertainty: Uncertainty, scenario: Scenario,
                        key: str = "sensitivity", log: ProblemLog | None = None) -> Sensitivity | None:
    """Check the ``sensitivity`` keys; problems go to ``log`` when given (then None is returned if
    there were any), otherwise one InputError lists them all."""
    own = log is None
    log = ProblemLog() if log is None else log
    before = len(log.problems)
    method = cfg.get("method", D.method)
    if method not in METHODS:
        log.add(f"{key}.method", "", method, "one of " + ", ".join(METHODS))
    names = uncertainty.names
    wanted = [str(p) for p in (cfg.get("parameters") or [])]
    for p in wanted:
        if p not in names:
            shown = ", ".join(names[:15]) + (", …" if len(names) > 15 else "")
            log.add(f"{key}.parameters", "", p, f"a factor of the ranges ({shown})" if names else "a factor (no ranges given)")
    factors = tuple(dict.fromkeys(wanted)) if wanted else names
    if not factors:
        log.add(f"{key}.parameters", "", "", "at least one range to vary (uncertainty.csv or sensitivity.ranges)")
    kpis = _kpis(cfg.get("kpis") or list(D.kpis), scenario, log, f"{key}.kpis")
    ints = {k: cfg.get(k, getattr(D, k)) for k in ("trajectories", "levels", "samples", "top", "replications", "seed",
                                                   "resamples", "shard", "shards", "noise_replications")}
    for k, v in ints.items():
        if not _int(v) or v < 0:
            log.add(f"{key}.{k}", "", v, "a whole number >= 0")
    if all(_int(v) and v >= 0 for v in ints.values()):
        _design_size(log, key, method, ints, len(factors), cfg.get("screening"))
    level = cfg.get("conf_level", D.conf_level)
    if not _num(level) or not 0 < level < 1:
        log.add(f"{key}.conf_level", "", level, "a number between 0 and 1 (e.g. 0.95)")
    horizon, warmup = cfg.get("horizon_days", D.horizon_days), cfg.get("warmup_days", D.warmup_days)
    for k, v in (("horizon_days", horizon), ("warmup_days", warmup)):
        if v is not None and (not _num(v) or v < 0 or (k == "horizon_days" and v == 0)):
            log.add(f"{key}.{k}", "", v, "a number of days (or null: the experiment's)")
    if own:
        log.raise_if_any("sensitivity settings")
    elif len(log.problems) > before:
        return None
    return Sensitivity(
        method=method, factors=factors, kpis=tuple(kpis), trajectories=ints["trajectories"], levels=ints["levels"],
        samples=ints["samples"], screening=cfg.get("screening"), top=ints["top"], replications=ints["replications"],
        noise_replications=ints["noise_replications"],
        seed=ints["seed"], horizon_days=None if horizon is None else float(horizon),
        warmup_days=None if warmup is None else float(warmup), resamples=ints["resamples"],
        conf_level=float(level), shard=ints["shard"], shards=ints["shards"], dir=cfg.get("dir"),
    )


def check_kpis(given, scenario: Scenario, log: ProblemLog, key: str) -> list[Kpi]:
    """KPI names ``metric[:condition]`` (or ``default``) checked against the metrics the simulation
    writes and the scenario's conditions; each bad one is a problem naming ``key``."""
    return _kpis(given, scenario, log, key)


def _kpis(given, scenario: Scenario, log: ProblemLog, key: str) -> list[Kpi]:
    out: list[Kpi] = []
    conditions = (ALL, *scenario.condition_ids)
    for item in given if isinstance(given, (list, tuple)) else [given]:
        if str(item) == DEFAULT:
            out += default_kpis(scenario)
            continue
        k = Kpi.parse(str(item))
        if k.metric not in METRICS:
            log.add(key, "", item, "metric[:condition] with a metric of the KPI table (README, 'Outputs')")
        elif k.condition not in conditions:
            log.add(key, "", item, f"metric[:condition] with a condition of the scenario ({', '.join(conditions)})")
        else:
            out.append(k)
    return list(dict.fromkeys(out))


def _design_size(log: ProblemLog, key: str, method: str, v: Mapping[str, int], factors: int, screening) -> None:
    if v["replications"] < 1:
        log.add(f"{key}.replications", "", v["replications"], "at least 1 replication per design point")
    if v["shards"] < 1 or v["shard"] >= max(v["shards"], 1):
        log.add(f"{key}.shard", "", f"{v['shard']} of {v['shards']}", "0 <= shard < shards, shards >= 1")
    if v["noise_replications"] == 1:
        log.add(f"{key}.noise_replications", "", 1, "0 (no noise floor) or at least 2 replications")
    if v["resamples"] < 100:
        log.add(f"{key}.resamples", "", v["resamples"], "at least 100 bootstrap resamples")
    if method == "morris":
        if v["trajectories"] < 4:
            log.add(f"{key}.trajectories", "", v["trajectories"],
                    "at least 4 Morris trajectories (mu* and its interval come from their spread; 10 or more is usual)")
        if v["levels"] < 2 or v["levels"] % 2:
            log.add(f"{key}.levels", "", v["levels"], "an even number of grid levels >= 2 (4 is usual)")
    elif method == "sobol":
        n = v["samples"]
        if n < 16 or n & (n - 1):
            log.add(f"{key}.samples", "", n, "a power of two >= 16 (Sobol' sequence; 64 or more is usual)")
        if not screening and factors < 2:
            log.add(f"{key}.parameters", "", factors, "at least 2 factors for Sobol indices")
        if screening and v["top"] < 2:
            log.add(f"{key}.top", "", v["top"], "at least 2 of the screening's top factors")


def per_year_factor(horizon_days: float, warmup_days: float) -> float:
    """Multiplier from counts over the measured period to counts per year."""
    days = horizon_days - warmup_days
    return DAYS_PER_YEAR / days if days > 0 else math.nan


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
