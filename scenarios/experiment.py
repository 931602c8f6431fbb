"""The run settings every simulation needs: horizon, warm-up, replications, seed.

:class:`Experiment` is the single source of the defaults: the Hydra schema
(``islandcare.config.ExperimentConfig``) is derived from its fields, and :func:`resolve_experiment`
falls back to them for keys a config leaves out.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from scenarios.errors import ProblemLog

MAX_HORIZON_DAYS = 365 * 100
AUTO = "auto"
MIN_AUTO_REPLICATIONS = 8  # the algorithm's 3 initial replications and its look-ahead of 5


@dataclass(frozen=True)
class Experiment:
    """How a job runs: simulated days, replications, seed, worker processes and switches."""

    name: str = "default"
    # the horizon includes the warm-up: 395 days = one whole year of statistics (every season, and each
    # month once: from 31 January to 30 January) after the 30-day warm-up
    horizon_days: float = 395.0
    warmup_days: float = 30.0  # statistics count patients arriving after the warm-up
    replications: int | str = 5  # a number, or "auto": until `precision` is reached (experiments.replications)
    seed: int = 20241
    workers: int = 0  # processes for the replications; 0: every core this process may use
    reference: str | int | None = None  # sweep: job (number or key=value[,key=value]) to compare against
    resume: bool = True  # a finished job (results on disk, same config hash) is not run again
    event_log: bool = False  # also write events.parquet
    progress: bool = True  # progress bar
    report: bool = True  # write figures/ and report.html at the end of a run or sweep
    # each replication draws its own uncertain inputs from the scenario's ranges (uncertainty.csv; the same
    # draw for every policy of a comparison); intervals then include what the inputs leave unknown
    parameter_uncertainty: bool = False
    precision: float = 0.05  # replications=auto: relative half-width of the 95% interval to reach
    precision_kpis: tuple[str, ...] = ("in_county_share", "within_target_share", "time_to_definitive_care_min_mean")
    max_replications: int = 50  # replications=auto: never more than this

    @property
    def auto_replications(self) -> bool:
        return self.replications == AUTO

    @property
    def horizon_min(self) -> float:
        return self.horizon_days * 1440.0

    @property
    def warmup_min(self) -> float:
        return self.warmup_days * 1440.0


EXPERIMENT_KEYS = tuple(f.name for f in fields(Experiment))
_DEFAULT = Experiment()
_FLAGS = ("resume", "event_log", "progress", "report", "parameter_uncertainty")


def resolve_experiment(cfg: Mapping[str, Any], key: str = "experiment") -> Experiment:
    """Check the experiment keys and fill the missing ones from :class:`Experiment`'s defaults.

    Parameters
    ----------
    cfg : mapping
        The ``experiment`` config group (plain values).
    key : str
        Config prefix used in problem messages.

    Returns
    -------
    Experiment
        ``workers=0`` is resolved to the number of cores this process may use.

    Raises
    ------
    InputError
        Listing every unknown key and bad value, each named ``experiment.<key>``.
    """
    log = ProblemLog()
    for k in cfg:
        if k not in EXPERIMENT_KEYS:
            log.add(f"{key}.{k}", "", cfg[k], "a known experiment key: " + ", ".join(EXPERIMENT_KEYS))
    v = {k: cfg.get(k, getattr(_DEFAULT, k)) for k in EXPERIMENT_KEYS}
    h, w = v["horizon_days"], v["warmup_days"]
    if not _num(h) or not 0 < h <= MAX_HORIZON_DAYS:
        log.add(f"{key}.horizon_days", "", h, f"a number of days > 0 and <= {MAX_HORIZON_DAYS}")
    if not _num(w) or not math.isfinite(w) or w < 0 or (_num(h) and w >= h):  # nan passes every comparison
        log.add(f"{key}.warmup_days", "", w, "a number of days >= 0 and below horizon_days")
    if v["replications"] != AUTO and (not _int(v["replications"]) or v["replications"] < 1):
        log.add(f"{key}.replications", "", v["replications"], "a whole number >= 1, or auto")
    if not _num(v["precision"]) or not 0 < v["precision"] < 1:
        log.add(f"{key}.precision", "", v["precision"], "a relative half-width between 0 and 1 (e.g. 0.05)")
    if not _int(v["max_replications"]) or v["max_replications"] < MIN_AUTO_REPLICATIONS:
        log.add(f"{key}.max_replications", "", v["max_replications"],
                f"a whole number >= {MIN_AUTO_REPLICATIONS} (3 replications and a look-ahead of 5)")
    kpis = v["precision_kpis"]
    if isinstance(kpis, str) or not isinstance(kpis, (list, tuple)) or not kpis or \
            not all(isinstance(k, str) and k for k in kpis):
        log.add(f"{key}.precision_kpis", "", kpis, "a list of KPI names metric[:condition], e.g. [in_county_share]")
    if not _int(v["seed"]) or v["seed"] < 0:
        log.add(f"{key}.seed", "", v["seed"], "a whole number >= 0")
    if not _int(v["workers"]) or v["workers"] < 0:
        log.add(f"{key}.workers", "", v["workers"], "a whole number >= 0 (0 = all cores)")
    if not isinstance(v["name"], str) or not v["name"]:
        log.add(f"{key}.name", "", v["name"], "a non-empty name")
    ref = v["reference"]
    if ref is not None and (isinstance(ref, bool) or not isinstance(ref, (str, int))):
        log.add(f"{key}.reference", "", ref, "a job number or key=value[,key=value] of a sweep job")
    for flag in _FLAGS:
        if not isinstance(v[flag], bool):
            log.add(f"{key}.{flag}", "", v[flag], "true or false")
    log.raise_if_any("experiment settings")
    return Experiment(**{**v, "horizon_days": float(h), "warmup_days": float(w),
                         "workers": int(v["workers"]) or available_cores(), "precision": float(v["precision"]),
                         "precision_kpis": tuple(v["precision_kpis"])})


# Cores a scheduler gave the job, when it does not also bind the process to them (SLURM with
# TaskPlugin=task/none): then the affinity mask shows the whole node.
ALLOCATED_CORES_VARIABLES = ("SLURM_CPUS_PER_TASK",)


def available_cores() -> int:
    """Cores this process may use: those it is bound to (a cluster scheduler's allocation), and at
    most what the scheduler says it allocated when it does not bind (``ALLOCATED_CORES_VARIABLES``,
    the first that is set)."""
    try:
        cores = len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    for name in ALLOCATED_CORES_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(cores, int(value))
    return cores


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
