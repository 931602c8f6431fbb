"""Patient metrics split by the calendar month and by the sea state at each patient's onset.

"How long does a stroke patient on Huaniao wait for definitive care in a January gale?" needs the
patient metrics by month and by sea state, not only over the year. Each (island, condition)'s
:class:`~sim.stats.PatientStats` keeps an :class:`OnsetSplits`: for every model month and every sea
state (``sim.weather.SEA_STATES``, at the reference station) the arrivals, the times to definitive
care and how many were within target, and the transfers with their weather delay, each counted
under the patient's *onset* (arrival), whenever it is recorded. Consultations that start on arrival
are counted in bulk (``PatientStats.record_consultation_now``) and attributed to the month and sea
state in which they happened by :meth:`OnsetSplits.attribute_immediate`, which the model calls at
every change of month or sea state.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from scenarios.units import ALL
from sim.weather import SEA_STATES

SPLIT_METRICS = ("arrivals", "definitive_care_count", "time_to_definitive_care_min_mean", "within_target_share",
                 "transfer_count", "weather_delay_min_mean")
# one accumulator: [arrivals, definitive n, definitive minutes, within target, transfers, weather minutes]
_N = 6


class Onset:
    """Where an onset time falls: its model month and its sea state (shared by a replication).

    Most onsets asked about are recent, so the last month found and the current sea state are
    answered without a search."""

    def __init__(self, calendar, weather):
        self.calendar, self.weather = calendar, weather
        self._month, self._lo, self._hi = 0, 0.0, -1.0

    def month(self, t: float) -> int:
        if self._lo <= t < self._hi:
            return self._month
        m = self._month = self.calendar.month_number(t)
        self._lo, self._hi = self.calendar.month_start(m), self.calendar.month_start(m + 1)
        return m

    def sea_state(self, t: float) -> int:
        w = self.weather
        if t >= w.change_times[-1]:
            return w.change_states[-1]
        return w.sea_state_at(t)


class OnsetSplits:
    """The split accumulators of one (island, condition)."""

    __slots__ = ("onset", "by_month", "by_sea", "_immediate_done")

    def __init__(self, onset: Onset):
        self.onset = onset
        self.by_month: dict[int, list[float]] = {}
        self.by_sea = [[0] * _N for _ in SEA_STATES]
        self._immediate_done = 0  # immediate consultations already attributed

    def _cells(self, t: float) -> tuple[list[float], list[float]]:
        m = self.onset.month(t)
        cell = self.by_month.get(m)
        if cell is None:
            cell = self.by_month[m] = [0] * _N
        return cell, self.by_sea[self.onset.sea_state(t)]

    def arrivals(self, month: int, n: int) -> None:
        cell = self.by_month.get(month)
        if cell is None:
            cell = self.by_month[month] = [0] * _N
        cell[0] += n

    def arrivals_by_sea(self, sea_state: int, n: int) -> None:
        self.by_sea[sea_state][0] += n

    def arrival(self, t: float) -> None:
        for cell in self._cells(t):
            cell[0] += 1

    def definitive(self, onset: float, ttd: float, within: bool) -> None:
        month, sea = self._cells(onset)
        month[1] += 1
        month[2] += ttd
        month[3] += within
        sea[1] += 1
        sea[2] += ttd
        sea[3] += within

    def transfer(self, onset: float, weather_min: float) -> None:
        for cell in self._cells(onset):
            cell[4] += 1
            cell[5] += weather_min

    def attribute_immediate(self, immediate: int, month: int, sea_state: int) -> None:
        """Consultations started on arrival since the last call (``immediate`` in all) happened in
        ``month`` and ``sea_state``: a time of 0, within any target."""
        n = immediate - self._immediate_done
        if n:
            self._immediate_done = immediate
            cell = self.by_month.get(month)
            if cell is None:
                cell = self.by_month[month] = [0] * _N
            for c in (cell, self.by_sea[sea_state]):
                c[1] += n
                c[3] += n


def _metrics(cell: list[float]) -> list[tuple[str, float]]:
    arrivals, n, minutes, within, transfers, weather = cell
    return [("arrivals", float(arrivals)), ("definitive_care_count", float(n)),
            ("time_to_definitive_care_min_mean", minutes / n if n else math.nan),
            ("within_target_share", within / n if n else math.nan),
            ("transfer_count", float(transfers)),
            ("weather_delay_min_mean", weather / transfers if transfers else math.nan)]


def _add(into: dict, key, cell: list[float]) -> None:
    acc = into.get(key)
    if acc is None:
        into[key] = list(cell)
    else:
        for k in range(_N):
            acc[k] += cell[k]


def split_rows(islands: Iterable[str], conditions: Iterable[str], patients) -> tuple[list, list]:
    """(month, island, condition, metric, value) rows and (sea_state, island, condition, metric, value)
    rows, with the ``all`` aggregates summed (not averaged) over islands and conditions."""
    months: dict[tuple[int, str, str], list[float]] = {}
    seas: dict[tuple[str, str, str], list[float]] = {}
    for isl, row in zip(islands, patients, strict=True):
        for cond, ps in zip(conditions, row, strict=True):
            splits = ps.splits
            for m, cell in splits.by_month.items():
                for key in ((m, isl, cond), (m, isl, ALL), (m, ALL, cond), (m, ALL, ALL)):
                    _add(months, key, cell)
            for k, cell in enumerate(splits.by_sea):
                for key in ((SEA_STATES[k], isl, cond), (SEA_STATES[k], isl, ALL), (SEA_STATES[k], ALL, cond),
                            (SEA_STATES[k], ALL, ALL)):
                    _add(seas, key, cell)
    month_rows = [(m, i, c, metric, v) for (m, i, c), cell in sorted(months.items()) for metric, v in _metrics(cell)]
    order = {s: k for k, s in enumerate(SEA_STATES)}
    sea_rows = [(s, i, c, metric, v) for (s, i, c), cell in sorted(seas.items(), key=lambda kv: (order[kv[0][0]],
                                                                                                  kv[0][1:]))
                for metric, v in _metrics(cell)]
    return month_rows, sea_rows
