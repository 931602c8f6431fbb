"""sim.streams: one independent generator per named activity, fixed by (seed, replication, name) only."""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.streams import Streams


def _draws(streams: Streams, name: str, n: int = 5) -> np.ndarray:
    return streams(name).random(n)


def test_same_name_same_generator_and_same_numbers():
    s = Streams(1, 0)
    assert s("weather") is s("weather")
    assert np.array_equal(_draws(Streams(1, 0), "weather"), _draws(Streams(1, 0), "weather"))


def test_independent_of_creation_order_and_of_other_streams():
    a = Streams(1, 3)
    first = _draws(a, "arrivals/huaniao/stroke")
    b = Streams(1, 3)
    for name in ("weather", "arrivals/sijiao/stroke", "boats"):  # other streams first, and used
        b(name).random(1000)
    assert np.array_equal(first, _draws(b, "arrivals/huaniao/stroke"))


def test_replication_r_is_the_same_whoever_runs_it():
    """A worker running only replication 4 sees what a single process running 0..4 sees at 4."""
    alone = _draws(Streams(9, 4), "weather")
    for r in range(4):
        Streams(9, r)("weather").random(10)
    assert np.array_equal(alone, _draws(Streams(9, 4), "weather"))


def test_seed_replication_and_name_each_change_the_numbers():
    base = _draws(Streams(1, 0), "weather")
    for other in (_draws(Streams(2, 0), "weather"), _draws(Streams(1, 1), "weather"),
                  _draws(Streams(1, 0), "weather2")):
        assert not np.array_equal(base, other)


def test_streams_are_uncorrelated():
    s = Streams(5, 0)
    names = [f"arrivals/island{k}/cond" for k in range(20)]
    x = np.array([s(n).random(2000) for n in names])
    corr = np.corrcoef(x)[np.triu_indices(len(names), 1)]
    assert np.abs(corr).max() < 0.1  # |r| for n=2000 independent draws is ~0.02 (0.1 is 4.5 sd)
    assert stats.kstest(x.ravel(), "uniform").pvalue > 0.001
