"""Experiment settings: defaults, and every bad key names ``experiment.<key>``."""

from __future__ import annotations

import os

import pytest

from scenarios.errors import InputError
from scenarios.experiment import resolve_experiment


def problems(cfg) -> list:
    with pytest.raises(InputError) as e:
        resolve_experiment(cfg)
    return e.value.problems


def test_values_are_taken_and_converted():
    e = resolve_experiment({"horizon_days": 100, "warmup_days": 10, "replications": 3, "seed": 7, "workers": 2})
    assert (e.horizon_days, e.warmup_days, e.replications, e.seed, e.workers) == (100.0, 10.0, 3, 7, 2)
    assert e.horizon_min == 100 * 1440 and e.warmup_min == 10 * 1440


def test_zero_workers_means_every_core_we_may_use():
    # the cores of this process (a cluster job may be given fewer than the node has)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert resolve_experiment({"workers": 0}).workers == cores


def test_warmup_not_below_horizon():
    for warmup in (365, 400):
        (p,) = problems({"horizon_days": 365, "warmup_days": warmup})
        assert p.place == "experiment.warmup_days" and "below horizon_days" in p.expected


def test_zero_replications():
    (p,) = problems({"replications": 0})
    assert p.place == "experiment.replications" and p.value == "0"


@pytest.mark.parametrize("key, value", [
    ("horizon_days", 0), ("horizon_days", -5), ("horizon_days", float("inf")), ("horizon_days", float("nan")),
    ("horizon_days", "a year"), ("warmup_days", -1), ("warmup_days", float("nan")), ("replications", 2.5),
    ("replications", True), ("seed", -1), ("seed", 1.5), ("workers", -2),
])
def test_bad_value_names_its_key(key, value):
    ps = problems({key: value})
    assert f"experiment.{key}" in {p.place for p in ps}


def test_all_experiment_problems_together():
    ps = problems({"horizon_days": 10, "warmup_days": 20, "replications": 0, "seed": -3})
    assert {p.place for p in ps} == {"experiment.warmup_days", "experiment.replications", "experiment.seed"}
