"""The scenario loader: Shengsi and the tiny fixture load into the expected typed records.

Expected numbers are written out from the CSV files (hand arithmetic), not recomputed with the code
under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scenarios.errors import InputError
from scenarios.loader import load_scenario, resolve_data_dir
from scenarios.model import COST_ITEMS, MODES, TARGETS
from scenarios.tables import parse_hhmm

ROOT = Path(__file__).resolve().parents[2]
SHENGSI_DIR = ROOT / "scenarios" / "shengsi"

SHENGSI_ISLANDS = {"sijiao", "huanglong", "shengshan", "gouqi", "huaniao", "lvhua", "donglvhua", "bixia",
                   "dayangshan", "xiaoyangshan", "tanhu"}
SHENGSI_FACILITIES = {"county_hospital", "tcm_hospital", "shengshan_chc", "yangshan_chc", "gouqi_thc",
                      "huanglong_thc", "wulong_thc", "huaniao_thc", "xiaoyangshan_clinic", "lvhua_clinic",
                      "tanhu_clinic"}
SHENGSI_HOMES = {"sijiao_home", "shengshan_gouqi_home", "dayangshan_home", "huanglong_home", "huaniao_home"}
CONDITIONS = ["cardiac_arrest", "chest_pain", "nste_acs", "stroke", "major_trauma", "obstetric", "other_urgent",
              "primary_care", "chronic_followup"]


# --- Shengsi ---------------------------------------------------------------------------------------
def test_shengsi_2024_totals(shengsi):
    assert shengsi.name == "shengsi" and shengsi.year == 2024
    assert shengsi.population == 64_000
    # 2024 populations, islands.csv column pop_2024
    assert shengsi.island("sijiao").population == 38_323
    assert shengsi.island("donglvhua").population == 0
    assert shengsi.island("bixia").population == 7


def test_shengsi_2020_uses_the_census_column(shengsi_2020):
    # pop_2020: 39403+5600+6200+6000+1400+320+40+20+6000+1700+220
    assert shengsi_2020.year == 2020
    assert shengsi_2020.population == 66_903
    assert shengsi_2020.island("sijiao").population == 39_403


def test_shengsi_every_id_present(shengsi):
    assert set(shengsi.island_ids) == SHENGSI_ISLANDS
    assert {f.id for f in shengsi.facilities} == SHENGSI_FACILITIES
    assert {h.id for h in shengsi.care_homes} == SHENGSI_HOMES
    assert {d.id for d in shengsi.destinations} == {"zhoushan", "shanghai"}
    assert list(shengsi.condition_ids) == CONDITIONS
    assert {b.base for b in shengsi.boat_bases} == {"sijiao", "shengshan", "dayangshan"}
    assert {t.id for t in shengsi.circuit_teams} == {"sijiao_team", "shengshan_team", "yangshan_team"}
    assert len(shengsi.links) == 30
    assert set(shengsi.modes) == set(MODES)
    assert [m.month for m in shengsi.months] == list(range(1, 13))
    assert set(shengsi.costs) == set(COST_ITEMS)


def test_shengsi_county_resources(shengsi):
    # facilities.csv doctors: 120+30+14+12+8+6+8+3+2+0+0; beds: 240+60+30+25+10+8+5+6
    assert sum(f.doctors for f in shengsi.facilities) == 203
    assert sum(f.beds for f in shengsi.facilities) == 384
    # care_homes.csv carers 30+10+7+5+4, beds 280+90+65+50+35
    assert sum(h.carers for h in shengsi.care_homes) == 56
    assert sum(h.beds for h in shengsi.care_homes) == 520
    assert shengsi.costs["doctor_year"].value == 300_000
    assert dict(shengsi.targets) == {"doctors_per_1000": 4.2, "aeds_per_10k": 5.0,
                                     "carers_per_10k_elderly": 25.0, "in_county_share": 0.9}


def test_shengsi_cross_references_resolve(shengsi):
    places = set(shengsi.island_ids) | {d.id for d in shengsi.destinations}
    assert all(link.origin in places and link.dest in places for link in shengsi.links)
    assert all(f.island in shengsi.island_ids for f in shengsi.facilities)
    # resident_doctor is true exactly where a facility has doctors (lvhua and tanhu clinics have none)
    staffed = {i.id for i in shengsi.islands if i.resident_doctor}
    assert "lvhua" not in staffed and "tanhu" not in staffed and "sijiao" in staffed


def test_every_shengsi_row_has_a_source():
    """Read independently of the loader: every table has source column(s), none blank."""
    for path in sorted(SHENGSI_DIR.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [r for r in csv.reader(fh) if r and not r[0].lstrip().startswith("#")]
        source_cols = [k for k, c in enumerate(rows[0]) if c.strip().startswith("source")]
        assert source_cols, f"{path.name} has no source column"
        for n, r in enumerate(rows[1:], start=2):
            assert all(r[k].strip() for k in source_cols), f"{path.name} row {n} has a blank source"


# --- the tiny fixture --------------------------------------------------------------------------------
def test_tiny_loads(tiny):
    assert tiny.name == "tiny"
    assert tiny.island_ids == ("main", "near", "far")
    assert tiny.population == 10_000 + 1_000 + 100
    # elderly = pop x (share_60_79 + share_80_plus): 10000x0.3 + 1000x0.4 + 100x0.6
    assert tiny.elderly == pytest.approx(3_460)
    assert {f.id for f in tiny.facilities} == {"hospital", "near_clinic"}
    assert [c.id for c in tiny.conditions] == [c for c in CONDITIONS if c != "nste_acs"]
    assert set(tiny.targets) == set(TARGETS)


def test_tiny_cells_are_typed(tiny):
    link = next(link for link in tiny.links if link.id == "main_near")
    assert link.departures_min == (8 * 60, 12 * 60, 16 * 60)
    assert link.months == frozenset(range(1, 13))
    assert link.crossing_min == 30.0 and link.patient_capacity == 2
    hospital = tiny.facility("hospital")
    assert (hospital.opens_min, hospital.closes_min) == (480, 1020)
    assert "stroke" in hospital.treats and isinstance(hospital.treats, frozenset)
    assert tiny.island("main").resident_doctor is True and tiny.island("far").resident_doctor is False
    assert tiny.island("near").age_shares == (0.1, 0.5, 0.3, 0.1)
    assert tiny.parameters.helicopter.count == 1 and tiny.parameters.helicopter.daylight_only is True
    assert tiny.parameters.helicopter.destination == "city"


def test_tiny_time_of_day_is_normalised(tiny):
    # urgent: 24 ones -> mean 1; routine: 8 hours (08-15) of 1.0 -> each 24/8 = 3
    assert tiny.time_of_day["urgent"] == (1.0,) * 24
    routine = tiny.time_of_day["routine"]
    assert routine[8] == pytest.approx(3.0) and routine[16] == 0.0
    assert sum(routine) == pytest.approx(24.0)


def test_tiny_outcome_curve_interpolates(tiny):
    curve = tiny.curves["ohca_cpr"]  # (0, 0.6) (5, 0.4) (10, 0.2) (20, 0.0)
    assert curve(0) == 0.6 and curve(2.5) == pytest.approx(0.5) and curve(15) == pytest.approx(0.1)
    assert curve(100) == 0.0 and curve(-1) == 0.6


def test_scenario_is_read_only(tiny):
    with pytest.raises(TypeError):
        tiny.targets["aeds_per_10k"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        tiny.islands[0].population = 5  # type: ignore[misc]


def test_folder_name_is_the_default_scenario_name(tmp_scenario):
    assert tmp_scenario.load().name == "tiny"
    assert load_scenario(tmp_scenario.path, name="mine").name == "mine"


def test_bom_comments_and_blank_lines_are_accepted(tmp_scenario):
    """Spreadsheets write a UTF-8 BOM; comments and blank lines may document a table."""
    text = tmp_scenario.text("boats.csv")
    (tmp_scenario.path / "boats.csv").write_bytes(b"\xef\xbb\xbf# ambulance boats\n\n" + text.encode())
    s = tmp_scenario.load()
    assert s.boat_bases[0].boats == 1


def test_line_numbers_count_comment_lines(tmp_scenario, problem_at):
    text = tmp_scenario.text("boats.csv")
    tmp_scenario.write("boats.csv", "# a comment\n\n" + text.replace("main,1,20", "main,-1,20"))
    problem_at(tmp_scenario.problems(), "tiny/boats.csv:4", "boats")


def test_a_quoted_cell_spanning_lines_keeps_later_line_numbers(tmp_scenario, problem_at):
    """A long source note with a line break (spreadsheets allow it) occupies two file lines."""
    tmp_scenario.set_cell("facilities.csv", 3, "doctors", "-1")  # near_clinic, moved to line 4 below
    tmp_scenario.set_cell("facilities.csv", 2, "source", "estimate: first line\nsecond line")
    problem_at(tmp_scenario.problems(), "tiny/facilities.csv:4", "doctors")


def test_windows_line_endings_are_accepted(tmp_scenario):
    text = tmp_scenario.text("facilities.csv")
    (tmp_scenario.path / "facilities.csv").write_bytes(text.replace("\n", "\r\n").encode())
    assert tmp_scenario.load().facility("hospital").doctors == 20


def test_a_table_that_is_not_utf8_is_an_input_error(tmp_scenario, problem_at):
    """A table saved as GBK by a spreadsheet: one clear problem, not a UnicodeDecodeError."""
    text = tmp_scenario.text("care_homes.csv")
    (tmp_scenario.path / "care_homes.csv").write_bytes(text.encode("gb18030"))
    p = problem_at(tmp_scenario.problems(), "tiny/care_homes.csv:2")
    assert "UTF-8" in p.expected


def test_missing_folder_names_the_config_key(tmp_path):
    with pytest.raises(InputError) as e:
        load_scenario(tmp_path / "nowhere")
    assert e.value.problems[0].place == "scenario.data_dir"


def test_year_without_a_population_column(tmp_scenario, problem_at):
    p = problem_at(tmp_scenario.problems(year=2031), "tiny/islands.csv", "pop_2031")
    assert "pop_2020" in p.expected and "pop_2024" in p.expected


def test_relative_data_dir_resolves_against_the_project(tmp_path):
    assert resolve_data_dir("scenarios/shengsi", cwd=tmp_path) == SHENGSI_DIR
    assert resolve_data_dir("shengsi", cwd=tmp_path) == SHENGSI_DIR
    assert resolve_data_dir(tmp_path) == tmp_path


@pytest.mark.parametrize("text, allow_24, minutes", [
    ("07:30", False, 450), ("7:30", False, 450), ("00:00", False, 0), ("23:59", False, 1439),
    ("24:00", True, 1440), ("24:00", False, None), ("25:00", True, None), ("7h30", False, None),
    ("07:60", False, None), ("0730", False, None), ("", False, None), ("07:30:00", False, None),
])
def test_parse_hhmm(text, allow_24, minutes):
    assert parse_hhmm(text, allow_24, None) == minutes
