"""Figures of the sea: emergency transfers by mode, weather delay and closures by month, circuit visits.

Each function: tidy tables and a :class:`report.vocab.Words` in, a matplotlib Figure out.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from report import style
from report.figkit import NoData, err, island_order, need, observed_hours, rep_stats
from report.vocab import Words
from scenarios.units import ALL

TRANSFER_MODES = (("transfers_boat", "boat"), ("transfers_ferry", "ferry"), ("transfers_helicopter", "helicopter"),
                  ("transfers_road", "road"))


@style.styled
def transfers_by_mode(kpis: pd.DataFrame, per_year: float = 1.0, w: Words | None = None) -> Figure:
    """Emergency transfers per year by mode and home island (stacked, mean over replications), the
    total's 95% interval, and how many ended outside the county (diamonds)."""
    w = w or Words()
    df = need(kpis, "KPIs")
    df = df[(df["condition"] == ALL) & (df["island"] != ALL)]
    metrics = [m for m, _ in TRANSFER_MODES if m in set(df["metric"])]
    if not metrics:
        raise NoData("no transfer counts")
    wide = df[df["metric"].isin([*metrics, "transfers_out_of_county"])].pivot_table(
        index=["replication", "island"], columns="metric", values="value", aggfunc="first").fillna(0) * per_year
    wide["total"] = wide[metrics].sum(axis=1)
    means = wide.groupby("island").mean()
    islands = island_order(means.index, w.names, county_first=False)
    means = means.reindex(islands)
    fig = style.new_figure(style.COLUMN_IN, 0.22 * len(islands) + 1.1)
    ax = fig.add_subplot()
    pal = style.palette(4)
    left = np.zeros(len(islands))
    y = np.arange(len(islands))
    handles = []
    for k, (m, mode) in enumerate(TRANSFER_MODES):
        if m in means:
            handles.append(ax.barh(y, means[m].to_numpy(), left=left, color=pal[k], label=w.mode(mode), height=0.7,
                                   zorder=2))
            left += means[m].to_numpy()
    ci = wide.groupby("island")["total"].apply(rep_stats).reindex(islands)
    lo = np.array([c[1] if isinstance(c, tuple) else np.nan for c in ci])
    hi = np.array([c[2] if isinstance(c, tuple) else np.nan for c in ci])
    ax.errorbar(left, y, xerr=err(left, lo, hi), fmt="none", ecolor="black", elinewidth=0.7, capsize=1.5, zorder=3)
    if "transfers_out_of_county" in means:
        handles.append(ax.scatter(means["transfers_out_of_county"], y, marker="D", s=10, color="black", zorder=4,
                                  label=w("out_of_county")))
    ax.set_yticks(y, [w.island(i) for i in islands])
    ax.set_ylim(len(islands) - 0.5, -0.5)
    ax.set_xlabel(w("transfers_xlabel"))
    ax.grid(axis="x", color="0.9", lw=0.5)
    fig.legend(handles=handles, loc="outside upper center", ncol=2)  # modes first, then out of county
    return fig


@style.styled
def weather_delay_by_month(monthly: pd.DataFrame, warmup_days: float = 0.0, horizon_days: float = 365.0,
                           w: Words | None = None) -> Figure:
    """(a) Weather delay per transferred patient by calendar month (mean and 95% interval over
    replications); (b) share of the month in which each vessel type was stopped, by weather area."""
    w = w or Words()
    df = need(monthly, "monthly series")
    if "condition" in df:  # per-condition rows (newer runs) repeat the totals of condition 'all'
        df = df[df["condition"] == ALL]
    have_delay = {"weather_delay_min", "transfers"} <= set(df["metric"])
    closed = df[df["metric"].str.startswith("closed_hours_")]
    if not have_delay and closed.empty:
        raise NoData("no weather series")
    fig = style.new_figure(style.FULL_IN, 2.5)
    axes = fig.subplots(1, 2)
    pal = style.palette(8)
    ax = axes[0]
    if have_delay:
        d = df[df["metric"].isin(["weather_delay_min", "transfers"])].copy()
        d["cal"] = d["month"] % 12
        tot = d.pivot_table(index=["replication", "cal"], columns="metric", values="value", aggfunc="sum")
        tot["per"] = tot["weather_delay_min"] / tot["transfers"].where(tot["transfers"] > 0)
        stats = tot.groupby("cal")["per"].apply(rep_stats)
        cal = stats.index.to_numpy()
        m, lo, hi = (np.array([s[k] for s in stats]) for k in range(3))
        ax.bar(cal, m, color=pal[0], width=0.7, zorder=2)
        ax.errorbar(cal, m, yerr=err(m, lo, hi), fmt="none", ecolor="black", elinewidth=0.7, capsize=1.5, zorder=3)
        ax.set_ylabel(w("delay_ylabel"))
        ax.set_ylim(bottom=0)
    ax.set_title(w("weather_a"), loc="left", fontsize=8)
    ax = axes[1]
    if not closed.empty:
        _closed_shares(ax, closed, warmup_days, horizon_days, pal, w)
    ax.set_title(w("weather_b"), loc="left", fontsize=8)
    for ax in axes:
        ax.set_xticks(range(12), [w.month(k) for k in range(12)])
        ax.set_xlim(-0.6, 11.6)
        ax.set_xlabel(w("month"))
        ax.grid(axis="y", color="0.9", lw=0.5)
    return fig


def _closed_shares(ax, closed: pd.DataFrame, warmup_days: float, horizon_days: float, pal, w: Words) -> None:
    """Panel (b): per vessel type (colour, marker) and weather area (line style), % of the month stopped."""
    c = closed.copy()
    c["hours"] = [observed_hours(int(mm), warmup_days, horizon_days) for mm in c["month"]]
    c["cal"] = c["month"] % 12
    c["mode"] = c["metric"].str.removeprefix("closed_hours_")
    g = c.groupby(["replication", "island", "mode", "cal"])[["value", "hours"]].sum()
    g["share"] = 100 * g["value"] / g["hours"].where(g["hours"] > 0)
    mean = g.groupby(["island", "mode", "cal"])["share"].mean().reset_index()
    modes = sorted(mean["mode"].unique())
    areas = sorted(mean["island"].unique())
    styles = ["-", "--", ":", "-."]
    marks = ["o", "s", "^", "v", "D", "x"]
    for i, mode in enumerate(modes):
        for a, area in enumerate(areas):
            s = mean[(mean["mode"] == mode) & (mean["island"] == area)].sort_values("cal")
            ax.plot(s["cal"], s["share"], color=pal[i % 8], ls=styles[a % 4], marker=marks[i % 6],
                    ms=3.2 - 0.3 * i, mfc="none" if i % 2 else pal[i % 8], lw=0.9)
    # identical modes draw on top of each other: distinct markers keep both visible
    handles = [Line2D([], [], color=pal[i % 8], marker=marks[i % 6], ms=3, mfc="none" if i % 2 else pal[i % 8],
                      label=w.mode(mode)) for i, mode in enumerate(modes)]
    handles += [Line2D([], [], color="0.3", ls=styles[a % 4], label=w("area", area=w.area(area))) for a, area in enumerate(areas)]
    ax.legend(handles=handles, fontsize=6, ncol=2, loc="upper center")
    ax.set_ylabel(w("stopped_ylabel"))
    # head-room above the lines for the legend (its rows: half the modes and areas, two lines each when
    # bilingual), so that it never covers the busiest months
    top = float(mean["share"].max()) if mean["share"].notna().any() else 1.0
    ax.set_ylim(0, top * (1.25 + 0.12 * ((len(handles) + 1) // 2)))


@style.styled
def circuit_visits(monthly: pd.DataFrame, w: Words | None = None) -> Figure:
    """Circuit-team visits planned (outline) and made (filled) per island and month, mean over replications."""
    w = w or Words()
    df = need(monthly, "monthly series")
    df = df[df["metric"].isin(["visits_planned", "visits_made"])]
    if "condition" in df:
        df = df[df["condition"] == ALL]
    if df.empty:
        raise NoData("no circuit visit series")
    mean = df.groupby(["island", "month", "metric"])["value"].sum() / df["replication"].nunique()
    mean = mean.unstack("metric").fillna(0)
    if {"visits_planned", "visits_made"} <= set(mean.columns) and (mean["visits_made"] == mean["visits_planned"]).all():
        # every bar full: a sentence says it (and the drawing time is saved), as for an empty waiting list
        raise NoData("why_all_visits_made")
    islands = island_order(mean.index.get_level_values("island").unique(), w.names, county_first=False)
    ncols = min(3, len(islands))
    nrows = math.ceil(len(islands) / ncols)
    fig = style.new_figure(style.FULL_IN if ncols > 1 else style.COLUMN_IN, 1.45 * nrows + 0.5)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    pal = style.palette(3)
    months = sorted(mean.index.get_level_values("month").unique())
    x = np.arange(len(months))
    for k, isl in enumerate(islands):
        ax = axes[k // ncols][k % ncols]
        d = mean.loc[isl].reindex(months, fill_value=0)
        ax.bar(x, d.get("visits_planned", 0), width=0.8, facecolor="none", edgecolor="0.3", lw=0.8, zorder=3)
        ax.bar(x, d.get("visits_made", 0), width=0.8, color=pal[0], zorder=2)
        ax.set_title(w.island(isl), loc="left", fontsize=7.5)
        ax.grid(axis="y", color="0.9", lw=0.5)
    for k in range(len(islands), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    names = [w.month(m) for m in months]
    step = 1 if len(months) <= 6 else 2
    for ax in axes.flat:
        ax.set_xticks(range(0, len(months), step), names[::step])
    fig.supylabel(w("visits_ylabel"), fontsize=8)  # once for all rows
    handles = [Patch(facecolor="none", edgecolor="0.3", label=w("planned")), Patch(color=pal[0], label=w("made"))]
    fig.legend(handles=handles, loc="outside upper center", ncol=2)
    return fig
