"""Replications in worker processes: results independent of the worker count; summaries."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from experiments.runner import run_replications
from experiments.summary import paired_difference, summarise, t_interval
from scenarios.experiment import Experiment
from scenarios.policy import resolve_policy


def test_same_results_with_one_or_two_workers(tiny):
    exp = Experiment(horizon_days=20, warmup_days=2, replications=3, seed=9, workers=1, progress=False)
    policy = resolve_policy(tiny, {"name": "b"})
    one = run_replications(tiny, policy, exp)
    two = run_replications(tiny, policy, replace(exp, workers=2))
    pd.testing.assert_frame_equal(one.kpis, two.kpis)
    pd.testing.assert_frame_equal(one.daily, two.daily)
    assert sorted(one.kpis.replication.unique()) == [0, 1, 2]
    # replications differ from each other (each has its own streams)
    arr = one.kpis[(one.kpis.metric == "arrivals") & (one.kpis.island == "all") & (one.kpis.condition == "all")]
    assert arr["value"].nunique() == 3


def test_t_interval_matches_hand_computation():
    mean, lo, hi, n = t_interval(np.array([1.0, 2.0, 3.0, 4.0]))
    # sd = 1.2910, t(0.975, 3) = 3.1824, half = 3.1824 * 1.2910 / 2 = 2.0542
    assert (mean, n) == (2.5, 4)
    assert lo == pytest.approx(2.5 - 2.0542, abs=1e-3) and hi == pytest.approx(2.5 + 2.0542, abs=1e-3)
    assert np.isnan(t_interval(np.array([5.0]))[1])
    assert t_interval(np.array([np.nan, np.nan]))[3] == 0


def test_summarise_and_paired_difference():
    rows = [(r, "a", "x", "m", v) for r, v in enumerate([1.0, 2.0, 3.0])]
    job = pd.DataFrame(rows, columns=["replication", "island", "condition", "metric", "value"])
    ref = job.assign(value=job["value"] - [0.9, 1.0, 1.1])
    s = summarise(job)
    assert list(s.columns) == ["island", "condition", "metric", "mean", "ci_low", "ci_high", "n", "too_wide"]
    assert s["mean"].iloc[0] == 2.0 and s["n"].iloc[0] == 3
    d = paired_difference(job, ref)
    assert d["difference"].iloc[0] == pytest.approx(1.0)
    assert d["reference_mean"].iloc[0] == pytest.approx(1.0)
    # differences 0.9, 1.0, 1.1: half-width 4.303 * 0.1 / sqrt(3) = 0.25 -> interval excludes 0
    assert bool(d["significant"].iloc[0])
