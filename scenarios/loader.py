"""Load a scenario folder (CSV tables) into a checked, immutable :class:`Scenario`.

Every table is read and every cell checked before anything is raised; cross-references (a route to
an unknown island, a facility treating an unknown condition, ...) are checked last. All problems come
back together in one :class:`InputError`.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.bibliography import check_citations
from scenarios.checks import check_references
from scenarios.errors import ProblemLog
from scenarios.model import (
    AGE_BANDS,
    COST_ITEMS,
    ELDERLY_BANDS,
    FACILITY_KINDS,
    LINK_MODES,
    MODES,
    TARGETS,
    BoatBase,
    CareHome,
    CircuitTeam,
    CircuitVisit,
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
from scenarios.tables import FALSE, ID_RE, TRUE, Row, Table

SCENARIOS_DIR = Path(__file__).resolve().parent
SHARE_TARGETS = ("in_county_share",)  # targets that are shares, so in [0, 1]


def resolve_data_dir(data_dir: str | Path, cwd: Path | None = None) -> Path:
    """An absolute path as given; a relative one against ``cwd``, else under ``scenarios/``."""
    p = Path(data_dir).expanduser()
    if p.is_absolute():
        return p
    for base in (cwd or Path.cwd(), SCENARIOS_DIR.parent, SCENARIOS_DIR):
        if (base / p).is_dir():
            return (base / p).resolve()
    return (cwd or Path.cwd()) / p


def load_scenario(data_dir: str | Path, year: int = 2024, name: str | None = None) -> Scenario:
    """Read and check every table of ``data_dir``; raise one InputError listing all problems."""
    folder = Path(data_dir)
    log = ProblemLog()
    if not folder.is_dir():
        log.add("scenario.data_dir", "", str(folder), "an existing folder of scenario tables")
        log.raise_if_any("scenario data")
    root = folder.parent

    tables: dict[str, Table] = {}

    def table(fname: str, cols: tuple[str, ...], key: str | None = None) -> Table:
        t = tables[fname] = Table(folder, fname, cols, log, label_root=root)
        if key:
            t.unique(key)
        return t

    islands = _islands(table("islands.csv", ISLAND_COLS, "island_id"), year)
    facilities = [_facility(r) for r in table("facilities.csv", FACILITY_COLS, "facility_id").rows]
    homes = [_care_home(r) for r in table("care_homes.csv", HOME_COLS, "home_id").rows]
    dests = [_destination(r) for r in table("destinations.csv", DEST_COLS, "destination_id").rows]
    links = [_link(r) for r in table("sea_links.csv", LINK_COLS, "link_id").rows]
    modes_t = table("modes.csv", ("mode", "stop_wind_force", "min_visibility_m"), "mode")
    modes = {m.mode: m for m in (_mode(r) for r in modes_t.rows) if m}
    boats = [_boat(r) for r in table("boats.csv", ("base", "boats", "speed_knots"), "base").rows]
    areas_t = table("weather_areas.csv", ("area", "wind_offset"), "area")
    areas = {r.ident("area"): r.int("wind_offset", -6, 6) for r in areas_t.rows}
    months_t = table("weather_months.csv", MONTH_COLS, "month")
    months = [_month(r) for r in months_t.rows]
    conds_t = table("conditions.csv", CONDITION_COLS, "condition")
    conditions = [_condition(r) for r in conds_t.rows]
    curves = _curves(table("outcome_curves.csv", ("curve", "delay_min", "probability")))
    tod_t = table("time_of_day.csv", ("hour",))
    tod = _time_of_day(tod_t)
    need_t = table("care_need.csv", ("age_band", "need_per_1000_year"), "age_band")
    need = {r.choice("age_band", ELDERLY_BANDS): r.float("need_per_1000_year", 0, 1000) for r in need_t.rows}
    teams = [_team(r) for r in table("circuit_teams.csv", ("team_id", "base", "size", "patients_per_day"),
                                     "team_id").rows]
    schedule = [_visit(r) for r in table("circuit_schedule.csv",
                                         ("island", "team", "visits_per_month", "days_per_visit")).rows]
    costs_t = table("costs.csv", ("item", "value", "low", "high", "unit", "year"), "item")
    costs = {c.item: c for c in (_cost(r) for r in costs_t.rows) if c}
    targets_t = table("targets.csv", ("target", "value"), "target")
    targets = {r.choice("target", TARGETS): r.float("value", 0, 1 if r.raw("target") in SHARE_TARGETS else 1e6)
               for r in targets_t.rows}
    params_t = table("parameters.csv", ("key", "value", "unit"), "key")
    params = _parameters(params_t, log)
    check_citations(folder, log, label_root=root)  # every [KEY] in a source cell is in SOURCES.md

    if log:  # cross-checks on half-parsed tables would only add noise
        log.raise_if_any("scenario data")

    _completeness(log, folder.name, modes, months, costs, targets, need, areas)
    scenario = Scenario(
        name=name or folder.name,
        year=year,
        islands=tuple(islands),
        facilities=tuple(facilities),
        care_homes=tuple(homes),
        destinations=tuple(dests),
        links=tuple(links),
        modes=frozen_map(modes),
        boat_bases=tuple(boats),
        weather_areas=frozen_map(areas),
        months=tuple(sorted(months, key=lambda m: m.month)),
        conditions=tuple(conditions),
        curves=frozen_map(curves),
        time_of_day=frozen_map(tod),
        care_need_per_1000=frozen_map(need),
        circuit_teams=tuple(teams),
        circuit_schedule=tuple(schedule),
        costs=frozen_map(costs),
        targets=frozen_map(targets),
        parameters=Parameters.from_mapping(params),
        sources={"folder": str(folder)},
    )
    log.raise_if_any("scenario data")
    check_references(scenario, log, where=_Locator(tables))
    log.raise_if_any("scenario data")
    return scenario


class _Locator:
    """Turns (table, key value) into 'folder/table.csv:line' for cross-reference problems."""

    KEYS = {"islands.csv": "island_id", "facilities.csv": "facility_id", "care_homes.csv": "home_id",
            "destinations.csv": "destination_id", "sea_links.csv": "link_id", "boats.csv": "base",
            "conditions.csv": "condition", "circuit_teams.csv": "team_id", "parameters.csv": "key",
            "circuit_schedule.csv": None}

    def __init__(self, tables: dict[str, Table]):
        self.tables = tables

    def __call__(self, fname: str, key: str | int) -> str:
        t = self.tables.get(fname)
        if t is None:
            return fname
        col = self.KEYS.get(fname)
        for i, r in enumerate(t.rows):
            if (col and r.raw(col) == key) or (col is None and i == key):
                return r.place
        return t.label


# --- column lists ---------------------------------------------------------------------------------
ISLAND_COLS = ("island_id", "name_zh", "name_en", "lat", "lon", "area_km2", "settled_area_km2",
               "share_0_14", "share_15_59", "share_60_79", "share_80_plus", "tourists_summer",
               "resident_doctor", "weather_area", "road_min", "aeds", "referral", "tertiary")
FACILITY_COLS = ("facility_id", "island", "name_zh", "name_en", "kind", "beds", "doctors", "night_doctors",
                 "nurses", "opens", "closes", "treats")
HOME_COLS = ("home_id", "island", "name_zh", "name_en", "hub", "beds", "carers")
DEST_COLS = ("destination_id", "name_zh", "name_en", "lat", "lon", "road_min", "treats")
LINK_COLS = ("link_id", "origin", "dest", "mode", "crossing_min", "departures", "months", "patient_capacity")
MONTH_COLS = ("month", "hours_f6", "hours_f7", "hours_f8", "hours_f9", "wind_episode_hours", "fog_hours",
              "fog_episode_hours", "fog_visibility_m", "sunrise", "sunset", "tourist_factor",
              "incidence_factor")
CONDITION_COLS = ("condition", "name", "urgent", "incidence_0_14", "incidence_15_59", "incidence_60_79",
                  "incidence_80_plus", "target_min", "service_min", "service_cv", "admit_share", "los_days",
                  "los_cv", "out_of_county_share", "outcome_curve", "time_of_day")


# --- one parser per table ---------------------------------------------------------------------------
def _islands(t: Table, year: int) -> list[Island]:
    pop_col = f"pop_{year}"
    if t.columns and pop_col not in t.columns:
        have = sorted(c for c in t.columns if c.startswith("pop_"))
        t.log.add(t.label, pop_col, "", f"a population column for scenario.year={year} (have: {', '.join(have)})")
        return []
    other_years = [c for c in t.columns if c.startswith("pop_") and c != pop_col]
    out = []
    for r in t.rows:
        for c in other_years:  # unused this run, but a bad census figure must not wait for year=...
            r.int(c, 0)
        shares = tuple(r.float(f"share_{b}", 0, 1) for b in AGE_BANDS)
        if None not in shares and abs(sum(shares) - 1) > 0.01:
            r.problem("share_0_14..share_80_plus", f"sum {sum(shares):.3f}", "age shares summing to 1 (± 0.01)")
        area, settled = r.float("area_km2", 1e-6), r.float("settled_area_km2", 1e-6)
        if area is not None and settled is not None and settled > area:
            r.problem("settled_area_km2", settled, f"at most area_km2 ({area})")
        vals = dict(
            id=r.ident("island_id"), name_zh=r.text("name_zh"), name_en=r.text("name_en"),
            lat=r.float("lat", -90, 90), lon=r.float("lon", -180, 180), area_km2=area,
            settled_area_km2=settled, population=r.int(pop_col, 0), age_shares=shares,
            tourists_summer=r.int("tourists_summer", 0), resident_doctor=r.bool("resident_doctor"),
            weather_area=r.ident("weather_area"), road_min=r.float("road_min", 0, 600), aeds=r.int("aeds", 0),
            referral=r.ident("referral"), tertiary=r.ident("tertiary"),
        )
        if _complete(vals) and None not in shares:
            out.append(Island(**vals))
    return out


def _facility(r: Row) -> Facility | None:
    opens, closes = r.hhmm("opens"), r.hhmm("closes", allow_24=True)
    if opens is not None and closes is not None and closes <= opens:
        r.problem("closes", r.raw("closes"), f"a time after opens ({r.raw('opens')})")
    doctors, night = r.int("doctors", 0), r.int("night_doctors", 0)
    if doctors is not None and night is not None and night > doctors:
        r.problem("night_doctors", night, f"at most doctors ({doctors})")
    treats = r.id_list("treats")
    vals = dict(id=r.ident("facility_id"), island=r.ident("island"), name_zh=r.text("name_zh"),
                name_en=r.text("name_en"), kind=r.choice("kind", FACILITY_KINDS), beds=r.int("beds", 0),
                doctors=doctors, night_doctors=night, nurses=r.int("nurses", 0), opens_min=opens,
                closes_min=closes, treats=frozenset(treats) if treats is not None else None)
    return Facility(**vals) if _complete(vals) else None


def _care_home(r: Row) -> CareHome | None:
    vals = dict(id=r.ident("home_id"), island=r.ident("island"), name_zh=r.text("name_zh"),
                name_en=r.text("name_en"), hub=r.bool("hub"), beds=r.int("beds", 0), carers=r.int("carers", 0))
    return CareHome(**vals) if _complete(vals) else None


def _destination(r: Row) -> Destination | None:
    treats = r.id_list("treats")
    vals = dict(id=r.ident("destination_id"), name_zh=r.text("name_zh"), name_en=r.text("name_en"),
                lat=r.float("lat", -90, 90), lon=r.float("lon", -180, 180), road_min=r.float("road_min", 0, 1440),
                treats=frozenset(treats) if treats is not None else None)
    return Destination(**vals) if _complete(vals) else None


def _link(r: Row) -> SeaLink | None:
    mode = r.choice("mode", LINK_MODES)
    deps = r.hhmm_list("departures")
    if mode in ("ferry", "small_ferry", "fast_boat") and deps == ():
        r.problem("departures", "", f"scheduled departures for a {mode} link (HH:MM;HH:MM)")
    if mode in ("road", "ambulance_boat") and deps:
        r.problem("departures", r.raw("departures"), f"no departures for a {mode} link (it goes when needed)")
    vals = dict(id=r.ident("link_id"), origin=r.ident("origin"), dest=r.ident("dest"), mode=mode,
                crossing_min=r.float("crossing_min", 1e-6, 1440), departures_min=deps, months=r.months("months"),
                patient_capacity=r.int("patient_capacity", 1))
    if vals["origin"] and vals["origin"] == vals["dest"]:
        r.problem("dest", vals["dest"], "a place other than the origin")
    return SeaLink(**vals) if _complete(vals) else None


def _mode(r: Row) -> ModeLimits | None:
    vals = dict(mode=r.choice("mode", MODES), stop_wind_force=r.int("stop_wind_force", 1, 13),
                min_visibility_m=r.float("min_visibility_m", 0, 1e6))
    return ModeLimits(**vals) if _complete(vals) else None


def _boat(r: Row) -> BoatBase | None:
    vals = dict(base=r.ident("base"), boats=r.int("boats", 0, 100), speed_knots=r.float("speed_knots", 1e-3, 80))
    return BoatBase(**vals) if _complete(vals) else None


def _month(r: Row) -> WeatherMonth | None:
    hours = tuple(r.float(f"hours_f{f}", 0, 744) for f in (6, 7, 8, 9))
    fog = r.float("fog_hours", 0, 744)
    if None not in hours and fog is not None and sum(hours) + fog >= 24 * 28:
        r.problem("hours_f6..fog_hours", f"{sum(hours) + fog:g} h", "wind and fog hours leaving calm time in the month")
    sunrise, sunset = r.hhmm("sunrise"), r.hhmm("sunset")
    if sunrise is not None and sunset is not None and sunset <= sunrise:
        r.problem("sunset", r.raw("sunset"), "a time after sunrise")
    vals = dict(month=r.int("month", 1, 12), hours_by_force=hours if None not in hours else None,
                wind_episode_hours=r.float("wind_episode_hours", 1e-3, 744), fog_hours=fog,
                fog_episode_hours=r.float("fog_episode_hours", 1e-3, 744),
                fog_visibility_m=r.float("fog_visibility_m", 0, 1e6), sunrise_min=sunrise, sunset_min=sunset,
                tourist_factor=r.float("tourist_factor", 0, 10), incidence_factor=r.float("incidence_factor", 1e-6, 10))
    return WeatherMonth(**vals) if _complete(vals) else None


def _condition(r: Row) -> Condition | None:
    inc = tuple(r.float(f"incidence_{b}", 0, 1e5) for b in AGE_BANDS)
    curve = r.raw("outcome_curve")
    if curve and not ID_RE.match(curve):
        r.problem("outcome_curve", curve, "an outcome-curve id or nothing")
    vals = dict(id=r.ident("condition"), name=r.text("name"), urgent=r.bool("urgent"),
                incidence_per_1000=inc if None not in inc else None, target_min=r.float("target_min", 1e-6),
                service_min=r.float("service_min", 1e-6, 1440), service_cv=r.float("service_cv", 0, 10),
                admit_share=r.float("admit_share", 0, 1), los_days=r.float("los_days", 0, 3650),
                los_cv=r.float("los_cv", 0, 10), out_of_county_share=r.float("out_of_county_share", 0, 1),
                outcome_curve=curve or None, time_of_day=r.ident("time_of_day"))
    ok = _complete({k: v for k, v in vals.items() if k != "outcome_curve"})
    return Condition(**vals) if ok else None


def _curves(t: Table) -> dict[str, OutcomeCurve]:
    points: dict[str, list[tuple[float, float, Row]]] = {}
    for r in t.rows:
        cid, d, p = r.ident("curve"), r.float("delay_min", 0), r.float("probability", 0, 1)
        if cid and d is not None and p is not None:
            points.setdefault(cid, []).append((d, p, r))
    out = {}
    for cid, pts in points.items():
        for (d0, _, _), (d1, _, r1) in zip(pts, pts[1:], strict=False):
            if d1 <= d0:
                r1.problem("delay_min", d1, f"delays increasing within curve '{cid}' (previous {d0:g})")
        out[cid] = OutcomeCurve(cid, tuple(p[0] for p in pts), tuple(p[1] for p in pts))
    return out


def _time_of_day(t: Table) -> dict[str, tuple[float, ...]]:
    profiles = [c for c in t.columns if c != "hour" and not c.startswith("source")]
    if not t.rows:
        return {}
    hours = [r.int("hour", 0, 23) for r in t.rows]
    if sorted(h for h in hours if h is not None) != list(range(24)):
        t.log.add(t.label, "hour", f"{len(t.rows)} rows", "one row for each hour 0..23")
        return {}
    out = {}
    for prof in profiles:
        w = [0.0] * 24
        for h, r in zip(hours, t.rows, strict=True):
            w[h] = r.float(prof, 0) or 0.0
        mean = sum(w) / 24
        if mean <= 0:
            t.log.add(t.label, prof, "all zero", "some hour with a positive weight")
            continue
        out[prof] = tuple(x / mean for x in w)
    return out


def _team(r: Row) -> CircuitTeam | None:
    vals = dict(id=r.ident("team_id"), base=r.ident("base"), size=r.int("size", 1, 100),
                patients_per_day=r.float("patients_per_day", 1e-6, 1e4))
    return CircuitTeam(**vals) if _complete(vals) else None


def _visit(r: Row) -> CircuitVisit | None:
    vals = dict(island=r.ident("island"), team=r.ident("team"), visits_per_month=r.float("visits_per_month", 0, 31),
                days_per_visit=r.int("days_per_visit", 1, 31))
    return CircuitVisit(**vals) if _complete(vals) else None


def _cost(r: Row) -> CostItem | None:
    v, lo, hi = r.float("value", 0), r.float("low", 0), r.float("high", 0)
    if None not in (v, lo, hi) and not lo <= v <= hi:
        r.problem("value", v, f"between low ({lo:g}) and high ({hi:g})")
    vals = dict(item=r.choice("item", COST_ITEMS), value=v, low=lo, high=hi, unit=r.text("unit"),
                year=r.int("year", 1900, 2100))
    return CostItem(**vals) if _complete(vals) else None


def _parameters(t: Table, log: ProblemLog) -> dict[str, object]:
    out: dict[str, object] = {}
    for r in t.rows:
        key = r.raw("key")
        spec = PARAMETER_SPECS.get(key)
        if spec is None:
            r.problem("key", key, "a known parameter key (see scenarios/parameters.py)")
            continue
        if spec.kind == "float":
            v = r.float("value", spec.low, spec.high)
        elif spec.kind == "int":
            v = r.int("value", None if spec.low is None else int(spec.low),
                      None if spec.high is None else int(spec.high))
        elif spec.kind == "bool":
            raw = r.raw("value").lower()
            v = True if raw in TRUE else False if raw in FALSE else None
            if v is None:
                r.problem("value", r.raw("value"), f"true or false for {key}")
        else:
            v = r.ident("value")
        if v is not None:
            out[key] = v
    given = {r.raw("key") for r in t.rows}
    if not t.rows:
        log.add(t.label, "key", "", "a row for every parameter of scenarios/parameters.py")
    else:
        for key in PARAMETER_SPECS:
            if key not in out and key not in given:
                log.add(t.label, "key", key, f"a row for parameter '{key}' ({PARAMETER_SPECS[key].meaning})")
    return out


def _completeness(log: ProblemLog, label: str, modes, months, costs, targets, need, areas) -> None:
    for m in MODES:
        if m not in modes:
            log.add(f"{label}/modes.csv", "mode", m, f"a row for mode '{m}'")
    have = {m.month for m in months}
    for m in range(1, 13):
        if m not in have:
            log.add(f"{label}/weather_months.csv", "month", m, f"a row for month {m}")
    for c in COST_ITEMS:
        if c not in costs:
            log.add(f"{label}/costs.csv", "item", c, f"a row for cost item '{c}'")
    for t in TARGETS:
        if t not in targets:
            log.add(f"{label}/targets.csv", "target", t, f"a row for target '{t}'")
    for b in ELDERLY_BANDS:
        if b not in need:
            log.add(f"{label}/care_need.csv", "age_band", b, f"a row for age band '{b}'")
    if not areas:
        log.add(f"{label}/weather_areas.csv", "area", "", "at least one weather area")


def _complete(vals: dict) -> bool:
    return all(v is not None for v in vals.values())
