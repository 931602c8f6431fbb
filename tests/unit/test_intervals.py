"""Intervals a planner can read: shares stay inside [0, 1] and keep their coverage; too-wide marks."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytic.queues import erlang_b
from experiments.runner import run_replications
from experiments.summary import interval, is_share, paired_difference, summarise, t_interval, too_wide
from scenarios.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
from sim_helpers import config  # noqa: E402


@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8), st.sampled_from(["ci", "uncertainty"]))
def test_share_interval_stays_inside_0_1_and_contains_the_mean(values, kind):
    mean, lo, hi, n = interval(np.array(values), share=True, kind=kind)
    assert 0.0 <= lo <= hi <= 1.0 and n == len(values)
    if kind == "ci":  # a percentile interval of skewed values need not contain their mean
        assert lo <= mean <= hi


def test_the_t_interval_that_leaves_0_1_is_pulled_inside():
    v = np.array([0.9, 0.99, 0.6])  # a 3-replication share like "38.1% [-25.4, 102]"
    m, lo, hi, _ = t_interval(v)
    assert hi > 1.0
    m2, lo2, hi2, _ = interval(v, share=True)
    assert m2 == m and 0 < lo2 < m < hi2 < 1


def test_non_shares_keep_the_t_interval_and_uncertainty_is_the_percentile_interval():
    v = np.array([3.0, 5.0, 4.0, 6.0])
    assert interval(v) == t_interval(v)
    _, plo, phi, _ = interval(np.arange(41.0), kind="uncertainty")
    assert (plo, phi) == pytest.approx((1.0, 39.0))  # the 2.5th and 97.5th percentiles of the replications
    assert is_share("in_county_share") and is_share("monthly_visit_compliance") and not is_share("arrivals")


def test_too_wide_marks():
    assert too_wide(10.0, 2.0, 18.0) and not too_wide(10.0, 8.0, 12.0)
    assert not too_wide(0.0, 0.0, 0.0) and too_wide(0.0, -1.0, 1.0)
    assert not too_wide(0.1, -0.2, 0.4, reference=1.0)  # a difference judged against the reference
    kpis = pd.DataFrame({"replication": [0, 1, 2] * 2, "island": "all", "condition": "all",
                         "metric": ["in_county_share"] * 3 + ["arrivals"] * 3, "value": [0.9, 0.99, 0.6, 100, 101, 99]})
    s = summarise(kpis).set_index("metric")
    # 83% [12%, 99%]: inside [0, 1] but not readable
    assert bool(s.loc["in_county_share", "too_wide"]) is True and s.loc["in_county_share", "ci_high"] < 1
    assert not s.loc["arrivals", "too_wide"]
    d = paired_difference(kpis.assign(value=kpis.value * 1.5), kpis)
    assert {"significant", "too_wide"} <= set(d.columns)


def test_share_intervals_keep_their_coverage_on_erlang_b():
    """Ward of 8 beds, 3 admissions a day staying 2 days (exponential), full ward -> sent away: the
    in-county share is 1 - B(8, 6) = 0.878. 200 experiments of 3 replications each; both intervals
    should cover the true share about 95% of the time, and only the logit one stays inside [0, 1]."""
    exp_n, reps = 200, 3
    cfg = config({"kind": "ward", "name": "ward", "arrival_rate_per_hour": 3 / 24, "beds": 8, "mean_stay_days": 2.0,
                  "mean_service_min": 1.0, "weather": "calm"}, horizon_days=60, warmup_days=10,
                 replications=exp_n * reps, policy={"bed_full_rule": "out_of_county"})
    v = validate(cfg)
    k = run_replications(v.scenario, v.policy, v.experiment).kpis
    share = k[(k.island == "all") & (k.condition == "all") & (k.metric == "in_county_share")].sort_values("replication")
    x = share["value"].to_numpy().reshape(exp_n, reps)
    truth = 1 - erlang_b(8, 6.0)
    logit = np.array([interval(row, share=True)[1:3] for row in x])
    plain = np.array([t_interval(row)[1:3] for row in x])
    cover_logit = np.mean((logit[:, 0] <= truth) & (truth <= logit[:, 1]))
    cover_t = np.mean((plain[:, 0] <= truth) & (truth <= plain[:, 1]))
    assert 0.90 <= cover_logit <= 0.995, cover_logit
    assert abs(cover_logit - cover_t) <= 0.04
    assert (logit >= 0).all() and (logit <= 1).all()
    assert (plain[:, 1] > 1).any()  # the plain t-interval does leave [0, 1] here
