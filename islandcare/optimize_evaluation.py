"""What the program predicted next to what the simulation measured (``mode=evaluate|calibrate``).

For each outcome (and a few side quantities) a *measure* is computed per replication from the
simulation's tidy KPIs, in the program's unit (per year: counts are scaled by 365 / days after the
warm-up). Plan and today ran with the same seeds (common random numbers), so
``experiments.summary.paired_difference`` gives the measured change with a 95% interval. A row is
flagged when the predicted change lies outside that interval and differs from the measured change by
more than ``flag_tolerance`` of the larger of the two, or when today's predicted level and the
simulated baseline differ by more than that (for quantities whose levels mean the same in both). A
change that no replication shows (every paired difference zero) is reported, not flagged: a short
run may hold too few events. Metrics the simulation does not produce are skipped with a note.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimize.data import ProgramData
from optimize.predict import SIDE_MEASURES
from optimize.settings import OUTCOMES
from scenarios.model import DAYS_PER_YEAR, Scenario
from scenarios.units import ALL, ARREST

COLUMNS = ["quantity", "unit", "measured_as", "predicted_baseline", "predicted_plan", "predicted_change",
           "measured_baseline", "measured_plan", "measured_change", "measured_ci_low", "measured_ci_high", "n",
           "flag", "note"]
MEASURED_AS = {
    "survivors": "ohca_expected_survivors (all islands) per year",
    "within_target": "urgent patients other than cardiac arrests within their target per year",
    "delay_hours_avoided": "minus the hours from onset to definitive care of urgent patients (not arrests) per year",
    "consultations_no_doctor": ("routine patients of islands without a doctor cared for in the county per year: "
                                "in_county_share x (completed - left_without_care - died)"),
    "placed_in_care": "care_placed per year",
    "hospital_bed_found": "minus bed_blocked_count per year on the islands of the facilities that may convert beds",
    "boat_busy_share": "boat_utilization",
    "aeds_per_10k": "aeds_per_10k",
    "circuit_visits_per_year": "visits_made per year",
    "care_occupancy_mean": "care_occupancy_mean",
    "care_waitlist_mean": "care_waitlist_mean",
}
# Levels that mean different things in program and simulation: only their changes compare.
LEVELS_DIFFER = {"delay_hours_avoided", "hospital_bed_found"}


def derived_kpis(kpis: pd.DataFrame, s: Scenario, data: ProgramData, days: float) -> tuple[pd.DataFrame, list[str]]:
    """Tidy rows (replication, island=all, condition=all, metric=quantity, value) in the program's units."""
    per_year = DAYS_PER_YEAR / days
    k = kpis.set_index(["replication", "island", "condition", "metric"])["value"]
    reps = sorted(kpis.replication.unique())
    have = set(kpis.metric.unique())
    notes: list[str] = []
    routine = [c.id for c in s.conditions if not c.urgent]
    urgent = [c.id for c in s.conditions if c.urgent and c.id != ARREST]
    no_doctor = [i for i, c in data.circuit.items() if c.no_doctor and c.demand > 0]
    wards = sorted({s.facility(f).island for f in data.conversions})

    def blocked(r) -> float:  # no ward left (every bed converted): nothing is blocked there
        return sum(0.0 if math.isnan(v := get(r, i, ALL, "bed_blocked_count")) else v for i in wards) * per_year

    def get(r, island, cond, metric) -> float:
        return float(k.get((r, island, cond, metric), np.nan))

    def cared_in_county(r, island, cond) -> float:
        share, n = get(r, island, cond, "in_county_share"), get(r, island, cond, "completed")
        if math.isnan(share) or math.isnan(n):
            return 0.0
        gone = sum(0.0 if math.isnan(v := get(r, island, cond, m)) else v for m in ("left_without_care", "died"))
        return share * (n - gone)

    def total(r, islands, conds, metric, count) -> float:
        out = 0.0
        for i in islands:
            for c in conds:
                v, n = get(r, i, c, metric), get(r, i, c, count)
                if not (math.isnan(v) or math.isnan(n)):
                    out += v * n
        return out

    measures = {
        "survivors": (["ohca_expected_survivors"], lambda r: get(r, ALL, ARREST, "ohca_expected_survivors") * per_year),
        "within_target": (["within_target_share"],
                          lambda r: total(r, [ALL], urgent, "within_target_share", "arrivals") * per_year),
        "delay_hours_avoided": (["time_to_definitive_care_min_mean"], lambda r: -total(
            r, [ALL], urgent, "time_to_definitive_care_min_mean", "completed") / 60.0 * per_year),
        # in_county_share is a share of those who received care: not of the completed, who include
        # those who left without care (forwent it, gave up waiting for the visit) or died before it
        "consultations_no_doctor": (["in_county_share", "left_without_care"],
                                    lambda r: sum(cared_in_county(r, i, c) for i in no_doctor for c in routine) * per_year),
        "placed_in_care": (["care_placed"], lambda r: get(r, ALL, ALL, "care_placed") * per_year),
        # admissions finding a free bed change by minus the change in those finding the ward full (the
        # same patients in plan and today); the levels differ (the program counts local admissions only)
        "hospital_bed_found": (["bed_blocked_count"], lambda r: -blocked(r)),
        "boat_busy_share": (["boat_utilization"], lambda r: get(r, ALL, ALL, "boat_utilization")),
        "aeds_per_10k": (["aeds_per_10k"], lambda r: get(r, ALL, ALL, "aeds_per_10k")),
        "circuit_visits_per_year": (["visits_made"], lambda r: get(r, ALL, ALL, "visits_made") * per_year),
        "care_occupancy_mean": (["care_occupancy_mean"], lambda r: get(r, ALL, ALL, "care_occupancy_mean")),
        "care_waitlist_mean": (["care_waitlist_mean"], lambda r: get(r, ALL, ALL, "care_waitlist_mean")),
    }
    rows = []
    for name, (needs, f) in measures.items():
        if name == "hospital_bed_found" and not wards:
            continue  # no beds may be converted: the outcome is constant
        missing = [m for m in needs if m not in have]
        if missing:
            notes.append(f"{name}: the simulation output has no {', '.join(missing)} (not compared)")
            continue
        rows += [(r, ALL, ALL, name, f(r)) for r in reps]
    return pd.DataFrame(rows, columns=["replication", "island", "condition", "metric", "value"]), notes


def evaluation_table(predicted: dict[str, dict[str, float]], diff: pd.DataFrame, notes: list[str],
                     tolerance: float) -> pd.DataFrame:
    """One row per quantity: predicted (baseline, plan, change) next to measured (with the 95% interval)."""
    units = {**OUTCOMES, **SIDE_MEASURES}
    d = diff.set_index("metric") if len(diff) else pd.DataFrame()
    rows = []
    for q, unit in units.items():
        pb, pp = predicted["baseline"].get(q, np.nan), predicted["plan"].get(q, np.nan)
        row = {"quantity": q, "unit": unit, "measured_as": MEASURED_AS.get(q, ""), "predicted_baseline": pb,
               "predicted_plan": pp, "predicted_change": pp - pb, "flag": False, "note": ""}
        if q in d.index:
            m = d.loc[q]
            row.update(measured_baseline=m["reference_mean"], measured_plan=m["mean"], measured_change=m["difference"],
                       measured_ci_low=m["diff_ci_low"], measured_ci_high=m["diff_ci_high"], n=int(m["n"]))
            flag, notes_q = disagree(pp - pb, row, tolerance)
            if q not in LEVELS_DIFFER:
                level_flag, level_note = disagree_level(pb, row["measured_baseline"], tolerance)
                flag = flag or level_flag
                notes_q = "; ".join(n for n in (notes_q, level_note) if n)
            row["flag"], row["note"] = flag, notes_q
        else:
            row["note"] = next((n for n in notes if n.startswith(q + ":")), _unmeasured(q))
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


def disagree(predicted: float, row: dict, tolerance: float) -> tuple[bool, str]:
    """The change: outside the measured interval and off by more than ``tolerance`` (relative)."""
    measured, lo, hi = row["measured_change"], row["measured_ci_low"], row["measured_ci_high"]
    if any(map(_nan, (predicted, measured))):
        return False, "no value to compare"
    scale = max(abs(predicted), abs(measured))
    relative = abs(predicted - measured) / scale if scale > 0 else 0.0
    if relative <= tolerance:
        return False, ""
    if measured == 0 and lo == 0 and hi == 0:
        return False, (f"predicted change {predicted:.4g}, but no replication shows any difference "
                       "(too few events in this run? run longer or more replications)")
    inside = not (_nan(lo) or _nan(hi)) and lo - 1e-12 <= predicted <= hi + 1e-12
    if inside:
        return False, ""
    return True, f"change: predicted {predicted:.4g}, measured {measured:.4g} ({relative:.0%} apart)"


def disagree_level(predicted: float, measured: float, tolerance: float) -> tuple[bool, str]:
    """Today's level: the program's prediction against the simulated baseline."""
    if _nan(predicted) or _nan(measured):
        return False, ""
    scale = max(abs(predicted), abs(measured))
    relative = abs(predicted - measured) / scale if scale > 0 else 0.0
    if relative <= tolerance:
        return False, ""
    return True, f"today's level: predicted {predicted:.4g}, simulated {measured:.4g} ({relative:.0%} apart)"


def _unmeasured(q: str) -> str:
    if q == "hospital_bed_found":
        return "constant: no hospital beds may be converted (optimizer.limits.convert_hospital_beds 0)"
    return "not measured"


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))
