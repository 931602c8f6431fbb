"""One validation pass reports every problem: a bad cell hides no reference problem, a scenario problem
hides no policy or experiment problem; and every urgent patient must have a way to definitive care.

Edits are made on a copy of tests/data/tiny (folder ``tiny``); lines are file lines (1 = header).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.errors import InputError
from scenarios.validate import validate


def cfg(folder, policy=None, experiment=None) -> dict:
    return {"scenario": {"data_dir": str(folder.path)}, "policy": policy or {},
            "experiment": {"horizon_days": 10, "warmup_days": 1, **(experiment or {})}}


def problems(config) -> list:
    with pytest.raises(InputError) as e:
        validate(config)
    return e.value.problems


def test_every_kind_of_problem_in_one_table(tmp_scenario):
    """The issue's case: a bad lat, a facility on a misspelled island, replications=0 and a negative
    boat count (reported 2 of 4 before)."""
    tmp_scenario.set_cell("islands.csv", 3, "lat", "north")
    tmp_scenario.set_cell("facilities.csv", 3, "island", "nera")
    ps = problems(cfg(tmp_scenario, policy={"boats": {"main": -1}}, experiment={"replications": 0}))
    assert sorted((p.place, p.column) for p in ps) == [
        ("experiment.replications", ""), ("policy.boats.main", ""),
        ("tiny/facilities.csv:3", "island"), ("tiny/islands.csv:3", "lat")]


def test_a_bad_cell_hides_no_reference_problem(tmp_scenario, problem_at):
    tmp_scenario.set_cell("boats.csv", 2, "speed_knots", "fast")
    tmp_scenario.set_cell("sea_links.csv", 2, "dest", "atlantis")
    tmp_scenario.set_cell("conditions.csv", 3, "target_min", "-5")  # chest_pain's row is dropped ...
    ps = tmp_scenario.problems()
    problem_at(ps, "tiny/boats.csv:2", "speed_knots")
    problem_at(ps, "tiny/sea_links.csv:2", "dest")
    # ... but its id still counts: facilities treating chest_pain are not reported
    assert not any(p.value == "chest_pain" for p in ps)
    assert len(ps) == 3


# Each row of a table with an id, broken in one cell: references to that id must not turn into noise.
BREAKABLE = [("islands.csv", "area_km2"), ("facilities.csv", "beds"), ("conditions.csv", "los_days"),
             ("destinations.csv", "road_min"), ("circuit_teams.csv", "size"), ("care_homes.csv", "beds")]


@given(st.sampled_from(BREAKABLE), st.data())
def test_a_broken_row_is_its_only_problem(reusable_copy, table_column, data):
    table, column = table_column
    n_rows = len(reusable_copy.text(table).splitlines()) - 1
    line = data.draw(st.integers(2, n_rows + 1), label="line")
    original = reusable_copy.text(table)
    try:
        reusable_copy.set_cell(table, line, column, "-7")
        ps = reusable_copy.problems()
    finally:
        reusable_copy.write(table, original)
    assert [(p.place, p.column) for p in ps] == [(f"tiny/{table}:{line}", column)]


@pytest.fixture(scope="module")
def reusable_copy(scenario_copy):
    return scenario_copy()


# --- a way to definitive care ------------------------------------------------------------------------------
def _cut_off_far(folder) -> None:
    """No scheduled link leaves the island 'far' (no doctor there)."""
    text = folder.text("sea_links.csv").splitlines(keepends=True)
    folder.write("sea_links.csv", "".join(line for line in text if ",far," not in line))


def test_an_island_without_a_way_out_is_found(tmp_scenario):
    _cut_off_far(tmp_scenario)
    tmp_scenario.load()  # the data alone are fine: boats and the helicopter can still reach it
    validate(cfg(tmp_scenario))
    ps = problems(cfg(tmp_scenario, policy={"transfer_rule": "ferry_only", "helicopter": False}))
    assert {p.place for p in ps} == {f"tiny/islands.csv:{tmp_scenario.line_of('islands.csv', 'island_id', 'far')}"}
    urgent = {"cardiac_arrest", "chest_pain", "stroke", "major_trauma", "obstetric", "other_urgent"}
    assert {p.value.split(": ")[1] for p in ps} == urgent
    assert all("policy.boats" in p.expected and "sea_links.csv" in p.expected for p in ps)


def test_a_boat_or_the_helicopter_is_a_way_out(tmp_scenario):
    _cut_off_far(tmp_scenario)
    validate(cfg(tmp_scenario, policy={"transfer_rule": "boat_first", "helicopter": False}))
    ps = problems(cfg(tmp_scenario, policy={"boats": {"main": 0}, "helicopter_conditions": ["stroke"]}))
    assert "stroke" not in {p.value.split(": ")[1] for p in ps} and ps  # only stroke may fly


def test_a_clinic_without_night_doctors_needs_a_way_out(tmp_scenario):
    """A clinic treating an urgent condition by day only: at night its patients must be moved."""
    tmp_scenario.set_cell("facilities.csv", 3, "treats", "primary_care;chronic_followup;other_urgent")
    text = tmp_scenario.text("sea_links.csv").splitlines(keepends=True)
    tmp_scenario.write("sea_links.csv", "".join(line for line in text if ",near," not in line))
    ferry_only = {"transfer_rule": "ferry_only"}
    by_day = {p.value: p.expected for p in problems(cfg(tmp_scenario, policy=ferry_only))}
    assert "near_clinic has no doctor outside its opening hours" in by_day["near: other_urgent"]
    at_night = problems(cfg(tmp_scenario, policy={**ferry_only, "night_doctors": {"near_clinic": 1}}))
    assert "near: other_urgent" not in {p.value for p in at_night} and "near: stroke" in {p.value for p in at_night}
