"""sim.transport: timetable planning, seats, cancelled sailings, weather delay, boats and the helicopter,
on hand-made timetables whose answers can be worked out by hand."""

from __future__ import annotations

import pytest
from sim_fixtures import archipelago, hhmm, link, world

from scenarios.routing import reachable_by_schedule
from sim.patient import NOT_COUNTED, Patient
from sim.transport import KNOT_KMH, TransferCase

MID = ("mid", 30.05, 122.05)


def _case(pid: int = 1, place: str = "outer", emergency: bool = True, heli: bool = False) -> TransferCase:
    patient = Patient(pid, 0, 0, (1.0, 1.0, 0.5, 0.5, 0.5, 0.5), NOT_COUNTED, 0.0)
    return TransferCase(patient, heli, place=place, emergency=emergency)


def _transfer(w, case, target, start: float, done: dict):
    def proc():
        yield w.env.timeout(start - w.env.now)
        reached = yield from w.transport.transfer(case, target)
        done[case.patient.id] = (w.env.now, reached)

    w.env.process(proc())


# --- planning over a timetable ------------------------------------------------------------------------

TIMETABLE = [
    link("outer_mid", "outer", "mid", "ferry", 60, ["08:00", "12:00"]),
    link("mid_hub", "mid", "hub", "ferry", 30, ["09:30", "13:30"]),
    link("outer_hub", "outer", "hub", "fast_boat", 20, ["14:00"]),
]


@pytest.mark.parametrize(("start", "arrive", "legs"), [
    ("07:00", hhmm("10:00"), ["outer_mid", "mid_hub"]),  # 08:00 -> 09:00, 09:30 -> 10:00
    ("08:30", hhmm("14:00"), ["outer_mid", "mid_hub"]),  # 12:00 -> 13:00, 13:30 -> 14:00 beats 14:20
    ("13:00", hhmm("14:20"), ["outer_hub"]),  # the direct boat; via mid only tomorrow
    ("14:30", 1440 + hhmm("10:00"), ["outer_mid", "mid_hub"]),  # nothing left today
])
def test_timetable_plan_finds_the_earliest_arrival(start, arrive, legs):
    w = world(archipelago(TIMETABLE, [MID]))
    plan = w.transport.timetable.plan("outer", "hub", hhmm(start))
    assert plan.eta == pytest.approx(arrive)
    assert [leg.link_id for leg in plan.legs] == legs
    assert plan.mode == "scheduled"
    # Legs chain in time: each departs after the previous one arrived.
    for a, b in zip(plan.legs, plan.legs[1:], strict=False):
        assert b.depart >= a.arrive


def test_plan_respects_boarding_time_and_unreachable_targets():
    w = world(archipelago(TIMETABLE, [MID], params={"ferry.board_min": 45.0}))
    # At 07:30 the 08:00 sailing needs boarding by 07:15, so via mid it is 12:00 -> 13:00, too late to
    # board the 13:30 (13:45): the direct 14:00 boat wins (board by 13:15).
    plan = w.transport.timetable.plan("outer", "hub", hhmm("07:30"))
    assert [(leg.link_id, leg.depart) for leg in plan.legs] == [("outer_hub", hhmm("14:00"))]
    # From 07:00 the 08:00 is caught; at mid (09:00) the 09:30 is missed (board by 08:45): 13:30 -> 14:00.
    early = w.transport.timetable.plan("outer", "hub", hhmm("07:00"))
    assert [(leg.link_id, leg.depart) for leg in early.legs] == [("outer_mid", hhmm("08:00")), ("mid_hub", hhmm("13:30"))]
    assert w.transport.timetable.plan("hub", "outer", 0.0) is None  # no link back
    assert reachable_by_schedule(w.scenario, "outer", "hub")  # the shared rule (scenarios.routing)
    assert not reachable_by_schedule(w.scenario, "hub", "outer")


def test_timetable_months_are_respected():
    summer = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00"], months={7, 8})
    w = world(archipelago([summer]))
    # From 1 January the first sailing is 1 July 08:00 (day 181 of a common year).
    plan = w.transport.timetable.plan("outer", "hub", 0.0)
    assert plan.legs[0].depart == 181 * 1440 + hhmm("08:00")


def test_seat_capacity_is_respected_for_emergencies_only():
    small = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00", "12:00", "16:00"], capacity=1)
    w = world(archipelago([small]))
    done: dict = {}
    cases = [_case(1), _case(2), _case(3, emergency=False)]
    for c in cases:
        _transfer(w, c, "hub", hhmm("07:00"), done)
    w.env.run(until=1440)
    assert done[1] == (hhmm("08:30"), "hub")
    assert done[2] == (hhmm("12:30"), "hub")  # the 08:00 seat is taken
    assert done[3] == (hhmm("08:30"), "hub")  # a routine passenger needs no patient seat
    assert [c.ferry_wait_min for c in cases] == [60.0, 300.0, 60.0]
    assert all(c.mode == "ferry" and c.weather_min == 0 for c in cases)


# --- weather: cancelled sailings, weather delay ----------------------------------------------------------

def test_sailing_closed_at_departure_is_cancelled_and_replanned():
    ferry = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00", "12:00"])
    w = world(archipelago([ferry]))
    case, done = _case(), {}
    _transfer(w, case, "hub", hhmm("07:00"), done)
    w.at(hhmm("07:30"), w.close_sea)
    w.at(hhmm("10:00"), w.open_sea)
    w.env.run(until=1440)
    cancelled = [e for e in w.events if e[2] == "sailing_cancelled"]
    assert [e[0] for e in cancelled] == [hhmm("08:00")]
    assert done[1] == (hhmm("12:30"), "hub")
    assert case.weather_min == pytest.approx(150.0)  # closed 07:30-10:00 while waiting
    assert case.ferry_wait_min == pytest.approx(60.0 + 120.0)  # 07:00-08:00 (cancelled), 10:00-12:00
    assert w.transport.timetable.bookings.get(("outer_hub", hhmm("08:00")), 0) == 0  # the cancelled seat is freed


def test_road_reaches_the_target_whatever_the_weather():
    road = link("outer_hub_road", "outer", "hub", "road", 25)
    w = world(archipelago([road]), weather="closed")
    case, done = _case(), {}
    _transfer(w, case, "hub", 100.0, done)
    w.env.run(until=1440)
    assert done[1] == (125.0, "hub")
    assert case.mode == "road" and case.weather_min == 0


def test_a_bridge_is_no_way_out_when_the_sea_is_closed():
    """Islands joined by a bridge (like Gouqi and Shengshan): with the sea closed the patient is stuck,
    and every minute counts as weather delay; crossing the bridge to a pier whose boats cannot sail
    is no progress, so the patient does not shuttle over the bridge from one cancelled sailing to the next."""
    links = [
        link("outer_mid_road", "outer", "mid", "road", 10), link("mid_outer_road", "mid", "outer", "road", 10),
        link("outer_hub", "outer", "hub", "ferry", 30, ["13:00"]), link("mid_hub", "mid", "hub", "ferry", 30, ["08:00"]),
    ]
    w = world(archipelago(links, [MID]), weather="closed")
    case, done = _case(), {}
    _transfer(w, case, "hub", 60.0, done)
    w.env.run(until=2 * 1440)
    w.transport.watch.settle()
    assert not done
    assert not [e for e in w.events if e[2] == "sailing_cancelled"]
    assert case.place == "outer"
    assert case.weather_min == pytest.approx(2 * 1440 - 60.0)


def test_weather_delay_stops_when_any_allowed_mode_can_go():
    """A patient stuck while everything is closed accrues delay only while no allowed mode can operate."""
    ferry = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00", "20:00"])
    w = world(archipelago([ferry]), weather="closed")
    case, done = _case(), {}
    _transfer(w, case, "hub", hhmm("06:00"), done)
    w.at(hhmm("09:00"), w.open_sea)
    w.env.run(until=1440)
    assert case.weather_min == pytest.approx(180.0)  # 06:00-09:00
    assert done[1] == (hhmm("20:30"), "hub")


# --- ambulance boat and helicopter --------------------------------------------------------------------------

BOAT_PARAMS = {"boat.dispatch_min": 10.0, "boat.load_min": 5.0, "boat.handover_min": 5.0}


def _boat_world():
    w = world(archipelago([], params=BOAT_PARAMS, boats=1), policy={"boats": {"outer": 1}})
    crossing = w.scenario.distance_km("outer", "hub") / (20 * KNOT_KMH) * 60.0
    return w, crossing


def test_boat_transfer_takes_dispatch_load_crossing_and_handover():
    w, crossing = _boat_world()
    case, done = _case(), {}
    _transfer(w, case, "hub", 100.0, done)
    w.env.run(until=1440)
    assert done[1][0] == pytest.approx(100.0 + 10 + 5 + crossing + 5)
    assert case.mode == "boat"
    boat = w.transport.boats[0]
    assert not boat.busy and boat.free_at == pytest.approx(100.0 + 20 + 2 * crossing)  # back at base


def test_second_patient_waits_for_the_only_boat():
    w, crossing = _boat_world()
    done: dict = {}
    _transfer(w, _case(1), "hub", 100.0, done)
    _transfer(w, _case(2), "hub", 101.0, done)
    w.env.run(until=1440)
    back = 100.0 + 20 + 2 * crossing
    assert done[2][0] == pytest.approx(back + 20 + crossing)


def test_boat_waits_at_the_pier_while_the_sea_is_closed():
    w, crossing = _boat_world()
    case, done = _case(), {}
    _transfer(w, case, "hub", 100.0, done)
    w.at(112.0, w.close_sea)  # closes during loading
    w.at(300.0, w.open_sea)
    w.env.run(until=1440)
    assert done[1][0] == pytest.approx(300.0 + crossing + 5)


def test_helicopter_flies_in_daylight_only():
    params = {"helicopter.count": 1, "helicopter.daylight_only": True, "helicopter.activation_min": 10.0,
              "helicopter.base_lat": 30.0, "helicopter.base_lon": 122.0, "helicopter.speed_kmh": 200.0}
    w = world(archipelago([], params=params))  # daylight 06:00-18:00 in the synthetic months
    tr = w.transport
    at_night = tr._heli_option("outer")
    assert at_night is None
    w.env.run(until=hhmm("10:00"))
    day = tr._heli_option("outer")
    assert day is not None and day.mode == "helicopter" and day.target == "mainland"
    w.close_sea()
    assert tr._heli_option("outer") is None  # force 12 grounds it
