"""Infeasibility diagnosis: which constraint groups conflict, by how much, in a planner's words.

The amounts are worked out by hand from the Shengsi data: 11 AEDs today, the minimum of 5 per 10,000
of 64,000 residents asks for 32, i.e. 21 more at 30,000 yuan = 630,000 yuan of capital; 203 doctors
today, 4.2 per 1,000 asks for 269, i.e. 66 more at 300,000 yuan a year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimize.api import solve_plan
from optimize.settings import resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shengsi():
    s = load_scenario(ROOT / "scenarios" / "shengsi")
    return s, baseline_policy(s)


def test_aed_minimum_against_the_capital_budget(shengsi):
    s, p = shengsi
    r = solve_plan(s, p, resolve_optimizer({"capital_budget": 100_000}))
    assert r.report.status == "infeasible" and r.levels is None
    d = r.diagnosis.set_index("group")
    assert d.loc["capital_budget", "relax_alone"] == pytest.approx(530_000, abs=1e-3)
    assert d.loc["capital_budget", "limit"] == 100_000
    assert d.loc["minimum_aeds_per_10k", "relax_alone"] == pytest.approx(18, abs=1e-6)  # 100,000 buys 3 of 21
    assert d.loc["minimum_aeds_per_10k", "limit"] == 32
    assert set(d.index[d.conflict]) == {"capital_budget", "minimum_aeds_per_10k"}
    assert d.loc["operating_budget", "relax_alone"] != d.loc["operating_budget", "relax_alone"]  # NaN: not enough
    assert "530,000 yuan" in d.loc["capital_budget", "sentence"]
    assert ("minimum of AEDs per 10,000 residents needs 530,000 yuan more than the capital budget allows"
            in r.diagnosis_text)


def test_doctor_minimum_against_the_operating_budget_and_hiring(shengsi):
    s, p = shengsi
    r = solve_plan(s, p, resolve_optimizer({"operating_budget": 15e6, "limits": {"doctors_hire": 50}}))
    d = r.diagnosis.set_index("group")
    # with at most 50 new doctors, the doctor minimum (66 more) cannot be met by money alone
    assert d.loc["operating_budget", "relax_alone"] != d.loc["operating_budget", "relax_alone"]
    assert d.loc["workforce_doctors", "relax_alone"] != d.loc["workforce_doctors", "relax_alone"]
    assert d.loc["minimum_doctors_per_1000", "relax_alone"] == pytest.approx(66 - 49, abs=1e-6)
    together = d[d.relax_together > 1e-6]
    assert "minimum_doctors_per_1000" in together.index or {"operating_budget", "workforce_doctors"} <= set(together.index)
    assert "lower the minimum of doctors per 1,000 residents by 17 doctors" in r.diagnosis_text


def test_feasible_programs_are_not_diagnosed(shengsi):
    s, p = shengsi
    r = solve_plan(s, p, resolve_optimizer({}))
    assert r.report.ok and r.diagnosis is None and r.diagnosis_text == ""
