"""optimize.calibration.refit: least squares over every simulated plan; zero changes cannot be scaled."""

from __future__ import annotations

import pytest

from optimize.calibration import Observation, refit
from optimize.pieces import Correction


def test_scale_is_the_least_squares_factor_over_all_plans_and_offset_the_level_gap():
    obs = [Observation("survivors", 1.0, 2.0, 1.5, 1.0), Observation("survivors", 1.0, 4.0, 1.5, 2.2)]
    new, notes = refit(obs, {}, ["survivors"], max_scale=10)
    assert new["survivors"].scale == pytest.approx((2 * 1.0 + 4 * 2.2) / (4 + 16))
    assert new["survivors"].offset == pytest.approx(0.5)
    assert "scale 1 -> " in notes["survivors"] and "level offset" in notes["survivors"]


def test_only_flagged_outcomes_change_and_scale_is_clipped():
    obs = [Observation("within_target", 10.0, 1.0, 10.0, 50.0), Observation("survivors", 1.0, 1.0, 1.0, 3.0)]
    cur = {"survivors": Correction(2.0, 0.0)}
    new, _ = refit(obs, cur, ["within_target"], max_scale=5)
    assert new["survivors"] == Correction(2.0, 0.0)
    assert new["within_target"] == Correction(5.0, 0.0)


def test_a_change_no_curve_models_is_attributed_by_yearly_cost():
    """+19 within target from a plan of 66 doctors (19.8 M yuan a year) and 21 AEDs (0.1 M)."""
    obs = [Observation("within_target", 10.0, 0.0, 10.0, 19.0, (("aeds", 21), ("doctors", 66), ("boats", 0)),
                       (("aeds", 0.1e6), ("doctors", 19.8e6), ("boats", 0.0)))]
    new, notes = refit(obs, {}, ["within_target"], max_scale=10, levels_differ=["within_target"])
    c = new["within_target"]
    assert c.scale == 1.0 and c.offset == 0.0
    slopes = dict(c.slopes)
    assert set(slopes) == {"aeds", "doctors"}
    assert 66 * slopes["doctors"] + 21 * slopes["aeds"] == pytest.approx(19.0)  # the plan's change reproduced
    assert 66 * slopes["doctors"] == pytest.approx(19.0 * 19.8 / 19.9)
    assert "do not model" in notes["within_target"]
    none, why = refit([Observation("survivors", 1.0, 0.0, 1.0, 2.0)], {}, ["survivors"], max_scale=10)
    assert none["survivors"].slopes == () and "changes no resource" in why["survivors"]


def test_slopes_enter_the_outcome_values():
    from pathlib import Path

    from optimize.data import build_data
    from optimize.plan import outcome_values, today_levels
    from optimize.settings import resolve_optimizer
    from scenarios.loader import load_scenario
    from scenarios.policy import baseline_policy

    s = load_scenario(Path(__file__).resolve().parents[2] / "tests" / "data" / "tiny")
    data = build_data(s, baseline_policy(s), resolve_optimizer({}))
    levels = today_levels(data)
    levels["doctors__hospital"] += 2
    plain = outcome_values(data, levels)["within_target"]
    data = data.with_corrections({"within_target": Correction(slopes=(("doctors", 0.5),))})
    assert outcome_values(data, levels)["within_target"] == pytest.approx(plain + 1.0)


def test_the_program_buys_what_a_slope_values():
    """With doctors worth a patient within target each (a correction), the program hires them."""
    from pathlib import Path

    from optimize.api import solve_data
    from optimize.data import build_data
    from optimize.settings import resolve_optimizer
    from scenarios.loader import load_scenario
    from scenarios.policy import baseline_policy

    s = load_scenario(Path(__file__).resolve().parents[2] / "tests" / "data" / "tiny")
    off = dict.fromkeys(("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"), False)
    st = resolve_optimizer({"outcome": "within_target", "minimums": off, "operating_budget": 0.9e6,
                            "capital_budget": 0, "limits": {"doctors_hire": 3}})
    data = build_data(s, baseline_policy(s), st)
    plain = solve_data(data, st)
    assert plain.report.ok and plain.plan[plain.plan.resource == "doctors"].change.sum() == 0
    fixed = solve_data(data.with_corrections({"within_target": Correction(slopes=(("doctors", 1.0),))}), st)
    assert fixed.plan[fixed.plan.resource == "doctors"].change.sum() == 3
    o = fixed.outcomes.set_index("outcome")
    assert o.loc["within_target", "change"] == pytest.approx(3.0, abs=1e-6)
