"""The bibliography check: every [KEY] cited in a source cell is listed in the folder's SOURCES.md."""

from __future__ import annotations

from pathlib import Path

from scenarios.bibliography import (
    bibliography_path,
    check_citations,
    cited_keys,
    note_reference,
    read_bibliography,
)
from scenarios.errors import ProblemLog

ROOT = Path(__file__).resolve().parents[2]
SHENGSI_DIR = ROOT / "scenarios" / "shengsi"

BIB = """# sources

| key | author | title | date | address | supports |
|---|---|---|---|---|---|
| A1 | someone | a report | 2024 | http://example.org/a | the number |
"""


def test_cited_keys_reads_every_bracketed_key():
    assert cited_keys("[S4] and [CPC-BASIC]; DER: [C7] x 2") == ["S4", "CPC-BASIC", "C7"]
    assert cited_keys("estimate: no key (see notes)") == []


def test_shengsi_cites_only_listed_keys():
    log = ProblemLog()
    check_citations(SHENGSI_DIR, log)
    assert not log.problems, "\n".join(f"{p.place} {p.column} {p.value}" for p in log.problems)


def test_shengsi_bibliography_has_address_and_note_for_every_key():
    log = ProblemLog()
    entries = read_bibliography(bibliography_path(SHENGSI_DIR), log, "SOURCES.md")
    assert not log.problems and len(entries) > 40
    for e in entries.values():
        assert len(e.cells) >= 6 and all(c for c in e.cells[:6]), f"{e.key}: every column filled"


def test_unknown_key_names_file_line_and_column(tmp_scenario, problem_at):
    tmp_scenario.write("SOURCES.md", BIB)
    line = tmp_scenario.line_of("boats.csv", "base", tmp_scenario.cells("boats.csv", 2)["base"])
    tmp_scenario.set_cell("boats.csv", line, "source", "[A1] and [NOPE99]")
    problems = tmp_scenario.problems()
    p = problem_at(problems, tmp_scenario.place("boats.csv", line), "source")
    assert p.value == "[NOPE99]" and "SOURCES.md" in p.expected
    assert not any(p.value == "[A1]" for p in problems)  # a listed key is fine


def test_unknown_key_is_collected_with_other_problems(tmp_scenario, problem_at):
    tmp_scenario.write("SOURCES.md", BIB)
    tmp_scenario.set_cell("boats.csv", 2, "source", "[MISSING]")
    tmp_scenario.set_cell("boats.csv", 2, "speed_knots", "-3")
    problems = tmp_scenario.problems()
    problem_at(problems, tmp_scenario.place("boats.csv", 2), "source")
    problem_at(problems, tmp_scenario.place("boats.csv", 2), "speed_knots")


def test_keys_cited_without_a_bibliography_file(tmp_scenario, problem_at):
    tmp_scenario.set_cell("boats.csv", 2, "source", "[A1]")
    problems = tmp_scenario.problems()
    problem_at(problems, tmp_scenario.place("SOURCES.md"))


def test_sources_csv_and_duplicate_keys(tmp_path):
    (tmp_path / "sources.csv").write_text("key,title\nA1,x\nA1,y\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,source\na,[A1]\nb,[B2]\n", encoding="utf-8")
    log = ProblemLog()
    check_citations(tmp_path, log)
    got = {(p.place.rsplit("/", 1)[-1], p.column, p.value) for p in log.problems}
    assert ("sources.csv:3", "key", "A1") in got
    assert ("t.csv:3", "source", "[B2]") in got
    assert len(got) == 2


def test_note_reference_finds_pointers_to_notes_outside_the_repository():
    outside = {
        "estimate (costs A1): 250k-350k midpoint": "costs A1",
        "beds estimate (facts EST 400-800 county)": "facts",
        "estimate bands from clinical s3 (20-44 40)": "clinical s3",
        "estimate bands from the clinical notes": "clinical notes",
        "15000-22000 a day (costs sheet B3)": "costs sheet",
        "monthly shape from costs-sheet gust-day estimates": "costs-sheet",
        "sunrise and sunset B2": "B2",
        "LOS 7 EST 7-9": "EST",
        "area about 4 km2; not in notes": "in notes",
    }
    for cell, found in outside.items():
        assert note_reference(cell) == found, cell
    for cell in ("[A1] 250k; DER: [C7] x 2; [S4] [B11]", "estimate: 3-5 staff; range 3-5",
                 "17976 B&B beds; F6 22/F7 16", "a calendar fact; the row notes", ""):
        assert note_reference(cell) is None, cell


def test_note_reference_names_file_line_and_column(tmp_scenario, problem_at):
    tmp_scenario.write("SOURCES.md", BIB)
    tmp_scenario.set_cell("boats.csv", 2, "source", "[A1] speed; crew estimate (costs A5)")
    problems = tmp_scenario.problems()
    p = problem_at(problems, tmp_scenario.place("boats.csv", 2), "source")
    assert p.value == "costs A5" and "estimate" in p.expected
    assert not any(q.value == "[A1]" for q in problems)


def test_every_scenario_folder_in_the_repository_stands_alone():
    folders = sorted({p.parent for p in (ROOT / "scenarios").rglob("*.csv")}
                     | {p.parent for p in (ROOT / "tests" / "data").rglob("*.csv")})
    assert SHENGSI_DIR in folders
    for folder in folders:
        log = ProblemLog()
        check_citations(folder, log)
        assert not log.problems, "\n".join(f"{p.place} {p.column} {p.value}" for p in log.problems)
