"""Cross-table checks of a scenario: every reference points at something that exists, and every table
has the rows the model needs.

The checks run on what could be read even when some cells were bad (a draft :class:`Scenario`), so a
bad cell never hides a dangling reference. To add no noise, a reference is checked against every id
written in the referenced table (also on rows with bad cells), references into a table that could not
be read at all are left alone (its own problem is reported), and checks that need a whole table (a
facility with doctors on the island) wait until that table is clean. Each problem names the table
line that holds the bad reference.
"""

from __future__ import annotations

from scenarios.errors import ProblemLog
from scenarios.model import COST_ITEMS, ELDERLY_BANDS, MODES, TARGETS, Scenario
from scenarios.tables import Table

# The column holding each table's row id (None: rows are numbered; circuit_schedule.csv)
KEYS = {"islands.csv": "island_id", "facilities.csv": "facility_id", "care_homes.csv": "home_id",
        "destinations.csv": "destination_id", "sea_links.csv": "link_id", "boats.csv": "base",
        "conditions.csv": "condition", "circuit_teams.csv": "team_id", "parameters.csv": "key",
        "modes.csv": "mode", "weather_areas.csv": "area", "weather_months.csv": "month", "costs.csv": "item",
        "targets.csv": "target", "care_need.csv": "age_band", "outcome_curves.csv": "curve",
        "circuit_schedule.csv": None}
ROW_PLACES = ("islands.csv", "facilities.csv", "care_homes.csv", "boats.csv")  # kept on the Scenario


class TableIndex:
    """What the tables held, row by row: ids (also of rows with bad cells) and ``file:line`` places."""

    def __init__(self, tables: dict[str, Table]):
        self.tables = tables

    def where(self, fname: str, key: str | int) -> str:
        """``folder/table.csv:line`` of the row with this id (or row number), else the table's label."""
        t = self.tables.get(fname)
        if t is None:
            return fname
        col = KEYS.get(fname)
        for i, r in enumerate(t.rows):
            if (col and r.raw(col) == str(key)) or (col is None and i == key):
                return r.place
        return t.label

    def ids(self, fname: str) -> set[str] | None:
        """Every id written in the table; None when the table has no readable rows (say nothing)."""
        t = self.tables.get(fname)
        if t is None or not t.rows:
            return None
        return {r.raw(KEYS[fname]) for r in t.rows}

    def clean(self, fname: str) -> bool:
        """No problem was found in the table (every row became a record)."""
        t = self.tables.get(fname)
        return t is not None and bool(t.rows) and not any(p.place.split(":")[0] == t.label for p in t.log.problems)

    def row_places(self) -> dict[str, str]:
        """``{"islands.csv/<id>": "folder/islands.csv:<line>"}`` for the tables in :data:`ROW_PLACES`."""
        out = {}
        for fname in ROW_PLACES:
            t = self.tables.get(fname)
            for r in t.rows if t else ():
                out[f"{fname}/{r.raw(KEYS[fname])}"] = r.place
        return out


def row_place(s: Scenario, fname: str, key: str) -> str:
    """Where the record ``key`` of ``fname`` was read (``folder/table.csv:line``), for later checks."""
    return s.sources.get(f"{fname}/{key}", f"{fname} ({key})")


def check_references(s: Scenario, log: ProblemLog, index: TableIndex) -> None:
    """Log every reference to an id that no row of the referenced table holds."""
    where = index.where
    islands = index.ids("islands.csv")
    dests = index.ids("destinations.csv")
    facilities = index.ids("facilities.csv")
    conditions = index.ids("conditions.csv")
    places = None if islands is None or dests is None else islands | dests

    def ref(at: str, column: str, value, known: set[str] | None, what: str) -> None:
        if known is not None and value is not None and value not in known:
            log.add(at, column, value, _one_of(what, known))

    for name in sorted((islands or set()) & (dests or set())):
        log.add(where("destinations.csv", name), "destination_id", name, "an id not already used by an island")

    for i in s.islands:
        at = where("islands.csv", i.id)
        ref(at, "weather_area", i.weather_area, index.ids("weather_areas.csv"), "a weather area")
        if facilities is not None and dests is not None and i.referral not in facilities | dests:
            log.add(at, "referral", i.referral, "a facility id or a destination id")
        elif i.referral in {f.id for f in s.facilities} and s.facility(i.referral).doctors == 0:
            log.add(at, "referral", i.referral, "a facility with doctors (or a destination)")
        ref(at, "tertiary", i.tertiary, dests, "a destination")
        if index.clean("facilities.csv"):
            staffed = any(f.island == i.id and f.doctors > 0 for f in s.facilities)
            if i.resident_doctor != staffed:
                log.add(at, "resident_doctor", str(i.resident_doctor).lower(),
                        f"{str(staffed).lower()}: facilities.csv has {'a' if staffed else 'no'} facility with "
                        f"doctors here")

    for f in s.facilities:
        at = where("facilities.csv", f.id)
        ref(at, "island", f.island, islands, "an island")
        for c in sorted(f.treats):
            ref(at, "treats", c, conditions, "a condition")
    for h in s.care_homes:
        ref(where("care_homes.csv", h.id), "island", h.island, islands, "an island")
    for d in s.destinations:
        for c in sorted(d.treats):
            ref(where("destinations.csv", d.id), "treats", c, conditions, "a condition")
    for link in s.links:
        at = where("sea_links.csv", link.id)
        ref(at, "origin", link.origin, places, "an island or destination")
        ref(at, "dest", link.dest, places, "an island or destination")
    for b in s.boat_bases:
        ref(where("boats.csv", b.base), "base", b.base, islands, "an island")
    curves = index.ids("outcome_curves.csv")
    profiles = set(s.time_of_day) if index.clean("time_of_day.csv") else None
    for c in s.conditions:
        at = where("conditions.csv", c.id)
        ref(at, "outcome_curve", c.outcome_curve, curves, "a curve in outcome_curves.csv")
        ref(at, "time_of_day", c.time_of_day, profiles, "a profile column of time_of_day.csv")
    teams = index.ids("circuit_teams.csv")
    for t in s.circuit_teams:
        ref(where("circuit_teams.csv", t.id), "base", t.base, islands, "an island")
    for k, v in enumerate(s.circuit_schedule):
        at = where("circuit_schedule.csv", k)
        ref(at, "island", v.island, islands, "an island")
        ref(at, "team", v.team, teams, "a circuit team")
    _parameter_references(s, log, index)


def _parameter_references(s: Scenario, log: ProblemLog, index: TableIndex) -> None:
    p = {k: v for k, v in s.parameters.as_mapping().items() if v is not None}  # None: its cell was bad

    def ref(key: str, known: set[str] | None, what: str) -> None:
        if key in p and known is not None and p[key] not in known:
            log.add(index.where("parameters.csv", key), "value", p[key], _one_of(what, known))

    ref("helicopter.destination", index.ids("destinations.csv"), "a destination")
    ref("circuit.team_mode", index.ids("modes.csv"), "a mode in modes.csv")
    if index.clean("conditions.csv"):
        ref("circuit.escalation_condition", {c.id for c in s.conditions if c.urgent},
            "an urgent condition in conditions.csv")
    for key in ("ohca.curve_cpr", "ohca.curve_no_cpr"):
        ref(key, index.ids("outcome_curves.csv"), "a curve")
    share_keys = [f"tourists.share_{b}" for b in ("0_14", "15_59", "60_79", "80_plus")]
    routine_keys = [f"routine.no_clinic_{c}_share" for c in ("wait", "travel", "forgo")]
    for keys, what in ((share_keys, "tourists.share_*"), (routine_keys, ", ".join(routine_keys))):
        if all(k in p for k in keys) and abs(sum(p[k] for k in keys) - 1) > 0.01:
            log.add(index.where("parameters.csv", keys[0]), "value", f"sum {sum(p[k] for k in keys):.3f}",
                    f"{what} summing to 1 (± 0.01)")


def check_completeness(log: ProblemLog, index: TableIndex, label: str) -> None:
    """Tables that need a row for every mode, month, cost item, target and elderly band have one (a row
    whose cells are bad counts: its own problem is reported)."""
    wanted = (("modes.csv", "mode", MODES, "mode '{}'"), ("weather_months.csv", "month", range(1, 13), "month {}"),
              ("costs.csv", "item", COST_ITEMS, "cost item '{}'"), ("targets.csv", "target", TARGETS, "target '{}'"),
              ("care_need.csv", "age_band", ELDERLY_BANDS, "age band '{}'"))
    for fname, column, keys, what in wanted:
        have = index.ids(fname)
        if have is None:
            continue
        for k in keys:
            if str(k) not in have:
                log.add(f"{label}/{fname}", column, k, f"a row for {what.format(k)}")


def _one_of(what: str, options) -> str:
    opts = sorted(options)
    shown = ", ".join(opts[:12]) + (", …" if len(opts) > 12 else "")
    return f"{what} ({shown})" if opts else what
