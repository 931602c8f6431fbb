"""Air rescue: the helicopter's activation is the scenario's (ad hoc request) unless a policy sets its
own (standby), on a hand-made case in calm daylight whose times can be worked out by hand."""

from __future__ import annotations

import pytest
from sim_fixtures import archipelago, hhmm, world

from scenarios.errors import InputError
from scenarios.model import haversine_km
from scenarios.policy import resolve_policy
from sim.patient import NOT_COUNTED, Patient
from sim.transport import TransferCase

HELI = {"helicopter.count": 1, "helicopter.daylight_only": False, "helicopter.activation_min": 120.0,
        "helicopter.base_lat": 30.0, "helicopter.base_lon": 122.0, "helicopter.speed_kmh": 200.0,
        "helicopter.pickup_min": 10.0, "helicopter.handover_min": 5.0, "helicopter.destination": "hub"}


def _flight_min(s, a_latlon, b: str) -> float:
    return haversine_km(*a_latlon, *s.place_latlon(b)) / 200.0 * 60.0


def _fly(policy: dict) -> tuple[float, str]:
    """A patient on ``outer`` with only the helicopter: (arrival at its destination, place)."""
    w = world(archipelago([], params=HELI), policy={"helicopter_conditions": ["patient"], **policy})
    case, done = TransferCase(Patient(1, 0, 0, (1.0, 1.0, 0.5, 0.5, 0.5, 0.5), NOT_COUNTED, 0.0), True, place="outer"), {}

    def proc():
        yield w.env.timeout(hhmm("10:00"))
        reached = yield from w.transport.transfer(case, "hub")
        done["at"] = (w.env.now, reached)

    w.env.process(proc())
    w.env.run(until=2 * 1440)
    assert case.mode == "helicopter"
    return done["at"]


def test_activation_is_the_scenarios_unless_the_policy_sets_one():
    s = archipelago([], params=HELI)
    flights = (_flight_min(s, (30.0, 122.0), "outer") + 10.0 + _flight_min(s, s.place_latlon("outer"), "hub")
               + 5.0)
    ad_hoc, standby = _fly({}), _fly({"helicopter_activation_min": 30})
    assert ad_hoc == (pytest.approx(hhmm("10:00") + 120.0 + flights), "hub")
    assert standby == (pytest.approx(hhmm("10:00") + 30.0 + flights), "hub")
    assert resolve_policy(s, {}).helicopter_activation_min is None  # None: the scenario's 120


@pytest.mark.parametrize("value", [-5, "soon", 2000, float("inf"), True])
def test_bad_helicopter_activation_names_the_key(tiny, value):
    with pytest.raises(InputError) as e:
        resolve_policy(tiny, {"helicopter_activation_min": value})
    assert [p.place for p in e.value.problems] == ["policy.helicopter_activation_min"]
    assert "minutes from 0 to 1440" in e.value.problems[0].expected
