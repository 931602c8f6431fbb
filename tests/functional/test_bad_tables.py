"""Table mistakes that used to pass silently: a header without rows, an unknown column, a time-of-day
column of words, duplicate departures, an outcome curve that rises with delay, an unreadable file.

Edits are made on a copy of tests/data/tiny (folder ``tiny``); lines are file lines (1 = header).
"""

from __future__ import annotations

import string
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.errors import InputWarning
from scenarios.tables import EXTRA_COLUMNS, NOTE_COLUMNS

TINY_DIR = Path(__file__).resolve().parents[1] / "data" / "tiny"
TABLES = sorted(p.name for p in TINY_DIR.glob("*.csv"))


# --- a header and no rows ------------------------------------------------------------------------------
@pytest.mark.parametrize("table", TABLES)
def test_a_header_only_table_is_one_problem_naming_the_file(tmp_scenario, table):
    tmp_scenario.write(table, tmp_scenario.text(table).splitlines(keepends=True)[0])
    ps = tmp_scenario.problems()
    assert any(p.place == f"tiny/{table}" and "empty" in p.expected for p in ps), ps
    # no knock-on problem in other tables (a reference into an empty table is not checked)
    assert {p.place.split(":")[0] for p in ps} == {f"tiny/{table}"}, [(p.place, p.expected) for p in ps]


# --- columns -------------------------------------------------------------------------------------------------
def _add_column(folder, table: str, name: str, value: str) -> None:
    lines = folder.text(table).splitlines()
    out = [lines[0] + f",{name}"] + [line + f",{value}" for line in lines[1:]]
    folder.write(table, "\n".join(out) + "\n")


@pytest.mark.parametrize("table", ["facilities.csv", "time_of_day.csv", "boats.csv"])
def test_an_unknown_column_is_an_error_naming_it(tmp_scenario, problem_at, table):
    _add_column(tmp_scenario, table, "commment", "x")
    p = problem_at(tmp_scenario.problems(), f"tiny/{table}:1", "commment")
    assert "column" in p.expected


def test_a_time_of_day_column_of_words_is_one_problem(tmp_scenario, problem_at):
    _add_column(tmp_scenario, "time_of_day.csv", "remarks", "checked by phone")
    ps = tmp_scenario.problems()
    assert len(ps) == 1
    p = problem_at(ps, "tiny/time_of_day.csv:1", "remarks")
    assert "24 of 24" in p.value and "note" in p.expected


@pytest.mark.parametrize("name", NOTE_COLUMNS)
def test_a_note_column_is_a_warning_and_ignored(tmp_scenario, name):
    for table in ("facilities.csv", "time_of_day.csv"):
        _add_column(tmp_scenario, table, name, "free text; even 3.5 or 五")
    with pytest.warns(InputWarning) as caught:
        s = tmp_scenario.load()
    assert {str(w.message).split(" column")[0] for w in caught} == {"tiny/facilities.csv:1", "tiny/time_of_day.csv:1"}
    assert name not in s.time_of_day


ALLOWED_EXTRA = {"islands.csv": ("pop_2030", "share_60_79_2030"), "time_of_day.csv": ("holiday",)}


@pytest.mark.parametrize("table, column", [(t, c) for t, cols in ALLOWED_EXTRA.items() for c in cols])
def test_columns_a_table_may_add(tmp_scenario, table, column):
    """Census years (pop_<year>, share_<band>_<year>) and arrival profiles are not unknown columns."""
    assert table in EXTRA_COLUMNS
    _add_column(tmp_scenario, table, column, "1" if table == "time_of_day.csv" else "0.25")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        problems = []
        try:
            tmp_scenario.load()
        except Exception as e:  # noqa: BLE001 - the share column may not sum: only the name matters here
            problems = getattr(e, "problems", [e])
    assert not any(getattr(p, "column", "") == column and "column of this table" in p.expected for p in problems)


KNOWN = {c for t in TABLES for c in (TINY_DIR / t).read_text(encoding="utf-8").splitlines()[0].split(",")}
NEW_COLUMN = st.text(alphabet=string.ascii_lowercase + "_", min_size=2, max_size=10).filter(
    lambda c: c not in KNOWN and c not in NOTE_COLUMNS and not c.startswith("source"))


@given(st.sampled_from([t for t in TABLES if t != "time_of_day.csv"]), NEW_COLUMN)
def test_any_unknown_column_is_reported_on_the_header(reusable_copy, problem_at, table, column):
    import re

    if any(re.fullmatch(a, column) for a in EXTRA_COLUMNS.get(table, ())):
        return
    original = reusable_copy.text(table)
    try:
        _add_column(reusable_copy, table, column, "1")
        ps = reusable_copy.problems()
    finally:
        reusable_copy.write(table, original)
    problem_at(ps, f"tiny/{table}:1", column)


@pytest.fixture(scope="module")
def reusable_copy(scenario_copy):
    return scenario_copy()


# --- rows ------------------------------------------------------------------------------------------------------
def test_duplicate_departures_are_an_error(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("sea_links.csv", "link_id", "main_near")
    tmp_scenario.set_cell("sea_links.csv", line, "departures", "08:00;12:00;08:00")
    p = problem_at(tmp_scenario.problems(), f"tiny/sea_links.csv:{line}", "departures")
    assert "08:00" in p.expected and "once" in p.expected


@st.composite
def rising_curve_edit(draw):
    """A point of a curve raised above its predecessor (survival rising with delay)."""
    rows = (TINY_DIR / "outcome_curves.csv").read_text(encoding="utf-8").splitlines()[1:]
    cells = [r.split(",") for r in rows]
    candidates = [k for k in range(1, len(cells)) if cells[k][0] == cells[k - 1][0]]
    k = draw(st.sampled_from(candidates))
    before = float(cells[k - 1][2])
    value = draw(st.floats(before + 1e-3, 1.0)) if before < 1 else None
    return k + 2, value  # file line (header is 1), new probability


@given(rising_curve_edit())
def test_an_outcome_curve_may_not_rise_with_delay(reusable_copy, problem_at, edit):
    line, value = edit
    if value is None:
        return
    original = reusable_copy.text("outcome_curves.csv")
    try:
        reusable_copy.set_cell("outcome_curves.csv", line, "probability", repr(value))
        ps = reusable_copy.problems()
    finally:
        reusable_copy.write("outcome_curves.csv", original)
    assert "may not rise" in problem_at(ps, f"tiny/outcome_curves.csv:{line}", "probability").expected


def test_a_flat_curve_is_accepted(tmp_scenario):
    tmp_scenario.set_cell("outcome_curves.csv", 3, "probability", "0.6")  # equal to the point before
    tmp_scenario.load()


def test_an_unreadable_table_is_a_problem_not_a_crash(tmp_scenario, problem_at):
    tmp_scenario.remove("boats.csv")
    (tmp_scenario.path / "boats.csv").mkdir()  # a folder where the file should be
    p = problem_at(tmp_scenario.problems(), "tiny/boats.csv")
    assert "readable" in p.expected


def test_the_command_line_prints_a_warning_as_a_note(tmp_scenario, tmp_path):
    import subprocess
    import sys

    _add_column(tmp_scenario, "boats.csv", "notes", "checked")
    root = Path(__file__).resolve().parents[2]
    res = subprocess.run([sys.executable, "run.py", "mode=summary", f"scenario.data_dir={tmp_scenario.path}",
                          "scenario.lang=en", f"hydra.run.dir={tmp_path / 'out'}"], cwd=root, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "Note: tiny/boats.csv:1 column 'notes'" in res.stderr
