"""Readable tables on the terminal (the only printing in the project, besides run.py)."""

from __future__ import annotations

import math

import pandas as pd

# (metric, label, format, kind): kind bounds the printed interval ("count" >= 0, "share" in [0, 1])
HEADLINE = [
    ("arrivals", "patients arriving", "{:,.0f}", "count"),
    ("in_system_end", "still waiting or in care at the end", "{:,.0f}", "count"),
    ("left_without_care", "left without care (no visit came)", "{:,.0f}", "count"),
    ("in_county_share", "cared for inside the county", "{:.1%}", "share"),
    ("transfers_boat", "transfers by ambulance boat", "{:,.0f}", "count"),
    ("transfers_ferry", "transfers by scheduled boat", "{:,.0f}", "count"),
    ("transfers_helicopter", "transfers by helicopter", "{:,.0f}", "count"),
    ("transfers_road", "transfers by road over a bridge", "{:,.0f}", "count"),
    ("transfers_out_of_county", "transfers out of the county", "{:,.0f}", "count"),
    ("weather_delay_min_mean", "weather delay per transfer (min)", "{:,.0f}", "count"),
    ("ohca_expected_survivors", "cardiac-arrest survivors (expected)", "{:,.1f}", "count"),
    ("visits_made", "circuit visits made", "{:,.0f}", "count"),
    ("care_waitlist_mean", "waiting for a care-home place (mean)", "{:,.1f}", "count"),
    ("doctor_utilization", "doctor utilisation (consultations only)", "{:.1%}", "share"),
    ("bed_occupancy_share", "hospital bed occupancy", "{:.1%}", "share"),
    ("boat_utilization", "ambulance boat utilisation", "{:.1%}", "share"),
]
BOUNDS = {"count": (0.0, float("inf")), "share": (0.0, 1.0)}


def _fmt(fmt: str, x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def print_table(df: pd.DataFrame, title: str) -> None:
    print(f"\n{title}")
    with pd.option_context("display.max_rows", 200, "display.max_columns", 30, "display.width", 160,
                           "display.float_format", lambda x: f"{x:,.3g}"):
        print(df.to_string(index=False))


def _value(s, island, condition, metric):
    key = (island, condition, metric)
    if key not in s.index:
        return None
    return s.loc[key]


def print_kpis(summary: pd.DataFrame, scenario, experiment, seconds: float) -> None:
    """County headline (mean and 95% interval over replications, clipped to possible values), then
    time to definitive care by condition (a county-wide time would be dominated by routine visits)."""
    s = summary.set_index(["island", "condition", "metric"])
    n = experiment.replications
    print(f"\n{scenario.name}: {n} replication(s), statistics over days {experiment.warmup_days:g}-"
          f"{experiment.horizon_days:g} ({experiment.horizon_days - experiment.warmup_days:g} days after the "
          f"warm-up), seed {experiment.seed}, {seconds:.1f} s")
    if n < 5:
        print("  (fewer than 5 replications: intervals are wide; use experiment.replications=10 or more)")
    kind = "95% uncertainty interval" if getattr(experiment, "parameter_uncertainty", False) else "95% interval"
    print(f"{'county':44s} {'mean':>12s}   {kind}")
    for metric, label, fmt, kind in HEADLINE:
        condition = "cardiac_arrest" if metric.startswith("ohca_") else "all"
        r = _value(s, "all", condition, metric)
        if r is None:
            continue
        lo_b, hi_b = BOUNDS[kind]
        ci = ""
        if r.n >= 2 and not math.isnan(r.ci_low):
            ci = f"{_fmt(fmt, max(lo_b, r.ci_low))} – {_fmt(fmt, min(hi_b, r.ci_high))}"
            ci += "  (too wide to read)" if bool(r.get("too_wide", False)) else ""
        print(f"  {label:42s} {_fmt(fmt, r['mean']):>12s}   {ci}")
    conds = [c for c in summary.condition.unique() if c != "all"]
    if conds:
        print(f"\n  {'condition':18s} {'arrivals':>10s} {'to care (min)':>14s} {'90th pct':>9s} {'in target':>10s} "
              f"{'in county':>10s} {'survival':>9s}")
        for c in conds:
            def g(m, c=c):
                r = _value(s, "all", c, m)
                return float("nan") if r is None else r["mean"]
            print(f"  {c:18s} {_fmt('{:,.0f}', g('arrivals')):>10s} "
                  f"{_fmt('{:,.0f}', g('time_to_definitive_care_min_mean')):>14s} "
                  f"{_fmt('{:,.0f}', g('time_to_definitive_care_min_p90')):>9s} "
                  f"{_fmt('{:.1%}', g('within_target_share')):>10s} {_fmt('{:.1%}', g('in_county_share')):>10s} "
                  f"{_fmt('{:.1%}', g('expected_survival')):>9s}")
        print("  (cardiac arrest: time to the first shock; survival averaged over rhythm and bystander CPR)")
