"""mode=evaluate's comparison: measures per year from tidy KPIs, paired differences, and the flags."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from experiments.summary import paired_difference
from islandcare.optimize_evaluation import derived_kpis, disagree, disagree_level, evaluation_table
from optimize.data import build_data
from optimize.settings import resolve_optimizer
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy

ROOT = Path(__file__).resolve().parents[2]


def _kpis(rows):
    return pd.DataFrame(rows, columns=["replication", "island", "condition", "metric", "value"])


@pytest.fixture(scope="module")
def tiny():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    p = baseline_policy(s)
    return s, build_data(s, p, resolve_optimizer({}))


def test_measures_are_per_year_and_count_patients_within_target(tiny):
    s, data = tiny
    rows = []
    for r in (0, 1):
        rows += [(r, "all", "cardiac_arrest", "ohca_expected_survivors", 0.5 + r),
                 (r, "all", "stroke", "within_target_share", 0.5), (r, "all", "stroke", "arrivals", 10.0),
                 (r, "all", "chest_pain", "within_target_share", 1.0), (r, "all", "chest_pain", "arrivals", 4.0),
                 (r, "all", "all", "care_placed", 3.0), (r, "all", "all", "boat_utilization", 0.2)]
    derived, notes = derived_kpis(_kpis(rows), s, data, days=73.0)  # 73 days = a fifth of a year
    v = derived.set_index(["replication", "metric"]).value
    assert v[(0, "survivors")] == pytest.approx(2.5) and v[(1, "survivors")] == pytest.approx(7.5)
    assert v[(0, "within_target")] == pytest.approx((5 + 4) * 5)
    assert v[(0, "placed_in_care")] == pytest.approx(15.0)
    assert v[(0, "boat_busy_share")] == pytest.approx(0.2)  # a share: not scaled
    assert any(n.startswith("care_occupancy_mean:") for n in notes)  # missing metric: a note, no row
    assert "care_occupancy_mean" not in set(derived.metric)


def _row(change, lo, hi):
    return {"measured_change": change, "measured_ci_low": lo, "measured_ci_high": hi}


def test_change_flags():
    assert disagree(10.0, _row(2.0, 1.0, 3.0), 0.25)[0]  # outside the interval and far off
    assert not disagree(10.0, _row(2.0, -5.0, 12.0), 0.25)[0]  # inside a wide interval
    assert not disagree(10.0, _row(9.0, 8.5, 9.5), 0.25)[0]  # within tolerance
    flag, note = disagree(0.4, _row(0.0, 0.0, 0.0), 0.25)  # no replication shows a difference
    assert not flag and "no replication shows any difference" in note
    assert disagree_level(5.0, 0.0, 0.25)[0] and not disagree_level(100.0, 90.0, 0.25)[0]


def test_evaluation_table_pairs_prediction_and_measurement(tiny):
    s, data = tiny
    base = _kpis([(r, "all", "all", "care_placed", 10.0 + r) for r in range(3)])
    plan = _kpis([(r, "all", "all", "care_placed", 20.0 + r + 0.1 * r * r) for r in range(3)])
    d_base, notes = derived_kpis(base, s, data, 365.0)
    d_plan, _ = derived_kpis(plan, s, data, 365.0)
    diff = paired_difference(d_plan, d_base)
    predicted = {"baseline": {"placed_in_care": 11.0}, "plan": {"placed_in_care": 12.0}}
    t = evaluation_table(predicted, diff, notes, 0.25).set_index("quantity")
    row = t.loc["placed_in_care"]
    assert row.measured_baseline == pytest.approx(11.0) and row.measured_change == pytest.approx(10 + 0.5 / 3)
    assert row.predicted_change == pytest.approx(1.0)
    assert bool(row.flag) and "change" in row.note
    assert not bool(t.loc["survivors", "flag"]) and "no ohca_expected_survivors" in t.loc["survivors", "note"]


def test_routine_patients_without_a_doctor_count_only_those_cared_for_in_the_county(tiny):
    s, data = tiny  # 'far' has no doctor; in_county_share is a share of those who received care
    rows = [(0, "far", "primary_care", "in_county_share", 0.8), (0, "far", "primary_care", "completed", 30.0),
            (0, "far", "primary_care", "left_without_care", 5.0), (0, "far", "primary_care", "died", 0.0),
            (0, "far", "chronic_followup", "in_county_share", 1.0), (0, "far", "chronic_followup", "completed", 10.0),
            (0, "far", "chronic_followup", "left_without_care", 0.0)]
    derived, _ = derived_kpis(_kpis(rows), s, data, days=365.0)
    v = derived.set_index("metric").value
    assert v["consultations_no_doctor"] == pytest.approx(0.8 * (30 - 5) + 10)


def test_beds_found_change_as_minus_the_blocked_admissions(tiny):
    s, _ = tiny
    data = build_data(s, baseline_policy(s), resolve_optimizer({"limits": {"convert_hospital_beds": 5}}))
    assert data.conversions == {"hospital": "main_home"}  # the hospital is on 'main'
    rows = [(r, "main", "all", "bed_blocked_count", 2.0 + r) for r in (0, 1)] + [(0, "near", "all", "bed_blocked_count", 9.0)]
    derived, notes = derived_kpis(_kpis(rows), s, data, days=73.0)
    v = derived.set_index(["replication", "metric"]).value
    assert v[(0, "hospital_bed_found")] == pytest.approx(-10.0) and v[(1, "hospital_bed_found")] == pytest.approx(-15.0)
    assert not any(n.startswith("hospital_bed_found") for n in notes)
    s2, plain = tiny
    none, _ = derived_kpis(_kpis(rows), s2, plain, days=73.0)  # no beds may be converted: not measured, and why
    assert "hospital_bed_found" not in set(none.metric)
    t = evaluation_table({"baseline": {}, "plan": {}}, pd.DataFrame(), [], 0.25).set_index("quantity")
    assert "no hospital beds may be converted" in t.loc["hospital_bed_found", "note"]


def test_console_notes_are_short():
    from islandcare.optimize_sim import concise

    long = ("predicted change 0.4, but no replication shows any difference (too few events in this run? run longer "
            "or more replications); today's level: predicted 688, simulated 1425 (52% apart)")
    assert concise(long) == "predicted change 0.4, no replication shows it; today's level: predicted 688, simulated 1425 (52% apart)"[:89] + "…"
    assert concise("") == "" and len(concise("x" * 200)) == 90
