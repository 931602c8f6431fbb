"""Typed, immutable records of a scenario: the only form in which `sim/` and `optimize/` see data.

The loader (`scenarios.loader`) builds a :class:`Scenario` from a folder of CSV tables after checking
every row; synthetic cases (`scenarios.synthetic`) build one directly. Times are minutes, money is
yuan, populations are people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenarios.parameters import Parameters

AGE_BANDS: tuple[str, ...] = ("0_14", "15_59", "60_79", "80_plus")
ELDERLY_BANDS: tuple[str, ...] = ("60_79", "80_plus")
MODES: tuple[str, ...] = ("ferry", "small_ferry", "fast_boat", "ambulance_boat", "helicopter")
LINK_MODES: tuple[str, ...] = ("ferry", "small_ferry", "fast_boat", "ambulance_boat", "road")
BOAT_KINDS: tuple[str, ...] = ("ad_hoc", "dedicated")
# Weekdays of a timetable (sea_links.csv ``days``), 0 = Monday as in Python's ``date.weekday()``.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY: frozenset[int] = frozenset(range(7))
FACILITY_KINDS: tuple[str, ...] = (
    "county_hospital",
    "tcm_hospital",
    "central_health_centre",
    "township_health_centre",
    "clinic",
)
COST_ITEMS: tuple[str, ...] = (
    "doctor_year",
    "nurse_year",
    "carer_year",
    "aed_purchase",
    "aed_upkeep_year",
    "care_bed_capital",
    "care_bed_year",
    "boat_capital",
    "boat_year",
    "circuit_team_day",
    "helicopter_mission",
    "hospital_bed_day",
)
TARGETS: tuple[str, ...] = ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly", "in_county_share")
MINUTES_PER_DAY = 1440
DAYS_PER_YEAR = 365
EARTH_RADIUS_KM = 6371.0


class FrozenDict(dict):
    """A dict that refuses changes (and, unlike MappingProxyType, pickles for worker processes)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("scenario data is read-only; build a new Scenario or Policy instead")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: str(kv[0]))))


def frozen_map(d: Mapping) -> FrozenDict:
    """A read-only copy of a mapping (records stay immutable)."""
    return FrozenDict(d)


@dataclass(frozen=True, slots=True)
class Island:
    id: str
    name_zh: str
    name_en: str
    lat: float
    lon: float
    area_km2: float
    settled_area_km2: float
    population: int
    age_shares: tuple[float, float, float, float]
    tourists_summer: int
    resident_doctor: bool
    weather_area: str
    road_min: float
    aeds: int
    referral: str
    tertiary: str

    def band_population(self, band: str) -> float:
        return self.population * self.age_shares[AGE_BANDS.index(band)]

    @property
    def elderly(self) -> float:
        return sum(self.band_population(b) for b in ELDERLY_BANDS)


@dataclass(frozen=True, slots=True)
class Facility:
    id: str
    island: str
    name_zh: str
    name_en: str
    kind: str
    beds: int
    doctors: int
    night_doctors: int
    nurses: int
    opens_min: int
    closes_min: int
    treats: frozenset[str]


@dataclass(frozen=True, slots=True)
class CareHome:
    id: str
    island: str
    name_zh: str
    name_en: str
    hub: bool
    beds: int
    carers: int


@dataclass(frozen=True, slots=True)
class Destination:
    id: str
    name_zh: str
    name_en: str
    lat: float
    lon: float
    road_min: float
    treats: frozenset[str]


@dataclass(frozen=True, slots=True)
class SeaLink:
    """One directed link of ``sea_links.csv``: a timetabled service sails at each of
    ``departures_min`` on the days whose month is in ``months`` and whose weekday is in ``days``."""

    id: str
    origin: str
    dest: str
    mode: str
    crossing_min: float
    departures_min: tuple[int, ...]  # minutes after midnight, sorted
    months: frozenset[int]
    patient_capacity: int
    days: frozenset[int] = EVERY_DAY  # weekdays it sails (0 = Monday); the rule is scenarios.sailings


@dataclass(frozen=True, slots=True)
class ModeLimits:
    mode: str
    stop_wind_force: int
    min_visibility_m: float


@dataclass(frozen=True, slots=True)
class BoatBase:
    """A base's boats today: ``kind`` ``ad_hoc`` (a patrol, charter or rescue boat found when called)
    or ``dedicated`` (a crewed ambulance boat); ``dispatch_min`` from the call to leaving the base
    (None: the scenario's ``boat.dispatch_min``); ``availability`` the share of calls for which such a
    boat can be found at all."""

    base: str
    boats: int
    speed_knots: float
    kind: str = "dedicated"
    dispatch_min: float | None = None
    availability: float = 1.0


@dataclass(frozen=True, slots=True)
class WeatherMonth:
    month: int
    hours_by_force: tuple[float, float, float, float]  # forces 6, 7, 8, 9+
    wind_episode_hours: float
    fog_hours: float
    fog_episode_hours: float
    fog_visibility_m: float
    sunrise_min: int
    sunset_min: int
    tourist_factor: float
    incidence_factor: float


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    urgent: bool
    incidence_per_1000: tuple[float, float, float, float]  # by AGE_BANDS
    target_min: float
    service_min: float
    service_cv: float
    admit_share: float
    los_days: float
    los_cv: float
    out_of_county_share: float
    outcome_curve: str | None
    time_of_day: str
    tourist_factor: float = 1.0  # tourists' incidence relative to residents of the same age


@dataclass(frozen=True, slots=True)
class OutcomeCurve:
    """Probability of the good outcome against delay; linear between points, flat beyond them."""

    id: str
    delays_min: tuple[float, ...]
    probabilities: tuple[float, ...]

    def __call__(self, delay_min: float) -> float:
        xs, ys = self.delays_min, self.probabilities
        if delay_min <= xs[0]:
            return ys[0]
        if delay_min >= xs[-1]:
            return ys[-1]
        lo, hi = 0, len(xs) - 1
        while hi - lo > 1:  # bisection: curves are short, but this is on a per-patient path
            mid = (lo + hi) // 2
            if xs[mid] <= delay_min:
                lo = mid
            else:
                hi = mid
        frac = (delay_min - xs[lo]) / (xs[hi] - xs[lo])
        return ys[lo] + frac * (ys[hi] - ys[lo])


@dataclass(frozen=True, slots=True)
class CircuitTeam:
    id: str
    base: str
    size: int
    patients_per_day: float


@dataclass(frozen=True, slots=True)
class CircuitVisit:
    island: str
    team: str
    visits_per_month: float
    days_per_visit: int


@dataclass(frozen=True, slots=True)
class CostItem:
    item: str
    value: float
    low: float
    high: float
    unit: str
    year: int


@dataclass(frozen=True)
class Scenario:
    """A validated place: islands, facilities, transport, weather, clinical and cost data."""

    name: str
    year: int
    islands: tuple[Island, ...]
    facilities: tuple[Facility, ...]
    care_homes: tuple[CareHome, ...]
    destinations: tuple[Destination, ...]
    links: tuple[SeaLink, ...]
    modes: Mapping[str, ModeLimits]
    boat_bases: tuple[BoatBase, ...]
    weather_areas: Mapping[str, int]  # area -> Beaufort offset
    months: tuple[WeatherMonth, ...]  # 12, January first
    conditions: tuple[Condition, ...]
    curves: Mapping[str, OutcomeCurve]
    time_of_day: Mapping[str, tuple[float, ...]]  # profile -> 24 weights with mean 1
    care_need_per_1000: Mapping[str, float]  # elderly band -> yearly need per 1,000
    circuit_teams: tuple[CircuitTeam, ...]
    circuit_schedule: tuple[CircuitVisit, ...]
    costs: Mapping[str, CostItem]
    targets: Mapping[str, float]
    parameters: Parameters  # typed groups: parameters.boat.dispatch_min, ...
    sources: Mapping[str, str] = field(default_factory=dict)  # table -> short description of sources
    weather_mode: str = "climate"  # climate | calm | closed (validation and sensitivity runs)

    # --- lookups -------------------------------------------------------------------------------
    def island(self, island_id: str) -> Island:
        return self._index("islands")[island_id]

    def facility(self, facility_id: str) -> Facility:
        return self._index("facilities")[facility_id]

    def condition(self, condition_id: str) -> Condition:
        return self._index("conditions")[condition_id]

    def destination(self, destination_id: str) -> Destination:
        return self._index("destinations")[destination_id]

    def _index(self, table: str) -> dict:
        cache = self.__dict__.setdefault("_cache", {})
        if table not in cache:
            cache[table] = {r.id: r for r in getattr(self, table)}
        return cache[table]

    @property
    def island_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.islands)

    @property
    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conditions)

    def place_latlon(self, place: str) -> tuple[float, float]:
        """Coordinates of an island or a destination."""
        idx = self._index("islands")
        if place in idx:
            return idx[place].lat, idx[place].lon
        d = self._index("destinations")[place]
        return d.lat, d.lon

    def distance_km(self, a: str, b: str) -> float:
        return haversine_km(*self.place_latlon(a), *self.place_latlon(b))

    # --- county totals -------------------------------------------------------------------------
    @property
    def population(self) -> int:
        return sum(i.population for i in self.islands)

    @property
    def elderly(self) -> float:
        return sum(i.elderly for i in self.islands)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
