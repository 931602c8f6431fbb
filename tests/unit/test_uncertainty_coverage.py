"""Every estimated, derived or calibrated number of the Shengsi scenario has a range in uncertainty.csv.

How a number is recognised as needing a range (documented in scenarios/SCHEMA.md, uncertainty.csv):
a row needs ranges when one of its ``source*`` cells says ``estimate``, ``EST``, ``DER``,
``calibrat...``, ``assum...`` or ``NOT FOUND``; then every non-zero number in that row needs a row
``table,key,column`` in uncertainty.csv, except identity and calendar columns (month, hour, delay_min,
year), times of day, the conditions' ``target_min`` (a norm the planner chooses, not a fact about
the islands), weekday lists (``sea_links.csv`` ``days``: not numbers), the remainder shares (``share_15_59``, ``tourists.share_15_59``,
``routine.no_clinic_forgo_share``, which the other shares determine), and tables that carry their own ``low``/``high`` columns (costs.csv,
pending_parameters.csv, face_validation.csv).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHENGSI = ROOT / "scenarios" / "shengsi"
NEEDS_RANGE = re.compile(r"(?i)(estimate|\bEST\b|\bDER\b|calibrat|assum|NOT FOUND)")
SKIP_TABLES = {"uncertainty.csv"}
SKIP_COLUMNS = {"month", "hour", "delay_min", "year", "share_15_59", "share_15_59_2020", "target_min"}
SKIP_KEYS = {("parameters", "tourists.share_15_59"), ("parameters", "routine.no_clinic_forgo_share"),
             ("parameters", "circuit.depart_hour"),
             ("parameters", "circuit.followup_window_days")}  # two remainders and two definitions
# The small-island choice shares sum to 1: waiting and travelling are ranged, and forgoing is their
# remainder (1 - wait - travel, scenarios.uncertainty.COMPOSITIONS), as share_15_59 is of the ages.
# A link's weekdays (sea_links.csv days, e.g. Tanhu's Wed;Sat [ZJRB15]; 1-3 sailings a week are
# possible today) are a list, not a number: scenarios/uncertainty.py draws numbers only, so needed()
# passes them over (they do not parse as numbers) and the range stays in the row's source.
UNCERTAINTY_COLUMNS = ["table", "key", "column", "low", "high", "distribution", "source", "group"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def _number(v: str) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def needed(folder: Path) -> set[tuple[str, str, str]]:
    """(table, key, column) of every number whose row's source is an estimate, derivation or calibration."""
    out = set()
    for path in sorted(folder.glob("*.csv")):
        rows = _rows(path)
        if path.name in SKIP_TABLES or not rows or {"low", "high"} <= set(rows[0]):
            continue
        table = path.stem
        first = next(iter(rows[0]))
        for r in rows:
            if not any(NEEDS_RANGE.search(v or "") for c, v in r.items() if c and c.startswith("source")):
                continue
            key = f"{r['curve']}:{r['delay_min']}" if table == "outcome_curves" else r[first]
            for col, v in r.items():
                if (col == first or col in SKIP_COLUMNS or col.startswith("source") or (table, key) in SKIP_KEYS
                        or ":" in (v or "")):
                    continue
                x = _number(v)
                if x is not None and x != 0:
                    out.add((table, key, col))
    return out


def ranged(folder: Path) -> set[tuple[str, str, str]]:
    return {(r["table"], r["key"], r["column"]) for r in _rows(folder / "uncertainty.csv")}


def test_uncertainty_file_has_the_shared_format():
    with (SHENGSI / "uncertainty.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == UNCERTAINTY_COLUMNS
    rows = _rows(SHENGSI / "uncertainty.csv")
    assert all(r["distribution"] in ("uniform", "triangular", "loguniform") for r in rows)
    assert all(float(r["low"]) < float(r["high"]) and r["source"] for r in rows)
    groups = {r["group"] or f"{r['table']}.{r['key']}.{r['column']}" for r in rows}
    assert 20 <= len(groups) <= 40, f"{len(groups)} factors for the screening"


def test_every_estimated_number_has_a_range():
    missing = sorted(needed(SHENGSI) - ranged(SHENGSI))
    assert not missing, f"{len(missing)} estimated numbers without a range in uncertainty.csv, e.g. {missing[:10]}"


def test_weekday_lists_are_not_asked_for_a_range():
    assert not {n for n in needed(SHENGSI) if n[0] == "sea_links" and n[2] == "days"}
    assert "1-3" in next(r["source"] for r in _rows(SHENGSI / "sea_links.csv")
                         if r["link_id"] == "tanhu_shanghai_small_ferry")


def test_the_coverage_check_can_fail(tmp_path):
    """Delete one row of a copy of uncertainty.csv: the check must notice."""
    import shutil

    folder = tmp_path / "shengsi"
    shutil.copytree(SHENGSI, folder)
    lines = (folder / "uncertainty.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(i for i, ln in enumerate(lines) if ln.startswith("weather_months,1,hours_f9,"))
    (folder / "uncertainty.csv").write_text("".join(lines[:target] + lines[target + 1:]), encoding="utf-8")
    assert needed(folder) - ranged(folder) == {("weather_months", "1", "hours_f9")}


@pytest.mark.parametrize("text, needs", [("estimate: about 20", True), ("DER: 2 x [C7]", True),
                                         ("[S4] target 90% by 2025", False), ("calibrated to occupancy", True),
                                         ("[G4] 5 a day; times NOT FOUND", True)])
def test_what_counts_as_an_estimate(text, needs):
    assert bool(NEEDS_RANGE.search(text)) is needs
