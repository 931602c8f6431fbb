"""``mode=evaluate``: what the program predicted next to what the simulation measured.

For each objective term (and a few side quantities) a *measure* is computed per replication from the
simulation's tidy KPIs, in the program's unit (per year: counts are scaled by 365 / days after the
warm-up). Baseline and plan ran with the same seeds, so ``experiments.summary.paired_difference``
gives the measured change with a 95% interval. A row is flagged when the predicted change lies
outside that interval and differs from the measured change by more than ``flag_tolerance`` of the
larger of the two, or when today's predicted level and the simulated baseline differ by more than
that (for quantities whose levels mean the same in both). A change that no replication shows (every
paired difference zero) is reported, not flagged: a short run may simply hold too few events. The
flags show where the program's approximations are weak. Metrics the simulation does not (yet)
produce are skipped with a note.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimize.data import ProgramData
from optimize.predict import SIDE_MEASURES
from optimize.settings import TERMS
from scenarios.model import DAYS_PER_YEAR, Scenario

ALL = "all"
COLUMNS = ["quantity", "unit", "measured_as", "predicted_baseline", "predicted_plan", "predicted_change",
           "measured_baseline", "measured_plan", "measured_change", "measured_ci_low", "measured_ci_high", "n",
           "flag", "note"]
MEASURED_AS = {
    "aed_survivors": "ohca_expected_survivors (all islands) per year",
    "urgent_boat_within_target": "urgent patients within their target per year (all urgent conditions)",
    "routine_within_target": "routine patients within target per year on islands with a staffed facility",
    "circuit_consultations": "routine patients of islands without a doctor completed in the county per year",
    "care_placed": "care_placed per year",
    "hospital_beds_free": "(not measured)",
    "boat_busy_share": "boat_utilization",
    "aeds_per_10k": "aeds_per_10k",
    "circuit_visits_per_year": "visits_made per year",
    "care_occupancy_mean": "care_occupancy_mean",
    "care_waitlist_mean": "care_waitlist_mean",
}
# The program counts only what a boat delivers within target; the simulation counts every urgent
# patient within target: their changes compare, their levels do not.
LEVELS_DIFFER = {"urgent_boat_within_target", "hospital_beds_free"}


def derived_kpis(kpis: pd.DataFrame, s: Scenario, data: ProgramData, days: float) -> tuple[pd.DataFrame, list[str]]:
    """Tidy rows (replication, island=all, condition=all, metric=quantity, value) in the program's units."""
    per_year = DAYS_PER_YEAR / days
    k = kpis.set_index(["replication", "island", "condition", "metric"])["value"]
    reps = sorted(kpis.replication.unique())
    have = set(kpis.metric.unique())
    notes: list[str] = []
    routine = [c.id for c in s.conditions if not c.urgent]
    urgent = [c.id for c in s.conditions if c.urgent]
    staffed_islands = sorted({s.facility(f).island for f in data.routine_curves})
    no_doctor = [i for i, c in data.circuit.items() if c.no_doctor and c.demand > 0]

    def get(r, island, cond, metric) -> float:
        v = k.get((r, island, cond, metric), np.nan)
        return float(v)

    def within(r, islands, conds) -> float:
        total = 0.0
        for i in islands:
            for c in conds:
                share, n = get(r, i, c, "within_target_share"), get(r, i, c, "arrivals")
                if not (math.isnan(share) or math.isnan(n)):
                    total += share * n
        return total

    def completed_in_county(r, islands, conds) -> float:
        total = 0.0
        for i in islands:
            for c in conds:
                share, n = get(r, i, c, "in_county_share"), get(r, i, c, "completed")
                if not (math.isnan(share) or math.isnan(n)):
                    total += share * n
        return total

    measures = {
        "aed_survivors": (["ohca_expected_survivors"], lambda r: get(r, ALL, "cardiac_arrest", "ohca_expected_survivors") * per_year),
        "urgent_boat_within_target": (["within_target_share"], lambda r: within(r, [ALL], urgent) * per_year),
        "routine_within_target": (["within_target_share"], lambda r: within(r, staffed_islands, routine) * per_year),
        "circuit_consultations": (["in_county_share"], lambda r: completed_in_county(r, no_doctor, routine) * per_year),
        "care_placed": (["care_placed"], lambda r: get(r, ALL, ALL, "care_placed") * per_year),
        "boat_busy_share": (["boat_utilization"], lambda r: get(r, ALL, ALL, "boat_utilization")),
        "aeds_per_10k": (["aeds_per_10k"], lambda r: get(r, ALL, ALL, "aeds_per_10k")),
        "circuit_visits_per_year": (["visits_made"], lambda r: get(r, ALL, ALL, "visits_made") * per_year),
        "care_occupancy_mean": (["care_occupancy_mean"], lambda r: get(r, ALL, ALL, "care_occupancy_mean")),
        "care_waitlist_mean": (["care_waitlist_mean"], lambda r: get(r, ALL, ALL, "care_waitlist_mean")),
    }
    rows = []
    for name, (needs, f) in measures.items():
        missing = [m for m in needs if m not in have]
        if missing:
            notes.append(f"{name}: the simulation output has no {', '.join(missing)} (not compared)")
            continue
        rows += [(r, ALL, ALL, name, f(r)) for r in reps]
    if data.hospital_curves:
        notes.append("hospital_beds_free: no direct simulation metric (bed_blocked_count counts blocked "
                     "admissions of every facility); not compared")
    return pd.DataFrame(rows, columns=["replication", "island", "condition", "metric", "value"]), notes


def evaluation_table(predicted: dict[str, dict[str, float]], diff: pd.DataFrame, notes: list[str],
                     tolerance: float) -> pd.DataFrame:
    """One row per quantity: predicted (baseline, plan, change) next to measured (with the 95% interval)."""
    units = {**TERMS, **SIDE_MEASURES}
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
            row["note"] = next((n for n in notes if n.startswith(q + ":")), "not measured")
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


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))
