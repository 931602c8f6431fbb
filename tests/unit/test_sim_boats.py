"""Emergency boats: ad hoc and dedicated kinds, each boat's own dispatch delay, the share of calls for
which an ad hoc boat is found, and the policy's dedicated boats, on hand-made scenarios whose times
can be worked out by hand (calm sea, fixed times)."""

from __future__ import annotations

import dataclasses

import pytest
from sim_fixtures import archipelago, hhmm, link, world

from scenarios.model import BoatBase
from scenarios.policy import resolve_policy
from scenarios.routing import FleetBoat, boat_fleet
from sim.patient import NOT_COUNTED, Patient
from sim.transport import KNOT_KMH, TransferCase

PARAMS = {"boat.dispatch_min": 30.0, "boat.dedicated_dispatch_min": 15.0, "boat.load_min": 5.0,
          "boat.handover_min": 5.0}


def _scenario(kind: str = "ad_hoc", dispatch: float | None = 40.0, availability: float = 1.0, links=(), boats=1):
    """The synthetic ferry case with one base (``outer``) of the given kind."""
    s = archipelago(list(links), params=PARAMS)
    return dataclasses.replace(s, boat_bases=(BoatBase("outer", boats, 20.0, kind, dispatch, availability),))


def _crossing(s) -> float:
    return s.distance_km("outer", "hub") / (20 * KNOT_KMH) * 60.0


def _patient(pid: int = 1, u_seed: float = 0.5) -> Patient:
    return Patient(pid, 0, 0, (1.0, 1.0, 0.5, 0.5, 0.5, u_seed), NOT_COUNTED, 0.0)


def _transfer(w, case, start: float, done: dict):
    def proc():
        yield w.env.timeout(start - w.env.now)
        reached = yield from w.transport.transfer(case, "hub")
        done[case.patient.id] = (w.env.now, reached, case.mode)

    w.env.process(proc())


# --- the fleet rule (scenarios.routing.boat_fleet) ------------------------------------------------------
def test_fleet_takes_each_rows_kind_dispatch_and_availability():
    s = _scenario("ad_hoc", 40.0, 0.9, boats=2)
    p = resolve_policy(s, {"dedicated_boats": {"outer": 1}})
    assert boat_fleet(s, p) == [FleetBoat("outer", "ad_hoc", 20.0, 40.0, 0.9)] * 2 + [
        FleetBoat("outer", "dedicated", 20.0, 15.0, 1.0)]  # added: boat.dedicated_dispatch_min, always found


def test_fleet_falls_back_to_the_scenarios_dispatch_and_a_dedicated_rows_own():
    s = _scenario("dedicated", None)
    p = resolve_policy(s, {"dedicated_boats": {"outer": 1}})
    # no dispatch_min in the row: boat.dispatch_min (30) for the row's boat and the boat added to it
    assert boat_fleet(s, p) == [FleetBoat("outer", "dedicated", 20.0, 30.0, 1.0)] * 2
    assert boat_fleet(s, resolve_policy(s, {"boats": {"outer": 0}})) == []


# --- transfers ------------------------------------------------------------------------------------------
def test_ad_hoc_boat_takes_its_own_dispatch():
    s = _scenario("ad_hoc", 40.0)
    w = world(s)
    case, done = TransferCase(_patient(), False, place="outer"), {}
    _transfer(w, case, 100.0, done)
    w.env.run(until=1440)
    assert done[1] == (pytest.approx(100.0 + 40 + 5 + _crossing(s) + 5), "hub", "boat")
    assert w.transport.boats[0].free_at == pytest.approx(100.0 + 40 + 10 + 2 * _crossing(s))


def test_the_quickest_boat_goes_a_dedicated_one_before_the_ad_hoc_one():
    s = _scenario("ad_hoc", 40.0)
    w = world(s, policy={"dedicated_boats": {"outer": 1}})
    case, done = TransferCase(_patient(), False, place="outer"), {}
    _transfer(w, case, 100.0, done)
    w.env.run(until=1440)
    assert done[1][0] == pytest.approx(100.0 + 15 + 5 + _crossing(s) + 5)
    ad_hoc, dedicated = w.transport.boats
    assert (ad_hoc.kind, dedicated.kind) == ("ad_hoc", "dedicated")
    assert ad_hoc.free_at == 0.0 and dedicated.free_at > 0  # only the dedicated boat sailed


def test_an_ad_hoc_boat_never_found_leaves_the_scheduled_ferry():
    """availability 0: no call finds the boat; the patient takes the 08:00 ferry (30 min)."""
    ferry = link("outer_hub", "outer", "hub", "ferry", 30, ["08:00"])
    w = world(_scenario("ad_hoc", 40.0, 0.0, links=[ferry]))
    case, done = TransferCase(_patient(), False, place="outer"), {}
    _transfer(w, case, hhmm("06:00"), done)
    w.env.run(until=1440)
    assert done[1] == (hhmm("08:30"), "hub", "ferry")
    assert w.transport.boats[0].free_at == 0.0
    assert case.weather_min == 0.0  # the sea was open: waiting for the ferry is no weather delay


def test_a_call_no_free_boat_is_found_for_waits_without_holding_up_the_boats():
    """The ad hoc boat is never found: the second patient waits for the dedicated boat to come back
    although the ad hoc boat lies free."""
    s = _scenario("ad_hoc", 40.0, 0.0)
    w = world(s, policy={"dedicated_boats": {"outer": 1}})
    done: dict = {}
    _transfer(w, TransferCase(_patient(1), False, place="outer"), 100.0, done)
    _transfer(w, TransferCase(_patient(2), False, place="outer"), 101.0, done)
    w.env.run(until=1440)
    back = 100.0 + 15 + 10 + 2 * _crossing(s)
    assert done[1][0] == pytest.approx(100.0 + 15 + 5 + _crossing(s) + 5)
    assert done[2][0] == pytest.approx(back + 15 + 5 + _crossing(s) + 5)
    assert w.transport.boats[0].free_at == 0.0


def test_whether_a_boat_is_found_is_the_patients_own_draw():
    """The same patient meets the same luck under every policy; about the availability of calls find it."""
    s = _scenario("ad_hoc", 40.0, 0.5)
    one, two = world(s).transport, world(s, policy={"dedicated_boats": {"outer": 2}}).transport
    draws = [one.found_draw(_patient(k, k / 997), "outer") for k in range(1, 997)]
    assert draws == [two.found_draw(_patient(k, k / 997), "outer") for k in range(1, 997)]
    assert 0.45 < sum(u < 0.5 for u in draws) / len(draws) < 0.55
    assert one.found_draw(_patient(1, 0.3), "outer") != one.found_draw(_patient(1, 0.3), "hub")  # per place
    always = world(_scenario("ad_hoc", 40.0, 1.0)).transport
    assert always.found_draw(_patient(), "outer") == 0.0 and always.found_boats(0.99) == always.boats


def test_first_clinician_by_boat_is_the_quickest_found_boats_dispatch_and_crossing():
    s = _scenario("ad_hoc", 40.0, 0.0)
    tr = world(s).transport
    assert tr.boat_arrival_min("hub", _patient()) is None  # the only boat is never found
    tr = world(s, policy={"dedicated_boats": {"outer": 1}}).transport
    assert tr.boat_arrival_min("hub", _patient()) == pytest.approx(15 + _crossing(s))
