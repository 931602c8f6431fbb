"""Weekday timetables (``sea_links.csv`` ``days``): the weekday of each model day, the next sailing
on a link that keeps days off, the optimiser's mean wait over the week, and a routine traveller who
waits for the sailing day. Times are worked out by hand: day 0 is Monday 1 January (the default
``calendar.year_start_weekday`` 1), so day 2 is a Wednesday, day 3 a Thursday and day 9 the next
Wednesday; February 2024's first Wednesday is 7 February, day 37."""

from __future__ import annotations

import dataclasses

import pytest
from sim_fixtures import ALL_MONTHS, archipelago, hhmm, link, synthetic, world
from test_sim_journeys import FERRY, NOT_ADMITTED, OUTER, SERVICE_ROUTINE, journey, place

from scenarios.model import EVERY_DAY
from scenarios.routing import scheduled_trip
from scenarios.sailings import mean_wait_min, weekly_departures
from sim.calendar import DAY, YEAR, Calendar

MON, WED, THU, SAT = 0, 2, 3, 5
WEDNESDAY = frozenset({WED})
DEPS = (hhmm("07:00"),)


def _calendar(year_start_weekday: int = 1) -> Calendar:
    s = synthetic("mmc")
    p = s.parameters.with_values({"calendar.year_start_weekday": year_start_weekday})
    return Calendar(dataclasses.replace(s, parameters=p))


def test_weekday_of_model_days():
    cal = _calendar()
    assert [cal.weekday(d * DAY + 600.0) for d in range(8)] == [0, 1, 2, 3, 4, 5, 6, 0]
    assert cal.weekday(YEAR) == 1  # a model year has 365 days: the next one starts on a Tuesday
    assert _calendar(3).weekday(0.0) == WED and _calendar(7).weekday(DAY) == MON


@pytest.mark.parametrize(("t", "expected"), [
    (3 * DAY, 3 * DAY + 6 * DAY + hhmm("07:00")),  # Thursday 00:00: 6 days to Wednesday, then 07:00
    (3 * DAY + hhmm("10:00"), 9 * DAY + hhmm("07:00")),
    (2 * DAY + hhmm("06:00"), 2 * DAY + hhmm("07:00")),  # Wednesday before the sailing: today
    (2 * DAY + hhmm("07:00"), 2 * DAY + hhmm("07:00")),  # a departure exactly now is still catchable
    (2 * DAY + hhmm("07:01"), 9 * DAY + hhmm("07:00")),  # just missed: a week later
    (0.0, 2 * DAY + hhmm("07:00")),
])
def test_a_wednesday_link_sails_on_wednesdays_only(t, expected):
    assert _calendar().next_departure(DEPS, ALL_MONTHS, t, WEDNESDAY) == expected


def test_weekdays_and_months_together_and_the_year_start():
    cal = _calendar()
    assert cal.next_departure(DEPS, frozenset({2}), 0.0, WEDNESDAY) == 37 * DAY + hhmm("07:00")  # 7 February
    assert cal.next_departure(DEPS, ALL_MONTHS, 0.0, frozenset({THU, SAT})) == 3 * DAY + hhmm("07:00")
    # a year starting on a Wednesday (ISO 3): the Wednesday link sails on day 0
    assert _calendar(3).next_departure(DEPS, ALL_MONTHS, 0.0, WEDNESDAY) == hhmm("07:00")


def test_a_link_sailing_every_day_is_unchanged():
    cal, deps = _calendar(), (hhmm("08:00"), hhmm("12:00"), hhmm("16:00"))
    for t in (0.0, 479.0, 480.0, 481.0, 5 * DAY + 1000.0, 364 * DAY + 1430.0):
        assert cal.next_departure(deps, ALL_MONTHS, t, EVERY_DAY) == cal.next_departure(deps, ALL_MONTHS, t)
        assert cal.next_departure(deps, ALL_MONTHS, t, EVERY_DAY) == _calendar(5).next_departure(deps, ALL_MONTHS, t)


def test_the_timetable_plan_waits_for_the_sailing_day():
    wed = dataclasses.replace(link("outer_hub", "outer", "hub", "ferry", 30, ["08:00"]), days=WEDNESDAY)
    w = world(archipelago([wed], params={"ferry.board_min": 20.0}))
    opt = w.transport.timetable.plan("outer", "hub", 3 * DAY + hhmm("10:00"), book=False)  # Thursday
    assert [(leg.depart, leg.arrive) for leg in opt.legs] == [(9 * DAY + hhmm("08:00"), 9 * DAY + hhmm("08:30"))]
    opt = w.transport.timetable.plan("outer", "hub", 2 * DAY + hhmm("07:30"), book=True)  # boards 07:50 < 08:00
    assert opt.eta == 2 * DAY + hhmm("08:30")


def test_a_routine_traveller_waits_for_the_wednesday_boat():
    """Thursday 01:00 need, half a day to set out (13:00): the ferry of 08:00 and 14:00 sails on
    Wednesdays only, so the traveller sails next Wednesday at 08:00 and is seen on arrival."""
    from test_sim_no_clinic import _choice

    s, policy = place()
    links = tuple(dataclasses.replace(lk, days=WEDNESDAY) if lk.mode == "ferry" else lk for lk in s.links)
    s = _choice(dataclasses.replace(s, links=links), travel=1.0, days=0.5)
    t0 = 3 * DAY + 60.0
    k, ev = journey(s, policy(), [(t0, OUTER, "routine", NOT_ADMITTED)], days=12.0)
    sails = 9 * DAY + hhmm("08:00")
    assert ev == [(sails, 1, "sails_ferry", "outer"), (sails + FERRY + SERVICE_ROUTINE, 1, "definitive_care", "")]
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == sails + FERRY - t0
    assert sails - (t0 + 0.5 * DAY) == 6 * DAY - 5 * 60  # from Thursday 13:00 to Wednesday 08:00


def test_mean_wait_over_the_week():
    assert mean_wait_min(DEPS, WEDNESDAY) == 3.5 * DAY  # one sailing a week: half a week on average
    assert mean_wait_min(DEPS, frozenset({WED, SAT})) == pytest.approx((3**2 + 4**2) / 14 * DAY)  # gaps 3 and 4 days
    deps = (hhmm("08:00"), hhmm("14:00"))
    assert mean_wait_min(deps, EVERY_DAY) == (360**2 + 1080**2) / (2 * 1440) == mean_wait_min(deps)
    assert mean_wait_min(deps, frozenset(range(6))) > mean_wait_min(deps)  # a day off lengthens the wait
    assert mean_wait_min((), WEDNESDAY) == float("inf")
    assert weekly_departures(DEPS, frozenset({WED, SAT})) == (2 * 1440 + 420, 5 * 1440 + 420)


def test_the_optimisers_trip_sees_the_weekdays():
    daily = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00"])
    one_day = dataclasses.replace(daily, days=WEDNESDAY)
    assert scheduled_trip(archipelago([daily]), "outer", "hub").minutes == 720.0 + 30.0
    assert scheduled_trip(archipelago([one_day]), "outer", "hub").minutes == 3.5 * DAY + 30.0
