"""Helpers for the simulation validation tests: build a case through the ordinary validation step, run
replications, and compare a per-replication metric with a known answer.

Every comparison uses the 95% t-interval over replications (``experiments.summary.t_interval``) and
also demands that the interval be narrow (``max_rel_halfwidth``): an interval wide enough to contain
any answer would make the test unable to fail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from experiments.runner import run_replications
from experiments.summary import t_interval
from islandcare.config import ScenarioConfig
from scenarios.validate import Validated, validate

ALL = "all"


def config(scenario: Mapping[str, Any], *, horizon_days: float, warmup_days: float, replications: int,
           seed: int = 20241, policy: Mapping[str, Any] | None = None, workers: int = 1) -> dict:
    """A composed config as Hydra would hand it over: scenario defaults from ``ScenarioConfig``."""
    sc = dataclasses.asdict(ScenarioConfig())
    sc.update(scenario)
    return {
        "scenario": sc,
        "policy": dict(policy or {}),
        "experiment": {"horizon_days": float(horizon_days), "warmup_days": float(warmup_days),
                       "replications": int(replications), "seed": int(seed), "workers": int(workers),
                       "progress": False, "resume": False},
    }


def synthetic(kind: str, *, horizon_days: float, warmup_days: float, replications: int, seed: int = 20241,
              policy: Mapping[str, Any] | None = None, workers: int = 2, **settings) -> Validated:
    """A synthetic validation case (``scenario.kind``), always-calm weather unless ``weather`` is given."""
    scenario = {"name": kind, "kind": kind, "weather": "calm", **settings}
    return validate(config(scenario, horizon_days=horizon_days, warmup_days=warmup_days,
                           replications=replications, seed=seed, policy=policy, workers=workers))


def run(v: Validated) -> pd.DataFrame:
    """All replications' KPI rows (tidy, with the replication column)."""
    return run_replications(v.scenario, v.policy, v.experiment).kpis


def values(kpis: pd.DataFrame, metric: str, island: str = ALL, condition: str = ALL) -> np.ndarray:
    """One value per replication, in replication order (fails if a replication lacks the row)."""
    rows = kpis[(kpis.island == island) & (kpis.condition == condition) & (kpis.metric == metric)]
    reps = sorted(kpis.replication.unique())
    assert sorted(rows.replication) == reps, f"{island}/{condition}/{metric}: one row per replication expected"
    return rows.sort_values("replication").value.to_numpy(dtype=float)


@dataclasses.dataclass(frozen=True)
class Check:
    label: str
    theory: float
    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        half = (self.high - self.low) / 2
        return (f"{self.label}: theory {self.theory:.5g}, simulation {self.mean:.5g} "
                f"[{self.low:.5g}, {self.high:.5g}] (half-width {half:.3g}, n={self.n})")


def assert_in_ci(per_rep: np.ndarray, theory: float, label: str, *, max_rel_halfwidth: float,
                 level: float = 0.95, slack: float = 0.0) -> Check:
    """Theory inside the replications' t-interval (widened by ``slack``, for a known discretisation),
    and the interval no wider than ``max_rel_halfwidth`` × theory on each side."""
    mean, low, high, n = t_interval(per_rep, level)
    check = Check(label, theory, mean, low, high, n)
    assert n >= 2, f"{check}: need at least two replications"
    assert low - slack <= theory <= high + slack, f"theory outside the {level:.0%} interval. {check}"
    assert (high - low) / 2 <= max_rel_halfwidth * abs(theory), (
        f"interval too wide to catch an error of {max_rel_halfwidth:.0%}: {check}")
    print(check)
    return check
