"""Words and units for the numbers a run writes: one place, so figures and tables say the same thing."""

from __future__ import annotations

import math
from collections.abc import Mapping

ALL = "all"
COUNTY = "County"
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MODE_LABELS = {
    "boat": "ambulance boat", "ferry": "scheduled sailing", "helicopter": "helicopter",
    "small_ferry": "small ferry", "fast_boat": "fast boat", "ambulance_boat": "ambulance boat", "road": "bridge/road",
}

# metric -> (label, unit, scale): value shown = value * scale
METRICS: dict[str, tuple[str, str, float]] = {
    "arrivals": ("patients arriving", "patients", 1),
    "completed": ("patients completed", "patients", 1),
    "in_system_end": ("patients in the system at the end", "patients", 1),
    "unserved": ("patients with no pathway", "patients", 1),
    "wait_min_mean": ("wait for first clinician, mean", "min", 1),
    "time_to_definitive_care_min_mean": ("time to definitive care, mean", "min", 1),
    "time_to_definitive_care_min_p90": ("time to definitive care, 90th percentile", "min", 1),
    "within_target_share": ("share within target time", "%", 100),
    "transfers_boat": ("transfers by ambulance boat", "patients", 1),
    "transfers_ferry": ("transfers by scheduled sailing", "patients", 1),
    "transfers_helicopter": ("transfers by helicopter", "patients", 1),
    "transfers_out_of_county": ("transfers out of the county", "patients", 1),
    "weather_delay_min_mean": ("weather delay per transfer, mean", "min", 1),
    "ferry_wait_min_mean": ("wait at piers per ferry transfer, mean", "min", 1),
    "in_county_share": ("share treated in the county", "%", 100),
    "expected_survival": ("expected survival", "%", 100),
    "doctor_utilization": ("doctor utilisation", "%", 100),
    "bed_occupancy_mean": ("occupied hospital beds, mean", "beds", 1),
    "bed_occupancy_share": ("hospital bed occupancy", "%", 100),
    "bed_blocked_count": ("admissions finding the ward full", "patients", 1),
    "boat_utilization": ("ambulance boat utilisation", "%", 100),
    "care_occupancy_mean": ("occupied care-home places, mean", "places", 1),
    "care_occupancy_share": ("care-home occupancy", "%", 100),
    "care_waitlist_mean": ("people waiting for a care place, mean", "people", 1),
    "ohca_count": ("cardiac arrests", "arrests", 1),
    "ohca_shock_within_5min_share": ("arrests shocked within 5 min", "%", 100),
    "ohca_expected_survivors": ("cardiac arrest survivors, expected", "people", 1),
    "aeds_per_10k": ("public AEDs per 10,000 residents", "AEDs", 1),
    "visits_planned": ("circuit visits planned", "visits", 1),
    "visits_made": ("circuit visits made", "visits", 1),
    "monthly_visit_compliance": ("months with a circuit visit", "%", 100),
}

# The KPIs of the headline and comparison tables: (metric, condition)
HEADLINE: tuple[tuple[str, str], ...] = (
    ("within_target_share", ALL),
    ("time_to_definitive_care_min_mean", ALL),
    ("in_county_share", ALL),
    ("ohca_expected_survivors", "cardiac_arrest"),
    ("ohca_shock_within_5min_share", "cardiac_arrest"),
    ("expected_survival", "cardiac_arrest"),
    ("transfers_out_of_county", ALL),
    ("weather_delay_min_mean", ALL),
    ("doctor_utilization", ALL),
    ("bed_occupancy_share", ALL),
    ("boat_utilization", ALL),
    ("care_waitlist_mean", ALL),
    ("visits_made", ALL),
)


def metric_label(metric: str, with_unit: bool = True) -> str:
    label, unit, _ = METRICS.get(metric, (metric.replace("_", " "), "", 1))
    return f"{label} ({unit})" if with_unit and unit else label


def metric_unit(metric: str) -> str:
    """The unit of a metric as shown on an axis or colour bar ('' if it has none)."""
    return METRICS.get(metric, ("", "", 1))[1]


def metric_scale(metric: str) -> float:
    return METRICS.get(metric, ("", "", 1))[2]


def condition_label(condition: str) -> str:
    return "all conditions" if condition == ALL else condition.replace("_", " ")


def island_name(island: str, labels: Mapping[str, str] | None) -> str:
    if island == ALL:
        return COUNTY
    return (labels or {}).get(island, island)


def fmt(x, digits: int = 3) -> str:
    """A number for a table: about ``digits`` significant figures, thousands separated, '–' if missing."""
    if x is None:
        return "–"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    decimals = max(0, digits - 1 - mag)
    return f"{v:,.{decimals}f}"


def fmt_metric(metric: str, x) -> str:
    """``fmt`` after the metric's display scale (shares as percent)."""
    try:
        return fmt(float(x) * metric_scale(metric))
    except (TypeError, ValueError):
        return fmt(x)
