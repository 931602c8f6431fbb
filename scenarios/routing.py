"""The world's rules, written once: where a patient goes, how long a crossing takes, how much demand
and care need an island has, how often the sea is open.

Both the simulation (``sim/``) and the optimiser (``optimize/``) use these functions, so the program's
approximations are its own and never a second, drifting copy of the simulation's routing. Everything
here is a pure function of a validated :class:`~scenarios.model.Scenario` (and a
:class:`~scenarios.policy.Policy` where resources matter); results that depend on the scenario alone
are memoised on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from scenarios.model import AGE_BANDS, ELDERLY_BANDS, Facility, Scenario
from scenarios.policy import Policy
from scenarios.sailings import mean_wait_min
from scenarios.units import DAY, KNOT_KMH, MONTH_DAYS, YEAR

WIND_BANDS = (6, 7, 8, 9)  # hours_f6..hours_f9 of weather_months.csv (f9 = force 9 or more)


def _memo(s: Scenario, key: str, build: Callable[[], object]):
    """A scenario-only result, computed once per Scenario object (records are immutable)."""
    cache = s.__dict__.setdefault("_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


# --- facilities ------------------------------------------------------------------------------------
def staffed_facilities(s: Scenario, p: Policy, island: str) -> list[Facility]:
    """The island's facilities with doctors under the policy, most doctors first (ties: table order)."""
    here = [f for f in s.facilities if f.island == island and p.doctors[f.id] > 0]
    here.sort(key=lambda f: -p.doctors[f.id])
    return here


def local_facility(s: Scenario, p: Policy, island: str) -> Facility | None:
    """Where an urgent patient of the island is first seen: its staffed facility with the most doctors."""
    here = staffed_facilities(s, p, island)
    return here[0] if here else None


def treating_facility(s: Scenario, p: Policy, island: str, condition: str) -> Facility | None:
    """The staffed facility on the island that treats the condition (most doctors first), if any."""
    return next((f for f in staffed_facilities(s, p, island) if condition in f.treats), None)


class Target(NamedTuple):
    """Where a transfer goes: a facility in the county (or None: out of the county), the place the
    patient is carried to, and the road minutes from that place's pier to its hospital."""

    facility: Facility | None
    place: str
    road_min: float


def road_minutes(s: Scenario) -> dict[str, float]:
    """Road minutes from each landing place (island or destination) to its hospital."""
    return _memo(s, "road_minutes", lambda: {**{d.id: d.road_min for d in s.destinations},
                                             **{i.id: i.road_min for i in s.islands}})


def road_min_at(s: Scenario, place: str) -> float:
    """Road minutes from a landing place to its hospital (an island's, or a destination's)."""
    return road_minutes(s)[place]


def transfer_target(s: Scenario, p: Policy, island: str, condition: str, tertiary: bool) -> Target:
    """Where an urgent patient who cannot be treated on the island is sent.

    The island's referral facility when it treats the condition and is staffed; a referral that is
    a destination outside the county; otherwise (or when the patient needs tertiary care) the
    island's tertiary destination.
    """
    isl = s.island(island)
    fac_ids = {f.id for f in s.facilities}
    if not tertiary and isl.referral in fac_ids:
        fac = s.facility(isl.referral)
        if condition in fac.treats and p.doctors[fac.id] > 0:
            return Target(fac, fac.island, s.island(fac.island).road_min)
    if not tertiary and isl.referral in {d.id for d in s.destinations}:
        return Target(None, isl.referral, s.destination(isl.referral).road_min)
    return Target(None, isl.tertiary, road_min_at(s, isl.tertiary))


def routine_travel_target(s: Scenario, p: Policy, island: str, condition: str) -> Facility | None:
    """Where routine patients of an island without such care travel by scheduled boat: the island's
    referral facility, if it treats them, is staffed and can be reached over the timetable."""
    ref = s.island(island).referral
    fac = next((f for f in s.facilities if f.id == ref), None)
    if (fac is not None and condition in fac.treats and p.doctors[fac.id] > 0
            and reachable_by_schedule(s, island, fac.island)):
        return fac
    return None


def no_clinic_travel_target(s: Scenario, p: Policy, island: str, condition: str) -> Target | None:
    """Where a routine patient of an island without such care goes when they travel: the nearest place
    with care along the timetable (fewest scheduled legs or bridges from the island, then the shortest
    straight-line distance): an island whose staffed facility treats the condition (in the county) or
    a destination that treats it (out of the county, e.g. Tanhu's boat to Shanghai); None if none is
    reachable."""
    links_from = scheduled_links_from(s)
    dests = {d.id: d for d in s.destinations}
    layer, seen = [island], {island}
    while layer:
        layer = sorted({lk.dest for here in layer for lk in links_from.get(here, ()) if lk.dest not in seen})
        seen.update(layer)
        found = []
        for place in layer:
            if place in dests:
                if condition in dests[place].treats:
                    found.append(Target(None, place, dests[place].road_min))
            elif (fac := treating_facility(s, p, place, condition)) is not None:
                found.append(Target(fac, place, s.island(place).road_min))
        if found:
            return min(found, key=lambda t: (s.distance_km(island, t.place), t.place))
    return None


# --- the sea ---------------------------------------------------------------------------------------
def scheduled_links_from(s: Scenario) -> dict[str, list]:
    """Timetabled links and roads (every link but the ambulance-boat crossings), by origin."""

    def build() -> dict[str, list]:
        out: dict[str, list] = {}
        for lk in s.links:
            if lk.mode != "ambulance_boat":
                out.setdefault(lk.origin, []).append(lk)
        return out

    return _memo(s, "scheduled_links_from", build)


def reachable_by_schedule(s: Scenario, origin: str, target: str) -> bool:
    """Is there any chain of timetabled links or bridges from ``origin`` to ``target``?"""
    links_from = scheduled_links_from(s)
    seen, todo = {origin}, [origin]
    while todo:
        here = todo.pop()
        if here == target:
            return True
        for lk in links_from.get(here, ()):
            if lk.dest not in seen:
                seen.add(lk.dest)
                todo.append(lk.dest)
    return False


def place_areas(s: Scenario) -> dict[str, str]:
    """Weather area of every island and destination (a destination shares its nearest island's)."""

    def build() -> dict[str, str]:
        areas = {i.id: i.weather_area for i in s.islands}
        for d in s.destinations:
            nearest = min(s.islands, key=lambda i: s.distance_km(i.id, d.id))
            areas[d.id] = nearest.weather_area
        return areas

    return _memo(s, "place_areas", build)


def place_area(s: Scenario, place: str) -> str:
    """An island's weather area; a destination shares its nearest island's."""
    return place_areas(s)[place]


class BoatTimes:
    """Ambulance-boat crossing minutes: the ``sea_links.csv`` row of mode ``ambulance_boat`` where
    there is one, else the straight-line distance x ``boat.detour_factor`` at the boat's speed."""

    def __init__(self, s: Scenario):
        self.s = s
        self.detour = s.parameters.boat.detour_factor
        self.fixed = {(lk.origin, lk.dest): lk.crossing_min for lk in s.links if lk.mode == "ambulance_boat"}

    def __call__(self, a: str, b: str, speed_kmh: float) -> float:
        if a == b:
            return 0.0
        fixed = self.fixed.get((a, b))
        if fixed is not None:
            return fixed
        return self.s.distance_km(a, b) * self.detour / speed_kmh * 60.0


class FleetBoat(NamedTuple):
    """One emergency boat of a policy: its base, kind, speed, minutes from the call to leaving the
    base, and the share of calls for which it can be found at all."""

    base: str
    kind: str
    speed_knots: float
    dispatch_min: float
    availability: float


def boat_fleet(s: Scenario, p: Policy) -> list[FleetBoat]:
    """Every boat of the policy, base by base in ``boats.csv`` order: ``p.boats[base]`` boats of the
    row's kind, dispatch (the row's ``dispatch_min``, else ``boat.dispatch_min``) and availability,
    then ``p.dedicated_boats[base]`` dedicated boats, always found, dispatched in the row's
    ``dispatch_min`` if the row is itself dedicated, else in ``boat.dedicated_dispatch_min``."""
    prm = s.parameters.boat
    out = []
    for b in s.boat_bases:
        own = prm.dispatch_min if b.dispatch_min is None else b.dispatch_min
        out += [FleetBoat(b.base, b.kind, b.speed_knots, own, b.availability)] * p.boats.get(b.base, 0)
        added = own if b.kind == "dedicated" else prm.dedicated_dispatch_min
        out += [FleetBoat(b.base, "dedicated", b.speed_knots, added, 1.0)] * p.dedicated_boats.get(b.base, 0)
    return out


def boat_times(s: Scenario) -> BoatTimes:
    return _memo(s, "boat_times", lambda: BoatTimes(s))


def boat_minutes(s: Scenario, a: str, b: str, speed_knots: float) -> float:
    """Ambulance-boat crossing from ``a`` to ``b`` at ``speed_knots``."""
    return boat_times(s)(a, b, speed_knots * KNOT_KMH)


def open_share(s: Scenario, mode: str, areas: tuple[str, ...]) -> float:
    """Long-run share of the year in which ``mode`` can operate in every one of ``areas``: the month's
    hours by reference wind band and fog, an area's wind offset (as ``sim.weather``)."""
    lim = s.modes[mode]
    offset = max((s.weather_areas.get(a, 0) for a in areas), default=0)
    closed = total = 0.0
    for m, days in zip(s.months, MONTH_DAYS, strict=True):
        hours = days * 24.0
        total += hours
        shut = sum(h for band, h in zip(WIND_BANDS, m.hours_by_force, strict=True) if band + offset >= lim.stop_wind_force)
        if m.fog_visibility_m < lim.min_visibility_m:
            shut += m.fog_hours
        closed += min(shut, hours)
    return 1.0 - closed / total if total else 1.0


# --- demand ----------------------------------------------------------------------------------------
def open_hours_share(s: Scenario, profile: str, opens_min: int, closes_min: int) -> float:
    """Share of a day's arrivals (time-of-day ``profile``) that fall within opening hours."""
    w = s.time_of_day[profile]
    inside = 0.0
    for h, wt in enumerate(w):
        lo, hi = h * 60, (h + 1) * 60
        inside += wt * max(0, min(hi, closes_min) - max(lo, opens_min)) / 60.0
    total = sum(w)
    return inside / total if total else 0.0


def arrival_rates(s: Scenario) -> dict[tuple[int, int], np.ndarray]:
    """Arrivals per minute in each calendar month (12 values, before the time-of-day profile) for
    every (island index, condition index) with any demand: population by age band (residents plus
    the month's tourists, at the condition's ``tourist_factor``) x incidence per 1,000 by band x the
    month's seasonal factor (urgent classes);
    routine classes on an island without a resident doctor (``resident_doctor`` false) x
    ``routine.no_clinic_demand_factor`` (the scenario's islands, so every policy sees the same patients)."""

    def build() -> dict[tuple[int, int], np.ndarray]:
        tourist_shares = np.array(s.parameters.tourists.shares)
        no_clinic = s.parameters.routine.no_clinic_demand_factor
        out = {}
        for i, isl in enumerate(s.islands):
            residents = np.array([isl.band_population(b) for b in AGE_BANDS])
            tourists = isl.tourists_summer * tourist_shares
            for c, cond in enumerate(s.conditions):
                inc = np.asarray(cond.incidence_per_1000) / 1000.0 / YEAR  # per person-minute
                access = no_clinic if not (cond.urgent or isl.resident_doctor) else 1.0
                base_res = float(residents @ inc) * access
                base_tour = float(tourists @ inc) * access * cond.tourist_factor
                if base_res + base_tour <= 0:
                    continue
                out[(i, c)] = np.array([
                    (base_res + base_tour * m.tourist_factor) * (m.incidence_factor if cond.urgent else 1.0)
                    for m in s.months
                ])
        return out

    return _memo(s, "arrival_rates", build)


def arrivals_per_year(s: Scenario) -> dict[tuple[str, str], float]:
    """Expected arrivals per (island, condition) in a model year (0 where there is no demand)."""
    rates = arrival_rates(s)
    out = {}
    for i, isl in enumerate(s.islands):
        for c, cond in enumerate(s.conditions):
            r = rates.get((i, c))
            out[(isl.id, cond.id)] = 0.0 if r is None else float(
                sum(x * d * DAY for x, d in zip(r, MONTH_DAYS, strict=True)))
    return out


def no_clinic_routine_shares(s: Scenario, p: Policy, island: str, condition: str) -> tuple[float, float]:
    """What the small-island routine choice (``routine.no_clinic_*``, ``sim/no_clinic.py``) does with
    the routine contacts of an island where no staffed facility treats ``condition``: (share waiting
    for the circuit visit, share cared for in the county without it). Waiting includes the travel
    share where no boat reaches care; in the county without the visit are the travellers to a county
    facility (less ``out_of_county_share``) and the telephone share of those who forgo care."""
    prm = s.parameters.routine
    wait, travel, forgo = prm.choice_shares
    target = no_clinic_travel_target(s, p, island, condition)
    if target is None:
        return wait + travel, forgo * prm.no_clinic_phone_resolved_share
    county = travel * (1 - s.condition(condition).out_of_county_share) if target.facility is not None else 0.0
    return wait, county + forgo * prm.no_clinic_phone_resolved_share


# --- elderly care ----------------------------------------------------------------------------------
def care_need_per_year(s: Scenario) -> dict[str, float]:
    """People per island coming to need a care-home place each year (population by elderly band x
    ``care_need.csv``)."""
    return {isl.id: sum(isl.band_population(b) * s.care_need_per_1000[b] / 1000.0 for b in ELDERLY_BANDS)
            for isl in s.islands}


def care_home_candidates(s: Scenario, p: Policy, island: str) -> list[str]:
    """The homes a resident of ``island`` may be placed in, in order, under the placement rule:
    ``own_island`` (own island only), ``centralised`` (islands without a hub go to the largest hub),
    ``nearest_hub`` (own island's homes, then the hubs by distance)."""
    own = [h.id for h in s.care_homes if h.island == island]
    hubs = [h for h in s.care_homes if h.hub]
    if p.placement_rule == "own_island":
        return own
    if p.placement_rule == "centralised":
        if any(h.island == island for h in hubs):
            return own
        central = max(hubs, key=lambda h: p.care_beds[h.id], default=None)
        return [central.id] if central else own
    by_distance = sorted(hubs, key=lambda h: (s.distance_km(island, h.island), h.id))
    return own + [h.id for h in by_distance if h.id not in own]


class ScheduledTrip(NamedTuple):
    """A long-run average trip over the timetable: minutes (mean wait for each sailing plus crossings)
    and the sea modes used (for their open share)."""

    minutes: float
    modes: tuple[str, ...]
    areas: tuple[str, ...]


def scheduled_trip(s: Scenario, origin: str, target: str) -> ScheduledTrip | None:
    """The quickest chain of timetabled links and roads from ``origin`` to ``target`` on average
    (each sailing's mean wait over the week, ``scenarios.sailings.mean_wait_min``, plus its crossing;
    roads take their crossing time), or None when the timetable does not connect them. An
    approximation for planning (the simulation books real sailings, day by day, in its weather); not
    used by ``sim/``."""
    import heapq

    links_from = scheduled_links_from(s)
    best = {origin: 0.0}
    prev: dict[str, object] = {}
    heap = [(0.0, origin)]
    while heap:
        t, place = heapq.heappop(heap)
        if place == target:
            break
        if t > best.get(place, float("inf")):
            continue
        for lk in links_from.get(place, ()):
            cost = lk.crossing_min + (0.0 if lk.mode == "road" else mean_wait_min(lk.departures_min, lk.days))
            if t + cost < best.get(lk.dest, float("inf")):
                best[lk.dest] = t + cost
                prev[lk.dest] = lk
                heapq.heappush(heap, (t + cost, lk.dest))
    if target not in best:
        return None
    modes, areas, p = [], [], target
    while p != origin:
        lk = prev[p]
        if lk.mode != "road":
            modes.append(lk.mode)
            areas += [place_area(s, lk.origin), place_area(s, lk.dest)]
        p = lk.origin
    return ScheduledTrip(best[target], tuple(reversed(modes)), tuple(dict.fromkeys(areas)))


def daylight_share(s: Scenario) -> float:
    """Share of the year between sunrise and sunset (``weather_months.csv``)."""
    total = sum(MONTH_DAYS)
    return sum(d * max(0, m.sunset_min - m.sunrise_min) / 1440.0 for m, d in zip(s.months, MONTH_DAYS, strict=True)) / total
