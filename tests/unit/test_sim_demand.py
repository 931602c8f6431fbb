"""sim.demand: arrival batches, patients' own random attributes, and common random numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sim_fixtures import synthetic

from sim.calendar import MONTH_DAYS, Calendar
from sim.demand import N_UNIFORMS, Demand, draw_positive
from sim.streams import Streams


@pytest.mark.parametrize("cv", [0.0, 0.5, 1.0, 1.5])
def test_draw_positive_mean_and_cv(cv):
    x = draw_positive(np.random.default_rng(1), 12.0, cv, 200_000)
    assert (x > 0).all()
    assert x.mean() == pytest.approx(12.0, rel=0.01)
    assert x.std() / x.mean() == pytest.approx(cv, abs=0.02)


def test_draw_positive_exponential_is_exponential():
    from scipy import stats

    x = draw_positive(np.random.default_rng(2), 5.0, 1.0, 20_000)
    assert stats.kstest(x, "expon", args=(0, 5.0)).pvalue > 0.001
    assert len(draw_positive(np.random.default_rng(2), 0.0, 1.0, 3)) == 3  # mean 0: zeros, no error


def test_batch_is_sorted_aligned_and_inside_the_month():
    s = synthetic("priority", arrival_rate_per_hour=6.0, urgent_rate_per_hour=2.0, mean_service_min=7.0)
    d = Demand(s, Streams(1, 0), Calendar(s))
    b = d.month(1)  # February
    n = len(b)
    assert n > 1000
    assert all(len(a) == n for a in (b.island, b.condition, b.service_min, b.los_min))
    assert b.u.shape == (n, N_UNIFORMS) and ((b.u >= 0) & (b.u < 1)).all()
    assert (np.diff(b.time) >= 0).all()
    start = Calendar.month_start(1)
    assert b.time.min() >= start and b.time.max() < start + MONTH_DAYS[1] * 1440
    assert set(b.condition.tolist()) == {0, 1}
    assert b.service_min.mean() == pytest.approx(7.0, rel=0.1)
    # 8 an hour in all, a quarter of them urgent (condition 0)
    assert n == pytest.approx(8 * 24 * 28, rel=0.05)
    assert (b.condition == 0).mean() == pytest.approx(0.25, abs=0.03)


def test_expected_per_year_of_a_synthetic_case():
    s = synthetic("mmc", arrival_rate_per_hour=3.0)
    d = Demand(s, Streams(1, 0), Calendar(s))
    assert d.expected_per_year() == {(0, 0): pytest.approx(3.0 * 8760)}


def test_a_stream_does_not_depend_on_the_others():
    """Adding an island (or changing another one's rates) leaves the patients of the first one alone."""
    s = synthetic("mmc", arrival_rate_per_hour=3.0)
    twin = dataclasses.replace(s.islands[0], id="twin", name_en="Twin", population=30_000)
    bigger = dataclasses.replace(s, islands=(s.islands[0], twin))
    one = Demand(s, Streams(4, 2), Calendar(s)).month(3)
    two = Demand(bigger, Streams(4, 2), Calendar(bigger)).month(3)
    mine = two.island == 0
    assert (two.island == 1).sum() > 2 * mine.sum()
    for field in ("time", "service_min", "los_min", "u"):
        assert np.array_equal(getattr(one, field), getattr(two, field)[mine]), field


def test_same_replication_same_patients_other_replication_other_patients():
    s = synthetic("mmc", arrival_rate_per_hour=3.0)
    a = Demand(s, Streams(4, 0), Calendar(s)).month(0)
    b = Demand(s, Streams(4, 0), Calendar(s)).month(0)
    c = Demand(s, Streams(4, 1), Calendar(s)).month(0)
    assert np.array_equal(a.time, b.time) and np.array_equal(a.u, b.u)
    assert len(a) != len(c) or not np.array_equal(a.time, c.time)


def test_months_without_demand_give_an_empty_batch():
    s = synthetic("mmc", arrival_rate_per_hour=0.0)
    b = Demand(s, Streams(1, 0), Calendar(s)).month(0)
    assert len(b) == 0 and b.u.shape == (0, N_UNIFORMS)
