"""When a timetabled link sails: its departures on the weekdays of its ``days`` (``sea_links.csv``).

One rule for the simulation and the optimiser: a link of ``sea_links.csv`` sails at each of its
``departures_min`` on every day whose month is in its ``months`` and whose weekday is in its ``days``
(0 = Monday; every day unless the table says otherwise, e.g. Tanhu's boat to Shanghai on Wednesday
and Saturday). The simulation applies it day by day (``sim.calendar.Calendar.next_departure``, which
also knows the weekday of each model day); the optimiser's long-run trips
(``scenarios.routing.scheduled_trip``) take the mean wait for a sailing over the week,
:func:`mean_wait_min`.
"""

from __future__ import annotations

from scenarios.model import EVERY_DAY
from scenarios.units import DAY

WEEK = 7 * DAY


def sails_every_day(days: frozenset[int]) -> bool:
    """True when the link keeps no weekday off (the callers' fast path: nothing to skip)."""
    return len(days) == 7


def weekly_departures(departures_min: tuple[int, ...], days: frozenset[int] = EVERY_DAY) -> tuple[int, ...]:
    """Every departure of a week as minutes from Monday 00:00, in order."""
    return tuple(d * DAY + m for d in sorted(days) for m in sorted(departures_min))


def mean_wait_min(departures_min: tuple[int, ...], days: frozenset[int] = EVERY_DAY) -> float:
    """Mean minutes to the next departure for someone arriving at a uniformly random time of the week.

    The mean residual of the gaps between departures, sum of gap^2 / (2 x period): over a day for a
    link that sails every day, over the week otherwise (a link sailing on Wednesday at 07:00 only
    has a mean wait of 3.5 days). ``inf`` without departures or days.
    """
    if not departures_min or not days:
        return float("inf")
    every_day = sails_every_day(days)
    deps = sorted(departures_min) if every_day else weekly_departures(departures_min, days)
    period = DAY if every_day else WEEK  # a daily link keeps today's daily formula, to the last bit
    gaps = [b - a for a, b in zip(deps, deps[1:], strict=False)] + [deps[0] + period - deps[-1]]
    return sum(g * g for g in gaps) / (2.0 * period)

