"""The bibliography check: every [KEY] cited in a source cell is listed in the folder's SOURCES.md."""

from __future__ import annotations

from pathlib import Path

from scenarios.bibliography import bibliography_path, check_citations, cited_keys, read_bibliography
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
