"""Readable tables on the terminal (the only printing in the project, besides run.py)."""

from __future__ import annotations

import math

import pandas as pd

HEADLINE = [
    ("arrivals", "patients arriving", "{:,.0f}"),
    ("wait_min_mean", "wait to first clinician (min)", "{:,.1f}"),
    ("time_to_definitive_care_min_mean", "time to definitive care, mean (min)", "{:,.0f}"),
    ("time_to_definitive_care_min_p90", "time to definitive care, 90th pct (min)", "{:,.0f}"),
    ("within_target_share", "within the time target", "{:.1%}"),
    ("in_county_share", "cared for inside the county", "{:.1%}"),
    ("transfers_boat", "transfers by ambulance boat", "{:,.0f}"),
    ("transfers_ferry", "transfers by scheduled boat", "{:,.0f}"),
    ("transfers_helicopter", "transfers by helicopter", "{:,.0f}"),
    ("transfers_out_of_county", "transfers out of the county", "{:,.0f}"),
    ("weather_delay_min_mean", "weather delay per transfer (min)", "{:,.0f}"),
    ("doctor_utilization", "doctor utilisation", "{:.1%}"),
    ("bed_occupancy_share", "hospital bed occupancy", "{:.1%}"),
    ("boat_utilization", "ambulance boat utilisation", "{:.1%}"),
]


def _fmt(fmt: str, x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def print_table(df: pd.DataFrame, title: str) -> None:
    print(f"\n{title}")
    with pd.option_context("display.max_rows", 200, "display.max_columns", 30, "display.width", 160,
                           "display.float_format", lambda x: f"{x:,.3g}"):
        print(df.to_string(index=False))


def print_kpis(summary: pd.DataFrame, scenario, experiment, seconds: float) -> None:
    """County-wide headline KPIs (mean and 95% interval), then urgent care by condition."""
    s = summary.set_index(["island", "condition", "metric"])
    print(f"\n{scenario.name}: {experiment.replications} replication(s) of {experiment.horizon_days:g} days "
          f"(warm-up {experiment.warmup_days:g}), seed {experiment.seed}, {seconds:.1f} s")
    print(f"{'county, all conditions':44s} {'mean':>12s}   95% interval")
    for metric, label, fmt in HEADLINE:
        key = ("all", "all", metric)
        if key in s.index:
            r = s.loc[key]
            ci = f"{_fmt(fmt, r.ci_low)} – {_fmt(fmt, r.ci_high)}" if r.n >= 2 else ""
            print(f"  {label:42s} {_fmt(fmt, r['mean']):>12s}   {ci}")
    conds = [c for c in summary.condition.unique() if c != "all"]
    rows = []
    for c in conds:
        def g(m, c=c):
            key = ("all", c, m)
            return s.loc[key, "mean"] if key in s.index else float("nan")
        rows.append((c, g("arrivals"), g("time_to_definitive_care_min_mean"), g("within_target_share"),
                     g("in_county_share"), g("expected_survival")))
    if rows:
        print(f"\n  {'condition':18s} {'arrivals':>10s} {'to care (min)':>14s} {'in target':>10s} "
              f"{'in county':>10s} {'survival':>9s}")
        for c, n, ttd, wt, ic, sv in rows:
            print(f"  {c:18s} {_fmt('{:,.0f}', n):>10s} {_fmt('{:,.0f}', ttd):>14s} {_fmt('{:.1%}', wt):>10s} "
                  f"{_fmt('{:.1%}', ic):>10s} {_fmt('{:.1%}', sv):>9s}")
