"""Patient arrivals: a non-homogeneous Poisson process per island and condition.

The rate is piecewise constant by hour: population by age band (residents plus the month's
tourists) × incidence per 1,000 by band × the month's seasonal factor (urgent classes) × the hour's
time-of-day weight. Arrivals are generated one calendar month at a time, all at once with NumPy
(exact for a piecewise-constant rate: Poisson counts per hour, uniform times within the hour), and
each patient's own random attributes (service time, length of stay, uniforms for branching) are drawn
with them from the same named stream. Patients therefore do not depend on the policy (common random
numbers) and memory does not grow with the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.model import Condition, Scenario
from scenarios.routing import arrival_rates
from scenarios.units import DAY, MONTH_DAYS
from sim.calendar import Calendar
from sim.streams import Streams

N_UNIFORMS = 4  # u[0]: admission, u[1]: out-of-county need, u[2], u[3]: spare for modules


@dataclass(slots=True)
class ArrivalBatch:
    """Arrivals of one month, sorted by time; arrays aligned by patient."""

    time: np.ndarray
    island: np.ndarray
    condition: np.ndarray
    service_min: np.ndarray
    los_min: np.ndarray
    u: np.ndarray  # (n, N_UNIFORMS)

    def __len__(self) -> int:
        return len(self.time)


def draw_positive(rng: np.random.Generator, mean: float, cv: float, n: int) -> np.ndarray:
    """Fixed (cv 0), exponential (cv 1) or lognormal draws with the given mean and cv."""
    if n == 0 or mean <= 0:
        return np.zeros(n)
    if cv == 0:
        return np.full(n, mean)
    if abs(cv - 1.0) < 1e-12:
        return rng.exponential(mean, n)
    sigma2 = np.log1p(cv * cv)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), n)


class Demand:
    """Monthly arrival batches for every (island, condition) stream."""

    def __init__(self, scenario: Scenario, streams: Streams, calendar: Calendar):
        self.calendar = calendar
        self.conditions = scenario.conditions
        self.islands = scenario.islands
        self.tod = {k: np.asarray(v) for k, v in scenario.time_of_day.items()}
        self.streams = []
        for (i, c), per_month in arrival_rates(scenario).items():  # island-major, condition-minor
            isl, cond = scenario.islands[i], scenario.conditions[c]
            self.streams.append(_Stream(i, c, cond, per_month, streams(f"arrivals/{isl.id}/{cond.id}")))

    def expected_per_year(self) -> dict[tuple[int, int], float]:
        """Expected arrivals in a model year for each (island, condition) (for checks and reports)."""
        out = {}
        for s in self.streams:
            w = self.tod[s.cond.time_of_day].mean()
            out[(s.island, s.cond_idx)] = float(sum(r * d * DAY * w for r, d in zip(s.rate, MONTH_DAYS, strict=True)))
        return out

    def month(self, month_number: int) -> ArrivalBatch:
        start = Calendar.month_start(month_number)
        m = self.calendar.month_index(start)
        days = MONTH_DAYS[m]
        parts = []
        for s in self.streams:
            hourly = s.hourly[m]
            if hourly is None:  # the same every year: computed once
                hourly = s.hourly[m] = s.rate[m] * 60.0 * np.tile(self.tod[s.cond.time_of_day], days)
            counts = s.rng.poisson(hourly)
            n = int(counts.sum())
            if n == 0:
                continue
            hours = np.repeat(np.arange(days * 24), counts)
            t = start + (hours + s.rng.random(n)) * 60.0
            service = draw_positive(s.rng, s.cond.service_min, s.cond.service_cv, n)
            los = draw_positive(s.rng, s.cond.los_days * DAY, s.cond.los_cv, n)
            u = s.rng.random((n, N_UNIFORMS))
            parts.append((t, np.full(n, s.island, np.int32), np.full(n, s.cond_idx, np.int32), service, los, u))
        if not parts:
            e = np.zeros(0)
            return ArrivalBatch(e, e.astype(np.int32), e.astype(np.int32), e, e, np.zeros((0, N_UNIFORMS)))
        cols = [np.concatenate(x) for x in zip(*parts, strict=True)]
        order = np.argsort(cols[0], kind="stable")
        return ArrivalBatch(*(c[order] for c in cols))


class _Stream:
    __slots__ = ("island", "cond_idx", "cond", "rate", "rng", "hourly")

    def __init__(self, island: int, cond_idx: int, cond: Condition, rate: np.ndarray, rng: np.random.Generator):
        self.island, self.cond_idx, self.cond, self.rate, self.rng = island, cond_idx, cond, rate, rng
        self.hourly: list[np.ndarray | None] = [None] * 12  # expected arrivals per hour of each calendar month
