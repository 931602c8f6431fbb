"""Scheduled sailings and roads: earliest-arrival plans over the timetable, seats, and the journey.

Links of ``sea_links.csv`` other than ambulance-boat crossings are timetabled services (ferry, small
ferry, fast boat) or roads and bridges (mode ``road``, no timetable). A patient's plan is the earliest
arrival at the target over them (a time-dependent Dijkstra); a link sails only on the days of its
months and weekdays (``days``, e.g. Tanhu's boat on Wednesday and Saturday; the rule of
``scenarios.sailings``), so a passenger who comes on another day waits for the next sailing day.
An emergency patient books a seat on each leg (``patient_capacity`` per sailing); a sailing whose
mode is closed at departure is cancelled, its seats freed, and the patient decides again from where
they are.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from scenarios.model import Scenario
from scenarios.routing import scheduled_links_from
from sim.weather import Weather


@dataclass(slots=True)
class Leg:
    link_id: str
    mode: str
    origin: str
    dest: str
    depart: float
    arrive: float


@dataclass(slots=True)
class Option:
    """One way to make the transfer now: its mode, arrival time at ``target`` and (scheduled) legs."""

    mode: str  # boat | scheduled | road | helicopter
    eta: float
    target: str
    legs: list[Leg] = field(default_factory=list)


class Timetable:
    """The scheduled services and roads of one replication, with their seat bookings."""

    def __init__(self, scenario: Scenario, weather: Weather, areas: Callable[..., tuple[str, ...]],
                 log: Callable | None = None):
        """``weather`` brings the environment and calendar; ``areas(*places)`` gives the weather areas
        a crossing between places is exposed to."""
        self.env, self.weather, self.calendar, self.areas, self.log = weather.env, weather, weather.calendar, areas, log
        self.board = scenario.parameters.ferry.board_min
        self.links_from = scheduled_links_from(scenario)
        self.bookings: dict[tuple[str, float], int] = {}
        self._by_road: dict[str, frozenset[str]] = {}

    def by_road(self, place: str) -> frozenset[str]:
        """``place`` and every place reachable from it over roads and bridges only."""
        out = self._by_road.get(place)
        if out is None:
            seen, todo = {place}, [place]
            while todo:
                for lk in self.links_from.get(todo.pop(), ()):
                    if lk.mode == "road" and lk.dest not in seen:
                        seen.add(lk.dest)
                        todo.append(lk.dest)
            out = self._by_road[place] = frozenset(seen)
        return out

    def way_out_open(self, place: str, target: str) -> bool:
        """Can the patient get going now (weather only)? A bridge is a way out only if it reaches the
        target; otherwise a boat must be able to sail from some pier reachable by road (a bridge to
        an island whose boats cannot sail leaves the patient as stuck as before)."""
        land = self.by_road(place)
        if target in land:
            return True
        w = self.weather
        for here in land:
            for lk in self.links_from.get(here, ()):
                if lk.mode != "road" and w.is_open(lk.mode, self.areas(lk.origin, lk.dest)):
                    return True
        return False

    def plan(self, origin: str, target: str, t0: float, first_leg_open: bool = False,
             book: bool = True) -> Option | None:
        """Earliest arrival over timetabled links and bridges (time-dependent Dijkstra).

        With ``first_leg_open`` the first sailing must be able to go now: a sailing from the origin or
        from a pier reached from it by road only (otherwise a patient would cross a bridge to wait for a
        boat that cannot sail, and shuttle back over the bridge when it is cancelled). With ``book``
        the plan takes only sailings with a free patient seat.
        """
        first = self.by_road(origin) if first_leg_open else frozenset()
        best = {origin: t0}
        prev: dict[str, Leg] = {}
        heap = [(t0, origin)]
        while heap:
            t, place = heapq.heappop(heap)
            if place == target:
                break
            if t > best.get(place, float("inf")):
                continue
            for lk in self.links_from.get(place, ()):
                if lk.mode == "road":
                    dep = t
                else:
                    if place in first and not self.weather.is_open(lk.mode, self.areas(lk.origin, lk.dest)):
                        continue
                    dep = (self._next_seat(lk, t + self.board) if book else
                           self.calendar.next_departure(lk.departures_min, lk.months, t + self.board, lk.days))
                    if dep is None:
                        continue
                arr = dep + lk.crossing_min
                if arr < best.get(lk.dest, float("inf")):
                    best[lk.dest] = arr
                    prev[lk.dest] = Leg(lk.id, lk.mode, place, lk.dest, dep, arr)
                    heapq.heappush(heap, (arr, lk.dest))
        if target not in best:
            return None
        legs, p = [], target
        while p != origin:
            leg = prev[p]
            legs.append(leg)
            p = leg.origin
        legs.reverse()
        mode = "road" if all(leg.mode == "road" for leg in legs) else "scheduled"
        return Option(mode, best[target], target, legs)

    def _next_seat(self, link, t: float) -> float | None:
        if len(self.bookings) > 2000:  # forget sailings that have left: memory stays flat
            now = self.env.now
            self.bookings = {k: v for k, v in self.bookings.items() if k[1] >= now}
        for _ in range(60):  # skip full sailings
            dep = self.calendar.next_departure(link.departures_min, link.months, t, link.days)
            if dep is None:
                return None
            if self.bookings.get((link.id, dep), 0) < link.patient_capacity:
                return dep
            t = dep + 1e-6
        return None

    def travel(self, case, plan: Option):
        """Generator: follow ``plan``; returns False if a sailing was cancelled (the patient is then
        wherever the plan had brought them), True on arrival."""
        env = self.env
        for leg in plan.legs:
            if leg.mode != "road" and case.emergency:
                self.bookings[(leg.link_id, leg.depart)] = self.bookings.get((leg.link_id, leg.depart), 0) + 1
        case.mode = "road" if plan.mode == "road" else "ferry"
        for k, leg in enumerate(plan.legs):
            if leg.mode == "road":
                yield env.timeout(leg.arrive - env.now)
                case.place = leg.dest
                continue
            wait = leg.depart - env.now
            if wait > 0:
                yield env.timeout(wait)
            case.ferry_wait_min += max(wait, 0.0)
            if not self.weather.is_open(leg.mode, self.areas(leg.origin, leg.dest)):
                for later in plan.legs[k:]:  # cancelled: free the seats not used
                    key = (later.link_id, later.depart)
                    if later.mode != "road" and case.emergency and self.bookings.get(key):
                        self.bookings[key] -= 1
                self._log(case, "sailing_cancelled", leg.origin)
                return False
            self._log(case, "sails_" + leg.mode, leg.origin)
            yield env.timeout(leg.arrive - env.now)
            case.place = leg.dest
        return True

    def _log(self, case, event: str, place: str) -> None:
        if self.log is not None:
            self.log(self.env.now, case.patient.id, event, place)
