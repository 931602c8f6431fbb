"""Shared fixtures: the two scenarios loaded once per session, and writable copies of the tiny one.

Hypothesis profiles: ``default`` keeps property tests quick (the whole suite must stay fast);
``HYPOTHESIS_PROFILE=thorough`` runs many more examples when hunting for loader bugs.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from scenarios.errors import InputError, Problem
from scenarios.loader import load_scenario
from scenarios.model import Scenario

ROOT = Path(__file__).resolve().parents[1]
TINY_DIR = ROOT / "tests" / "data" / "tiny"
SHENGSI_DIR = ROOT / "scenarios" / "shengsi"

# Loading a scenario reads ~18 files; a deadline of a couple of seconds tolerates a slow disk.
_COMMON = dict(deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("default", max_examples=40, **_COMMON)
settings.register_profile("thorough", max_examples=1500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# A figure that fails to draw is an error in tests (in production it is reported and skipped); set for
# this process and every run.py the tests start.
os.environ["ISLANDCARE_REPORT_STRICT"] = "1"


class ScenarioFolder:
    """A writable copy of a scenario folder with the small edits bad-input tests need.

    Lines are file lines (1 = header), the numbering the loader reports as ``folder/table.csv:line``.
    """

    def __init__(self, path: Path):
        self.path = path

    @property
    def name(self) -> str:
        return self.path.name

    def place(self, table: str, line: int | None = None) -> str:
        return f"{self.name}/{table}" + ("" if line is None else f":{line}")

    # --- reading ---------------------------------------------------------------------------------
    def text(self, table: str) -> str:
        return (self.path / table).read_text(encoding="utf-8")

    def _lines(self, table: str) -> list[str]:
        return self.text(table).splitlines(keepends=True)

    def header(self, table: str) -> list[str]:
        return next(csv.reader([self._lines(table)[0]]))

    def cells(self, table: str, line: int) -> dict[str, str]:
        row = next(csv.reader([self._lines(table)[line - 1]]))
        return dict(zip(self.header(table), row, strict=True))

    def line_of(self, table: str, column: str, value: str) -> int:
        """The file line of the first row whose ``column`` holds ``value``."""
        for n in range(2, len(self._lines(table)) + 1):
            if self.cells(table, n).get(column) == value:
                return n
        raise KeyError(f"{table}: no row with {column}={value}")

    # --- editing ---------------------------------------------------------------------------------
    def write(self, table: str, text: str) -> None:
        (self.path / table).write_text(text, encoding="utf-8")

    def set_cell(self, table: str, line: int, column: str, value: str) -> None:
        lines = self._lines(table)
        header = self.header(table)
        row = next(csv.reader([lines[line - 1]]))
        row[header.index(column)] = value
        lines[line - 1] = _csv_line(row)
        self.write(table, "".join(lines))

    def drop_column(self, table: str, column: str) -> None:
        rows = list(csv.reader(io.StringIO(self.text(table))))
        k = rows[0].index(column)
        self.write(table, "".join(_csv_line(r[:k] + r[k + 1:]) for r in rows))

    def append_row(self, table: str, cells: dict[str, str]) -> int:
        """Add a row (missing columns empty); returns its file line."""
        lines = self._lines(table)
        if not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(_csv_line([cells.get(c, "") for c in self.header(table)]))
        self.write(table, "".join(lines))
        return len(lines)

    def remove(self, table: str) -> None:
        (self.path / table).unlink()

    # --- loading ---------------------------------------------------------------------------------
    def load(self, year: int = 2024) -> Scenario:
        return load_scenario(self.path, year=year)

    def problems(self, year: int = 2024) -> list[Problem]:
        """The problems of a load that must fail (a silent load fails the test)."""
        try:
            self.load(year)
        except InputError as e:
            return e.problems
        pytest.fail(f"{self.path} loaded although it was edited to be invalid")


def _csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def copy_scenario(src: Path, dest: Path) -> ScenarioFolder:
    shutil.copytree(src, dest)
    return ScenarioFolder(dest)


def find_problem(problems: list[Problem], place: str, column: str | None = None) -> Problem:
    """The first problem at ``place`` (and ``column``); fails listing every problem if none."""
    for p in problems:
        if p.place == place and (column is None or p.column == column):
            return p
    listing = "\n".join(f"  {p.place} | {p.column} | {p.value} | {p.expected}" for p in problems)
    pytest.fail(f"no problem at {place} column {column!r}; got:\n{listing}")


@pytest.fixture(scope="session")
def shengsi() -> Scenario:
    return load_scenario(SHENGSI_DIR, year=2024)


@pytest.fixture(scope="session")
def shengsi_2020() -> Scenario:
    return load_scenario(SHENGSI_DIR, year=2020)


@pytest.fixture(scope="session")
def tiny() -> Scenario:
    return load_scenario(TINY_DIR)


@pytest.fixture
def tmp_scenario(tmp_path) -> ScenarioFolder:
    """A fresh copy of ``tests/data/tiny`` (folder name ``tiny``) to break on purpose."""
    return copy_scenario(TINY_DIR, tmp_path / "tiny")


@pytest.fixture(scope="session")
def problem_at():
    """``problem_at(problems, place, column)``: the matching problem, or a failure listing them all."""
    return find_problem


@pytest.fixture(scope="session")
def scenario_copy(tmp_path_factory):
    """``scenario_copy()``: a new copy of the tiny scenario that outlives one test (for hypothesis)."""

    def make(src: Path = TINY_DIR) -> ScenarioFolder:
        return copy_scenario(src, tmp_path_factory.mktemp("copy") / "tiny")

    return make
