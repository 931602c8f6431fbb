"""The Shengsi README's headline totals are the tables' totals (a changed table must update the text)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHENGSI_DIR = ROOT / "scenarios" / "shengsi"


@pytest.fixture(scope="module")
def readme() -> str:
    return (SHENGSI_DIR / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def years(shengsi_2020, shengsi):
    return shengsi_2020, shengsi


def _row(readme: str, label: str) -> str:
    """The Value cell of the derived-totals row whose label starts with ``label``."""
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith(label):
            return cells[1]
    raise AssertionError(f"no row '{label}' in the README's derived totals")


def _n(x: float) -> str:
    return f"{round(x):,}"


def test_headline_totals_match_the_tables(readme, years):
    s20, s24 = years
    assert _row(readme, "Residents 2020 / 2024") == f"{_n(s20.population)} / {_n(s24.population)}"
    assert _row(readme, "Aged 60+ (2020)").startswith(f"{_n(s20.elderly)} = {s20.elderly / s20.population:.1%}")
    assert _row(readme, "Aged 60+ (2024)").startswith(f"{_n(s24.elderly)} = {s24.elderly / s24.population:.1%}")
    doctors = sum(f.doctors for f in s24.facilities)
    assert _row(readme, "Doctors").startswith(f"{doctors} = {doctors / s24.population * 1000:.2f} per 1,000")
    beds = sum(f.beds for f in s24.facilities)
    assert _row(readme, "Beds in hospitals").startswith(f"{beds} (county hospital {s24.facility('county_hospital').beds})")
    nurses = sum(f.nurses for f in s24.facilities)
    assert _row(readme, "Nurses").startswith(f"{nurses} ({nurses / s24.population * 1000:.1f} per 1,000)")
    aeds = sum(i.aeds for i in s24.islands)
    assert _row(readme, "Public AEDs").startswith(f"{aeds} = {aeds / s24.population * 1e4:.1f} per 10,000")
    carers = sum(h.carers for h in s24.care_homes)
    assert _row(readme, "Certified carers").startswith(f"{carers} = {carers / s24.elderly * 1e4:.1f} per 10,000")
    assert _row(readme, "Care-home beds").startswith(_n(sum(h.beds for h in s24.care_homes)))
    assert _row(readme, "Tourists").startswith(_n(sum(i.tourists_summer for i in s24.islands)))


def test_sijiao_residual_and_carers_in_the_text(readme, years):
    s20, s24 = years
    text = re.sub(r"\s+", " ", readme)
    assert f"{_n(s20.island('sijiao').population)} in 2020 and {_n(s24.island('sijiao').population)} in 2024" in text
    carers = sum(h.carers for h in s24.care_homes)
    assert f"× {_n(s24.elderly)} residents aged 60+ (2024) = {carers}" in text
    for h in s24.care_homes:
        assert re.search(rf"\| {h.beds} \| {h.carers} \|", readme), h.id
