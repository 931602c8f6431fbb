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


def test_a_zero_modelled_change_cannot_be_rescaled_and_says_so():
    obs = [Observation("within_target", 10.0, 0.0, 10.0, 19.0)]
    new, notes = refit(obs, {}, ["within_target"], max_scale=10, levels_differ=["within_target"])
    assert new["within_target"] == Correction(1.0, 0.0)
    assert "does not model" in notes["within_target"]
