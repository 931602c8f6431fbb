"""The one place where the model clock (minutes from 1 January, 00:00) becomes calendar time.

A model year has 365 days; month lengths are those of a common year. Day 0 is 1 January, whose
weekday is the scenario's ``calendar.year_start_weekday``; weekdays then run on without a break (a
second model year starts one weekday later, as after a common year). Timetables (by month and
weekday), daylight, seasons and tourist numbers are all read through :class:`Calendar`.
"""

from __future__ import annotations

import bisect

from scenarios.model import EVERY_DAY, Scenario
from scenarios.units import DAY, MONTH_DAYS, YEAR

MONTH_START_DAY = tuple(sum(MONTH_DAYS[:k]) for k in range(12))
__all__ = ["DAY", "MONTH_DAYS", "MONTH_START_DAY", "YEAR", "Calendar"]


class Calendar:
    """Calendar queries on the model clock for one scenario."""

    def __init__(self, scenario: Scenario):
        self._sunrise = tuple(m.sunrise_min for m in scenario.months)
        self._sunset = tuple(m.sunset_min for m in scenario.months)
        self._day_month = []
        for m, n in enumerate(MONTH_DAYS):
            self._day_month += [m] * n
        self._weekday0 = scenario.parameters.calendar.year_start_weekday - 1  # ISO 1..7 -> 0 = Monday

    @staticmethod
    def day(t: float) -> int:
        """Whole days since the start (0-based)."""
        return int(t // DAY)

    @staticmethod
    def minute_of_day(t: float) -> float:
        return t % DAY

    @staticmethod
    def hour(t: float) -> int:
        return int((t % DAY) // 60)

    def month_index(self, t: float) -> int:
        """Calendar month 0..11 (January = 0)."""
        return self._day_month[int(t // DAY) % 365]

    @staticmethod
    def month_number(t: float) -> int:
        """Months since the start (0-based): the key of monthly output rows."""
        years, rest = divmod(int(t // DAY), 365)
        return years * 12 + bisect.bisect_right(MONTH_START_DAY, rest) - 1

    @staticmethod
    def month_start(month_number: int) -> float:
        years, m = divmod(month_number, 12)
        return years * YEAR + MONTH_START_DAY[m] * DAY

    def is_daylight(self, t: float) -> bool:
        m = self.month_index(t)
        return self._sunrise[m] <= t % DAY < self._sunset[m]

    def next_daylight(self, t: float) -> float:
        """``t`` if it is daylight, else the next sunrise."""
        if self.is_daylight(t):
            return t
        m = self.month_index(t)
        day0 = t - t % DAY
        if t % DAY < self._sunrise[m]:
            return day0 + self._sunrise[m]
        nxt = day0 + DAY
        return nxt + self._sunrise[self.month_index(nxt)]

    def daylight_left(self, t: float) -> float:
        """Minutes from ``t`` to sunset (0 at night)."""
        if not self.is_daylight(t):
            return 0.0
        return self._sunset[self.month_index(t)] - t % DAY

    def weekday(self, t: float) -> int:
        """Weekday of the model day holding ``t``: 0 = Monday ... 6 = Sunday."""
        return (self._weekday0 + int(t // DAY)) % 7

    def next_departure(self, departures: tuple[int, ...], months: frozenset[int], t: float,
                       days: frozenset[int] = EVERY_DAY, max_days: int = 400) -> float | None:
        """First scheduled departure at or after ``t`` on a day the timetable runs (its month in
        ``months``, its weekday in ``days``: the rule of ``scenarios.sailings``); None if none."""
        if not departures:
            return None
        day0 = t - t % DAY
        k = bisect.bisect_left(departures, t % DAY - 1e-9)
        weekly = len(days) < 7  # a daily link (most) skips the weekday test, at no cost per call
        wd = self.weekday(t) if weekly else 0
        for d in range(max_days):
            start = day0 + d * DAY
            if self.month_index(start) + 1 in months and (not weekly or (wd + d) % 7 in days):
                if k < len(departures):
                    return start + departures[k]
            k = 0
        return None
