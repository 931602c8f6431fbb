"""Face validation: the table's columns, a source for every reference, and the arithmetic on a
hand-made summary."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from experiments.face_validation import COLUMNS, bounds, face_validation, read_reference
from scenarios.bibliography import bibliography_path, cited_keys, read_bibliography
from scenarios.errors import ProblemLog

ROOT = Path(__file__).resolve().parents[2]
SHENGSI_DIR = ROOT / "scenarios" / "shengsi"
REQUIRED = {"doctor_visits_per_person_year", "share_60_plus", "ohca_per_100k", "ohca_survival_to_discharge",
            "stroke_per_100k", "acs_per_100k", "bed_occupancy_share", "mean_length_of_stay_days",
            "in_county_share", "care_residents_per_1000_elderly"}


def _summary(rows):
    return pd.DataFrame([dict(island=i, condition=c, metric=m, mean=v, ci_low=lo, ci_high=hi, n=2)
                         for i, c, m, v, lo, hi in rows])


@pytest.fixture(scope="module")
def reference():
    return read_reference(SHENGSI_DIR)


def test_reference_has_every_indicator_and_a_source_for_each(reference):
    assert list(reference.columns) == ["indicator", "reference", "low", "high", "source"]
    assert set(reference.indicator) >= REQUIRED
    assert any(reference.indicator.str.startswith("closure_days_"))
    assert any(reference.indicator.str.contains("80_plus"))
    listed = read_bibliography(bibliography_path(SHENGSI_DIR), ProblemLog(), "SOURCES.md")
    for r in reference.itertuples():
        assert isinstance(r.source, str) and r.source.strip(), r.indicator
        keys = cited_keys(r.source)
        assert keys or r.source.startswith("estimate"), f"{r.indicator}: a source key or an estimate"
        assert all(k in listed for k in keys), r.indicator
        assert r.low <= r.reference <= r.high, r.indicator


def test_columns_and_within(shengsi, reference):
    summary = _summary([
        ("all", "all", "bed_occupancy_share", 0.5, 0.45, 0.55),
        ("all", "all", "in_county_share", 0.92, 0.91, 0.93),
        ("all", "stroke", "arrivals", 300.0, 280.0, 320.0),
    ])
    out = face_validation(summary, shengsi, reference, measured_days=365)
    assert list(out.columns) == COLUMNS
    assert out["within"].dtype == bool
    assert list(out.indicator) == list(reference.indicator)
    row = out.set_index("indicator")
    assert row.loc["bed_occupancy_share", "model_mean"] == 0.5
    assert not row.loc["bed_occupancy_share", "within"]  # below the reference range 0.60-0.90
    assert row.loc["in_county_share", "within"]
    assert math.isnan(row.loc["ohca_per_100k", "model_mean"])  # metric missing: NaN, not within
    assert not row.loc["ohca_per_100k", "within"]
    assert all(re.match(r"^\S", s) for s in out.source)


def test_rates_per_person_year_served(shengsi):
    ref = pd.DataFrame([dict(indicator="stroke_per_100k", reference=300, low=200, high=800, source="[X]")])
    summary = _summary([("all", "stroke", "arrivals", 150.0, 140.0, 160.0)])
    out = face_validation(summary, shengsi, ref, measured_days=182.5)  # half a year
    tourists = sum(i.tourists_summer for i in shengsi.islands) * sum(
        m.tourist_factor * d for m, d in zip(shengsi.months, (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
                                             strict=True)) / 365
    expected = 150.0 * 2 / (shengsi.population + tourists) * 1e5
    assert out.model_mean.iloc[0] == pytest.approx(expected)
    assert out.model_ci_low.iloc[0] == pytest.approx(expected * 140 / 150)


def test_closure_days_from_monthly_hours(shengsi):
    ref = pd.DataFrame([dict(indicator="closure_days_small_ferry_east", reference=80, low=60, high=100,
                             source="estimate: x")])
    monthly = pd.DataFrame([dict(replication=r, month=m, island="east", metric="closed_hours_small_ferry",
                                 value=h) for r, h in ((0, 160.0), (1, 200.0)) for m in range(12)])
    monthly = pd.concat([monthly, monthly.assign(island="west", value=1.0)])
    out = face_validation(_summary([]), shengsi, ref, measured_days=365, monthly=monthly)
    # replication 0: 12 x 160 h = 80 days; replication 1: 100 days
    assert out.model_mean.iloc[0] == pytest.approx(90.0)
    assert out.model_ci_low.iloc[0] < 90 < out.model_ci_high.iloc[0]
    assert out.within.iloc[0]


def test_a_reference_without_its_columns_is_refused(shengsi):
    with pytest.raises(ValueError):
        face_validation(_summary([]), shengsi, pd.DataFrame({"indicator": ["x"]}), measured_days=365)


def test_intervals_are_clipped_at_natural_bounds_and_flagged_too_wide(shengsi):
    """Two replications can give a t-interval below zero (a count) or above 1 (a share)."""
    ref = pd.DataFrame([dict(indicator="ohca_per_100k", reference=97.1, low=60, high=170, source="[CA]"),
                        dict(indicator="in_county_share", reference=0.9, low=0.8, high=1.0, source="[S4]"),
                        dict(indicator="stroke_per_100k", reference=300, low=200, high=800, source="[X]")])
    summary = _summary([("all", "cardiac_arrest", "arrivals", 50.0, -5.0, 105.0),
                        ("all", "all", "in_county_share", 0.95, 0.90, 1.02),
                        ("all", "stroke", "arrivals", 200.0, 190.0, 210.0)])
    out = face_validation(summary, shengsi, ref, measured_days=365)
    assert out["too_wide"].dtype == bool
    row = out.set_index("indicator")
    assert row.loc["ohca_per_100k", "model_ci_low"] == 0.0 < row.loc["ohca_per_100k", "model_ci_high"]
    assert row.loc["in_county_share", "model_ci_high"] == 1.0
    assert row.loc["ohca_per_100k", "too_wide"] and not row.loc["stroke_per_100k", "too_wide"]
    assert not row.loc["in_county_share", "too_wide"]


def test_natural_bounds_of_the_indicators():
    assert bounds("in_county_share") == bounds("share_60_plus") == (0.0, 1.0)
    assert bounds("ohca_survival_to_discharge") == (0.0, 1.0)
    assert bounds("closure_days_ferry_west") == (0.0, 365.0)
    assert bounds("ohca_per_100k") == (0.0, math.inf)
