"""What the program needs to know about demand, travel and weather, derived from the scenario alone.

Each function mirrors, in expectation, a rule of the simulation (named in its docstring), so that the
program and the simulation describe the same islands; ``optimize`` may not import ``sim``, and tests
compare the two where both exist.
"""

from __future__ import annotations

from scenarios.model import AGE_BANDS, DAYS_PER_YEAR, ELDERLY_BANDS, MINUTES_PER_DAY, Facility, Scenario
from scenarios.policy import Policy

MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the simulation's calendar year
KNOT_KMH = 1.852
MIN_PER_YEAR = DAYS_PER_YEAR * MINUTES_PER_DAY
WIND_BANDS = (6, 7, 8, 9)  # hours_f6..hours_f9 of weather_months.csv (f9 = force 9 or more)


def arrivals_per_year(s: Scenario) -> dict[tuple[str, str], float]:
    """Expected arrivals per (island, condition) in a model year, residents and tourists
    (``sim.demand``: population by band x incidence, tourists by the month's factor, urgent classes
    by the month's seasonal factor)."""
    tour = [s.param(f"tourists.share_{b}") for b in AGE_BANDS]
    out = {}
    for isl in s.islands:
        res = [isl.band_population(b) for b in AGE_BANDS]
        tourists = [isl.tourists_summer * t for t in tour]
        for c in s.conditions:
            inc = [x / 1000.0 for x in c.incidence_per_1000]
            base_res = sum(p * i for p, i in zip(res, inc, strict=True)) / DAYS_PER_YEAR
            base_tour = sum(p * i for p, i in zip(tourists, inc, strict=True)) / DAYS_PER_YEAR
            total = 0.0
            for m, days in zip(s.months, MONTH_DAYS, strict=True):
                rate = (base_res + base_tour * m.tourist_factor) * (m.incidence_factor if c.urgent else 1.0)
                total += rate * days
            out[(isl.id, c.id)] = total
    return out


def care_need_per_year(s: Scenario) -> dict[str, float]:
    """People per island coming to need a care-home place each year (``sim.eldercare``)."""
    return {isl.id: sum(isl.band_population(b) * s.care_need_per_1000[b] / 1000.0 for b in ELDERLY_BANDS)
            for isl in s.islands}


def local_facility(s: Scenario, p: Policy, island: str) -> Facility | None:
    """The island's staffed facility with the most doctors (``sim.pathways``: first contact)."""
    here = [f for f in s.facilities if f.island == island and p.doctors[f.id] > 0]
    here.sort(key=lambda f: -p.doctors[f.id])
    return here[0] if here else None


def treating_facility(s: Scenario, p: Policy, island: str, condition: str) -> Facility | None:
    """The staffed facility on the island that treats the condition, most doctors first (``sim.pathways``)."""
    here = [f for f in s.facilities if f.island == island and p.doctors[f.id] > 0]
    here.sort(key=lambda f: -p.doctors[f.id])
    return next((f for f in here if condition in f.treats), None)


def open_share(s: Scenario, mode: str, areas: tuple[str, ...]) -> float:
    """Long-run share of the year in which ``mode`` can operate in every one of ``areas``
    (``sim.weather``: the month's hours by reference wind band and fog, an area's wind offset)."""
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


def place_area(s: Scenario, place: str) -> str:
    """An island's weather area; a destination shares its nearest island's (``sim.transport``)."""
    ids = {i.id: i for i in s.islands}
    if place in ids:
        return ids[place].weather_area
    nearest = min(s.islands, key=lambda i: s.distance_km(i.id, place))
    return nearest.weather_area


def boat_minutes(s: Scenario, a: str, b: str, speed_knots: float) -> float:
    """Ambulance-boat crossing (``sim.transport.Transport.boat_min``)."""
    if a == b:
        return 0.0
    for lk in s.links:
        if lk.mode == "ambulance_boat" and lk.origin == a and lk.dest == b:
            return lk.crossing_min
    return s.distance_km(a, b) * s.param("boat.detour_factor") / (speed_knots * KNOT_KMH) * 60.0


def open_hours_share(s: Scenario, profile: str, opens_min: int, closes_min: int) -> float:
    """Share of a day's arrivals (time-of-day ``profile``) that fall within opening hours."""
    w = s.time_of_day[profile]
    inside = 0.0
    for h, wt in enumerate(w):
        lo, hi = h * 60, (h + 1) * 60
        inside += wt * max(0, min(hi, closes_min) - max(lo, opens_min)) / 60.0
    total = sum(w)
    return inside / total if total else 0.0


def transfer_target(s: Scenario, p: Policy, island: str, condition: str, tertiary: bool) -> tuple[str, float]:
    """Where an urgent patient is transferred and the road time at arrival (``sim.pathways._target``)."""
    isl = s.island(island)
    fac_ids = {f.id for f in s.facilities}
    dest_ids = {d.id for d in s.destinations}
    if not tertiary and isl.referral in fac_ids:
        fac = s.facility(isl.referral)
        if condition in fac.treats and p.doctors[fac.id] > 0:
            return fac.island, s.island(fac.island).road_min
    if not tertiary and isl.referral in dest_ids:
        return isl.referral, s.destination(isl.referral).road_min
    place = isl.tertiary
    road = s.destination(place).road_min if place in dest_ids else s.island(place).road_min
    return place, road

