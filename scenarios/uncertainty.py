"""Ranges on a scenario's estimates (``uncertainty.csv``): read, check, and turn into cell overrides.

A row ``table,key,column,low,high,distribution,source[,group]`` says that the number in
``<table>.csv`` at the row ``key`` and the column ``column`` is only known to lie in ``[low, high]``
(``scenarios/SCHEMA.md``). Rows sharing a ``group`` move together as one *factor*: a factor is one
number ``q`` in ``[0, 1]`` (a quantile), and each of its rows takes the value of its own
distribution at ``q`` (``uniform``, ``triangular`` with the table's value as mode, ``loguniform``).
Sensitivity designs and parameter-uncertainty runs choose the quantiles; :meth:`Uncertainty.overrides`
turns them into ``{(table, key, column): value}``, which ``load_scenario(..., overrides=...)`` applies
to the cells before its checks, so every check of the loader holds for a perturbed value too.

Rules that keep a perturbed scenario valid, applied here:

- remainders: ``share_15_59`` of ``islands`` (and its per-year variants ``share_15_59_<year>``), the
  parameter ``tourists.share_15_59`` and the parameter ``routine.no_clinic_forgo_share`` (the small
  islands' care choice: wait, travel or forgo) are set to 1 minus the other shares of their
  composition (:data:`COMPOSITIONS`), so the shares still sum to 1; they cannot be ranged
  themselves. Where the other shares would sum above 1 (an island of old people with every share at
  its high end; waiting and travelling both at their high ends), they are scaled to sum to 1 and the
  remainder is 0;
- whole-number columns (populations, doctors, beds, ...) are rounded by the loader's integer check.

For a synthetic validation case (``scenario.kind`` other than ``data``) the table is ``scenario``
and the key a numeric setting of the case (e.g. ``mean_service_min``), column ``value``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenarios.errors import ProblemLog
from scenarios.tables import ID_RE, Table, normalise_key, row_key

FILE = "uncertainty.csv"
COLUMNS = ("table", "key", "column", "low", "high", "distribution", "source")
DISTRIBUTIONS = ("uniform", "triangular", "loguniform")
SYNTHETIC_TABLE = "scenario"
# synthetic settings that are not numbers a range could vary
SYNTHETIC_FIXED = ("name", "kind", "data_dir", "year", "weather")
AGE_SHARE = re.compile(r"^share_(0_14|60_79|80_plus)(_\d{4})?$")
REMAINDER_COLUMN = re.compile(r"^share_15_59(_\d{4})?$")
TOURIST_SHARES = ("tourists.share_0_14", "tourists.share_60_79", "tourists.share_80_plus")
TOURIST_REMAINDER = "tourists.share_15_59"
ROUTINE_SHARES = ("routine.no_clinic_wait_share", "routine.no_clinic_travel_share")
ROUTINE_REMAINDER = "routine.no_clinic_forgo_share"
# parameters.csv shares that sum to 1: remainder key -> the keys a range may vary
COMPOSITIONS: dict[str, tuple[str, ...]] = {TOURIST_REMAINDER: TOURIST_SHARES, ROUTINE_REMAINDER: ROUTINE_SHARES}
_PART_OF = {k: rem for rem, keys in COMPOSITIONS.items() for k in keys}

Cell = tuple[str, str, str]  # (table, key, column)


@dataclass(frozen=True)
class Range:
    """One row of ``uncertainty.csv``: the range of one cell of a scenario table."""

    table: str
    key: str
    column: str
    low: float
    high: float
    distribution: str
    source: str
    group: str | None
    value: float  # the table's value (the mode of a triangular range)
    place: str  # file:line of the row in uncertainty.csv
    unit: str = ""  # the table's unit of the value, where it has a unit column (parameters.csv)

    @property
    def cell(self) -> Cell:
        return (self.table, self.key, self.column)

    @property
    def name(self) -> str:
        """The factor name of an ungrouped row: the key for parameters and synthetic settings."""
        if self.table in ("parameters", SYNTHETIC_TABLE):
            return self.key
        return f"{self.table}:{self.key}:{self.column}"

    def at(self, q: float) -> float:
        """The value at quantile ``q`` of the row's distribution (q = 0: low, q = 1: high)."""
        q = min(max(float(q), 0.0), 1.0)
        lo, hi = self.low, self.high
        if self.distribution == "uniform":
            return lo + q * (hi - lo)
        if self.distribution == "loguniform":
            return lo * (hi / lo) ** q
        c = (self.value - lo) / (hi - lo)  # triangular, mode = the table's value
        if q <= c:
            return lo + math.sqrt(q * (hi - lo) * (self.value - lo))
        return hi - math.sqrt((1 - q) * (hi - lo) * (hi - self.value))


@dataclass(frozen=True)
class Factor:
    """What a design varies: one group of rows (or one ungrouped row) moved by one quantile."""

    name: str
    ranges: tuple[Range, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(r.cell for r in self.ranges)


@dataclass(frozen=True)
class Uncertainty:
    """The checked ranges of a scenario, as factors, and what a remainder needs to be recomputed."""

    factors: tuple[Factor, ...]
    siblings: Mapping[Cell, float]  # table values of the other shares of rows with remainders
    source: str  # the file (or 'config') the ranges came from

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    def factor(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise KeyError(name)

    def subset(self, names: Sequence[str]) -> Uncertainty:
        """Only the named factors, in the given order (names checked by the caller)."""
        return Uncertainty(tuple(self.factor(n) for n in names), self.siblings, self.source)

    def overrides(self, quantiles: Mapping[str, float]) -> dict[Cell, float]:
        """Cell overrides for ``{factor name: quantile}``; factors not named keep the table's value."""
        out: dict[Cell, float] = {}
        for f in self.factors:
            if f.name in quantiles:
                for r in f.ranges:
                    out[r.cell] = r.at(quantiles[f.name])
        return _with_remainders(out, self.siblings)


def read_uncertainty(path: Path, log: ProblemLog, tables: TableValues, label_root: Path | None = None,
                     extra: Iterable[Mapping[str, object]] = (), required: bool = False) -> Uncertainty:
    """Read and check the ranges of ``path`` (and ``extra`` rows given in the configuration).

    Parameters
    ----------
    path : Path
        The ``uncertainty.csv`` to read (a missing file is an empty table unless ``required``).
    log : ProblemLog
        Every problem is added here, naming ``file:line`` and the column.
    tables : TableValues
        The scenario's table values (a data folder or a synthetic case's settings).
    label_root : Path, optional
        Paths in problems are shown relative to this folder.
    extra : iterable of mappings
        Further rows with the same keys as the CSV columns (``sensitivity.ranges``).
    required : bool
        Whether a missing file is a problem.
    """
    rows: list[tuple[str, Mapping[str, str]]] = []
    path = Path(path)
    if path.exists() or required:
        t = Table(path.parent, path.name, COLUMNS, log, label_root=label_root)
        rows += [(r.place, r.cells) for r in t.rows]
    for i, row in enumerate(extra):
        rows.append((f"sensitivity.ranges[{i}]", {k: "" if v is None else str(v) for k, v in dict(row).items()}))
    ranges = [r for r in (_parse(place, cells, log, tables) for place, cells in rows) if r is not None]
    seen: dict[Cell, str] = {}
    for r in ranges:
        if r.cell in seen:
            log.add(r.place, "column", r.column, f"one range per cell (this cell is also ranged at {seen[r.cell]})")
        seen.setdefault(r.cell, r.place)
    factors: dict[str, list[Range]] = {}
    for r in ranges:
        factors.setdefault(r.group or r.name, []).append(r)
    for name, members in factors.items():
        if len(members) > 1 and any(m.group is None for m in members):
            log.add(members[0].place, "group", name, "a group name that is not also the name of an ungrouped row")
    siblings = {c: v for r in ranges for c, v in tables.siblings(r).items()}
    return Uncertainty(tuple(Factor(n, tuple(m)) for n, m in factors.items()), siblings, str(path))


def _parse(place: str, cells: Mapping[str, str], log: ProblemLog, tables: TableValues) -> Range | None:
    def raw(c: str) -> str:
        return str(cells.get(c) or "").strip()

    table, key, column, dist, group = raw("table"), raw("key"), raw("column"), raw("distribution"), raw("group")
    ok = True
    low, high = _number(raw("low")), _number(raw("high"))
    for col, v in (("low", low), ("high", high)):
        if v is None:
            log.add(place, col, raw(col), "a number")
            ok = False
    if dist not in DISTRIBUTIONS:
        log.add(place, "distribution", dist, "one of " + ", ".join(DISTRIBUTIONS))
        ok = False
    if not raw("source"):
        log.add(place, "source", "", "a source: a document key, 'DER: ...' or 'estimate: <reasoning>'")
    if group and not ID_RE.match(group):
        log.add(place, "group", group, "an identifier: lower-case letters, digits and _ (or empty)")
        ok = False
    if low is not None and high is not None and low >= high:
        log.add(place, "low", f"{low:g} >= {high:g}", "low below high (a range with low = high varies nothing)")
        ok = False
    value = tables.value(place, table, key, column, log)
    if value is None or not ok:
        return None
    if not low <= value <= high:
        log.add(place, "low", f"{low:g}..{high:g}", f"a range containing the table's value ({value:g})")
    if tables.is_share(table, key, column) and (low < 0 or high > 1):
        log.add(place, "high" if high > 1 else "low", f"{low:g}..{high:g}", "a share or probability: a range inside [0, 1]")
    if dist == "loguniform" and low <= 0:
        log.add(place, "low", low, "low > 0 for a loguniform range")
    return Range(table, normalise_key(key), column, low, high, dist, raw("source"), group or None, value, place,
                 tables.unit(table, key))


def _number(s: str) -> float | None:
    try:
        x = float(s)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


class TableValues:
    """The numbers a range may vary: the cells of a scenario folder's tables (read lazily)."""

    def __init__(self, folder: Path, tables: Sequence[str]):
        self.folder, self.tables = Path(folder), tuple(tables)
        self._cache: dict[str, dict[str, dict[str, str]]] = {}

    def rows(self, table: str) -> dict[str, dict[str, str]]:
        """``{row key: cells}`` of ``<table>.csv`` (problems reading it are the loader's to report)."""
        if table not in self._cache:
            t = Table(self.folder, f"{table}.csv", (), ProblemLog())
            self._cache[table] = {row_key(f"{table}.csv", t.columns, r.cells): r.cells for r in t.rows}
        return self._cache[table]

    def value(self, place: str, table: str, key: str, column: str, log: ProblemLog) -> float | None:
        if table not in self.tables:
            log.add(place, "table", table, "a table of the scenario folder without .csv (" + ", ".join(self.tables) + ")")
            return None
        rows = self.rows(table)
        cells = rows.get(normalise_key(key))
        if cells is None:
            shown = ", ".join(list(rows)[:8]) + (", …" if len(rows) > 8 else "")
            log.add(place, "key", key, f"a row of {table}.csv ({shown})")
            return None
        if column not in cells or column.startswith("source"):
            numeric = [c for c, v in cells.items() if _number(str(v).strip()) is not None and not c.startswith("source")]
            log.add(place, "column", column, f"a numeric column of {table}.csv ({', '.join(numeric)})")
            return None
        if self.is_remainder(table, key, column):
            log.add(place, "column", column, "a column that is not a remainder (it is 1 minus the other shares)")
            return None
        v = _number(str(cells[column]).strip())
        if v is None:
            log.add(place, "column", column, f"a numeric cell (the table has '{cells[column]}')")
        return v

    def unit(self, table: str, key: str) -> str:
        return str(self.rows(table).get(normalise_key(key), {}).get("unit") or "").strip()

    @staticmethod
    def is_remainder(table: str, key: str, column: str) -> bool:
        return (table == "islands" and bool(REMAINDER_COLUMN.match(column))) or (
            table == "parameters" and key in COMPOSITIONS)

    @staticmethod
    def is_share(table: str, key: str, column: str) -> bool:
        name = key if table == "parameters" else column
        return "share" in name or name in ("probability", "nonshockable_survival") or name.endswith("_survival")

    def siblings(self, r: Range) -> dict[Cell, float]:
        """The other shares of the row of an age-share range (to recompute its remainder)."""
        out: dict[Cell, float] = {}
        if r.table == "islands" and AGE_SHARE.match(r.column):
            suffix = AGE_SHARE.match(r.column).group(2) or ""
            cells = self.rows("islands")[r.key]
            for band in ("0_14", "60_79", "80_plus"):
                col = f"share_{band}{suffix}"
                if col in cells and _number(cells[col]) is not None:
                    out[("islands", r.key, col)] = float(cells[col])
        elif r.table == "parameters" and r.key in _PART_OF:
            rows = self.rows("parameters")
            for k in COMPOSITIONS[_PART_OF[r.key]]:
                if k in rows and _number(rows[k].get("value", "")) is not None:
                    out[("parameters", k, "value")] = float(rows[k]["value"])
        return out


class SyntheticValues(TableValues):
    """The numbers of a synthetic case: its numeric settings, as table ``scenario``, column ``value``."""

    def __init__(self, settings: Mapping[str, object]):
        self.settings = dict(settings)
        self.tables = (SYNTHETIC_TABLE,)

    def value(self, place: str, table: str, key: str, column: str, log: ProblemLog) -> float | None:
        numeric = [k for k, v in self.settings.items()
                   if k not in SYNTHETIC_FIXED and isinstance(v, (int, float)) and not isinstance(v, bool)]
        if table != SYNTHETIC_TABLE:
            log.add(place, "table", table, f"'{SYNTHETIC_TABLE}' (a synthetic case's settings)")
            return None
        if key not in numeric:
            log.add(place, "key", key, f"a numeric setting of the synthetic case ({', '.join(numeric)})")
            return None
        if column != "value":
            log.add(place, "column", column, "value")
            return None
        return float(self.settings[key])

    def siblings(self, r: Range) -> dict[Cell, float]:
        return {}

    def unit(self, table: str, key: str) -> str:
        return ""


def _with_remainders(out: dict[Cell, float], siblings: Mapping[Cell, float]) -> dict[Cell, float]:
    """Add the remainder share of every row one of whose other shares is overridden."""
    rows: dict[tuple[str, str], list[Cell]] = {}
    for cell in out:
        table, key, column = cell
        m = AGE_SHARE.match(column) if table == "islands" else None
        if m:
            rows.setdefault((key, m.group(2) or ""), [])
        elif table == "parameters" and key in _PART_OF:
            rows.setdefault((_PART_OF[key], ""), [])
    for (key, suffix) in rows:
        if key in COMPOSITIONS:
            cells = [("parameters", k, "value") for k in COMPOSITIONS[key]]
            target: Cell = ("parameters", key, "value")
        else:
            cells = [("islands", key, f"share_{b}{suffix}") for b in ("0_14", "60_79", "80_plus")]
            target = ("islands", key, f"share_15_59{suffix}")
        given = [out.get(c, siblings.get(c)) for c in cells]
        if all(v is not None for v in given):
            total = sum(given)
            if total > 1.0:  # the other shares at their high ends leave no room: scaled to sum to 1
                out.update({c: v / total for c, v in zip(cells, given, strict=True)})
            out[target] = max(0.0, 1.0 - sum(out.get(c, siblings.get(c)) for c in cells))
    return out
