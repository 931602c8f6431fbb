"""Synthetic validation cases with known answers, built as ordinary Scenario objects.

- ``mmc``: one island, one facility open all day, one condition; Poisson arrivals, ``servers``
  doctors, service with mean ``mean_service_min`` (exponential when ``service_cv=1``) -> Erlang C.
- ``priority``: as ``mmc`` with a second, urgent class at ``urgent_rate_per_hour`` -> priority M/M/1.
- ``ferry``: patients on an island without a doctor wait for a ferry every ``headway_min`` to the
  hospital island, always calm, capacity never binding -> mean ferry wait ``headway_min / 2``.
- ``ward``: every patient needs a bed among ``beds`` for a stay of mean ``mean_stay_days``
  (exponential); a patient finding no bed leaves -> Erlang B blocking; Little's law on occupancy.
- ``care``: elderly needing a care place at ``arrival_rate_per_hour`` with exponential stays of
  ``mean_stay_days`` in one home of ``beds`` beds (carers never binding) -> Erlang C / Erlang B.

Rates are turned into incidence per 1,000 so that the ordinary demand code produces them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.errors import ProblemLog
from scenarios.model import (
    COST_ITEMS,
    MODES,
    TARGETS,
    BoatBase,
    CareHome,
    CircuitTeam,
    Condition,
    CostItem,
    Destination,
    Facility,
    Island,
    ModeLimits,
    OutcomeCurve,
    Scenario,
    SeaLink,
    WeatherMonth,
    frozen_map,
)
from scenarios.parameters import PARAMETER_SPECS, Parameters

KINDS = ("mmc", "priority", "ferry", "ward", "care")
POPULATION = 10_000  # everyone aged 15-59 (or 80+ for the care case); incidence carries the rate
HOURS_PER_YEAR = 8760.0


def build_synthetic(cfg: Mapping[str, Any], key: str = "scenario") -> Scenario:
    log = ProblemLog()
    kind = cfg.get("kind")
    if kind not in KINDS:
        log.add(f"{key}.kind", "", kind, "data or one of " + ", ".join(KINDS))
    checks = {
        "arrival_rate_per_hour": (0, False), "mean_service_min": (0, True), "service_cv": (0, False),
        "urgent_rate_per_hour": (0, False), "headway_min": (0, True), "mean_stay_days": (0, True),
    }
    for k, (low, strict) in checks.items():
        v = cfg.get(k)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < low or (strict and v == low):
            log.add(f"{key}.{k}", "", v, f"a number {'>' if strict else '>='} {low}")
    for k in ("servers", "beds"):
        v = cfg.get(k)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            log.add(f"{key}.{k}", "", v, "a whole number >= 1")
    log.raise_if_any("scenario settings")
    return _BUILDERS[kind](cfg)


def _per_1000(rate_per_hour: float) -> float:
    return rate_per_hour * HOURS_PER_YEAR * 1000.0 / POPULATION


def _condition(cid: str, rate: float, cfg, urgent=False, admit=0.0, los_days=0.0, los_cv=1.0, band=1) -> Condition:
    inc = [0.0, 0.0, 0.0, 0.0]
    inc[band] = _per_1000(rate)
    return Condition(
        id=cid, name=cid, urgent=urgent, incidence_per_1000=tuple(inc), target_min=60.0,
        service_min=float(cfg["mean_service_min"]), service_cv=float(cfg["service_cv"]), admit_share=admit,
        los_days=los_days, los_cv=los_cv, out_of_county_share=0.0, outcome_curve=None, time_of_day="flat",
    )


def _island(iid: str, lat: float, lon: float, shares=(0.0, 1.0, 0.0, 0.0), population=POPULATION,
            referral="clinic") -> Island:
    return Island(
        id=iid, name_zh=iid, name_en=iid.title(), lat=lat, lon=lon, area_km2=10.0, settled_area_km2=2.0,
        population=population, age_shares=shares, tourists_summer=0, resident_doctor=referral == "clinic",
        weather_area="sea", road_min=0.0, aeds=0, referral=referral, tertiary="mainland",
    )


def _facility(servers: int, beds: int = 0, treats=("patient",), island="island") -> Facility:
    return Facility(
        id="clinic", island=island, name_zh="clinic", name_en="Clinic", kind="county_hospital", beds=beds,
        doctors=servers, night_doctors=servers, nurses=0, opens_min=0, closes_min=1440, treats=frozenset(treats),
    )


def _base(name: str, cfg, islands, facilities, conditions, links=(), homes=(), boats=0) -> Scenario:
    calm = tuple(
        WeatherMonth(month=m, hours_by_force=(0.0, 0.0, 0.0, 0.0), wind_episode_hours=24.0, fog_hours=0.0,
                     fog_episode_hours=4.0, fog_visibility_m=200.0, sunrise_min=360, sunset_min=1080,
                     tourist_factor=0.0, incidence_factor=1.0)
        for m in range(1, 13)
    )
    params = {k: _default_param(k) for k in PARAMETER_SPECS}
    return Scenario(
        name=name, year=2024, islands=tuple(islands), facilities=tuple(facilities), care_homes=tuple(homes),
        destinations=(Destination("mainland", "mainland", "Mainland", 0.0, 1.0, 0.0, frozenset()),),
        links=tuple(links),
        modes=frozen_map({m: ModeLimits(m, 12, 0.0) for m in MODES}),  # only weather=closed (force 12) stops them
        boat_bases=(BoatBase("island", boats, 20.0),),
        weather_areas=frozen_map({"sea": 0}), months=calm, conditions=tuple(conditions),
        curves=frozen_map({"flat": OutcomeCurve("flat", (0.0, 1.0), (1.0, 1.0))}),
        time_of_day=frozen_map({"flat": (1.0,) * 24}),
        care_need_per_1000=frozen_map({"60_79": 0.0, "80_plus": 0.0}),
        circuit_teams=(CircuitTeam("team", "island", 1, 10.0),), circuit_schedule=(),
        costs=frozen_map({c: CostItem(c, 0.0, 0.0, 0.0, "yuan", 2024) for c in COST_ITEMS}),
        targets=frozen_map({t: 0.0 for t in TARGETS}), parameters=Parameters.from_mapping(params),
        sources={"folder": f"synthetic:{name}"},
    )


def _default_param(key: str):
    spec = PARAMETER_SPECS[key]
    special = {"helicopter.count": 0, "helicopter.destination": "mainland", "ohca.curve_cpr": "flat",
               "ohca.curve_no_cpr": "flat", "tourists.share_15_59": 1.0, "care.residents_per_carer": 100.0,
               "care.mean_stay_days": 365.0, "care.waitlist_abandon_days": 1e5, "circuit.escalation_days": 3650.0,
               "circuit.abandon_days": 3650.0,
               "boat.detour_factor": 1.0, "circuit.followup_window_days": 30.0, "helicopter.speed_kmh": 200.0,
               "ohca.walk_speed_m_per_min": 100.0, "circuit.team_mode": "small_ferry",
               "circuit.escalation_condition": "none",  # synthetic cases never escalate (escalation_days)
               "routine.no_clinic_demand_factor": 1.0, "routine.no_clinic_wait_share": 1.0}  # today's pathways
    if key in special:
        return special[key]
    if spec.default is not None:
        return spec.default
    return {"float": 0.0, "int": 0, "bool": False, "id": "flat"}[spec.kind]


def _mmc(cfg) -> Scenario:
    cond = _condition("patient", float(cfg["arrival_rate_per_hour"]), cfg)
    return _base("mmc", cfg, [_island("island", 30.0, 122.0)], [_facility(int(cfg["servers"]))], [cond])


def _priority(cfg) -> Scenario:
    routine = _condition("patient", float(cfg["arrival_rate_per_hour"]), cfg)
    urgent = _condition("urgent", float(cfg["urgent_rate_per_hour"]), cfg, urgent=True)
    fac = _facility(int(cfg["servers"]), treats=("patient", "urgent"))
    return _base("priority", cfg, [_island("island", 30.0, 122.0)], [fac], [urgent, routine])


def _ferry(cfg) -> Scenario:
    h = float(cfg["headway_min"])
    deps = tuple(sorted({int(round(k * h)) % 1440 for k in range(int(1440 // h) + 1) if k * h < 1440}))
    cond = _condition("patient", float(cfg["arrival_rate_per_hour"]), cfg, urgent=True)
    cond = Condition(**{**_as_dict(cond), "service_min": 1e-6, "service_cv": 0.0, "target_min": 1e9})
    islands = [_island("outer", 30.1, 122.1, referral="clinic"), _island("hub", 30.0, 122.0, population=0)]
    islands[0] = Island(**{**_as_dict(islands[0]), "resident_doctor": False})
    fac = _facility(int(cfg["servers"]), treats=("patient",), island="hub")
    link = SeaLink("outer_hub", "outer", "hub", "ferry", 30.0, deps, frozenset(range(1, 13)), 10**6)
    return _base("ferry", cfg, islands, [fac], [cond], links=[link])


def _ward(cfg) -> Scenario:
    cond = _condition("patient", float(cfg["arrival_rate_per_hour"]), cfg, urgent=True, admit=1.0,
                      los_days=float(cfg["mean_stay_days"]), los_cv=1.0)
    cond = Condition(**{**_as_dict(cond), "service_min": 1e-6, "service_cv": 0.0})
    # A patient finding the ward full leaves at once: a road to the mainland, always open (no queue).
    road = SeaLink("island_mainland", "island", "mainland", "road", 0.0, (), frozenset(range(1, 13)), 10**6)
    return _base("ward", cfg, [_island("island", 30.0, 122.0)], [_facility(1000, beds=int(cfg["beds"]))], [cond],
                 links=[road])


def _care(cfg) -> Scenario:
    rate_per_year = float(cfg["arrival_rate_per_hour"]) * HOURS_PER_YEAR
    s = _base("care", cfg, [_island("island", 30.0, 122.0, shares=(0.0, 0.0, 0.0, 1.0))], [_facility(1)],
              [_condition("patient", 0.0, cfg)],
              homes=[CareHome("home", "island", "home", "Home", True, int(cfg["beds"]), 10**4)])
    params = s.parameters.with_values({"care.mean_stay_days": float(cfg["mean_stay_days"])})
    need = {"60_79": 0.0, "80_plus": rate_per_year * 1000.0 / POPULATION}
    return Scenario(**{**_as_dict(s), "parameters": params,
                       "care_need_per_1000": frozen_map(need)})


def _as_dict(obj) -> dict:
    fields = obj.__dataclass_fields__
    return {f: getattr(obj, f) for f in fields}


_BUILDERS = {"mmc": _mmc, "priority": _priority, "ferry": _ferry, "ward": _ward, "care": _care}
