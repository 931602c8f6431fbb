"""Emergency transfers between islands and out of the county.

Three ways to move a patient, chosen by the policy's rule among what is available at that moment:

- an emergency **boat** from a base (dispatch, sail out, load, sail, hand over, sail back): ad hoc
  (a patrol, charter or rescue boat, found for a share ``availability`` of calls, after its own
  ``dispatch_min``) or dedicated (always found; see ``scenarios.routing.boat_fleet``); crossing times
  from ``sea_links.csv`` rows of mode ``ambulance_boat``, else straight-line distance ×
  ``boat.detour_factor`` at the base's speed. Whether ad hoc boats can be found for a call is the
  patient's own draw (a stream keyed by the patient's uniform and the place), the same under
  every policy;
- the next **scheduled sailings** (ferry, small ferry, fast boat, and bridges by road), planned as
  the earliest arrival over the timetable; a seat is booked on each leg (``patient_capacity``);
  a sailing whose mode is closed at departure is cancelled and the patient decides again;
- the **helicopter** (activation: the policy's ``helicopter_activation_min``, else the scenario's
  ``helicopter.activation_min``; flight, pick-up, flight to ``helicopter.destination``), in daylight
  if the scenario says so and within its wind and visibility limits.

A mode is *available* when it can operate now in the areas it crosses. When nothing is available,
the patient waits where they are. Weather delay is the time a patient waiting for (or in) a
transfer spends while none of the modes the rule allows could operate; it is tracked by
:class:`WeatherWatch` on every change of the sea state.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import simpy

from scenarios.model import Scenario, haversine_km
from scenarios.policy import Policy
from scenarios.routing import boat_fleet, boat_times, place_areas, road_minutes
from scenarios.units import KNOT_KMH
from sim.patient import Patient
from sim.streams import Streams
from sim.timetable import Option, Timetable
from sim.weather import Weather

SCHEDULED = ("ferry", "small_ferry", "fast_boat")


@dataclass(slots=True)
class TransferCase:
    """What the transport layer knows about one patient in transfer."""

    patient: Patient
    helicopter_ok: bool
    place: str = ""
    emergency: bool = True  # False: a routine patient travelling as an ordinary passenger (no seat limit)
    weather_min: float = 0.0
    ferry_wait_min: float = 0.0
    closed_since: float | None = None
    mode: str = ""
    target: str = ""  # where the transfer is going (set by Transport.transfer)
    found_u: float = 0.0  # the patient's draw: boats with availability above it can be found (set by transfer)


class WeatherWatch:
    """Adds weather delay to every waiting patient while none of their modes can operate."""

    def __init__(self, env: simpy.Environment, weather: Weather, transport: Transport):
        self.env, self.weather, self.transport = env, weather, transport
        self.waiting: dict[int, TransferCase] = {}  # by patient id: one transfer at a time
        env.process(self._watch())

    def enter(self, case: TransferCase) -> None:
        self.waiting[case.patient.id] = case
        self._update(case)

    def leave(self, case: TransferCase) -> None:
        self._close(case)
        self.waiting.pop(case.patient.id, None)

    def _update(self, case: TransferCase) -> None:
        blocked = not self.transport.any_mode_open(case)
        if blocked and case.closed_since is None:
            case.closed_since = self.env.now
        elif not blocked:
            self._close(case)

    def _close(self, case: TransferCase) -> None:
        if case.closed_since is not None:
            case.weather_min += self.env.now - case.closed_since
            case.closed_since = None

    def _watch(self):
        while True:
            yield self.weather.changed
            for case in list(self.waiting.values()):
                self._update(case)

    def settle(self) -> None:
        """At the end of the run: emergency patients still waiting count their weather delay so far."""
        for case in self.waiting.values():
            self._close(case)
            case.closed_since = self.env.now
            if case.emergency:
                case.patient.stats.record_waiting_transfer(case.weather_min, case.patient.onset)


class Boat:
    __slots__ = ("base", "kind", "speed_kmh", "dispatch", "availability", "free_at", "busy", "level")

    def __init__(self, spec, level):
        """``spec``: a :class:`scenarios.routing.FleetBoat`; ``level``: its busy level."""
        self.base, self.kind, self.speed_kmh, self.level = spec.base, spec.kind, spec.speed_knots * KNOT_KMH, level
        self.dispatch, self.availability = spec.dispatch_min, spec.availability
        self.free_at = 0.0
        self.busy = False


class Transport:
    """Boats, timetabled services and the helicopter of one replication."""

    def __init__(self, scenario: Scenario, policy: Policy, weather: Weather, stats, log=None,
                 streams: Streams | None = None):
        """``weather`` brings the replication's environment and calendar; ``stats`` registers the
        boats' busy levels; ``log(time, patient id, event, place)`` writes the event log; ``streams``
        the replication's random streams (whether an ad hoc boat is found; unit tests may leave it out)."""
        self.env, self.calendar = env, _ = weather.env, weather.calendar
        self.s, self.policy, self.weather, self.log = scenario, policy, weather, log
        self.streams = streams or Streams(0, 0)
        boat = scenario.parameters.boat
        self.load, self.handover = boat.load_min, boat.handover_min
        self.heli = scenario.parameters.helicopter
        activation = policy.helicopter_activation_min  # a policy's (standby), else the scenario's (ad hoc)
        self.heli_activation = self.heli.activation_min if activation is None else activation
        self._areas = place_areas(scenario)
        self._road = road_minutes(scenario)
        self.boat_min = boat_times(scenario)  # (a, b, speed_kmh) -> crossing minutes
        self.timetable = Timetable(scenario, weather, self.areas, log)
        self.boats = [Boat(spec, stats.level("boat_utilization", spec.base, 1)) for spec in boat_fleet(scenario, policy)]
        self._chance = any(b.availability < 1.0 for b in self.boats)  # some boat is not always found
        self.boat_queue: list[tuple[int, int, object]] = []
        self._seq = 0
        self.heli_count = int(self.heli.count) if policy.helicopter else 0
        self.heli_free_at = [0.0] * self.heli_count
        self.heli_dest = self.heli.destination
        self.watch = WeatherWatch(env, weather, self)

    # --- geometry ---------------------------------------------------------------------------------
    def areas(self, *places: str) -> tuple[str, ...]:
        return tuple({self._areas[p] for p in places})

    def heli_min(self, a_latlon: tuple[float, float], b: str) -> float:
        return haversine_km(*a_latlon, *self.s.place_latlon(b)) / self.heli.speed_kmh * 60.0

    def road_min_at(self, place: str) -> float:
        """Road minutes from a landing place to its hospital (an island's, or a destination's)."""
        return self._road[place]

    def boat_arrival_min(self, place: str, patient: Patient) -> float | None:
        """Minutes from the call to the quickest boat reaching ``place`` (its dispatch and crossing) if
        the sea there is open now, whether or not the boat is busy (the first clinician of a cardiac
        arrest); boats not found for this patient's call are left out; None if there is none."""
        boats = self.found_boats(self.found_draw(patient, place))
        if not boats or not self.weather.is_open("ambulance_boat", self.areas(place)):
            return None
        return min(b.dispatch + self.boat_min(b.base, place, b.speed_kmh) for b in boats)

    def found_draw(self, patient: Patient, place: str) -> float:
        """The patient's own uniform for a call from ``place``: a boat is found if its availability
        exceeds it. Drawn from a stream keyed by the patient's uniform (common random numbers); 0
        (every boat found) when every boat is always found."""
        if not self._chance:
            return 0.0
        return float(self.streams.fresh(f"transport/boat_found/{patient.u_seed!r}/{place}").random())

    def found_boats(self, u: float) -> list[Boat]:
        """The boats that can be found for a call whose draw is ``u``."""
        return [b for b in self.boats if u < b.availability] if self._chance else self.boats

    # --- availability -----------------------------------------------------------------------------
    def any_mode_open(self, case: TransferCase) -> bool:
        """Could any mode the rule allows operate now from the patient's place (weather only)?"""
        here = case.place
        w = self.weather
        rule = self.policy.transfer_rule
        if rule != "ferry_only" and self.found_boats(case.found_u) and w.is_open("ambulance_boat", self.areas(here)):
            return True
        if rule != "ferry_only" and case.helicopter_ok and self.heli_count and w.is_open("helicopter", self.areas(here)):
            return True
        return self.timetable.way_out_open(here, case.target)

    def options(self, case: TransferCase, target: str, scheduled_only: bool = False) -> list[Option]:
        now, here, w = self.env.now, case.place, self.weather
        out: list[Option] = []
        rule = "ferry_only" if scheduled_only else self.policy.transfer_rule
        boats = self.found_boats(case.found_u) if rule != "ferry_only" else []
        if boats and w.is_open("ambulance_boat", self.areas(here, target)):
            boat = min(boats, key=lambda b: max(b.free_at, now) + b.dispatch + self.boat_min(b.base, here, b.speed_kmh))
            eta = (max(boat.free_at, now) + boat.dispatch + self.boat_min(boat.base, here, boat.speed_kmh)
                   + self.load + self.boat_min(here, target, boat.speed_kmh) + self.handover)
            out.append(Option("boat", eta, target))
        if rule != "ferry_only" and case.helicopter_ok and self.heli_count:
            opt = self._heli_option(here)
            if opt:
                out.append(opt)
        # Emergencies take what can sail now; routine passengers book the next sailing whatever the weather
        # (a cancelled sailing makes them plan again).
        plan = self.timetable.plan(here, target, now, first_leg_open=case.emergency, book=case.emergency)
        if plan is not None:
            out.append(plan)
        return out

    def _heli_option(self, here: str) -> Option | None:
        now, h = self.env.now, self.heli
        free = [i for i, t in enumerate(self.heli_free_at) if t <= now]
        if not free or not self.weather.is_open("helicopter", self.areas(here, self.heli_dest)):
            return None
        pickup_at = now + self.heli_activation + self.heli_min((h.base_lat, h.base_lon), here)
        eta = (pickup_at + h.pickup_min + self.s.distance_km(here, self.heli_dest) / h.speed_kmh * 60.0
               + h.handover_min)
        if h.daylight_only and not (self.calendar.is_daylight(now) and self.calendar.is_daylight(pickup_at)):
            return None
        return Option("helicopter", eta, self.heli_dest)

    # --- the transfer -------------------------------------------------------------------------------
    def transfer(self, case: TransferCase, target: str, scheduled_only: bool = False):
        """Generator: move the patient from ``case.place`` to ``target``; returns the place reached.

        The place reached differs from ``target`` when the helicopter took the patient to its own
        destination.
        """
        env = self.env
        case.target = target
        case.found_u = self.found_draw(case.patient, case.place)
        self.watch.enter(case)
        try:
            while True:
                opts = self.options(case, target, scheduled_only)
                if not opts:
                    # Wait where they are; look again when the weather changes, or within the hour
                    # (a boat or the helicopter may come free, or the sun rise).
                    yield self.weather.changed | env.timeout(60.0)
                    continue
                choice = self._choose(opts)
                if choice.mode == "boat":
                    yield from self._by_boat(case, target)
                    return target
                if choice.mode == "helicopter":
                    yield from self._by_helicopter(case)
                    return self.heli_dest
                done = yield from self.timetable.travel(case, choice)
                if done:
                    return target
                # a sailing was cancelled: decide again from where the patient now is
        finally:
            self.watch.leave(case)

    def _choose(self, opts: list[Option]) -> Option:
        rule = self.policy.transfer_rule
        if rule == "boat_first":
            for mode in ("boat", "helicopter"):
                for o in opts:
                    if o.mode == mode:
                        return o
        # fastest: compare arrivals at the receiving hospital, road from the landing place included
        # (the helicopter lands out of the county, the boat perhaps on Sijiao)
        return min(opts, key=lambda o: o.eta + self._road[o.target])

    def _by_boat(self, case: TransferCase, target: str):
        env = self.env
        delivered = env.event()
        self._seq += 1
        heapq.heappush(self.boat_queue, (0, self._seq, (case, target, delivered)))
        self._assign_boats()
        yield delivered
        case.mode = "boat"
        case.place = target

    def _assign_boats(self) -> None:
        """Free boats go to the waiting calls in order, each to the quickest free boat found for it (a
        call for which no free boat is found keeps its place in the queue)."""
        skipped = []
        while self.boat_queue and any(not b.busy for b in self.boats):
            item = heapq.heappop(self.boat_queue)
            case, target, delivered = item[2]
            free = [b for b in self.found_boats(case.found_u) if not b.busy]
            if not free:
                skipped.append(item)
                continue
            boat = min(free, key=lambda b: b.dispatch + self.boat_min(b.base, case.place, b.speed_kmh))
            boat.busy = True
            boat.level.set(self.env.now, 1)
            boat.free_at = (self.env.now + boat.dispatch + self.boat_min(boat.base, case.place, boat.speed_kmh)
                            + self.load + self.boat_min(case.place, target, boat.speed_kmh) + self.handover
                            + self.boat_min(target, boat.base, boat.speed_kmh))
            self.env.process(self._mission(boat, case, target, delivered))
        for item in skipped:
            heapq.heappush(self.boat_queue, item)

    def _mission(self, boat: Boat, case: TransferCase, target: str, delivered):
        env, w = self.env, self.weather
        self._log(case, "boat_dispatched", boat.base)
        yield env.timeout(boat.dispatch)
        if boat.base != case.place:
            yield from w.wait_open("ambulance_boat", self.areas(boat.base, case.place))
            yield env.timeout(self.boat_min(boat.base, case.place, boat.speed_kmh))
        yield env.timeout(self.load)
        yield from w.wait_open("ambulance_boat", self.areas(case.place, target))
        self._log(case, "boat_sails", case.place)
        yield env.timeout(self.boat_min(case.place, target, boat.speed_kmh))
        yield env.timeout(self.handover)
        delivered.succeed()
        if target != boat.base:
            yield from w.wait_open("ambulance_boat", self.areas(target, boat.base))
            yield env.timeout(self.boat_min(target, boat.base, boat.speed_kmh))
        boat.busy = False
        boat.free_at = env.now
        boat.level.set(env.now, 0)
        self._assign_boats()

    def _by_helicopter(self, case: TransferCase):
        env, h = self.env, self.heli
        unit = min(range(self.heli_count), key=lambda i: self.heli_free_at[i])
        base = (h.base_lat, h.base_lon)
        out_min = self.heli_activation + self.heli_min(base, case.place) + h.pickup_min
        fly_min = self.s.distance_km(case.place, self.heli_dest) / h.speed_kmh * 60.0
        back_min = self.heli_min(base, self.heli_dest)
        self.heli_free_at[unit] = env.now + out_min + fly_min + h.handover_min + back_min
        self._log(case, "helicopter_requested", case.place)
        yield env.timeout(out_min + fly_min + h.handover_min)
        case.mode = "helicopter"
        case.place = self.heli_dest

    def _log(self, case: TransferCase, event: str, place: str) -> None:
        if self.log is not None:
            self.log(self.env.now, case.patient.id, event, place)
