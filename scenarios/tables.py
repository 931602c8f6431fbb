"""Reading one CSV table and checking its cells, recording every problem with file, line and column.

A :class:`Row` hands out typed values (``row.float("lat", -90, 90)``); a bad cell is logged and
``None`` returned, so checking goes on and the user sees every problem at once.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from pathlib import Path

from scenarios.errors import ProblemLog
from scenarios.model import EVERY_DAY, WEEKDAYS

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
HHMM_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
TRUE = {"true", "1", "yes", "y"}
FALSE = {"false", "0", "no", "n"}

# The largest count a table may hold, per kind of resource; a policy's levels obey the same limits.
MAX_COUNT = {"doctors": 10_000, "beds": 10_000, "nurses": 100_000, "aeds": 100_000, "boats": 100,
             "care_beds": 10_000, "carers": 10_000}
# Columns a table may have besides its fixed ones and source* (patterns of the whole name).
EXTRA_COLUMNS = {
    "islands.csv": (r"pop_\d{4}", r"share_(0_14|15_59|60_79|80_plus)_\d{4}"),  # by census year
    "time_of_day.csv": (r"[a-z][a-z0-9_]*",),  # one column per arrival profile
    "boats.csv": ("kind", "dispatch_min", "availability"),  # optional (scenarios/SCHEMA.md)
    "conditions.csv": ("tourist_factor",),  # optional
    "sea_links.csv": ("days",),  # optional: weekdays a timetabled link sails
}
NOTE_COLUMNS = ("note", "notes")  # free text for people: ignored, with a warning


class Row:
    """One data row of a table, with typed accessors that log problems instead of raising."""

    def __init__(self, table: Table, line: int, cells: dict[str, str]):
        self.table, self.line, self.cells = table, line, cells
        self.overridden: set[str] = set()  # columns whose cell an override replaced (scenarios.uncertainty)

    @property
    def place(self) -> str:
        return f"{self.table.label}:{self.line}"

    def problem(self, column: str, value: object, expected: str) -> None:
        self.table.log.add(self.place, column, value, expected)

    def raw(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def text(self, column: str, required: bool = True) -> str | None:
        v = self.raw(column)
        if required and not v:
            self.problem(column, v, "a non-empty value")
            return None
        return v

    def ident(self, column: str, required: bool = True) -> str | None:
        v = self.raw(column)
        if not v and not required:
            return None
        if not ID_RE.match(v):
            self.problem(column, v, "an identifier: lower-case letters, digits and _ (starting with a letter)")
            return None
        return v

    def choice(self, column: str, options: tuple[str, ...]) -> str | None:
        v = self.raw(column)
        if v not in options:
            self.problem(column, v, "one of " + ", ".join(options))
            return None
        return v

    def float(self, column: str, low: float | None = None, high: float | None = None,
              required: bool = True) -> float | None:
        v = self.raw(column)
        if not v and not required:
            return None
        try:
            x = float(v)
        except ValueError:
            self.problem(column, v, _range_text("a number", low, high))
            return None
        # inf and nan parse as floats but are never a valid quantity
        if not math.isfinite(x) or (low is not None and x < low) or (high is not None and x > high):
            self.problem(column, v, _range_text("a number", low, high))
            return None
        return x

    def int(self, column: str, low: int | None = None, high: int | None = None) -> int | None:
        v = self.raw(column)
        if column in self.overridden:  # a varied whole number (a population, doctors) is rounded
            v = str(round(float(v)))
        try:
            x = int(v)
        except ValueError:
            try:
                f = float(v)
            except ValueError:
                f = None
            if f is None or not math.isfinite(f) or f != int(f):  # int(nan), int(inf) would raise
                self.problem(column, v, _range_text("a whole number", low, high))
                return None
            x = int(f)
        if (low is not None and x < low) or (high is not None and x > high):
            self.problem(column, v, _range_text("a whole number", low, high))
            return None
        return x

    def bool(self, column: str) -> bool | None:
        v = self.raw(column).lower()
        if v in TRUE:
            return True
        if v in FALSE:
            return False
        self.problem(column, self.raw(column), "true or false")
        return None

    def hhmm(self, column: str, allow_24: bool = False) -> int | None:
        return parse_hhmm(self.raw(column), allow_24, lambda v, e: self.problem(column, v, e))

    def id_list(self, column: str) -> tuple[str, ...] | None:
        items = [s.strip() for s in self.raw(column).split(";") if s.strip()]
        bad = [s for s in items if not ID_RE.match(s)]
        if bad:
            self.problem(column, self.raw(column), "identifiers separated by ;")
            return None
        return tuple(items)

    def hhmm_list(self, column: str) -> tuple[int, ...] | None:
        out, ok = [], True
        for s in (x.strip() for x in self.raw(column).split(";")):
            if not s:
                continue
            m = parse_hhmm(s, False, None)
            if m is None:
                ok = False
            else:
                out.append(m)
        if not ok:
            self.problem(column, self.raw(column), "times of day HH:MM (00:00-23:59) separated by ;")
            return None
        return tuple(sorted(out))

    def months(self, column: str) -> frozenset[int] | None:
        v = self.raw(column) or "1-12"
        out: set[int] = set()
        try:
            for part in (p.strip() for p in v.split(";") if p.strip()):
                a, _, b = part.partition("-")
                lo, hi = int(a), int(b or a)
                if not (1 <= lo <= 12 and 1 <= hi <= 12):
                    raise ValueError
                out.update(range(lo, hi + 1) if lo <= hi else [*range(lo, 13), *range(1, hi + 1)])
        except ValueError:
            self.problem(column, v, "months like 1-12 or 6-9;12 (1 = January)")
            return None
        return frozenset(out)

    def weekdays(self, column: str) -> frozenset[int] | None:
        """``Wed;Sat`` or ``Mon-Fri;Sun`` (case ignored; a range may wrap, ``Sat-Mon``) -> weekday
        numbers, 0 = Monday; an empty cell (or no such column) is every day."""
        v = self.raw(column)
        if not v:
            return EVERY_DAY
        out: set[int] = set()
        try:
            parts = [p.strip().lower() for p in v.split(";") if p.strip()]
            if not parts:
                raise ValueError
            for part in parts:
                a, dash, b = (x.strip() for x in part.partition("-"))
                if dash and not b:
                    raise ValueError  # "Mon-": a range without its end
                lo, hi = WEEKDAYS.index(a), WEEKDAYS.index(b or a)  # ValueError for an unknown name
                out.update(range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(0, hi + 1)])
        except ValueError:
            self.problem(column, v, "weekdays like Wed;Sat or Mon-Fri (Mon Tue Wed Thu Fri Sat Sun, separated "
                         "by ;), or empty for every day")
            return None
        return frozenset(out)


def parse_hhmm(v: str, allow_24: bool, report) -> int | None:
    """``"07:30"`` -> 450 minutes after midnight; ``"24:00"`` only when ``allow_24``."""
    m = HHMM_RE.match(v.strip()) if v else None
    ok = False
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        ok = (h < 24 and mi < 60) or (allow_24 and h == 24 and mi == 0)
    if not ok:
        if report:
            report(v, "a time of day HH:MM" + (" (00:00-24:00)" if allow_24 else " (00:00-23:59)"))
        return None
    return h * 60 + mi


def _range_text(what: str, low, high) -> str:
    if low is not None and high is not None:
        return f"{what} from {_n(low)} to {_n(high)}"
    if low is not None:
        return f"{what} >= {_n(low)}"
    if high is not None:
        return f"{what} <= {_n(high)}"
    return what


def _n(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# Tables whose rows are identified by more than their first column (``curve:delay_min``)
KEY_COLUMNS = {"outcome_curves.csv": ("curve", "delay_min")}


def normalise_key(key: str) -> str:
    """A row key as compared: whole numbers without decimals (``5.0`` -> ``5``), parts joined by ``:``."""
    parts = []
    for part in str(key).strip().split(":"):
        try:
            x = float(part)
            parts.append(str(int(x)) if x.is_integer() else repr(x))
        except ValueError:
            parts.append(part.strip())
    return ":".join(parts)


def overrides_by_table(overrides) -> dict[str, dict[tuple[str, str], float]]:
    """``{(table, key, column): value}`` -> ``{"<table>.csv": {(key, column): value}}``."""
    out: dict[str, dict[tuple[str, str], float]] = {}
    for (table, key, column), value in (overrides or {}).items():
        out.setdefault(f"{table}.csv", {})[(key, column)] = value
    return out


def row_key(table_file: str, header: list[str], cells: Mapping[str, str]) -> str:
    """The id of a row: its first column's value (``curve:delay_min`` for outcome curves)."""
    cols = KEY_COLUMNS.get(table_file) or tuple(header[:1])
    return normalise_key(":".join((cells.get(c) or "").strip() for c in cols))


class Table:
    """A CSV table read into rows; missing columns and blank sources are logged at once."""

    def __init__(self, folder: Path, name: str, columns: tuple[str, ...], log: ProblemLog,
                 label_root: Path | None = None, required: bool = True,
                 overrides: Mapping[tuple[str, str], float] | None = None):
        self.path = folder / name
        self.log = log
        try:
            self.label = str(self.path.relative_to(label_root)) if label_root else str(self.path)
        except ValueError:
            self.label = str(self.path)
        self.rows: list[Row] = []
        self.columns: list[str] = []
        self.required = columns
        self.header_line = 1
        if not self.path.exists():
            if required:
                log.add(self.label, "", "", "this table (see scenarios/SCHEMA.md)")
            return
        try:
            raw = self.path.read_bytes()
        except OSError as e:  # a folder named like the table, no permission to read, ...
            log.add(self.label, "", e.strerror or type(e).__name__, "a readable file (check its permissions)")
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:  # e.g. saved from a spreadsheet as GBK
            line_no = raw.count(b"\n", 0, e.start) + 1
            log.add(f"{self.label}:{line_no}", "", raw[e.start:e.end].hex(" "),
                    "UTF-8 text (save the table as 'CSV UTF-8')")
            return
        lines = list(enumerate(io.StringIO(text, newline=""), start=1))
        body = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
        if not body:
            log.add(self.label, "", "", "a header row and data rows")
            return
        reader = csv.reader([line for _, line in body])
        header = [h.strip() for h in next(reader)]
        self.columns = header
        self.header_line = body[0][0]
        missing = [c for c in columns if c not in header]
        for c in missing:
            log.add(f"{self.label}:{body[0][0]}", c, "", f"a column named '{c}'")
        source_cols = [c for c in header if c.startswith("source")]
        if not source_cols:
            log.add(f"{self.label}:{body[0][0]}", "source", "", "a 'source' column (every number needs its origin)")
        while True:
            first = reader.line_num  # body lines read so far: this record starts on the next one
            cells = next(reader, None)  # a quoted cell may span lines, so records != lines
            if cells is None:
                break
            line_no = body[first][0]
            if len(cells) != len(header):
                log.add(f"{self.label}:{line_no}", "", ",".join(cells),
                        f"{len(header)} cells like the header (found {len(cells)})")
                continue
            row = Row(self, line_no, dict(zip(header, cells, strict=True)))
            for c in source_cols:
                if not row.raw(c):
                    row.problem(c, "", "a source: a document key, 'DER: ...' or 'estimate: <reasoning>'")
            self.rows.append(row)
        if missing:  # rows would only repeat the missing-column problem
            self.rows = []
        elif not self.rows and len(body) == 1:
            log.add(self.label, "", "header only", "data rows under the header (the table is empty)")
        if overrides and not missing:
            self._override(overrides)

    def check_columns(self) -> None:
        """Log every column that is neither one of the table's, ``source*``, nor an allowed extra
        (:data:`EXTRA_COLUMNS`); a ``note``/``notes`` column is only a warning (it is ignored)."""
        allowed = EXTRA_COLUMNS.get(self.path.name, ())
        for c in self.columns:
            place = f"{self.label}:{self.header_line}"
            if c.lower() in NOTE_COLUMNS:
                self.log.warn(place, c, "", "a column the model does not read (free text, ignored)")
            elif not (c in self.required or c.startswith("source") or any(re.fullmatch(a, c) for a in allowed)):
                self.log.add(place, c, "", "a column of this table (see scenarios/SCHEMA.md): "
                             + ", ".join(self.required) + (", source" if "source" not in self.required else ""))

    def _override(self, overrides: Mapping[tuple[str, str], float]) -> None:
        """Replace cells ``{(row key, column): value}`` before any check reads them."""
        by_key = {row_key(self.path.name, self.columns, r.cells): r for r in self.rows}
        for (key, column), value in overrides.items():
            row = by_key.get(normalise_key(key))
            if row is None or column not in row.cells:
                self.log.add(self.label, column, key, "a row key and column of this table (an override)")
                continue
            row.cells[column] = repr(float(value))
            row.overridden.add(column)

    def unique(self, column: str) -> None:
        seen: dict[str, int] = {}
        for r in self.rows:
            v = r.raw(column)
            if v in seen:
                r.problem(column, v, f"a unique value (also on line {seen[v]})")
            else:
                seen[v] = r.line
