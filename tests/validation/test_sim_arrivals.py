"""Non-homogeneous Poisson arrivals (``sim.demand.Demand``) against their rate, on the Shengsi data.

The expected rate is worked out here from the scenario tables, independently of the model code:
residents by age band × incidence + tourists (July-August number × the month's factor × their age
shares) × incidence, × the month's seasonal factor for urgent classes, × the hour's time-of-day weight.
Counts per hour of the day, summed over a month, are Poisson with mean rate × length: a chi-square
test over many replications (two-sided, so too little scatter fails as well as too much).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from experiments.summary import t_interval
from scenarios.model import AGE_BANDS
from sim.calendar import MONTH_DAYS, Calendar
from sim.demand import Demand
from sim.streams import Streams

REPS = 40


def _rate_per_min(scenario, island_id: str, cond_id: str, month: int) -> float:
    """Arrivals per minute in month ``month`` (0 = January) at a time-of-day weight of 1."""
    isl, cond = scenario.island(island_id), scenario.condition(cond_id)
    m = scenario.months[month]
    tourist_share = scenario.parameters.tourists.shares
    per_year = 0.0
    for k, band in enumerate(AGE_BANDS):
        people = (isl.band_population(band)
                  + isl.tourists_summer * m.tourist_factor * tourist_share[k] * cond.tourist_factor)
        per_year += people * cond.incidence_per_1000[k] / 1000.0
    if cond.urgent:
        per_year *= m.incidence_factor
    elif not isl.resident_doctor:  # routine demand where no doctor lives (scenarios.routing.arrival_rates)
        per_year *= scenario.parameters.routine.no_clinic_demand_factor
    return per_year / (365 * 1440.0)


def _hourly_counts(scenario, island_id: str, cond_id: str, month: int, reps: int = REPS) -> np.ndarray:
    """(reps, 24) arrivals per hour of the day over the month, one row per replication."""
    i, c = scenario.island_ids.index(island_id), scenario.condition_ids.index(cond_id)
    cal = Calendar(scenario)
    out = np.zeros((reps, 24))
    for r in range(reps):
        batch = Demand(scenario, Streams(99, r), cal).month(month)
        mine = (batch.island == i) & (batch.condition == c)
        t = batch.time[mine]
        assert np.all(np.diff(batch.time) >= 0)  # sorted in time
        assert np.all((t >= Calendar.month_start(month)) & (t < Calendar.month_start(month + 1)))
        out[r] = np.bincount(((t % 1440) // 60).astype(int), minlength=24)
    return out


@pytest.mark.parametrize(("island", "cond", "month"), [
    ("sijiao", "other_urgent", 0),  # urgent profile, January's seasonal factor 1.15
    ("sijiao", "other_urgent", 6),  # July: tourists at their peak
    ("gouqi", "primary_care", 7),  # routine profile (no arrivals at night), August tourists
    ("huaniao", "primary_care", 11),  # a small island in December
])
def test_hourly_counts_are_poisson_with_the_scenario_rate(shengsi, island, cond, month):
    counts = _hourly_counts(shengsi, island, cond, month)
    profile = np.asarray(shengsi.time_of_day[shengsi.condition(cond).time_of_day])
    expected = _rate_per_min(shengsi, island, cond, month) * 60.0 * MONTH_DAYS[month] * profile  # per hour of day
    assert expected.sum() > 5
    # No arrivals where the rate is zero (routine care at night).
    assert (counts[:, expected == 0] == 0).all()
    pos = expected > 0
    chi2 = (((counts[:, pos] - expected[pos]) ** 2) / expected[pos]).sum()
    dof = counts[:, pos].size
    p = stats.chi2.sf(chi2, dof)
    assert 0.001 < p < 0.999, f"chi-square {chi2:.1f} on {dof} cells (p={p:.4g})"
    # The monthly total: its mean over replications has the expected value within the 95% interval.
    mean, low, high, _ = t_interval(counts.sum(axis=1))
    assert low <= expected.sum() <= high, (expected.sum(), mean, low, high)


def test_year_totals_match_expected_per_year(shengsi):
    """Twelve months of arrivals for every stream against ``Demand.expected_per_year`` and the tables."""
    cal = Calendar(shengsi)
    reps = 6
    n_c = len(shengsi.conditions)
    size = len(shengsi.islands) * n_c
    totals = np.zeros((reps, size))
    for r in range(reps):
        d = Demand(shengsi, Streams(7, r), cal)
        for m in range(12):
            b = d.month(m)
            totals[r] += np.bincount(b.island * n_c + b.condition, minlength=size)
    expected = Demand(shengsi, Streams(7, 0), cal).expected_per_year()
    assert expected
    chi2, dof = 0.0, 0
    for (i, c), e in expected.items():
        isl, cond = shengsi.island_ids[i], shengsi.condition_ids[c]
        profile = np.asarray(shengsi.time_of_day[shengsi.condition(cond).time_of_day])
        by_hand = sum(_rate_per_min(shengsi, isl, cond, m) * MONTH_DAYS[m] * 1440 * profile.mean() for m in range(12))
        assert e == pytest.approx(by_hand, rel=1e-9)
        for r in range(reps):
            chi2 += (totals[r, i * n_c + c] - e) ** 2 / e
            dof += 1
    p = stats.chi2.sf(chi2, dof)
    assert 0.001 < p < 0.999, f"chi-square {chi2:.1f} on {dof} cells (p={p:.4g})"


def test_arrival_times_are_uniform_within_the_hour(shengsi):
    cal = Calendar(shengsi)
    b = Demand(shengsi, Streams(3, 0), cal).month(2)
    minute = b.time % 60.0
    assert len(minute) > 10_000
    assert stats.kstest(minute / 60.0, "uniform").pvalue > 0.001
