"""The program counts the routine patients of islands without a doctor as the simulation does: the
small-island choice's shares (scenarios.routing.no_clinic_routine_shares, the rule sim/no_clinic.py
draws from) and the circuit visits' capacity, by hand on the two-island place of test_sim_journeys.py
(``outer`` has no doctor, ``hub`` the hospital, a ferry outer -> hub)."""

from __future__ import annotations

import dataclasses

import pytest
from test_sim_journeys import place
from test_sim_no_clinic import _choice

from optimize.pieces import CircuitIsland
from scenarios.model import Destination, SeaLink
from scenarios.routing import no_clinic_routine_shares

ALL_MONTHS = frozenset(range(1, 13))


def _routine_leaves(s, share: float):
    conds = tuple(dataclasses.replace(c, out_of_county_share=share) if c.id == "routine" else c for c in s.conditions)
    return dataclasses.replace(s, conditions=conds)


def test_shares_follow_the_choice_and_where_the_boat_goes():
    s, policy = place()
    s = _routine_leaves(_choice(s, wait=0.45, travel=0.35, forgo=0.2, phone=0.5), 0.1)
    # the ferry reaches the hub's hospital (in the county): travellers less those leaving the county, and the phone
    assert no_clinic_routine_shares(s, policy(), "outer", "routine") == pytest.approx((0.45, 0.35 * 0.9 + 0.2 * 0.5))
    mainland = Destination("mainland", "m", "Mainland", 29.9, 122.0, 10.0, frozenset({"urgent", "routine"}))
    away = SeaLink("outer_mainland_ferry", "outer", "mainland", "ferry", 50.0, (8 * 60,), ALL_MONTHS, 10)
    tanhu = dataclasses.replace(s, destinations=(mainland,), links=(away,))  # Tanhu's case: care out of the county
    assert no_clinic_routine_shares(tanhu, policy(), "outer", "routine") == pytest.approx((0.45, 0.1))
    cut_off = dataclasses.replace(s, links=())  # no boat to care: the travellers wait for the visit
    assert no_clinic_routine_shares(cut_off, policy(), "outer", "routine") == pytest.approx((0.8, 0.1))
    today = _choice(place()[0], wait=1.0)  # today's pathways (tiny, synthetic): everyone waits
    assert no_clinic_routine_shares(today, policy(), "outer", "routine") == pytest.approx((1.0, 0.0))


def test_circuit_island_value_by_hand():
    c = CircuitIsland("x", "team", 3, 1, True, demand=100.0, per_visit=30.0, waiting=50.0, without_visit=20.0)
    assert c.value(0, 0) == 20.0  # the travellers and the phone only
    assert c.value(1, 0) == 50.0 and c.value(2, 0) == 70.0  # + the visits' consultations ...
    assert c.value(3, 0) == 70.0  # ... up to the patients who wait for them
    assert c.value(0, 1) == 100.0  # a resident doctor: everyone, at most the need
    old = CircuitIsland("x", "team", 3, 1, True, demand=100.0, per_visit=30.0)  # defaults: the visits alone
    assert old.value(2, 0) == 60.0 and old.value(5, 0) == 100.0
