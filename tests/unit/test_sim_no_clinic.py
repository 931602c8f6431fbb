"""Routine care on an island without a doctor: the choice between waiting for the circuit visit,
travelling by scheduled boat and forgoing (or phoning), on the two-island place of
test_sim_journeys.py (``outer`` has no doctor; ``hub`` has the hospital; a ferry outer -> hub at
08:00 and 14:00, 30 minutes, boarding 20 minutes before). Zero variability and calm weather: each
branch is forced by shares of 0 or 1, and times are asserted exactly."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from test_sim_journeys import FERRY, NOT_ADMITTED, OUTER, SERVICE_ROUTINE, journey, place

from scenarios.experiment import Experiment
from scenarios.model import Destination, SeaLink
from scenarios.routing import arrival_rates, arrivals_per_year, no_clinic_travel_target
from sim.model import IslandModel
from sim.no_clinic import NoClinicRouter

ALL_MONTHS = frozenset(range(1, 13))
CIRCUIT = {"outer": {"team": "team", "visits_per_month": 1, "days_per_visit": 1}}


def _choice(s, wait=0.0, travel=0.0, forgo=0.0, days=0.5, phone=0.0, demand=1.0):
    return dataclasses.replace(s, parameters=s.parameters.with_values({
        "routine.no_clinic_wait_share": wait, "routine.no_clinic_travel_share": travel,
        "routine.no_clinic_forgo_share": forgo, "routine.no_clinic_travel_wait_days": days,
        "routine.no_clinic_phone_resolved_share": phone, "routine.no_clinic_demand_factor": demand}))


def test_a_traveller_sets_out_after_the_delay_and_takes_the_next_ferry():
    s, policy = place()
    s = _choice(s, travel=1.0, days=0.5)
    t0 = 60.0  # 01:00; sets out at 13:00 (720 minutes later): the 14:00 ferry, at the hub 14:30
    k, ev = journey(s, policy(), [(t0, OUTER, "routine", NOT_ADMITTED)])
    seen = 14 * 60.0 + FERRY
    assert ev == [(14 * 60.0, 1, "sails_ferry", "outer"), (seen + SERVICE_ROUTINE, 1, "definitive_care", "")]
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == seen - t0
    assert k[("outer", "routine", "routine_travelled")] == 1 and k[("outer", "routine", "in_county_share")] == 1.0
    assert k[("outer", "all", "routine_travelled")] == k[("all", "all", "routine_travelled")] == 1
    assert k[("outer", "routine", "remote_consultations")] == 0


def test_a_traveller_whose_boat_goes_out_of_the_county_is_seen_there():
    """Tanhu's case: the only boat goes to a hospital outside the county (10 minutes by road there)."""
    s, policy = place()
    mainland = Destination("mainland", "m", "Mainland", 29.9, 122.0, 10.0, frozenset({"urgent", "routine"}))
    to_mainland = SeaLink("outer_mainland_ferry", "outer", "mainland", "ferry", 50.0, (8 * 60,), ALL_MONTHS, 10)
    s = _choice(dataclasses.replace(s, destinations=(mainland,), links=(to_mainland,)), travel=1.0, days=0.0)
    assert no_clinic_travel_target(s, policy(), "outer", "routine").place == "mainland"
    k, ev = journey(s, policy(), [(7 * 60.0, OUTER, "routine", NOT_ADMITTED)])
    seen = 8 * 60.0 + 50.0 + 10.0
    assert ev == [(8 * 60.0, 1, "sails_ferry", "outer"), (seen, 1, "definitive_care_out_of_county", "")]
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == seen - 7 * 60.0
    assert k[("outer", "routine", "in_county_share")] == 0.0 and k[("outer", "routine", "routine_travelled")] == 1


@pytest.mark.parametrize("phone, remote, without", [(1.0, 1, 0), (0.0, 0, 1)])
def test_forgoing_is_a_remote_consultation_or_no_care(phone, remote, without):
    s, policy = place()
    k, ev = journey(_choice(s, forgo=1.0, phone=phone), policy(), [(600.0, OUTER, "routine", NOT_ADMITTED)])
    assert ev == []  # nobody moves
    assert k[("outer", "routine", "remote_consultations")] == remote
    assert k[("outer", "routine", "left_without_care")] == without
    assert k[("outer", "routine", "completed")] == 1 and k[("outer", "routine", "routine_travelled")] == 0
    # a remote consultation is care from the county, with no consultation time recorded
    share = k[("outer", "routine", "in_county_share")]
    assert share == 1.0 if remote else np.isnan(share)  # nobody who went without care is in the share
    assert np.isnan(k[("outer", "routine", "time_to_definitive_care_min_mean")])


def test_those_who_wait_meet_todays_pathway_the_circuit_visit():
    s, policy = place()
    k, _ = journey(_choice(s, wait=1.0), policy(circuit=CIRCUIT), [(60.0, OUTER, "routine", NOT_ADMITTED)], days=3.0)
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == 7 * 60.0 + 40.0 - 60.0  # visit at 07:40
    assert ("outer", "routine", "routine_travelled") not in k  # wait share 1: the choice does not apply


def test_with_no_boat_to_care_the_travellers_wait():
    s, policy = place()
    s = _choice(dataclasses.replace(s, links=tuple(lk for lk in s.links if lk.mode != "ferry")), travel=1.0)
    assert no_clinic_travel_target(s, policy(), "outer", "routine") is None
    k, _ = journey(s, policy(circuit=CIRCUIT), [(60.0, OUTER, "routine", NOT_ADMITTED)], days=3.0)
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == 7 * 60.0 + 40.0 - 60.0
    assert k[("outer", "routine", "routine_travelled")] == 0


def test_the_choice_is_the_same_patients_under_every_policy():
    """Common random numbers: one stream per island, one draw pair per contact, whatever the policy does
    with those who wait (here: a monthly visit or none)."""
    s, policy = place()
    s = _choice(s, wait=0.45, travel=0.35, forgo=0.2, phone=0.5)
    patients = [(60.0 + 7 * n, OUTER, "routine", NOT_ADMITTED) for n in range(200)]
    a, _ = journey(s, policy(), patients, days=3.0)
    b, _ = journey(s, policy(circuit=CIRCUIT), patients, days=3.0)
    for metric in ("routine_travelled", "remote_consultations"):
        assert a[("outer", "routine", metric)] == b[("outer", "routine", metric)] > 0
    assert 0.25 < a[("outer", "routine", "routine_travelled")] / 200 < 0.45


def test_islands_with_a_doctor_do_not_choose():
    s, policy = place()
    s = _choice(s, travel=1.0)
    model = IslandModel(s, policy(), Experiment(horizon_days=1.0, warmup_days=0.0, replications=1, seed=1,
                                                workers=1, progress=False), 0)
    router = NoClinicRouter(model.ctx, model.pathways)

    def today(_pt):
        return None

    hub, routine, urgent = 1, s.condition_ids.index("routine"), s.condition_ids.index("urgent")
    assert router.route(hub, routine, today) is today  # the hospital treats it
    assert router.route(OUTER, urgent, today) is today  # urgent care has no choice
    assert router.route(OUTER, routine, today) is not today


def test_demand_without_a_resident_doctor_is_the_rate_times_the_factor():
    """The shared rule (scenarios.routing.arrival_rates): the optimiser sees the same demand."""
    s, _ = place()
    s = dataclasses.replace(s, conditions=tuple(dataclasses.replace(c, incidence_per_1000=(0.0, 100.0, 0.0, 0.0))
                                                for c in s.conditions))
    full, reduced = arrival_rates(s), arrival_rates(_choice(s, wait=1.0, demand=0.6))
    routine, urgent = s.condition_ids.index("routine"), s.condition_ids.index("urgent")
    assert np.allclose(reduced[(OUTER, routine)], 0.6 * full[(OUTER, routine)], rtol=1e-15)
    assert np.array_equal(reduced[(OUTER, urgent)], full[(OUTER, urgent)])  # urgent demand as it was
    assert np.array_equal(reduced[(1, routine)], full[(1, routine)])  # the hub has its resident doctor
    # 1,000 residents aged 15-59 x 100 contacts per 1,000 a year x 0.6
    assert arrivals_per_year(_choice(s, wait=1.0, demand=0.6))[("outer", "routine")] == pytest.approx(60.0, rel=1e-12)
