"""Bad input in the columns and keys of the boats, helicopter, small-island, tourist and weekday
pathways: each mistake gives one clear problem naming file:line and column, or the config key.

Edits are made on a copy of tests/data/tiny (folder ``tiny``); lines are file lines (1 = header).
"""

from __future__ import annotations

import pytest

from scenarios.errors import InputError
from scenarios.policy import resolve_policy

BOATS = "base,boats,speed_knots,kind,dispatch_min,availability,source\nmain,1,20,{kind},{dispatch},{avail},estimate: test\n"


def _policy_problems(scenario, cfg) -> list:
    with pytest.raises(InputError) as e:
        resolve_policy(scenario, cfg)
    return e.value.problems


# --- boats.csv: kind, dispatch_min, availability ---------------------------------------------------------
def test_boats_optional_columns_load(tmp_scenario):
    tmp_scenario.write("boats.csv", BOATS.format(kind="ad_hoc", dispatch="45", avail="0.9"))
    b = tmp_scenario.load().boat_bases[0]
    assert (b.kind, b.dispatch_min, b.availability) == ("ad_hoc", 45.0, 0.9)
    tmp_scenario.write("boats.csv", BOATS.format(kind="dedicated", dispatch="", avail=""))
    b = tmp_scenario.load().boat_bases[0]
    assert (b.kind, b.dispatch_min, b.availability) == ("dedicated", None, 1.0)  # None: boat.dispatch_min


@pytest.mark.parametrize("column, cells, expected", [
    ("kind", dict(kind="patrol", dispatch="45", avail="0.9"), "ad_hoc, dedicated"),
    ("kind", dict(kind="", dispatch="45", avail="0.9"), "ad_hoc, dedicated"),
    ("dispatch_min", dict(kind="ad_hoc", dispatch="-5", avail="0.9"), "from 0 to 1440"),
    ("dispatch_min", dict(kind="ad_hoc", dispatch="soon", avail="0.9"), "a number"),
    ("availability", dict(kind="ad_hoc", dispatch="45", avail="1.5"), "from 0 to 1"),
])
def test_bad_boat_cell(tmp_scenario, problem_at, column, cells, expected):
    tmp_scenario.write("boats.csv", BOATS.format(**cells))
    problems = tmp_scenario.problems()
    p = problem_at(problems, "tiny/boats.csv:2", column)
    assert expected in p.expected
    assert [q for q in problems if q.place.startswith("tiny/boats.csv")] == [p]  # one problem, not a cascade


def test_a_misspelt_boats_column_is_named(tmp_scenario, problem_at):
    tmp_scenario.write("boats.csv", BOATS.replace("availability", "availabilty").format(
        kind="ad_hoc", dispatch="45", avail="0.9"))
    problem_at(tmp_scenario.problems(), "tiny/boats.csv:1", "availabilty")


def test_dedicated_dispatch_parameter_out_of_range(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("parameters.csv", "key", "boat.dedicated_dispatch_min")
    tmp_scenario.set_cell("parameters.csv", line, "value", "-1")
    p = problem_at(tmp_scenario.problems(), f"tiny/parameters.csv:{line}", "value")
    assert "from 0 to 240" in p.expected


# --- policy.dedicated_boats ---------------------------------------------------------------------------------
@pytest.mark.parametrize("given, key, expected", [
    ({"atlantis": 1}, "policy.dedicated_boats.atlantis", "a known boat base: main"),
    ({"main": -1}, "policy.dedicated_boats.main", "a whole number"),
    ({"main": 1.5}, "policy.dedicated_boats.main", "a whole number"),
    (2, "policy.dedicated_boats", "a mapping of boat base"),
])
def test_bad_dedicated_boats(tiny, given, key, expected):
    ps = _policy_problems(tiny, {"dedicated_boats": given})
    assert [p.place for p in ps] == [key] and expected in ps[0].expected


def test_dedicated_boats_default_to_none_and_resolve_by_base(tiny):
    assert dict(resolve_policy(tiny, {}).dedicated_boats) == {"main": 0}
    assert dict(resolve_policy(tiny, {"dedicated_boats": {"main": 2}}).dedicated_boats) == {"main": 2}


# --- routine.no_clinic_* (parameters.csv) ---------------------------------------------------------------
def test_no_clinic_choice_shares_must_sum_to_one(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("parameters.csv", "key", "routine.no_clinic_wait_share")
    tmp_scenario.set_cell("parameters.csv", line, "value", "0.5")  # + travel 0 + forgo 0
    problems = tmp_scenario.problems()
    p = problem_at(problems, f"tiny/parameters.csv:{line}", "value")
    assert p.value == "sum 0.500" and "summing to 1 (± 0.01)" in p.expected and "forgo" in p.expected
    assert len(problems) == 1


def test_no_clinic_shares_within_a_hundredth_of_one_load(tmp_scenario):
    line = tmp_scenario.line_of("parameters.csv", "key", "routine.no_clinic_wait_share")
    tmp_scenario.set_cell("parameters.csv", line, "value", "0.995")
    assert tmp_scenario.load().parameters.routine.no_clinic_wait_share == 0.995


@pytest.mark.parametrize("key, value, expected", [
    ("routine.no_clinic_phone_resolved_share", "1.5", "from 0 to 1"),
    ("routine.no_clinic_demand_factor", "-0.1", "from 0 to 2"),
    ("routine.no_clinic_travel_wait_days", "many", "a number from 0 to 365"),
])
def test_bad_no_clinic_parameter(tmp_scenario, problem_at, key, value, expected):
    line = tmp_scenario.line_of("parameters.csv", "key", key)
    tmp_scenario.set_cell("parameters.csv", line, "value", value)
    assert expected in problem_at(tmp_scenario.problems(), f"tiny/parameters.csv:{line}", "value").expected


def test_a_missing_no_clinic_parameter_is_named(tmp_scenario, problem_at):
    line = tmp_scenario.line_of("parameters.csv", "key", "routine.no_clinic_travel_share")
    text = tmp_scenario.text("parameters.csv").splitlines(keepends=True)
    tmp_scenario.write("parameters.csv", "".join(text[: line - 1] + text[line:]))
    p = problem_at(tmp_scenario.problems(), "tiny/parameters.csv", "key")
    assert p.value == "routine.no_clinic_travel_share"


# --- conditions.csv tourist_factor -----------------------------------------------------------------------
def _add_tourist_factor(tmp_scenario, value: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(tmp_scenario.text("conditions.csv"))))
    rows[0].append("tourist_factor")
    for r in rows[1:]:
        r.append("1.0")
    rows[1][-1] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    tmp_scenario.write("conditions.csv", buf.getvalue())


def test_tourist_factor_column_loads(tmp_scenario):
    _add_tourist_factor(tmp_scenario, "0.3")
    s = tmp_scenario.load()
    assert s.conditions[0].tourist_factor == 0.3 and {c.tourist_factor for c in s.conditions[1:]} == {1.0}


@pytest.mark.parametrize("value, expected", [("-0.5", "from 0 to 10"), ("some", "a number from 0 to 10")])
def test_bad_tourist_factor(tmp_scenario, problem_at, value, expected):
    _add_tourist_factor(tmp_scenario, value)
    assert expected in problem_at(tmp_scenario.problems(), "tiny/conditions.csv:2", "tourist_factor").expected


# --- sea_links.csv days, calendar.year_start_weekday ----------------------------------------------------
def _add_days(tmp_scenario, days_by_line: dict[int, str]) -> None:
    """Add the optional ``days`` column to the tiny links (file line -> cell; others empty)."""
    lines = tmp_scenario.text("sea_links.csv").splitlines()
    out = [lines[0] + ",days"] + [line + "," + days_by_line.get(n, "") for n, line in enumerate(lines[1:], start=2)]
    tmp_scenario.write("sea_links.csv", "\n".join(out) + "\n")


def test_days_column_loads_and_defaults_to_every_day(tmp_scenario):
    _add_days(tmp_scenario, {2: "Wed;Sat", 3: "mon-fri", 4: "Sat-Mon"})
    links = {lk.id: lk.days for lk in tmp_scenario.load().links}
    assert links["main_near"] == {2, 5} and links["near_main"] == {0, 1, 2, 3, 4}
    assert links["main_far"] == {5, 6, 0} and links["far_main"] == frozenset(range(7))  # empty: every day


@pytest.mark.parametrize("cell", ["Wen", '"Wed,Sat"', "Mon-", "3", ";", "Wednesday"])
def test_a_bad_weekday_is_named_with_file_row_and_column(tmp_scenario, problem_at, cell):
    _add_days(tmp_scenario, {3: cell})
    problems = tmp_scenario.problems()
    p = problem_at(problems, "tiny/sea_links.csv:3", "days")
    assert p.value == cell.strip('"') and "weekdays like Wed;Sat or Mon-Fri" in p.expected
    assert [q for q in problems if q.place.startswith("tiny/sea_links.csv")] == [p]  # one problem, not a cascade


def test_days_on_a_link_without_a_timetable(tmp_scenario, problem_at):
    tmp_scenario.write("sea_links.csv", tmp_scenario.text("sea_links.csv").rstrip("\n") + "\n"
                       "near_far,near,far,ambulance_boat,20,,1-12,2,estimate: test\n")
    _add_days(tmp_scenario, {8: "Wed"})
    assert "no weekdays for a ambulance_boat link" in problem_at(tmp_scenario.problems(), "tiny/sea_links.csv:8",
                                                                 "days").expected


def test_a_misspelt_days_column_is_named(tmp_scenario, problem_at):
    _add_days(tmp_scenario, {2: "Wed"})
    tmp_scenario.write("sea_links.csv", tmp_scenario.text("sea_links.csv").replace(",days\n", ",dayz\n", 1))
    problem_at(tmp_scenario.problems(), "tiny/sea_links.csv:1", "dayz")


def test_year_start_weekday_defaults_to_monday_and_is_checked(tmp_scenario, problem_at):
    assert tmp_scenario.load().parameters.calendar.year_start_weekday == 1  # tiny does not give it
    tmp_scenario.write("parameters.csv", tmp_scenario.text("parameters.csv").rstrip("\n")
                       + "\ncalendar.year_start_weekday,8,ISO weekday,estimate: test\n")
    line = tmp_scenario.line_of("parameters.csv", "key", "calendar.year_start_weekday")
    p = problem_at(tmp_scenario.problems(), f"tiny/parameters.csv:{line}", "value")
    assert "a whole number from 1 to 7" in p.expected


def test_a_year_start_weekday_that_is_not_the_years_is_a_warning(tmp_scenario):
    from scenarios.errors import InputWarning

    tmp_scenario.write("parameters.csv", tmp_scenario.text("parameters.csv").rstrip("\n")
                       + "\ncalendar.year_start_weekday,3,ISO weekday,estimate: test\n")
    with pytest.warns(InputWarning, match="1 January 2024 was ISO weekday 1 \\(Monday\\)"):
        assert tmp_scenario.load().parameters.calendar.year_start_weekday == 3
