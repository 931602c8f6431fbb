"""sim.stats: histogram quantiles, time-weighted levels, and 'all' rows aggregated from sums."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.stats import ALL, Level, Outcome, PatientStats, Stats, quantile_from_hist


def _hist(values, target=60.0) -> PatientStats:
    p = PatientStats(target=target)
    for v in values:
        p.record_definitive(float(v), onset=0.0)
    return p


def test_quantile_from_hist_one_minute_bins():
    p = _hist(np.arange(100) + 0.5)  # one value in each of the bins [0,1), ..., [99,100)
    assert quantile_from_hist(p.hist, 0.9) == 90.0  # the upper edge of the bin holding the 90th value
    assert quantile_from_hist(p.hist, 0.5) == 50.0
    assert quantile_from_hist(p.hist, 1.0) == 100.0
    assert math.isnan(quantile_from_hist({}, 0.9))


def test_quantile_from_hist_coarse_bins_and_open_end():
    p = _hist([1500.0] * 10)  # past the first day: 15-minute bins
    assert 1500.0 <= quantile_from_hist(p.hist, 0.9) <= 1515.0
    far = _hist([200 * 1440.0])  # beyond 90 days: the last, open bin
    assert quantile_from_hist(far.hist, 0.5) >= 90 * 1440.0


@pytest.mark.parametrize("scale", [20.0, 600.0, 3000.0])
def test_quantile_from_hist_close_to_the_exact_quantile(scale):
    x = np.random.default_rng(3).exponential(scale, 5000)
    p = _hist(x)
    width = 1.0 if np.quantile(x, 0.9) < 1440 else 15.0
    q = quantile_from_hist(p.hist, 0.9)
    assert np.quantile(x, 0.9) - 1e-9 <= q <= np.quantile(x, 0.9) + width + 1e-9


def test_record_definitive_counts_within_target():
    p = _hist([10, 59.9, 60.0, 61, 500], target=60.0)
    assert p.ttd_n == 5 and p.within == 3 and p.ttd_sum == pytest.approx(690.9)


def test_level_time_weighted_and_warmup():
    lv = Level(capacity=4)
    lv.set(0.0, 2)
    lv.set(100.0, 4)  # before the warm-up: not counted
    lv.start(100.0)
    lv.set(150.0, 1)
    lv.set(250.0, None, 2)  # capacity change
    lv.set(300.0)
    assert lv.area == pytest.approx(4 * 50 + 1 * 150)
    assert lv.cap_area == pytest.approx(4 * 150 + 2 * 50)
    assert lv.take_day(300.0) == pytest.approx((2 * 100 + 4 * 50 + 1 * 150) / 1440.0)
    assert lv.take_day(1740.0) == pytest.approx(1.0)  # level 1 for a whole day


def _rows(stats: Stats, t_end: float) -> dict:
    return {(i, c, m): v for i, c, m, v in stats.kpi_rows(t_end)}


def test_all_rows_come_from_sums_not_averages_of_averages():
    s = Stats(("a", "b"), ("x", "y"), (60.0, 120.0))
    s.start(0.0)
    # island a, condition x: 1 patient waiting 100; island b, condition x: 3 patients waiting 10 each.
    for (i, c), waits in {(0, 0): [100.0], (1, 0): [10.0, 10.0, 10.0], (1, 1): [90.0, 200.0]}.items():
        ps = s.patients[i][c]
        for w in waits:
            ps.record_arrival(0.0)
            ps.record_contact(w)
            ps.record_definitive(w, onset=0.0)
            ps.complete(Outcome.IN_COUNTY)
    s.patients[0][1].record_arrival(0.0)  # one patient of a/y still in the system
    rows = _rows(s, 1000.0)
    assert rows[(ALL, "x", "wait_min_mean")] == pytest.approx(130.0 / 4)  # not (100 + 10) / 2
    assert rows[(ALL, ALL, "wait_min_mean")] == pytest.approx(420.0 / 6)
    assert rows[("b", ALL, "wait_min_mean")] == pytest.approx(320.0 / 5)
    assert rows[(ALL, ALL, "arrivals")] == 7 and rows[(ALL, ALL, "completed")] == 6
    assert rows[(ALL, ALL, "in_system_end")] == 1 and rows[("a", "y", "in_system_end")] == 1
    # within target uses each condition's own target: x within 60 (3 of 4), y within 120 (1 of 2)
    assert rows[(ALL, ALL, "within_target_share")] == pytest.approx(4 / 6)
    assert rows[("b", ALL, "within_target_share")] == pytest.approx(4 / 5)
    # p90 over the merged histogram of all six times (10, 10, 10, 90, 100, 200): the 6th value's bin
    assert rows[(ALL, ALL, "time_to_definitive_care_min_p90")] == 201.0
    assert math.isnan(rows[("a", "y", "wait_min_mean")])
    for i in ("a", "b", ALL):
        for c in ("x", "y", ALL):
            assert rows[(i, c, "arrivals")] == rows[(i, c, "completed")] + rows[(i, c, "in_system_end")]


def test_level_and_counter_rows_aggregate_over_islands():
    s = Stats(("a", "b"), ("x",), (60.0,))
    la = s.level("doctor_utilization", "a", 1)
    lb = s.level("doctor_utilization", "b", 3)
    wa = s.level("bed_occupancy", "a", 10)
    s.start(0.0)
    la.set(0.0, 1)
    lb.set(0.0, 1)
    wa.set(0.0, 5)
    s.count("a", ALL, "bed_blocked_count")
    s.count("b", ALL, "bed_blocked_count", 2)
    rows = _rows(s, 100.0)
    assert rows[("a", ALL, "doctor_utilization")] == pytest.approx(1.0)
    assert rows[("b", ALL, "doctor_utilization")] == pytest.approx(1 / 3)
    assert rows[(ALL, ALL, "doctor_utilization")] == pytest.approx(2 / 4)  # busy / rostered, not mean of shares
    assert rows[(ALL, ALL, "bed_occupancy_mean")] == pytest.approx(5.0)
    assert rows[("a", ALL, "bed_occupancy_share")] == pytest.approx(0.5)
    assert rows[(ALL, ALL, "bed_blocked_count")] == 3


def test_nothing_counts_before_the_warmup():
    s = Stats(("a",), ("x",), (60.0,))
    s.count("a", ALL, "bed_blocked_count")
    s.add_monthly(0, "a", "transfers")
    assert not s.counters and not s.monthly
    s.start(10.0)
    s.count("a", ALL, "bed_blocked_count")
    assert s.counters == {("a", ALL, "bed_blocked_count"): 1.0}


def test_daily_series_come_out_day_by_day_in_registration_order():
    from sim.model import _daily_frame

    s = Stats(("a", "b"), ("c",), (60.0,))
    for day in range(2):
        s.add_daily(day, "a", "doctor", 1.0 + day)
        s.add_daily(day, "b", "doctor", 10.0 + day)
    s.add_daily(2, "a", "doctor", 3.0)
    s.add_daily(2, "b", "doctor", 12.0)
    s.add_daily(2, "a", "bed", 5.0)  # a series that starts later keeps its own first day
    df = _daily_frame(7, s.daily)
    assert list(df.columns) == ["replication", "day", "island", "series", "value"]
    assert df[["day", "island", "series", "value"]].values.tolist() == [
        [0, "a", "doctor", 1.0], [0, "b", "doctor", 10.0], [1, "a", "doctor", 2.0], [1, "b", "doctor", 11.0],
        [2, "a", "doctor", 3.0], [2, "b", "doctor", 12.0], [2, "a", "bed", 5.0]]
    assert (df["replication"] == 7).all()
    assert _daily_frame(7, {}).empty


@pytest.mark.parametrize("wait", [0.0, 0.4, 59.9, 60.0, 61.0, 1439.0, 2000.0])
def test_record_consultation_is_contact_plus_definitive(wait):
    a, b = PatientStats(target=60.0), PatientStats(target=60.0)
    a.record_consultation(wait, 0.0)
    b.record_contact(wait)
    b.record_definitive(wait, onset=0.0)
    assert [getattr(a, f) for f in ("wait_sum", "wait_n", "ttd_sum", "ttd_n", "within")] == \
           [getattr(b, f) for f in ("wait_sum", "wait_n", "ttd_sum", "ttd_n", "within")]
    assert a.hist == b.hist


def test_consultations_counted_now_settle_as_zero_waits():
    a, b = PatientStats(target=60.0), PatientStats(target=60.0)
    for w in (3.0, 0.0, 7.5):
        a.record_consultation(w, 0.0)
        b.record_consultation(w, 0.0)
    for _ in range(4):
        a.record_consultation_now()
        b.record_consultation(0.0, 0.0)
    sa, sb = a.settled(), b.settled()
    for f in ("wait_sum", "wait_n", "ttd_sum", "ttd_n", "within"):
        assert getattr(sa, f) == getattr(sb, f)
    assert sa.hist == sb.hist and sa.immediate == 0


def test_not_counted_patients_record_nothing():
    from sim.stats import NOT_COUNTED

    NOT_COUNTED.record_arrival(0.0)
    NOT_COUNTED.record_consultation(3.0, 0.0)
    NOT_COUNTED.record_consultation_now()
    NOT_COUNTED.complete(Outcome.DIED)
    assert NOT_COUNTED.arrivals == 0 and NOT_COUNTED.completed == 0 and NOT_COUNTED.hist == {}
