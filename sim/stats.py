"""Statistics accumulated while the model runs (no per-event tables are kept).

Patients are counted under their home island and condition; only those arriving after the warm-up
count. Resources (doctors, beds, boats, care homes) are time-weighted levels whose areas start at the
end of the warm-up. At the end, :meth:`Stats.kpi_rows` turns the accumulators into tidy rows,
including the ``all`` aggregates, which are computed from the sums (not by averaging averages).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

from scenarios.units import ALL

__all__ = ["ALL", "Level", "PatientStats", "Stats", "quantile_from_hist"]
FINE_BINS = 1440  # 1-minute bins for the first day ...
COARSE_WIDTH = 15.0  # ... then 15-minute bins ...
MAX_BINS = FINE_BINS + int(90 * 1440 / COARSE_WIDTH)  # ... up to 90 days (the last bin is open)


def _bin(x: float) -> int:
    if x < FINE_BINS:
        return int(x) if x > 0 else 0
    return min(FINE_BINS + int((x - FINE_BINS) / COARSE_WIDTH), MAX_BINS - 1)


def _bin_upper(k: int) -> float:
    if k < FINE_BINS:
        return k + 1.0
    return FINE_BINS + (k - FINE_BINS + 1) * COARSE_WIDTH


def quantile_from_hist(hist: dict[int, int], q: float) -> float:
    """The q-quantile (upper bin edge; resolution 1 minute up to a day, 15 minutes after)."""
    n = sum(hist.values())
    if n == 0:
        return math.nan
    need = q * n
    run = 0
    for k in sorted(hist):
        run += hist[k]
        if run >= need - 1e-9:
            return _bin_upper(k)
    return _bin_upper(max(hist))


class PatientStats:
    """Accumulators for one (island, condition)."""

    __slots__ = ("arrivals", "completed", "wait_sum", "wait_n", "ttd_sum", "ttd_n", "within", "hist",
                 "boat", "ferry", "helicopter", "out_of_county", "transferred", "weather_sum",
                 "ferry_wait_sum", "ferry_n", "in_county", "uncared", "died", "survival_sum", "survival_n", "extra")

    def __init__(self) -> None:
        self.arrivals = self.completed = self.wait_n = self.ttd_n = self.within = 0
        self.wait_sum = self.ttd_sum = self.weather_sum = self.ferry_wait_sum = self.survival_sum = 0.0
        self.boat = self.ferry = self.helicopter = self.out_of_county = self.transferred = 0
        self.ferry_n = self.in_county = self.uncared = self.died = self.survival_n = 0
        self.hist: dict[int, int] = {}
        self.extra: dict[str, float] = {}

    def add_ttd(self, ttd: float, target: float) -> None:
        self.ttd_sum += ttd
        self.ttd_n += 1
        if ttd <= target:
            self.within += 1
        k = _bin(ttd)
        self.hist[k] = self.hist.get(k, 0) + 1

    def merge(self, other: PatientStats) -> None:
        for name in self.__slots__:
            if name == "hist":
                for k, v in other.hist.items():
                    self.hist[k] = self.hist.get(k, 0) + v
            elif name == "extra":
                for k, v in other.extra.items():
                    self.extra[k] = self.extra.get(k, 0.0) + v
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))


class Level:
    """A time-weighted level (busy doctors, occupied beds, ...) with its capacity."""

    __slots__ = ("level", "capacity", "last", "area", "cap_area", "day_area", "counting")

    def __init__(self, capacity: float = 0.0) -> None:
        self.level = 0.0
        self.capacity = float(capacity)
        self.last = 0.0
        self.area = self.cap_area = self.day_area = 0.0
        self.counting = False

    def set(self, t: float, level: float | None = None, capacity: float | None = None) -> None:
        dt = t - self.last
        if dt > 0:
            self.day_area += self.level * dt
            if self.counting:
                self.area += self.level * dt
                self.cap_area += self.capacity * dt
            self.last = t
        if level is not None:
            self.level = level
        if capacity is not None:
            self.capacity = capacity

    def start(self, t: float) -> None:
        self.set(t)
        self.counting = True
        self.area = self.cap_area = 0.0

    def take_day(self, t: float) -> float:
        """Mean level since the previous call (for daily series)."""
        self.set(t)
        area, self.day_area = self.day_area, 0.0
        return area / 1440.0


class Stats:
    """All accumulators of one replication."""

    def __init__(self, islands: tuple[str, ...], conditions: tuple[str, ...], targets: tuple[float, ...]):
        self.islands, self.conditions, self.targets = islands, conditions, targets
        self.patients = [[PatientStats() for _ in conditions] for _ in islands]
        self.active: dict[int, tuple[int, int]] = {}  # patient id -> (island, condition) while in system
        self.counting = False
        self.warmup = 0.0
        # (metric, island) -> Level ; resource metrics report per island and for 'all'
        self.levels: dict[str, dict[str, list[Level]]] = {}
        self.counters: dict[tuple[str, str, str], float] = {}  # (island, condition, metric) -> value
        # (island, series) -> (first day, one value a day): a flat array of doubles, so the series of a
        # long run costs 8 bytes a value rather than a Python tuple
        self.daily: dict[tuple[str, str], tuple[int, array]] = {}
        self.monthly: dict[tuple[int, str, str], float] = {}  # (month, island, metric) -> value

    # --- registration ---------------------------------------------------------------------------
    def level(self, metric: str, island: str, capacity: float = 0.0) -> Level:
        lv = Level(capacity)
        self.levels.setdefault(metric, {}).setdefault(island, []).append(lv)
        return lv

    def add_daily(self, day: int, island: str, series: str, value: float) -> None:
        rec = self.daily.get((island, series))
        if rec is None:
            rec = self.daily[(island, series)] = (day, array("d"))
        rec[1].append(value)

    def start(self, t: float) -> None:
        """End of warm-up: from now on everything counts."""
        self.counting = True
        self.warmup = t
        for by_island in self.levels.values():
            for levels in by_island.values():
                for lv in levels:
                    lv.start(t)

    def declare(self, island: str, condition: str, metric: str) -> None:
        """Make a counter appear (as 0) even if nothing is ever counted."""
        self.counters.setdefault((island, condition, metric), 0.0)

    def count(self, island: str, condition: str, metric: str, value: float = 1.0) -> None:
        if self.counting:
            key = (island, condition, metric)
            self.counters[key] = self.counters.get(key, 0.0) + value

    def add_monthly(self, month: int, island: str, metric: str, value: float = 1.0) -> None:
        if self.counting:
            key = (month, island, metric)
            self.monthly[key] = self.monthly.get(key, 0.0) + value

    # --- results --------------------------------------------------------------------------------
    def kpi_rows(self, t_end: float) -> list[tuple[str, str, str, float]]:
        """(island, condition, metric, value) rows, with 'all' aggregates."""
        rows: list[tuple[str, str, str, float]] = []
        in_system = [[0] * len(self.conditions) for _ in self.islands]
        for i, c in self.active.values():
            in_system[i][c] += 1
        for i, isl in enumerate(self.islands):
            for c, cond in enumerate(self.conditions):
                rows += _patient_rows(isl, cond, [self.patients[i][c]], in_system[i][c], [self.targets[c]])
            rows += _patient_rows(isl, ALL, self.patients[i], sum(in_system[i]), self.targets)
        for c, cond in enumerate(self.conditions):
            col = [self.patients[i][c] for i in range(len(self.islands))]
            rows += _patient_rows(ALL, cond, col, sum(r[c] for r in in_system), [self.targets[c]] * len(col))
        everyone = [p for row in self.patients for p in row]
        rows += _patient_rows(ALL, ALL, everyone, sum(map(sum, in_system)), list(self.targets) * len(self.islands))
        rows += self._level_rows(t_end)
        rows += self._counter_rows()
        return rows

    def _level_rows(self, t_end: float) -> list[tuple[str, str, str, float]]:
        rows = []
        for metric, by_island in self.levels.items():
            tot_area = tot_cap = 0.0
            for isl, levels in by_island.items():
                for lv in levels:
                    lv.set(t_end)
                area = sum(lv.area for lv in levels)
                cap = sum(lv.cap_area for lv in levels)
                tot_area += area
                tot_cap += cap
                rows += _level_metric(metric, isl, area, cap, t_end - self.warmup)
            rows += _level_metric(metric, ALL, tot_area, tot_cap, t_end - self.warmup)
        return rows

    def _counter_rows(self) -> list[tuple[str, str, str, float]]:
        agg: dict[tuple[str, str, str], float] = dict(self.counters)
        for (isl, cond, metric), v in self.counters.items():
            targets = []
            if isl != ALL:
                targets.append((ALL, cond, metric))
            if cond != ALL:
                targets.append((isl, ALL, metric))
                if isl != ALL:
                    targets.append((ALL, ALL, metric))
            for key in targets:
                agg[key] = agg.get(key, 0.0) + v
        return [(i, c, m, v) for (i, c, m), v in sorted(agg.items())]


def _level_metric(metric: str, island: str, area: float, cap_area: float, span: float):
    """``x_utilization``: area / capacity-area; ``x_occupancy``: mean level and share of capacity;
    anything else (``backlog``, ``care_waitlist``): the time-average ``x_mean``."""
    if metric.endswith("_utilization"):
        return [(island, ALL, metric, area / cap_area if cap_area > 0 else math.nan)]
    mean = area / span if span > 0 else math.nan
    if not metric.endswith("_occupancy"):
        return [(island, ALL, f"{metric}_mean", mean)]
    base = metric.removesuffix("_occupancy")
    return [
        (island, ALL, f"{base}_occupancy_mean", mean),
        (island, ALL, f"{base}_occupancy_share", area / cap_area if cap_area > 0 else math.nan),
    ]


def _patient_rows(island: str, condition: str, parts: Iterable[PatientStats], in_system: int,
                  targets) -> list[tuple[str, str, str, float]]:
    s = PatientStats()
    for p in parts:
        s.merge(p)
    nan = math.nan
    rows = [
        ("arrivals", s.arrivals),
        ("completed", s.completed),
        ("in_system_end", in_system),
        ("wait_min_mean", s.wait_sum / s.wait_n if s.wait_n else nan),
        ("time_to_definitive_care_min_mean", s.ttd_sum / s.ttd_n if s.ttd_n else nan),
        ("time_to_definitive_care_min_p90", quantile_from_hist(s.hist, 0.9)),
        ("within_target_share", s.within / s.ttd_n if s.ttd_n else nan),
        ("transfers_boat", s.boat),
        ("transfers_ferry", s.ferry),
        ("transfers_helicopter", s.helicopter),
        ("transfers_out_of_county", s.out_of_county),
        ("weather_delay_min_mean", s.weather_sum / s.transferred if s.transferred else nan),
        ("ferry_wait_min_mean", s.ferry_wait_sum / s.ferry_n if s.ferry_n else nan),
        ("in_county_share", s.in_county / (s.completed - s.uncared - s.died)
         if s.completed > s.uncared + s.died else nan),
        ("left_without_care", s.uncared),
        ("died", s.died),
        ("expected_survival", s.survival_sum / s.survival_n if s.survival_n else nan),
    ]
    out = [(island, condition, m, float(v)) for m, v in rows]
    for k, v in sorted(s.extra.items()):
        out.append((island, condition, k, float(v)))
    return out
