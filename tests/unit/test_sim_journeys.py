"""Single-patient journeys with zero variability and calm weather, whose times are worked out by hand
(in the style of treat-sim's deterministic pathway tests).

The place: ``outer`` (no doctor; the ambulance boat's base) and ``hub`` (the hospital), 40 minutes
apart by ambulance boat, a ferry outer -> hub at 08:00 and 14:00 (30 minutes), the mainland 60
minutes from the hub by boat. Demand is zero: each test creates its patients itself
(``IslandModel.spawn``) and reads the event log and the KPI rows, asserted exactly.
"""

from __future__ import annotations

import dataclasses

import pytest

from scenarios.experiment import Experiment
from scenarios.model import CircuitTeam, Condition, Destination, Facility, Island, OutcomeCurve, SeaLink
from scenarios.policy import resolve_policy
from scenarios.synthetic import build_synthetic
from scenarios.units import ARREST
from sim.model import IslandModel

ROAD_OUTER, ROAD_HUB = 5.0, 8.0
DISPATCH, LOAD, HANDOVER, BOARD = 20.0, 10.0, 5.0, 20.0
BOAT_OUTER_HUB, BOAT_HUB_MAINLAND, FERRY = 40.0, 60.0, 30.0
SERVICE_URGENT, SERVICE_ROUTINE, SERVICE_ARREST = 30.0, 15.0, 30.0
STAY = 2 * 1440.0
ALL_MONTHS = frozenset(range(1, 13))
# draws: service, stay, u_admit, u_tertiary, u_escalate, u_seed (admitted when u_admit < admit_share;
# u_tertiary 0.99 never needs care outside the county; u_escalate 0.99 never escalates)
ADMITTED = (0.0, 0.99, 0.99, 0.5)
NOT_ADMITTED = (0.99, 0.99, 0.99, 0.5)


def _condition(cid: str, urgent: bool, service: float, admit: float = 0.0, target: float = 60.0,
               curve: str | None = None) -> Condition:
    return Condition(id=cid, name=cid, urgent=urgent, incidence_per_1000=(0.0, 0.0, 0.0, 0.0), target_min=target,
                     service_min=service, service_cv=0.0, admit_share=admit, los_days=STAY / 1440.0, los_cv=0.0,
                     out_of_county_share=0.0, outcome_curve=curve, time_of_day="flat")


def _island(iid: str, lat: float, lon: float, road: float) -> Island:
    return Island(id=iid, name_zh=iid, name_en=iid, lat=lat, lon=lon, area_km2=5.0, settled_area_km2=1.0,
                  population=1000, age_shares=(0.0, 1.0, 0.0, 0.0), tourists_summer=0, resident_doctor=iid == "hub",
                  weather_area="sea", road_min=road, aeds=0, referral="hospital", tertiary="mainland")


def _link(a: str, b: str, mode: str, minutes: float, departures=()) -> SeaLink:
    return SeaLink(f"{a}_{b}_{mode}", a, b, mode, minutes, tuple(departures), ALL_MONTHS, 10)


def place(beds: int = 10, doctors: int = 2):
    """The two-island place (a Scenario) and a function making a policy for it."""
    s = build_synthetic({"kind": "ferry", "arrival_rate_per_hour": 1.0, "headway_min": 60.0, "servers": 1,
                         "mean_service_min": 1.0, "service_cv": 0.0, "urgent_rate_per_hour": 0.0,
                         "mean_stay_days": 1.0, "beds": 1})
    hospital = Facility(id="hospital", island="hub", name_zh="h", name_en="Hospital", kind="county_hospital",
                        beds=beds, doctors=doctors, night_doctors=doctors, nurses=0, opens_min=0, closes_min=1440,
                        treats=frozenset({"urgent", "routine", ARREST}))
    links = (_link("outer", "hub", "ambulance_boat", BOAT_OUTER_HUB), _link("hub", "outer", "ambulance_boat", BOAT_OUTER_HUB),
             _link("hub", "mainland", "ambulance_boat", BOAT_HUB_MAINLAND),
             _link("mainland", "hub", "ambulance_boat", BOAT_HUB_MAINLAND),
             _link("outer", "mainland", "ambulance_boat", BOAT_OUTER_HUB + BOAT_HUB_MAINLAND),
             _link("mainland", "outer", "ambulance_boat", BOAT_OUTER_HUB + BOAT_HUB_MAINLAND),
             _link("outer", "hub", "ferry", FERRY, (8 * 60, 14 * 60)))
    certain = OutcomeCurve("certain", (0.0, 1.0), (1.0, 1.0))  # every arrest survives: nothing random
    scenario = dataclasses.replace(
        s, islands=(_island("outer", 30.1, 122.1, ROAD_OUTER), _island("hub", 30.0, 122.0, ROAD_HUB)),
        facilities=(hospital,),
        destinations=(Destination("mainland", "m", "Mainland", 29.9, 122.0, 0.0, frozenset({"urgent"})),),
        links=links,
        boat_bases=(dataclasses.replace(s.boat_bases[0], base="outer", boats=1),),
        conditions=(_condition("urgent", True, SERVICE_URGENT, admit=1.0, target=120.0),
                    _condition("routine", False, SERVICE_ROUTINE),
                    _condition(ARREST, True, SERVICE_ARREST, target=10.0, curve="certain")),
        curves={**s.curves, "certain": certain},
        circuit_teams=(CircuitTeam("team", "hub", 2, 10.0),),
        parameters=s.parameters.with_values({
            "boat.dispatch_min": DISPATCH, "boat.load_min": LOAD, "boat.handover_min": HANDOVER,
            "ferry.board_min": BOARD, "ohca.curve_cpr": "certain", "ohca.curve_no_cpr": "certain",
            "ohca.nonshockable_survival": 1.0, "ohca.share_at_home": 1.0, "ohca.aed_home_access_share": 0.0,
            "ohca.collapse_to_call_min": 2.0, "ohca.clinician_dispatch_min": 5.0, "circuit.depart_hour": 7.0,
            "circuit.escalation_share": 0.0}),
    )
    return scenario, lambda **cfg: resolve_policy(scenario, {"name": "test", **cfg})


def journey(scenario, policy, patients, days: float = 5.0):
    """Run the model with only ``patients``: (time, island index, condition id, uniforms) each.
    Returns the KPI rows as a dict and the event log as (time, patient id, event, place) tuples."""
    exp = Experiment(horizon_days=days, warmup_days=0.0, replications=1, seed=1, workers=1, progress=False,
                     event_log=True)
    model = IslandModel(scenario, policy, exp, 0)
    cid = scenario.condition_ids

    def arrive(t, island, condition, uniforms):
        yield model.ctx.env.timeout(t)
        c = cid.index(condition)
        cond = scenario.conditions[c]
        model.spawn(island, c, cond.service_min, cond.los_days * 1440.0, uniforms)

    for t, island, condition, uniforms in patients:
        model.ctx.env.process(arrive(t, island, condition, uniforms))
    res = model.run()
    kpis = {(r.island, r.condition, r.metric): r.value for r in res.kpis.itertuples()}
    events = [(e.time_min, e.patient, e.event, e.place) for e in res.events.itertuples()]
    return kpis, events


OUTER, HUB = 0, 1


def test_urgent_by_boat_is_road_dispatch_load_crossing_handover_road_service():
    s, policy = place()
    t0 = 100.0
    k, ev = journey(s, policy(), [(t0, OUTER, "urgent", ADMITTED)])
    at_pier = t0 + ROAD_OUTER  # no doctor on outer: the boat comes (it is based there)
    definitive = at_pier + DISPATCH + LOAD + BOAT_OUTER_HUB + HANDOVER + ROAD_HUB
    assert ev == [(at_pier, 1, "transfer_requested", "outer"), (at_pier, 1, "boat_dispatched", "outer"),
                  (at_pier + DISPATCH + LOAD, 1, "boat_sails", "outer"),
                  (definitive + SERVICE_URGENT, 1, "definitive_care", "")]
    assert k[("outer", "urgent", "time_to_definitive_care_min_mean")] == definitive - t0
    assert k[("outer", "urgent", "wait_min_mean")] == definitive - t0  # first clinician: at the hospital
    assert k[("outer", "urgent", "transfers_boat")] == 1 and k[("outer", "urgent", "in_county_share")] == 1.0
    assert k[("outer", "urgent", "within_target_share")] == 1.0  # 88 minutes against a 120-minute target
    assert k[("all", "all", "arrivals")] == k[("all", "all", "completed")] == 1


def test_routine_patient_takes_the_next_ferry_to_the_hospital():
    s, policy = place()
    t0 = 7 * 60.0  # 07:00: the 08:00 ferry can still be boarded (20 minutes before)
    k, ev = journey(s, policy(), [(t0, OUTER, "routine", NOT_ADMITTED)])
    seen = 8 * 60.0 + FERRY  # no road: routine patients walk from the pier to the clinic
    assert ev == [(8 * 60.0, 1, "sails_ferry", "outer"), (seen + SERVICE_ROUTINE, 1, "definitive_care", "")]
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == seen - t0
    # a routine passenger is not an emergency transfer: no transfer counted, no seat booked
    assert k[("outer", "routine", "transfers_ferry")] == 0
    # too late for the 08:00 (boarding closes 07:40): the 14:00 sailing
    k2, _ = journey(s, policy(), [(7 * 60.0 + 45.0, OUTER, "routine", NOT_ADMITTED)])
    assert k2[("outer", "routine", "time_to_definitive_care_min_mean")] == 14 * 60.0 + FERRY - (7 * 60.0 + 45.0)


def test_routine_consultation_on_the_hospital_island_is_immediate():
    s, policy = place()
    k, ev = journey(s, policy(), [(600.0, HUB, "routine", NOT_ADMITTED), (601.0, HUB, "routine", NOT_ADMITTED),
                                  (602.0, HUB, "routine", NOT_ADMITTED)])
    # two doctors: the third patient waits until the first consultation ends (615)
    assert k[("hub", "routine", "wait_min_mean")] == pytest.approx((0 + 0 + (615.0 - 602.0)) / 3, abs=1e-12)
    assert k[("hub", "routine", "completed")] == 3 and ev == []  # routine consultations log no events


def test_arrest_survivor_is_handed_to_the_urgent_pathway_at_the_shock():
    s, policy = place()
    t0 = 300.0
    k, ev = journey(s, policy(), [(t0, HUB, ARREST, NOT_ADMITTED)])
    shock = 2.0 + 5.0 + ROAD_HUB  # collapse to call, the local doctor sets off, the road: no AED fetched
    assert k[("hub", ARREST, "ohca_count")] == 1 and k[("hub", ARREST, "ohca_expected_survivors")] == 1.0
    assert k[("hub", ARREST, "time_to_definitive_care_min_mean")] == shock  # the arrest's clock: to the shock
    assert k[("hub", ARREST, "died")] == 0
    # then the urgent pathway from the shock: the road to the hospital, treatment
    assert ev == [(t0 + shock + ROAD_HUB + SERVICE_ARREST, 1, "definitive_care", "")]


def test_a_full_ward_sends_the_next_admission_out_of_the_county():
    s, policy = place(beds=1)
    k, ev = journey(s, policy(bed_full_rule="out_of_county"),
                    [(100.0, HUB, "urgent", ADMITTED), (110.0, HUB, "urgent", ADMITTED)])
    first_done = 100.0 + ROAD_HUB + SERVICE_URGENT  # takes the only bed
    second_treated = 110.0 + ROAD_HUB + SERVICE_URGENT
    # the boat comes from outer, picks the patient up at the hub and takes them to the mainland
    handed_over = second_treated + DISPATCH + BOAT_OUTER_HUB + LOAD + BOAT_HUB_MAINLAND + HANDOVER
    assert ev == [(first_done, 1, "definitive_care", ""), (second_treated, 2, "boat_dispatched", "outer"),
                  (second_treated + DISPATCH + BOAT_OUTER_HUB + LOAD, 2, "boat_sails", "hub"),
                  (handed_over, 2, "definitive_care_out_of_county", "")]
    assert k[("hub", "urgent", "in_county_share")] == 0.5 and k[("hub", "urgent", "transfers_out_of_county")] == 1
    assert k[("hub", "all", "bed_blocked_count")] == 1
    assert k[("hub", "urgent", "time_to_definitive_care_min_mean")] == ROAD_HUB  # both treated at the hub


def test_a_circuit_visit_serves_the_backlog():
    s, policy = place()
    t0 = 60.0  # 01:00 on day 0; the month's visit leaves the hub at 07:00
    k, ev = journey(s, policy(circuit={"outer": {"team": "team", "visits_per_month": 1, "days_per_visit": 1}}),
                    [(t0, OUTER, "routine", NOT_ADMITTED)], days=3.0)
    served = 7 * 60.0 + BOAT_OUTER_HUB  # the team's crossing (the fixed ambulance-boat link)
    assert k[("outer", "routine", "time_to_definitive_care_min_mean")] == served - t0
    assert k[("outer", "all", "visits_made")] == 1 and k[("outer", "routine", "in_county_share")] == 1.0
    assert k[("outer", "routine", "transfers_ferry")] == 0  # waited for the visit, did not travel


def _care_place(beds: int):
    """The place with one care home of ``beds`` usable beds on the hub and no care need of its own
    (the test brings the people)."""
    from scenarios.model import CareHome

    s, _ = place()
    home = CareHome("home", "hub", "home", "Home", True, beds, 100)
    s = dataclasses.replace(s, care_homes=(home,), care_need_per_1000={"60_79": 0.0, "80_plus": 0.0},
                            parameters=s.parameters.with_values({"care.residents_per_carer": 10.0}))
    return s, resolve_policy(s, {"name": "test"})


def _care_run(s, policy, people, days: float = 2.0):
    """people: (time, island, stay minutes, waits in hospital, leaves the list after minutes)."""
    exp = Experiment(horizon_days=days, warmup_days=0.0, replications=1, seed=1, workers=1, progress=False)
    model = IslandModel(s, policy, exp, 0)
    care = next(m for m in model.modules if type(m).__name__ == "ElderCareModule")

    def come(t, *person):
        yield model.ctx.env.timeout(t)
        care.arrive(*person)

    for t, *person in people:
        model.ctx.env.process(come(t, *person))
    return {(r.island, r.condition, r.metric): r.value for r in model.run().kpis.itertuples()}


def test_care_waiting_list_is_served_when_a_bed_frees():
    s, policy = _care_place(beds=1)
    k = _care_run(s, policy, [(0.0, "hub", 100.0, False, 1e6), (10.0, "outer", 500.0, True, 1e6),
                              (20.0, "hub", 50.0, False, 30.0)])
    # the first takes the only bed until 100; the second (from outer, waiting in hospital) gets it then;
    # the third gives up after 30 minutes on the list (at 50)
    assert k[("all", "all", "care_placed")] == 2 and k[("all", "all", "care_abandoned")] == 1
    assert k[("outer", "all", "care_wait_days_mean")] == pytest.approx(90.0 / 1440.0, abs=1e-15)
    assert k[("outer", "all", "hospital_beddays_blocked_by_care")] == pytest.approx(90.0 / 1440.0, abs=1e-15)
    assert k[("outer", "all", "care_relocated_share")] == 1.0  # placed on the hub
    assert k[("hub", "all", "care_placed_own_island_share")] == 1.0
