"""The run settings every simulation needs: horizon, warm-up, replications, seed."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scenarios.errors import ProblemLog

MAX_HORIZON_DAYS = 365 * 100


@dataclass(frozen=True)
class Experiment:
    name: str = "default"
    horizon_days: float = 365.0
    warmup_days: float = 30.0
    replications: int = 5
    seed: int = 20241
    workers: int = 1
    reference: str | int | None = None
    resume: bool = True
    event_log: bool = False
    progress: bool = True
    report: bool = True

    @property
    def horizon_min(self) -> float:
        return self.horizon_days * 1440.0

    @property
    def warmup_min(self) -> float:
        return self.warmup_days * 1440.0


def resolve_experiment(cfg: Mapping[str, Any], key: str = "experiment") -> Experiment:
    """Check the experiment keys; ``workers=0`` means every core of this machine."""
    log = ProblemLog()
    h, w = cfg.get("horizon_days", 365.0), cfg.get("warmup_days", 0.0)
    if not _num(h) or not 0 < h <= MAX_HORIZON_DAYS:
        log.add(f"{key}.horizon_days", "", h, f"a number of days > 0 and <= {MAX_HORIZON_DAYS}")
    if not _num(w) or not math.isfinite(w) or w < 0 or (_num(h) and w >= h):  # nan passes every comparison
        log.add(f"{key}.warmup_days", "", w, "a number of days >= 0 and below horizon_days")
    reps = cfg.get("replications", 1)
    if not _int(reps) or reps < 1:
        log.add(f"{key}.replications", "", reps, "a whole number >= 1")
    seed = cfg.get("seed", 0)
    if not _int(seed) or seed < 0:
        log.add(f"{key}.seed", "", seed, "a whole number >= 0")
    workers = cfg.get("workers", 0)
    if not _int(workers) or workers < 0:
        log.add(f"{key}.workers", "", workers, "a whole number >= 0 (0 = all cores)")
    log.raise_if_any("experiment settings")
    return Experiment(
        name=str(cfg.get("name", "default")), horizon_days=float(h), warmup_days=float(w), replications=int(reps),
        seed=int(seed), workers=int(workers) or available_cores(), reference=cfg.get("reference"),
        resume=bool(cfg.get("resume", True)), event_log=bool(cfg.get("event_log", False)),
        progress=bool(cfg.get("progress", True)), report=bool(cfg.get("report", True)),
    )


def available_cores() -> int:
    """Cores this process may use (those a cluster scheduler allocated, not all of the node's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
