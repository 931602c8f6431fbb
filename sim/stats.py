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
from enum import Enum

from scenarios.units import ALL
from sim.levels import Level
from sim.splits import Onset, OnsetSplits, split_rows

__all__ = ["ALL", "NOT_COUNTED", "Level", "Outcome", "PatientStats", "Stats", "quantile_from_hist"]
# The summed fields of PatientStats, in the order in which aggregates add them up.
_SUMS = ("arrivals", "completed", "wait_sum", "wait_n", "ttd_sum", "ttd_n", "within", "boat", "ferry",
         "helicopter", "road", "out_of_county", "transferred", "weather_sum", "ferry_wait_sum", "ferry_n", "in_county",
         "uncared", "died", "survival_sum", "survival_n", "immediate")
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


class Outcome(Enum):
    """How a patient leaves the model."""

    IN_COUNTY = "in_county"  # definitive care inside the county
    OUT_OF_COUNTY = "out_of_county"  # definitive care outside the county
    NO_CARE = "no_care"  # left without care (no pathway, gave up waiting)
    DIED = "died"  # a cardiac arrest not survived, before any care


class PatientStats:
    """Accumulators for the patients of one (island, condition); they record themselves.

    Each piece of bookkeeping is written once, here: a first contact with a clinician, the start of
    definitive care (with its target and the outcome probability), a transfer, and the patient's
    completion with its :class:`Outcome`. Patients in the model are ``arrivals - completed``.
    """

    __slots__ = ("island_id", "target", "monthly", "splits", *_SUMS, "hist")

    def __init__(self, island_id: str = ALL, target: float = math.inf,
                 monthly: dict[tuple[int, str, str], float] | None = None, splits: OnsetSplits | None = None) -> None:
        """``splits``: where the metrics by month and sea state at onset go (none for aggregates)."""
        self.island_id, self.target, self.splits = island_id, target, splits
        self.monthly = monthly if monthly is not None else {}  # shared with Stats: (month, island, metric)
        for name in _SUMS:
            setattr(self, name, 0)
        self.hist: dict[int, int] = {}

    # --- recording ------------------------------------------------------------------------------------
    def record_arrival(self, onset: float) -> None:
        self.arrivals += 1
        if self.splits is not None:
            self.splits.arrival(onset)

    def record_arrivals(self, n: int, month: int) -> None:
        """``n`` arrivals in model month ``month`` at once (the model counts a month's arrivals when it
        draws them, and their sea states once the month has passed)."""
        self.arrivals += n
        if self.splits is not None:
            self.splits.arrivals(month, n)

    def record_contact(self, wait: float) -> None:
        """Minutes from onset to the first clinician."""
        self.wait_sum += wait
        self.wait_n += 1

    def record_definitive(self, ttd: float, survival: float | None = None, *, onset: float) -> None:
        """Minutes from onset (at time ``onset``) to definitive care; ``survival``: the outcome
        curve's probability there."""
        self.ttd_sum += ttd
        self.ttd_n += 1
        within = ttd <= self.target
        if within:
            self.within += 1
        k = _bin(ttd)
        self.hist[k] = self.hist.get(k, 0) + 1
        if survival is not None:
            self.record_survival(survival)
        if self.splits is not None:
            self.splits.definitive(onset, ttd, within)

    def record_survival(self, probability: float) -> None:
        self.survival_sum += probability
        self.survival_n += 1

    def record_consultation(self, wait: float, onset: float) -> None:
        """A routine consultation starts after ``wait`` (arrived at ``onset``): first contact and
        definitive care at once.

        The same as ``record_contact(wait); record_definitive(wait, onset=onset)``, written out
        because it runs for every patient who waited for a doctor; tests/unit/test_sim_stats.py
        checks that the two agree."""
        self.wait_sum += wait
        self.wait_n += 1
        self.ttd_sum += wait
        self.ttd_n += 1
        within = wait <= self.target
        if within:
            self.within += 1
        k = _bin(wait)
        self.hist[k] = self.hist.get(k, 0) + 1
        if self.splits is not None:
            self.splits.definitive(onset, wait, within)

    def record_consultation_now(self) -> None:
        """``record_consultation(0.0)``: a consultation starting on arrival (most patients).

        Adding 0.0 would leave the sums as they are and a wait of 0 is within any target, so only a
        count is kept here; :meth:`settled` adds it to the contact, definitive-care, within-target and
        first-bin counts."""
        self.immediate += 1

    def settled(self) -> PatientStats:
        """A copy whose counts include the consultations counted by :meth:`record_consultation_now`."""
        out = PatientStats(self.island_id, self.target, self.monthly)  # no splits: a total
        out.merge(self)
        n, out.immediate = out.immediate, 0
        out.wait_n += n
        out.ttd_n += n
        out.within += n
        if n:
            out.hist[0] = out.hist.get(0, 0) + n
        return out

    def record_transfer(self, case, out_of_county: bool, month: int) -> None:
        """A finished transfer (``sim.transport.TransferCase``) in model month ``month``."""
        if self.splits is not None:
            self.splits.transfer(case.patient.onset, case.weather_min)
        self.transferred += 1
        self.weather_sum += case.weather_min
        mode = case.mode
        if mode == "boat":
            self.boat += 1
        elif mode == "ferry":
            self.ferry += 1
            self.ferry_wait_sum += case.ferry_wait_min
            self.ferry_n += 1
        elif mode == "helicopter":
            self.helicopter += 1
        elif mode == "road":  # over a bridge, no crossing (Xiaoyangshan to Shanghai, Gouqi to Shengshan, ...)
            self.road += 1
        if out_of_county:
            self.out_of_county += 1
        for metric, value in (("weather_delay_min", case.weather_min), ("transfers", 1)):
            key = (month, self.island_id, metric)
            self.monthly[key] = self.monthly.get(key, 0.0) + value

    def record_waiting_transfer(self, weather_min: float, onset: float) -> None:
        """At the end of the run: a patient still waiting for a transfer, with the delay so far."""
        self.transferred += 1
        self.weather_sum += weather_min
        if self.splits is not None:
            self.splits.transfer(onset, weather_min)

    def complete(self, outcome: Outcome) -> None:
        """The patient leaves the model. NO_CARE and DIED are outside the in-county share."""
        self.completed += 1
        if outcome is Outcome.IN_COUNTY:
            self.in_county += 1
        elif outcome is Outcome.NO_CARE:
            self.uncared += 1
        elif outcome is Outcome.DIED:
            self.died += 1

    def complete_in_county(self) -> None:
        """``complete(Outcome.IN_COUNTY)`` as a bound method (a finished routine consultation)."""
        self.completed += 1
        self.in_county += 1

    # --- aggregation ----------------------------------------------------------------------------------
    def merge(self, other: PatientStats) -> None:
        for name in _SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.hist.items():
            self.hist[k] = self.hist.get(k, 0) + v


class _NotCounted(PatientStats):
    """The statistics of a patient who arrived during the warm-up: every record is dropped."""

    __slots__ = ()

    def _drop(self, *args, **kwargs) -> None:
        pass

    record_arrival = record_arrivals = record_contact = record_definitive = record_survival = record_consultation = _drop
    record_consultation_now = _drop
    record_transfer = record_waiting_transfer = complete = complete_in_county = _drop


NOT_COUNTED: PatientStats = _NotCounted()


class Stats:
    """All accumulators of one replication."""

    def __init__(self, islands: tuple[str, ...], conditions: tuple[str, ...], targets: tuple[float, ...],
                 onset: Onset | None = None):
        """``onset`` classifies onset times by month and sea state (no splits without it)."""
        self.islands, self.conditions, self.targets = islands, conditions, targets
        self.monthly: dict[tuple[int, str, str], float] = {}  # (month, island, metric) -> value
        self.patients = [[PatientStats(isl, t, self.monthly, OnsetSplits(onset) if onset else None)
                          for t in targets] for isl in islands]
        self._consulting = [ps for row in self.patients for ps in row if ps.splits is not None]
        self.counting = False
        self.warmup = 0.0
        # (metric, island) -> Level ; resource metrics report per island and for 'all'
        self.levels: dict[str, dict[str, list[Level]]] = {}
        self.counters: dict[tuple[str, str, str], float] = {}  # (island, condition, metric) -> value
        # (island, series) -> (first day, one value a day): a flat array of doubles, so the series of a
        # long run costs 8 bytes a value rather than a Python tuple
        self.daily: dict[tuple[str, str], tuple[int, array]] = {}

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

    def attribute_immediate(self, month: int, sea_state: int) -> None:
        """The consultations started on arrival since the last call happened in this month and sea
        state (called at every change of either, and at the end)."""
        for ps in self._consulting:
            ps.splits.attribute_immediate(ps.immediate, month, sea_state)

    def consulting(self, condition_indices) -> None:
        """Only these conditions have consultations (routine care): the others need no attribution."""
        self._consulting = [row[c] for row in self.patients for c in condition_indices if row[c].splits is not None]

    def split_rows(self) -> tuple[list, list]:
        """Patient metrics by month and by sea state at onset (``sim.splits.split_rows``)."""
        return split_rows(self.islands, self.conditions, self.patients)

    def add_monthly(self, month: int, island: str, metric: str, value: float = 1.0) -> None:
        if self.counting:
            key = (month, island, metric)
            self.monthly[key] = self.monthly.get(key, 0.0) + value

    # --- results --------------------------------------------------------------------------------
    def kpi_rows(self, t_end: float) -> list[tuple[str, str, str, float]]:
        """(island, condition, metric, value) rows, with 'all' aggregates."""
        rows: list[tuple[str, str, str, float]] = []
        for i, isl in enumerate(self.islands):
            for c, cond in enumerate(self.conditions):
                rows += _patient_rows(isl, cond, [self.patients[i][c]])
            rows += _patient_rows(isl, ALL, self.patients[i])
        for c, cond in enumerate(self.conditions):
            rows += _patient_rows(ALL, cond, [self.patients[i][c] for i in range(len(self.islands))])
        rows += _patient_rows(ALL, ALL, [p for row in self.patients for p in row])
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


def _patient_rows(island: str, condition: str, parts: Iterable[PatientStats]) -> list[tuple[str, str, str, float]]:
    s = PatientStats()
    for p in parts:
        s.merge(p)
    s = s.settled()
    nan = math.nan
    rows = [
        ("arrivals", s.arrivals),
        ("completed", s.completed),
        ("in_system_end", s.arrivals - s.completed),
        ("wait_min_mean", s.wait_sum / s.wait_n if s.wait_n else nan),
        ("time_to_definitive_care_min_mean", s.ttd_sum / s.ttd_n if s.ttd_n else nan),
        ("time_to_definitive_care_min_p90", quantile_from_hist(s.hist, 0.9)),
        ("within_target_share", s.within / s.ttd_n if s.ttd_n else nan),
        ("transfers_boat", s.boat),
        ("transfers_ferry", s.ferry),
        ("transfers_helicopter", s.helicopter),
        ("transfers_road", s.road),
        ("transfers_out_of_county", s.out_of_county),
        ("weather_delay_min_mean", s.weather_sum / s.transferred if s.transferred else nan),
        ("ferry_wait_min_mean", s.ferry_wait_sum / s.ferry_n if s.ferry_n else nan),
        ("in_county_share", s.in_county / (s.completed - s.uncared - s.died)
         if s.completed > s.uncared + s.died else nan),
        ("left_without_care", s.uncared),
        ("died", s.died),
        ("expected_survival", s.survival_sum / s.survival_n if s.survival_n else nan),
    ]
    return [(island, condition, m, float(v)) for m, v in rows]
