"""Load a scenario folder (CSV tables) into a checked, immutable :class:`Scenario`.

Every table is read and every cell checked before anything is raised; cross-references (a route to
an unknown island, a facility treating an unknown condition, ...) are checked last. All problems come
back together in one :class:`InputError`. How each table's row becomes a record is in
:mod:`scenarios.rows`; this module reads the tables, runs the cross-checks and builds the scenario.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

from scenarios import rows
from scenarios.bibliography import check_citations
from scenarios.checks import TableIndex, check_completeness, check_references
from scenarios.errors import ProblemLog
from scenarios.model import ELDERLY_BANDS, TARGETS, Scenario, frozen_map
from scenarios.parameters import PARAMETER_SPECS, Parameters
from scenarios.tables import FALSE, TRUE, Table, overrides_by_table

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


def load_scenario(data_dir: str | Path, year: int = 2024, name: str | None = None,
                  overrides: Mapping[tuple[str, str, str], float] | None = None) -> Scenario:
    """Read and check every table of ``data_dir``; raise one InputError listing all problems.

    ``overrides`` ``{(table, row key, column): value}`` replace cells before any check (the values of
    a sensitivity design point, see ``scenarios.uncertainty``); ``table`` is the file name without .csv.
    """
    folder = Path(data_dir)
    by_table = overrides_by_table(overrides)
    log = ProblemLog()
    if not folder.is_dir():
        log.add("scenario.data_dir", "", str(folder), "an existing folder of scenario tables")
        log.raise_if_any("scenario data")
    root = folder.parent

    tables: dict[str, Table] = {}

    def table(fname: str, cols: tuple[str, ...], key: str | None = None) -> Table:
        t = tables[fname] = Table(folder, fname, cols, log, label_root=root, overrides=by_table.pop(fname, None))
        t.check_columns()  # an unknown column is a mistake (a note/notes column only a warning)
        if key:
            t.unique(key)
        return t

    islands = rows.islands(table("islands.csv", rows.ISLAND_COLS, "island_id"), year)
    facilities = [rows.facility(r) for r in table("facilities.csv", rows.FACILITY_COLS, "facility_id").rows]
    homes = [rows.care_home(r) for r in table("care_homes.csv", rows.HOME_COLS, "home_id").rows]
    dests = [rows.destination(r) for r in table("destinations.csv", rows.DEST_COLS, "destination_id").rows]
    links = [rows.link(r) for r in table("sea_links.csv", rows.LINK_COLS, "link_id").rows]
    modes_t = table("modes.csv", ("mode", "stop_wind_force", "min_visibility_m"), "mode")
    modes = {m.mode: m for m in (rows.mode(r) for r in modes_t.rows) if m}
    boats = [rows.boat(r) for r in table("boats.csv", ("base", "boats", "speed_knots"), "base").rows]
    areas_t = table("weather_areas.csv", ("area", "wind_offset"), "area")
    areas = {r.ident("area"): r.int("wind_offset", -6, 6) for r in areas_t.rows}
    months_t = table("weather_months.csv", rows.MONTH_COLS, "month")
    months = [rows.month(r) for r in months_t.rows]
    conds_t = table("conditions.csv", rows.CONDITION_COLS, "condition")
    conditions = [rows.condition(r) for r in conds_t.rows]
    curves = rows.curves(table("outcome_curves.csv", ("curve", "delay_min", "probability")))
    tod_t = table("time_of_day.csv", ("hour",))
    tod = rows.time_of_day(tod_t)
    need_t = table("care_need.csv", ("age_band", "need_per_1000_year"), "age_band")
    need = {r.choice("age_band", ELDERLY_BANDS): r.float("need_per_1000_year", 0, 1000) for r in need_t.rows}
    teams = [rows.team(r) for r in table("circuit_teams.csv", ("team_id", "base", "size", "patients_per_day"),
                                     "team_id").rows]
    schedule = [rows.visit(r) for r in table("circuit_schedule.csv",
                                         ("island", "team", "visits_per_month", "days_per_visit")).rows]
    costs_t = table("costs.csv", ("item", "value", "low", "high", "unit", "year"), "item")
    costs = {c.item: c for c in (rows.cost(r) for r in costs_t.rows) if c}
    targets_t = table("targets.csv", ("target", "value"), "target")
    targets = {r.choice("target", TARGETS): r.float("value", 0, 1 if r.raw("target") in SHARE_TARGETS else 1e6)
               for r in targets_t.rows}
    params_t = table("parameters.csv", ("key", "value", "unit"), "key")
    params = _parameters(params_t, log)
    _check_year_start(params_t, params.get("calendar.year_start_weekday"), year, log)
    check_citations(folder, log, label_root=root)  # every [KEY] in a source cell is in SOURCES.md
    for fname in by_table:  # an override of a table the loader does not read
        log.add(f"{folder.name}/{fname}", "", "", "a table of the scenario (an override names it)")

    # Cross-checks run on what could be read (rows with bad cells left out), so that a bad cell hides
    # no reference problem; scenarios.checks keeps them from repeating a table's own problems.
    index = TableIndex(tables)
    check_completeness(log, index, folder.name)
    scenario = Scenario(
        name=name or folder.name,
        year=year,
        islands=_some(islands),
        facilities=_some(facilities),
        care_homes=_some(homes),
        destinations=_some(dests),
        links=_some(links),
        modes=frozen_map(modes),
        boat_bases=_some(boats),
        weather_areas=frozen_map({k: v for k, v in areas.items() if k is not None and v is not None}),
        months=tuple(sorted(_some(months), key=lambda m: m.month)),
        conditions=_some(conditions),
        curves=frozen_map(curves),
        time_of_day=frozen_map(tod),
        care_need_per_1000=frozen_map({k: v for k, v in need.items() if k is not None and v is not None}),
        circuit_teams=_some(teams),
        circuit_schedule=_some(schedule),
        costs=frozen_map(costs),
        targets=frozen_map({k: v for k, v in targets.items() if k is not None and v is not None}),
        parameters=Parameters.from_mapping({k: params.get(k) for k in PARAMETER_SPECS}),
        sources={"folder": str(folder), **index.row_places()},
    )
    check_references(scenario, log, index)
    log.raise_if_any("scenario data", partial=scenario)
    return scenario


def _some(records) -> tuple:
    """The records that could be built (a row with a bad cell gives None; its problem is logged)."""
    return tuple(r for r in records if r is not None)


def _check_year_start(t: Table, weekday: object, year: int, log: ProblemLog) -> None:
    """A note when ``calendar.year_start_weekday`` (given in the table) is not the weekday of 1 January
    of the run's ``scenario.year``: the value is a calendar fact of one year (e.g. 2024 for a folder
    run with year=2020), so the weekday timetables are then shifted; a warning, not an error."""
    row = next((r for r in t.rows if r.raw("key") == "calendar.year_start_weekday"), None)
    if row is None or not isinstance(weekday, int):
        return
    actual = datetime.date(year, 1, 1).isoweekday()
    if weekday != actual:
        log.warn(row.place, "value", weekday, f"1 January {year} was ISO weekday {actual} "
                 f"({datetime.date(year, 1, 1):%A}); weekday timetables run as if it were {weekday}")


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
        for key, spec in PARAMETER_SPECS.items():
            if key not in given and spec.default is not None:
                out[key] = spec.default  # an optional key (scenarios.parameters) left out
            elif key not in out and key not in given:
                log.add(t.label, "key", key, f"a row for parameter '{key}' ({PARAMETER_SPECS[key].meaning})")
    return out
