"""Bad scenario data: each class of mistake gives one InputError naming file:line and column.

Edits are made on a copy of tests/data/tiny (folder ``tiny``); lines are file lines (1 = header).
The property tests at the end break one random cell at a time and demand an InputError that names
that cell: never another exception, never a silent load.
"""

from __future__ import annotations

import csv
import math
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.errors import InputError
from scenarios.validate import validate

TINY_DIR = Path(__file__).resolve().parents[1] / "data" / "tiny"


# --- one test per class of mistake -------------------------------------------------------------------
def test_route_to_an_unknown_island(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("sea_links.csv", "link_id", "main_far")
    tmp_scenario.set_cell("sea_links.csv", line, "dest", "atlantis")
    p = problem_at(tmp_scenario.problems(), f"tiny/sea_links.csv:{line}", "dest")
    assert p.value == "atlantis" and "far" in p.expected and "city" in p.expected


def test_negative_population(tmp_scenario, problem_at):
    tmp_scenario.set_cell("islands.csv", 3, "pop_2024", "-5")
    p = problem_at(tmp_scenario.problems(), "tiny/islands.csv:3", "pop_2024")
    assert p.value == "-5" and ">= 0" in p.expected


def test_missing_population(tmp_scenario, problem_at):
    tmp_scenario.set_cell("islands.csv", 4, "pop_2024", "")
    p = problem_at(tmp_scenario.problems(), "tiny/islands.csv:4", "pop_2024")
    assert "whole number" in p.expected


def test_bad_population_of_the_other_year(tmp_scenario, problem_at):
    """pop_2020 is not used for a 2024 run, but a bad census figure is still reported."""
    tmp_scenario.set_cell("islands.csv", 2, "pop_2020", "-1")
    problem_at(tmp_scenario.problems(year=2024), "tiny/islands.csv:2", "pop_2020")


@pytest.mark.parametrize("table, line, column, value", [
    ("islands.csv", 2, "share_60_79", "1.2"),
    ("conditions.csv", 2, "admit_share", "1.5"),
    ("conditions.csv", 3, "out_of_county_share", "-0.1"),
    ("outcome_curves.csv", 3, "probability", "1.01"),
    ("parameters.csv", 21, "value", "2"),  # ohca.bystander_cpr_share
    ("targets.csv", 5, "value", "90"),  # in_county_share written as a percentage
])
def test_probability_outside_0_1(tmp_scenario, problem_at, table, line, column, value):
    tmp_scenario.set_cell(table, line, column, value)
    p = problem_at(tmp_scenario.problems(), f"tiny/{table}:{line}", column)
    assert p.value == value and "from 0 to 1" in p.expected


def test_age_shares_must_sum_to_one(tmp_scenario, problem_at):
    tmp_scenario.set_cell("islands.csv", 2, "share_0_14", "0.3")  # 0.3+0.6+0.2+0.1 = 1.2
    p = problem_at(tmp_scenario.problems(), "tiny/islands.csv:2", "share_0_14..share_80_plus")
    assert p.value == "sum 1.200"


@pytest.mark.parametrize("value", ["25:00", "7h30", "08:00;12:61", "8", "noon"])
def test_malformed_departure_time(tmp_scenario, problem_at, value):
    tmp_scenario.set_cell("sea_links.csv", 2, "departures", value)
    p = problem_at(tmp_scenario.problems(), "tiny/sea_links.csv:2", "departures")
    assert p.value == value and "HH:MM" in p.expected


@pytest.mark.parametrize("column, value", [("opens", "7h30"), ("closes", "25:00"), ("closes", "07:00")])
def test_malformed_opening_hours(tmp_scenario, problem_at, column, value):
    tmp_scenario.set_cell("facilities.csv", 2, column, value)
    problem_at(tmp_scenario.problems(), "tiny/facilities.csv:2", column)


def test_blank_source_cell(tmp_scenario, problem_at):
    tmp_scenario.set_cell("facilities.csv", 3, "source", "  ")
    tmp_scenario.set_cell("islands.csv", 4, "source_resources", "")
    ps = tmp_scenario.problems()
    assert "source" in problem_at(ps, "tiny/facilities.csv:3", "source").expected
    problem_at(ps, "tiny/islands.csv:4", "source_resources")
    assert len(ps) == 2


def test_table_without_a_source_column(tmp_scenario, problem_at):
    tmp_scenario.drop_column("boats.csv", "source")
    p = problem_at(tmp_scenario.problems(), "tiny/boats.csv:1", "source")
    assert "source" in p.expected


def test_facility_on_an_unknown_island(tmp_scenario, problem_at):
    tmp_scenario.set_cell("facilities.csv", 3, "island", "atlantis")
    ps = tmp_scenario.problems()
    p = problem_at(ps, "tiny/facilities.csv:3", "island")
    assert p.value == "atlantis" and "main" in p.expected


@pytest.mark.parametrize("table, line", [("facilities.csv", 3), ("destinations.csv", 2)])
def test_unknown_condition_class(tmp_scenario, problem_at, table, line):
    tmp_scenario.set_cell(table, line, "treats", "primary_care;sunburn")
    p = problem_at(tmp_scenario.problems(), f"tiny/{table}:{line}", "treats")
    assert p.value == "sunburn" and "stroke" in p.expected


def test_unknown_parameter_key(tmp_scenario, problem_at):
    line = tmp_scenario.append_row("parameters.csv", {"key": "boat.speed_knot", "value": "20", "unit": "kn",
                                                      "source": "estimate: test"})
    p = problem_at(tmp_scenario.problems(), f"tiny/parameters.csv:{line}", "key")
    assert p.value == "boat.speed_knot"


@pytest.mark.parametrize("key, value, expected", [("circuit.team_mode", "canoe", "small_ferry"),
                                                   ("circuit.escalation_condition", "primary_care", "other_urgent")])
def test_circuit_mode_and_escalation_condition_must_exist(tmp_scenario, problem_at, key, value, expected):
    line = tmp_scenario.line_of("parameters.csv", "key", key)
    tmp_scenario.set_cell("parameters.csv", line, "value", value)
    p = problem_at(tmp_scenario.problems(), f"tiny/parameters.csv:{line}", "value")
    assert p.value == value and expected in p.expected  # primary care is not urgent: named, not accepted


def test_missing_parameter(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("parameters.csv", "key", "ferry.board_min")
    text = tmp_scenario.text("parameters.csv").splitlines(keepends=True)
    tmp_scenario.write("parameters.csv", "".join(text[: line - 1] + text[line:]))
    p = problem_at(tmp_scenario.problems(), "tiny/parameters.csv", "key")
    assert p.value == "ferry.board_min"


def test_missing_table(tmp_scenario, problem_at):
    tmp_scenario.remove("care_need.csv")
    (p,) = tmp_scenario.problems()
    assert p.place == "tiny/care_need.csv" and "table" in p.expected


def test_missing_column(tmp_scenario, problem_at):
    tmp_scenario.drop_column("facilities.csv", "nurses")
    (p,) = tmp_scenario.problems()
    assert (p.place, p.column) == ("tiny/facilities.csv:1", "nurses")


def test_row_with_the_wrong_number_of_cells(tmp_scenario, problem_at):
    tmp_scenario.write("boats.csv", tmp_scenario.text("boats.csv").replace("main,1,20,", "main,1,20,5,"))
    problem_at(tmp_scenario.problems(), "tiny/boats.csv:2", "")


@pytest.mark.parametrize("table, key, line", [("facilities.csv", "facility_id", 2),
                                              ("islands.csv", "island_id", 3), ("conditions.csv", "condition", 5)])
def test_duplicate_ids(tmp_scenario, problem_at, table, key, line):
    new = tmp_scenario.append_row(table, tmp_scenario.cells(table, line))
    p = problem_at(tmp_scenario.problems(), f"tiny/{table}:{new}", key)
    assert f"line {line}" in p.expected


def test_missing_month_and_cost_item(tmp_scenario, problem_at):
    for table, key, value in (("weather_months.csv", "month", "7"), ("costs.csv", "item", "boat_year")):
        line = tmp_scenario.line_of(table, key, value)
        text = tmp_scenario.text(table).splitlines(keepends=True)
        tmp_scenario.write(table, "".join(text[: line - 1] + text[line:]))
    ps = tmp_scenario.problems()
    assert problem_at(ps, "tiny/weather_months.csv", "month").value == "7"
    assert problem_at(ps, "tiny/costs.csv", "item").value == "boat_year"


# --- reporting everything together ---------------------------------------------------------------------
def test_cell_problems_in_different_files_come_together(tmp_scenario, problem_at):
    tmp_scenario.set_cell("islands.csv", 3, "pop_2024", "-5")
    tmp_scenario.set_cell("sea_links.csv", 4, "departures", "25:00")
    tmp_scenario.set_cell("boats.csv", 2, "source", "")
    tmp_scenario.set_cell("conditions.csv", 6, "admit_share", "2")
    tmp_scenario.append_row("parameters.csv", {"key": "no.such_key", "value": "1", "source": "estimate: t"})
    ps = tmp_scenario.problems()
    assert len(ps) == 5
    assert {p.place.split(":")[0] for p in ps} == {"tiny/islands.csv", "tiny/sea_links.csv", "tiny/boats.csv",
                                                   "tiny/conditions.csv", "tiny/parameters.csv"}


def test_reference_problems_in_different_files_come_together(tmp_scenario):
    tmp_scenario.set_cell("sea_links.csv", 2, "dest", "atlantis")
    tmp_scenario.set_cell("facilities.csv", 3, "treats", "sunburn")
    tmp_scenario.set_cell("care_homes.csv", 2, "island", "lemuria")
    tmp_scenario.set_cell("circuit_schedule.csv", 2, "team", "ghost_team")
    ps = tmp_scenario.problems()
    assert sorted((p.place, p.column, p.value) for p in ps) == [
        ("tiny/care_homes.csv:2", "island", "lemuria"),
        ("tiny/circuit_schedule.csv:2", "team", "ghost_team"),
        ("tiny/facilities.csv:3", "treats", "sunburn"),
        ("tiny/sea_links.csv:2", "dest", "atlantis"),
    ]


def test_validate_reports_scenario_and_experiment_problems_together(tmp_scenario):
    tmp_scenario.set_cell("islands.csv", 2, "pop_2024", "many")
    cfg = {"scenario": {"data_dir": str(tmp_scenario.path)},
           "experiment": {"horizon_days": 30, "warmup_days": 30, "replications": 0}, "policy": {}}
    with pytest.raises(InputError) as e:
        validate(cfg)
    assert {p.place for p in e.value.problems} == {"tiny/islands.csv:2", "experiment.warmup_days",
                                                   "experiment.replications"}
    assert e.value.render().startswith("3 problems in the configuration:")


def test_validate_reports_policy_and_experiment_problems_together():
    cfg = {"scenario": {"data_dir": str(TINY_DIR)}, "experiment": {"replications": 0},
           "policy": {"doctors": {"nowhere": 1}, "transfer_rule": "teleport"}}
    with pytest.raises(InputError) as e:
        validate(cfg)
    assert {p.place for p in e.value.problems} == {"experiment.replications", "policy.doctors.nowhere",
                                                   "policy.transfer_rule"}


def test_render_is_one_table():
    err = InputError([], "x")
    assert err.render() == "0 problems in the x:\n  where  column  value  expected"


# --- property tests: break one random cell ------------------------------------------------------------
def _read(table: str) -> list[list[str]]:
    with (TINY_DIR / table).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


# Cells where a negative number is valid (coordinates, weather-area offsets).
NEGATIVE_OK = {("islands.csv", "lat"), ("islands.csv", "lon"), ("destinations.csv", "lat"),
               ("destinations.csv", "lon"), ("weather_areas.csv", "wind_offset"),
               ("parameters.csv", "helicopter.base_lat"), ("parameters.csv", "helicopter.base_lon")}
# Documented upper bounds (SCHEMA.md): one past them is out of range.
UPPER = {("islands.csv", f"share_{b}"): 1 for b in ("0_14", "15_59", "60_79", "80_plus")} | {
    ("islands.csv", "lat"): 90, ("islands.csv", "lon"): 180, ("destinations.csv", "lat"): 90,
    ("destinations.csv", "lon"): 180, ("conditions.csv", "admit_share"): 1,
    ("conditions.csv", "out_of_county_share"): 1, ("outcome_curves.csv", "probability"): 1,
    ("time_of_day.csv", "hour"): 23, ("weather_months.csv", "month"): 12,
    ("parameters.csv", "ohca.bystander_cpr_share"): 1, ("parameters.csv", "tourists.share_15_59"): 1,
    ("targets.csv", "in_county_share"): 1,
}


def _numeric_cells() -> list[tuple[str, int, str, str]]:
    """(table, line, column, kind key) of every numeric cell of the tiny scenario."""
    out = []
    for path in sorted(TINY_DIR.glob("*.csv")):
        rows = _read(path.name)
        for line, row in enumerate(rows[1:], start=2):
            for column, cell in zip(rows[0], row, strict=True):
                if column.startswith("source") or not _is_number(cell):
                    continue
                key = row[0] if path.name in ("parameters.csv", "targets.csv") else column
                out.append((path.name, line, column, key))
    return out


NUMERIC_CELLS = _numeric_cells()
NOT_A_NUMBER = st.text(alphabet=string.ascii_letters + " %/?-五十", min_size=1, max_size=8).filter(
    lambda s: not _is_number(s) and s.strip())


@st.composite
def broken_cell(draw):
    table, line, column, key = draw(st.sampled_from(NUMERIC_CELLS))
    kinds = {
        "not a number": NOT_A_NUMBER,
        "empty": st.sampled_from(["", "  "]),
        "not finite": st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e999"]),
    }
    if (table, key) not in NEGATIVE_OK:
        kinds["negative"] = st.one_of(st.integers(-10**9, -1).map(str),
                                      st.floats(-1e9, -1e-6).map(repr))
    if (table, key) in UPPER:
        hi = UPPER[table, key]
        kinds["too large"] = st.one_of(st.integers(math.floor(hi) + 1, 10**6).map(str),
                                       st.floats(hi + 1e-3, 1e6).map(repr))
    kind = draw(st.sampled_from(sorted(kinds)))
    return table, line, column, kind, draw(kinds[kind])


@pytest.fixture(scope="module")
def reusable_copy(scenario_copy):
    return scenario_copy()


def _problems_after_edit(folder, table, line, column, value):
    original = folder.text(table)
    folder.set_cell(table, line, column, value)
    try:
        return folder.problems()
    finally:
        folder.write(table, original)


@given(broken_cell())
def test_any_broken_numeric_cell_is_reported_where_it_is(reusable_copy, problem_at, cell):
    table, line, column, _kind, value = cell
    ps = _problems_after_edit(reusable_copy, table, line, column, value)
    problem_at(ps, f"tiny/{table}:{line}", column)


# Cells that refer to another table, and which ids they may hold.
REFERENCES = [("facilities.csv", "island"), ("facilities.csv", "treats"), ("care_homes.csv", "island"),
              ("destinations.csv", "treats"), ("sea_links.csv", "origin"), ("sea_links.csv", "dest"),
              ("boats.csv", "base"), ("islands.csv", "weather_area"), ("islands.csv", "referral"),
              ("islands.csv", "tertiary"), ("conditions.csv", "outcome_curve"), ("conditions.csv", "time_of_day"),
              ("circuit_teams.csv", "base"), ("circuit_schedule.csv", "island"), ("circuit_schedule.csv", "team")]
KNOWN_WORDS = {w for path in TINY_DIR.glob("*.csv") for row in _read(path.name) for cell in row
               for w in [cell, *cell.split(";")]}
NEW_ID = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True).filter(lambda s: s not in KNOWN_WORDS)


@given(st.sampled_from(REFERENCES), st.data())
def test_any_dangling_reference_is_reported_where_it_is(reusable_copy, problem_at, ref, data):
    table, column = ref
    line = data.draw(st.integers(2, len(_read(table))), label="line")
    new_id = data.draw(NEW_ID, label="id")
    ps = _problems_after_edit(reusable_copy, table, line, column, new_id)
    assert problem_at(ps, f"tiny/{table}:{line}", column).value == new_id
