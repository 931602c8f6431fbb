"""One parser per scenario table: a checked :class:`~scenarios.tables.Row` (or table) in, a record out.

Every parser asks the row for typed cells (a bad cell is logged with its file, line and column and
comes back as None) and returns the record, or None when a cell was bad; ``scenarios.loader`` reads
the tables and builds the :class:`~scenarios.model.Scenario` from what these return.
"""

from __future__ import annotations

from scenarios.model import (
    AGE_BANDS,
    BOAT_KINDS,
    COST_ITEMS,
    FACILITY_KINDS,
    LINK_MODES,
    MODES,
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
    SeaLink,
    WeatherMonth,
)
from scenarios.tables import ID_RE, MAX_COUNT, NOTE_COLUMNS, Row, Table

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
def islands(t: Table, year: int) -> list[Island]:
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
        # share_<band>_<year> (e.g. share_60_79_2020) overrides share_<band> for that year's run
        shares = tuple(r.float(f"share_{b}_{year}" if f"share_{b}_{year}" in t.columns else f"share_{b}", 0, 1)
                       for b in AGE_BANDS)
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
            weather_area=r.ident("weather_area"), road_min=r.float("road_min", 0, 600),
            aeds=r.int("aeds", 0, MAX_COUNT["aeds"]),
            referral=r.ident("referral"), tertiary=r.ident("tertiary"),
        )
        if _complete(vals) and None not in shares:
            out.append(Island(**vals))
    return out


def facility(r: Row) -> Facility | None:
    opens, closes = r.hhmm("opens"), r.hhmm("closes", allow_24=True)
    if opens is not None and closes is not None and closes <= opens:
        r.problem("closes", r.raw("closes"), f"a time after opens ({r.raw('opens')})")
    doctors, night = r.int("doctors", 0, MAX_COUNT["doctors"]), r.int("night_doctors", 0, MAX_COUNT["doctors"])
    if doctors is not None and night is not None and night > doctors:
        r.problem("night_doctors", night, f"at most doctors ({doctors})")
    treats = r.id_list("treats")
    vals = dict(id=r.ident("facility_id"), island=r.ident("island"), name_zh=r.text("name_zh"),
                name_en=r.text("name_en"), kind=r.choice("kind", FACILITY_KINDS), beds=r.int("beds", 0, MAX_COUNT["beds"]),
                doctors=doctors, night_doctors=night, nurses=r.int("nurses", 0, MAX_COUNT["nurses"]), opens_min=opens,
                closes_min=closes, treats=frozenset(treats) if treats is not None else None)
    return Facility(**vals) if _complete(vals) else None


def care_home(r: Row) -> CareHome | None:
    vals = dict(id=r.ident("home_id"), island=r.ident("island"), name_zh=r.text("name_zh"),
                name_en=r.text("name_en"), hub=r.bool("hub"), beds=r.int("beds", 0, MAX_COUNT["care_beds"]),
                carers=r.int("carers", 0, MAX_COUNT["carers"]))
    return CareHome(**vals) if _complete(vals) else None


def destination(r: Row) -> Destination | None:
    treats = r.id_list("treats")
    vals = dict(id=r.ident("destination_id"), name_zh=r.text("name_zh"), name_en=r.text("name_en"),
                lat=r.float("lat", -90, 90), lon=r.float("lon", -180, 180), road_min=r.float("road_min", 0, 1440),
                treats=frozenset(treats) if treats is not None else None)
    return Destination(**vals) if _complete(vals) else None


def link(r: Row) -> SeaLink | None:
    """Optional column: ``days`` (weekdays a timetabled link sails, e.g. ``Wed;Sat``; default every day)."""
    mode = r.choice("mode", LINK_MODES)
    deps = r.hhmm_list("departures")
    if mode in ("ferry", "small_ferry", "fast_boat") and deps == ():
        r.problem("departures", "", f"scheduled departures for a {mode} link (HH:MM;HH:MM)")
    if mode in ("road", "ambulance_boat") and deps:
        r.problem("departures", r.raw("departures"), f"no departures for a {mode} link (it goes when needed)")
    if deps and len(set(deps)) < len(deps):
        twice = sorted({d for d in deps if deps.count(d) > 1})
        r.problem("departures", r.raw("departures"), "each departure time once (twice: "
                  + ", ".join(f"{d // 60:02d}:{d % 60:02d}" for d in twice) + ")")
        deps = None
    days = r.weekdays("days")  # optional column: empty or left out = every day
    if mode in ("road", "ambulance_boat") and r.raw("days"):
        r.problem("days", r.raw("days"), f"no weekdays for a {mode} link (it goes when needed)")
    vals = dict(id=r.ident("link_id"), origin=r.ident("origin"), dest=r.ident("dest"), mode=mode,
                crossing_min=r.float("crossing_min", 1e-6, 1440), departures_min=deps, months=r.months("months"),
                patient_capacity=r.int("patient_capacity", 1), days=days)
    if vals["origin"] and vals["origin"] == vals["dest"]:
        r.problem("dest", vals["dest"], "a place other than the origin")
    return SeaLink(**vals) if _complete(vals) else None


def mode(r: Row) -> ModeLimits | None:
    vals = dict(mode=r.choice("mode", MODES), stop_wind_force=r.int("stop_wind_force", 1, 13),
                min_visibility_m=r.float("min_visibility_m", 0, 1e6))
    return ModeLimits(**vals) if _complete(vals) else None


def boat(r: Row) -> BoatBase | None:
    """Optional columns: ``kind`` (default dedicated), ``dispatch_min`` (default: the scenario's
    ``boat.dispatch_min``), ``availability`` (default 1)."""
    vals = dict(base=r.ident("base"), boats=r.int("boats", 0, MAX_COUNT["boats"]), speed_knots=r.float("speed_knots", 1e-3, 80),
                kind=r.choice("kind", BOAT_KINDS) if r.raw("kind") or "kind" in r.cells else "dedicated",
                availability=r.float("availability", 0, 1) if r.raw("availability") else 1.0)
    dispatch = r.float("dispatch_min", 0, 1440, required=False)
    if r.raw("dispatch_min") and dispatch is None:
        return None
    return BoatBase(**vals, dispatch_min=dispatch) if _complete(vals) else None


def month(r: Row) -> WeatherMonth | None:
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


def condition(r: Row) -> Condition | None:
    inc = tuple(r.float(f"incidence_{b}", 0, 1e5) for b in AGE_BANDS)
    curve = r.raw("outcome_curve")
    if curve and not ID_RE.match(curve):
        r.problem("outcome_curve", curve, "an outcome-curve id or nothing")
    vals = dict(id=r.ident("condition"), name=r.text("name"), urgent=r.bool("urgent"),
                incidence_per_1000=inc if None not in inc else None, target_min=r.float("target_min", 1e-6),
                service_min=r.float("service_min", 1e-6, 1440), service_cv=r.float("service_cv", 0, 10),
                admit_share=r.float("admit_share", 0, 1), los_days=r.float("los_days", 0, 3650),
                los_cv=r.float("los_cv", 0, 10), out_of_county_share=r.float("out_of_county_share", 0, 1),
                outcome_curve=curve or None, time_of_day=r.ident("time_of_day"),
                tourist_factor=r.float("tourist_factor", 0, 10) if r.raw("tourist_factor") else 1.0)  # optional
    ok = _complete({k: v for k, v in vals.items() if k != "outcome_curve"})
    return Condition(**vals) if ok else None


def curves(t: Table) -> dict[str, OutcomeCurve]:
    points: dict[str, list[tuple[float, float, Row]]] = {}
    for r in t.rows:
        cid, d, p = r.ident("curve"), r.float("delay_min", 0), r.float("probability", 0, 1)
        if cid and d is not None and p is not None:
            points.setdefault(cid, []).append((d, p, r))
    out = {}
    for cid, pts in points.items():
        for (d0, p0, _), (d1, p1, r1) in zip(pts, pts[1:], strict=False):
            if d1 <= d0:
                r1.problem("delay_min", d1, f"delays increasing within curve '{cid}' (previous {d0:g})")
            elif p1 > p0:  # a good outcome cannot become likelier by waiting longer
                r1.problem("probability", p1, f"at most the previous point's probability ({p0:g} at {d0:g} min): "
                           f"curve '{cid}' may not rise with delay")
        out[cid] = OutcomeCurve(cid, tuple(p[0] for p in pts), tuple(p[1] for p in pts))
    return out


def time_of_day(t: Table) -> dict[str, tuple[float, ...]]:
    profiles = [c for c in t.columns if c != "hour" and not c.startswith("source") and c.lower() not in NOTE_COLUMNS]
    if not t.rows:
        return {}
    for prof in list(profiles):  # a column of words is not a profile with 24 bad numbers: say it once
        words = [r for r in t.rows if not _is_number(r.raw(prof))]
        if len(words) > len(t.rows) // 2:
            t.log.add(f"{t.label}:{t.header_line}", prof, f"{len(words)} of {len(t.rows)} cells not numbers",
                      "an arrival profile (a weight >= 0 for each hour); free text goes in a 'note' column")
            profiles.remove(prof)
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


def team(r: Row) -> CircuitTeam | None:
    vals = dict(id=r.ident("team_id"), base=r.ident("base"), size=r.int("size", 1, 100),
                patients_per_day=r.float("patients_per_day", 1e-6, 1e4))
    return CircuitTeam(**vals) if _complete(vals) else None


def visit(r: Row) -> CircuitVisit | None:
    vals = dict(island=r.ident("island"), team=r.ident("team"), visits_per_month=r.float("visits_per_month", 0, 31),
                days_per_visit=r.int("days_per_visit", 1, 31))
    return CircuitVisit(**vals) if _complete(vals) else None


def cost(r: Row) -> CostItem | None:
    v, lo, hi = r.float("value", 0), r.float("low", 0), r.float("high", 0)
    if None not in (v, lo, hi) and not lo <= v <= hi:
        r.problem("value", v, f"between low ({lo:g}) and high ({hi:g})")
    vals = dict(item=r.choice("item", COST_ITEMS), value=v, low=lo, high=hi, unit=r.text("unit"),
                year=r.int("year", 1900, 2100))
    return CostItem(**vals) if _complete(vals) else None


def _is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _complete(vals: dict) -> bool:
    return all(v is not None for v in vals.values())
