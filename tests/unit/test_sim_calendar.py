"""sim.calendar: months of a common year, daylight, and the next departure of a timetable."""

from __future__ import annotations

import pytest
from sim_fixtures import hhmm, month_table, synthetic

from scenarios.model import Scenario
from sim.calendar import DAY, MONTH_DAYS, YEAR, Calendar


@pytest.fixture(scope="module")
def cal() -> Calendar:
    import dataclasses

    s: Scenario = synthetic("mmc")
    months = list(month_table(sunrise="06:00", sunset="18:00"))
    months[6] = dataclasses.replace(months[6], sunrise_min=hhmm("05:00"), sunset_min=hhmm("19:00"))  # July
    return Calendar(dataclasses.replace(s, months=tuple(months)))


def test_month_lengths_and_starts(cal):
    assert sum(MONTH_DAYS) == 365 and YEAR == 365 * DAY
    assert cal.month_index(0) == 0
    assert cal.month_index(31 * DAY - 1e-6) == 0 and cal.month_index(31 * DAY) == 1  # 1 February
    assert cal.month_index(59 * DAY) == 2  # 1 March (28-day February)
    assert cal.month_index(364 * DAY) == 11 and cal.month_index(YEAR) == 0  # next year
    assert Calendar.month_number(YEAR + 40 * DAY) == 13  # February of the second year
    for n in (1, 11, 12, 25):
        start = Calendar.month_start(n)
        assert Calendar.month_number(start) == n
        assert Calendar.month_number(start - 1e-6) == n - 1
    assert Calendar.month_start(12) == YEAR


def test_day_hour_and_minute(cal):
    t = 3 * DAY + hhmm("13:45") + 0.5
    assert Calendar.day(t) == 3 and Calendar.hour(t) == 13 and Calendar.minute_of_day(t) == pytest.approx(825.5)


def test_daylight_by_month(cal):
    jan, jul = 10 * DAY, 190 * DAY
    assert not cal.is_daylight(jan + hhmm("05:30"))
    assert cal.is_daylight(jan + hhmm("06:00")) and not cal.is_daylight(jan + hhmm("18:00"))
    assert cal.is_daylight(jul + hhmm("05:30")) and cal.is_daylight(jul + hhmm("18:30"))
    assert cal.next_daylight(jan + hhmm("03:00")) == jan + hhmm("06:00")
    assert cal.next_daylight(jan + hhmm("12:00")) == jan + hhmm("12:00")
    assert cal.next_daylight(jan + hhmm("20:00")) == jan + DAY + hhmm("06:00")  # tomorrow
    # 30 June at night: the next sunrise is on 1 July, with July's sunrise.
    june30 = (181 - 1) * DAY
    assert cal.next_daylight(june30 + hhmm("22:00")) == 181 * DAY + hhmm("05:00")
    assert cal.daylight_left(jan + hhmm("17:00")) == 60 and cal.daylight_left(jan + hhmm("19:00")) == 0


DEPS = (hhmm("08:00"), hhmm("12:00"), hhmm("16:00"))
ALL = frozenset(range(1, 13))


@pytest.mark.parametrize(("t", "expected"), [
    (hhmm("07:00"), hhmm("08:00")),
    (hhmm("08:00"), hhmm("08:00")),  # a departure exactly now is still catchable
    (hhmm("08:00") + 0.001, hhmm("12:00")),
    (hhmm("16:30"), DAY + hhmm("08:00")),  # tomorrow's first
    (5 * DAY + hhmm("13:00"), 5 * DAY + hhmm("16:00")),
])
def test_next_departure(cal, t, expected):
    assert cal.next_departure(DEPS, ALL, t) == pytest.approx(expected)


def test_next_departure_with_month_filter(cal):
    summer = frozenset({7, 8})
    july1 = 181 * DAY
    assert cal.next_departure(DEPS, summer, 0.0) == july1 + hhmm("08:00")
    assert cal.next_departure(DEPS, summer, july1 - 1) == july1 + hhmm("08:00")
    aug31 = (212 + 30) * DAY
    assert cal.next_departure(DEPS, summer, aug31 + hhmm("17:00")) == YEAR + july1 + hhmm("08:00")  # next summer
    # A service running in February only, asked for late on 31 January.
    assert cal.next_departure(DEPS, frozenset({2}), 30 * DAY + hhmm("20:00")) == 31 * DAY + hhmm("08:00")


def test_next_departure_none(cal):
    assert cal.next_departure((), ALL, 0.0) is None
    assert cal.next_departure(DEPS, frozenset(), 0.0) is None
