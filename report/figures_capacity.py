"""Figures of capacity: occupancy over the year, the care waiting list, ratios against targets, a plan.

Each function: tidy tables and a :class:`report.vocab.Words` in, a matplotlib Figure out.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from report import style
from report.figkit import NoData, island_order, month_ticks, need
from report.vocab import BOTH, Words

OCCUPANCY_SERIES = {"bed": "bed_series", "care": "care_series"}  # daily series -> vocabulary key
RATIO_UNITS = {"doctors_per_1000": ("ratio_doctors", 1), "aeds_per_10k": ("ratio_aeds", 1),
               "carers_per_10k_elderly": ("ratio_carers", 1), "in_county_share": ("ratio_in_county", 100)}


@style.styled
def occupancy_over_year(daily: pd.DataFrame, capacities: Mapping[str, float] | None = None,
                        w: Words | None = None) -> Figure:
    """County occupied hospital beds and care-home places by day: mean over replications (line) and
    the range of the replications (band); capacity dashed."""
    w = w or Words()
    df = need(daily, "daily series")
    series = [s for s in OCCUPANCY_SERIES if s in set(df["series"])]
    if not series:
        raise NoData("no occupancy series")
    fig = style.new_figure(style.FULL_IN if len(series) > 1 else style.COLUMN_IN, 2.4)
    axes = fig.subplots(1, len(series), squeeze=False)[0]
    pal = style.palette(3)
    for k, (ax, s) in enumerate(zip(axes, series, strict=True)):
        what = w(OCCUPANCY_SERIES[s])
        tot = df[df["series"] == s].groupby(["replication", "day"])["value"].sum().unstack("replication")
        days = tot.index.to_numpy(dtype=float)
        ax.fill_between(days, tot.min(axis=1), tot.max(axis=1), color=pal[k], alpha=0.25, lw=0,
                        label=w("range_reps"))
        ax.plot(days, tot.mean(axis=1), color=pal[k], label=w("mean"))
        cap = (capacities or {}).get(s)
        if cap:
            ax.axhline(cap, color=style.TARGET_COLOUR, ls="--", lw=1, label=w("capacity", n=f"{cap:,.0f}"))
        ax.set_ylim(bottom=0)
        ax.set_ylabel(w("occupied", what=what))
        ax.set_title(w.capital(w("series_county", what=what)), loc="left", fontsize=8)
        month_ticks(ax, days.min(), days.max(), w)
        ax.set_xlabel(w("day_of_year"))
        ax.grid(axis="y", color="0.9", lw=0.5)
        ax.legend(loc="best", fontsize=6)
    return fig


@style.styled
def care_waitlist(daily: pd.DataFrame, top: int = 5, w: Words | None = None) -> Figure:
    """People waiting for a care-home place: county (mean and replication range) and the islands
    with the longest lists (means)."""
    w = w or Words()
    df = need(daily, "daily series")
    df = df[df["series"] == "care_waitlist"]
    if df.empty:
        raise NoData("no care waiting-list series")
    if not (df["value"] > 0).any():  # an empty plot says less than a sentence
        raise NoData("why_no_waitlist")
    fig = style.new_figure(style.COLUMN_IN, 2.5)
    ax = fig.add_subplot()
    pal = style.palette(top + 1)
    tot = df.groupby(["replication", "day"])["value"].sum().unstack("replication")
    days = tot.index.to_numpy(dtype=float)
    ax.fill_between(days, tot.min(axis=1), tot.max(axis=1), color="0.6", alpha=0.3, lw=0)
    ax.plot(days, tot.mean(axis=1), color="black", label=w("county_range"))
    by = df.groupby(["island", "day"])["value"].mean().unstack("island")
    biggest = by.mean().sort_values(ascending=False, kind="stable")
    for k, isl in enumerate([i for i in biggest.index if biggest[i] > 0][:top]):
        ax.plot(by.index, by[isl], color=pal[k], lw=0.9, label=w.island(isl))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(w("waiting_ylabel"))
    ax.set_xlabel(w("day_of_year"))
    month_ticks(ax, days.min(), days.max(), w)
    ax.grid(axis="y", color="0.9", lw=0.5)
    fig.legend(fontsize=6, loc="outside upper center", ncol=2)
    return fig


@style.styled
def resource_ratios(ratios: pd.DataFrame, w: Words | None = None) -> Figure:
    """Each county ratio as a percentage of its 2025 target (100% = met), with both values written out."""
    w = w or Words()
    df = need(ratios, "ratios").dropna(subset=["value", "target_2025"])
    df = df[df["target_2025"] > 0]
    if df.empty:
        raise NoData("no ratios with targets")
    pct = (df["value"] / df["target_2025"] * 100).to_numpy()
    met = df["value"].to_numpy() >= df["target_2025"].to_numpy()
    pal = style.palette(4)
    fig = style.new_figure(style.COLUMN_IN, 0.42 * len(df) + 1.0)
    ax = fig.add_subplot()
    y = np.arange(len(df))
    ax.barh(y, pct, color=[pal[2] if m else pal[3] for m in met], height=0.6, zorder=2)
    ax.axvline(100, color=style.TARGET_COLOUR, ls="--", lw=1, zorder=3)
    xmax = max(120.0, float(np.nanmax(pct)) * 1.05)
    for k, (key, v, t) in enumerate(zip(df["ratio"], df["value"], df["target_2025"], strict=True)):
        scale = RATIO_UNITS.get(key, (key, 1))[1]
        inside = pct[k] > 45
        ax.text(min(pct[k], 100) / 2 if inside else pct[k] + 2, k, w("ratio_of_both" if w.lang == BOTH else "ratio_of", v=f"{v * scale:.3g}",
                t=f"{t * scale:.3g}"), va="center", ha="center" if inside else "left", fontsize=6.5,
                color="white" if inside else "black", zorder=4)
    ax.set_yticks(y, [w(RATIO_UNITS[r][0]) if r in RATIO_UNITS else r for r in df["ratio"]])
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.set_xlabel(w("ratio_xlabel"))
    handles = [Patch(color=pal[2], label=w("target_met")), Patch(color=pal[3], label=w("below_target")),
               Line2D([], [], color=style.TARGET_COLOUR, ls="--", label=w("target_2025"))]
    fig.legend(handles=handles, loc="outside upper center", ncol=2 if w.lang == BOTH else 3)
    return fig


@style.styled
def plan_changes(plan: pd.DataFrame, site_islands: Mapping[str, str] | None = None, w: Words | None = None) -> Figure:
    """Change of each resource by island in the optimiser's plan (blank: unchanged)."""
    w = w or Words()
    df = need(plan, "plan")
    df = df.assign(island=df["site"].map(lambda s: (site_islands or {}).get(s, s)))
    grid = df.groupby(["island", "resource"])["change"].sum().unstack("resource").fillna(0)
    grid = grid.loc[(grid != 0).any(axis=1)] if (grid != 0).any().any() else grid
    islands = island_order(grid.index, w.names, county_first=False)
    grid = grid.reindex(islands)
    grid.index = [w.island(i) for i in islands]
    lim = max(1.0, float(np.abs(grid.to_numpy()).max()))
    fig = style.new_figure(min(style.FULL_IN, 2.2 + 0.65 * grid.shape[1]), 1.0 + 0.28 * grid.shape[0])
    ax = fig.add_subplot()
    annot = grid.map(lambda v: "" if v == 0 else f"{v:+,.0f}" if float(v).is_integer() else f"{v:+.2g}")
    with warnings.catch_warnings():  # seaborn 0.13 calls a colormap method matplotlib is retiring
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(grid, ax=ax, annot=annot, fmt="", cmap=style.DIVERGING, vmin=-lim, vmax=lim, center=0,
                    linewidths=0.5, linecolor="white", annot_kws={"fontsize": 6.5},
                    cbar_kws={"label": w("change_today")})
    ax.set_xlabel(w("resource"))
    ax.set_ylabel("")
    ax.set_xticks(ax.get_xticks(), [str(c).replace("_", " ") for c in grid.columns], rotation=30, ha="right")
    ax.tick_params(axis="y", rotation=0)
    cap = pd.to_numeric(df["cost_capital"], errors="coerce").sum() if "cost_capital" in df else np.nan
    op = pd.to_numeric(df["cost_operating"], errors="coerce").sum() if "cost_operating" in df else np.nan
    ax.set_title(w("plan_costs", cap=w.money(cap), op=w.money(op)), loc="left", fontsize=7.5)
    return fig
