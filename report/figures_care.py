"""Figures of care reached: time to definitive care, share within target, cardiac-arrest survivors.

Each function: tidy tables and a :class:`report.vocab.Words` in, a matplotlib Figure out (see
:mod:`report.figkit`); counts are scaled to a year with ``per_year`` (365 / observed days).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from report import style
from report.figkit import NoData, err, island_order, need, rep_stats
from report.vocab import BOTH, Words
from scenarios.units import ALL, ARREST

TTC = ("time_to_definitive_care_min_mean", "time_to_definitive_care_min_p90")
TIME_TICKS = ((1, "t_1min"), (10, "t_10min"), (60, "t_1h"), (240, "t_4h"), (1440, "t_1d"), (10080, "t_1wk"),
              (43200, "t_30d"))


@style.styled
def time_to_care(kpis: pd.DataFrame, targets: Mapping[str, float], conditions: Sequence[str] | None = None,
                 w: Words | None = None) -> Figure:
    """Replication means (dots), their mean (diamond) and the mean 90th percentile (bar) per island,
    one panel per condition, with the condition's target (dashed). Log scale: values under 1 minute
    are drawn at 1 minute."""
    w = w or Words()
    df = need(kpis, "KPIs")
    df = df[df["metric"].isin(TTC) & (df["condition"] != ALL)]
    wide = df.pivot_table(index=["replication", "island", "condition"], columns="metric", values="value",
                          aggfunc="first").reset_index()
    if TTC[0] not in wide or wide[TTC[0]].notna().sum() == 0:
        raise NoData("no time-to-definitive-care values")
    present = set(wide.loc[wide[TTC[0]].notna(), "condition"])
    conds = [c for c in (conditions or sorted(present)) if c in present]
    islands = island_order(wide["island"].unique(), w.names)
    ypos = {isl: k for k, isl in enumerate(islands)}
    ncols = 2 if len(conds) > 1 else 1
    nrows = math.ceil(len(conds) / ncols)
    fig = style.new_figure(style.FULL_IN if ncols == 2 else style.COLUMN_IN,
                           (0.13 * len(islands) + 0.45) * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)  # time labels on the bottom row only
    pal = style.palette(3)
    lo_all = max(1.0, np.nanmin(wide[TTC[0]].clip(lower=1)))
    hi_all = max(np.nanmax(wide[[m for m in TTC if m in wide]].to_numpy(dtype=float)),
                 max((targets.get(c, 1) for c in conds), default=1))
    tick_names = {t: w.tick(key) for t, key in TIME_TICKS}
    for k, cond in enumerate(conds):
        ax = axes[k // ncols][k % ncols]
        d = wide[wide["condition"] == cond]
        y = d["island"].map(ypos).to_numpy(dtype=float)
        jitter = ((d["replication"].to_numpy() % 5) - 2) * 0.07
        ax.scatter(d[TTC[0]].clip(lower=1), y + jitter, s=7, color=pal[0], alpha=0.55, lw=0, zorder=3)
        g = d.groupby("island")
        means = g[TTC[0]].mean().dropna()
        ax.scatter(means.clip(lower=1), means.index.map(ypos), marker="D", s=12, color="black", zorder=4)
        if TTC[1] in d:
            p90 = g[TTC[1]].mean().dropna()
            ax.scatter(p90.clip(lower=1), p90.index.map(ypos), marker="|", s=60, lw=1.4, color=pal[1], zorder=4)
        if cond in targets:
            ax.axvline(targets[cond], color=style.TARGET_COLOUR, ls="--", lw=1, zorder=2)
            title = w("cond_target", cond=w.condition(cond), t=f"{targets[cond]:,.0f}")
        else:
            title = w.condition(cond)
        ax.set_title(title, fontsize=8, loc="left")
        ax.set_xscale("log")
        ax.set_xlim(lo_all / 1.6, hi_all * 1.6)
        ax.xaxis.set_major_locator(FixedLocator([t for t, _ in TIME_TICKS]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_names.get(round(v), "")))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(axis="x", color="0.9", lw=0.5)
        ax.grid(axis="y", color="0.95", lw=0.5)
    for k in range(len(conds), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    ax0 = axes[0][0]
    ax0.set_yticks(range(len(islands)), [w.island(i) for i in islands])
    ax0.set_ylim(len(islands) - 0.5, -0.5)
    for ax in axes[-1]:
        ax.set_xlabel(w("ttc_xlabel"))
    if nrows > 1 and len(conds) % ncols:
        axes[-2][-1].set_xlabel(w("ttc_xlabel"))
        axes[-2][-1].tick_params(labelbottom=True)
    handles = [
        Line2D([], [], marker="o", ls="none", ms=3.5, color=pal[0], alpha=0.6, label=w("rep_mean")),
        Line2D([], [], marker="D", ls="none", ms=3.5, color="black", label=w("reps_mean")),
        Line2D([], [], marker="|", ls="none", ms=8, mew=1.4, color=pal[1], label=w("p90_mean")),
        Line2D([], [], ls="--", color=style.TARGET_COLOUR, label=w("target")),
    ]
    fig.legend(handles=handles, loc="outside upper center", ncol=4)
    return fig


@style.styled
def within_target(within: pd.DataFrame, targets: Mapping[str, float] | None = None,
                  conditions: Sequence[str] | None = None, w: Words | None = None) -> Figure:
    """Share of patients within the target time per condition (county), mean and 95% interval,
    one colour per scenario. ``within``: scenario, condition, mean, ci_low, ci_high."""
    w = w or Words()
    df = need(within, "within-target summary")
    df = df[df["condition"] != ALL].dropna(subset=["mean"])
    if df.empty:
        raise NoData("no within-target shares")
    conds = [c for c in (conditions or sorted(df["condition"].unique())) if c in set(df["condition"])]
    scenarios = list(dict.fromkeys(df["scenario"]))
    pal = style.palette(max(len(scenarios), 1))
    fig = style.new_figure(style.COLUMN_IN, 0.9 + len(conds) * (0.2 + 0.09 * len(scenarios)))
    ax = fig.add_subplot()
    step = 0.8 / len(scenarios)
    for j, sc in enumerate(scenarios):
        d = df[df["scenario"] == sc].set_index("condition").reindex(conds)
        y = np.arange(len(conds)) - 0.4 + step * (j + 0.5)
        m = d["mean"].to_numpy(dtype=float) * 100
        ax.barh(y, m, height=step * 0.9, color=pal[j], label=sc, zorder=2)
        ax.errorbar(m, y, xerr=err(m, d["ci_low"] * 100, d["ci_high"] * 100, 0, 100), fmt="none", ecolor="black",
                    elinewidth=0.8, capsize=1.5, zorder=3)
    ticks = [w("cond_le", cond=w.condition(c), t=f"{targets[c]:,.0f}") if targets and c in targets
             else w.condition(c) for c in conds]
    ax.set_yticks(range(len(conds)), ticks)
    ax.set_ylim(len(conds) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(w("within_xlabel"))
    ax.grid(axis="x", color="0.9", lw=0.5)
    if len(scenarios) > 1:
        ncol = 1 if max(len(str(x)) for x in scenarios) > 22 else min(2, len(scenarios))
        fig.legend(title=w("scenario"), loc="outside upper center", ncol=ncol)
    return fig


def survivors_table(kpis: pd.DataFrame, per_year: float = 1.0) -> pd.DataFrame:
    """replication, island, survivors per year (expected) from ``ohca_expected_survivors``, else
    expected survival × completed arrests."""
    k = kpis[kpis["condition"] == ARREST]
    if "ohca_expected_survivors" in set(k["metric"]):
        d = k[k["metric"] == "ohca_expected_survivors"][["replication", "island", "value"]]
    else:
        wide = k[k["metric"].isin(["expected_survival", "completed"])].pivot_table(
            index=["replication", "island"], columns="metric", values="value", aggfunc="first")
        if not {"expected_survival", "completed"} <= set(wide.columns):
            raise NoData("no cardiac-arrest survival metrics")
        d = (wide["expected_survival"].fillna(0) * wide["completed"]).rename("value").reset_index()
    return d.assign(value=d["value"] * per_year)


@style.styled
def cardiac_survivors(survivors: pd.DataFrame, w: Words | None = None) -> Figure:
    """Expected cardiac-arrest survivors per year by home island, one colour per scenario (mean and
    95% interval over replications). ``survivors``: scenario, replication, island, value."""
    w = w or Words()
    df = need(survivors, "cardiac-arrest survivors")
    stats = df.groupby(["scenario", "island"], sort=False)["value"].apply(rep_stats)
    scen = list(dict.fromkeys(df["scenario"]))
    per_island = df.groupby("island")["value"].mean()
    islands = [i for i in island_order(per_island.index, w.names, county_first=False) if per_island[i] > 0]
    if not islands:
        raise NoData("no cardiac-arrest survivors")
    county = df[df["island"] == ALL]
    extra = 1.7 if w.lang == BOTH else 1.2  # legend and axis label (bilingual: two lines each)
    fig = style.new_figure(style.COLUMN_IN, 0.25 * len(islands) * max(1, len(scen) ** 0.5) + extra)
    ax = fig.add_subplot()
    pal = style.palette(len(scen))
    step = 0.8 / len(scen)
    for j, sc in enumerate(scen):
        y = np.arange(len(islands)) - 0.4 + step * (j + 0.5)
        vals = [stats.get((sc, i), (np.nan, np.nan, np.nan)) for i in islands]
        m = np.array([v[0] for v in vals])
        tot = county[county["scenario"] == sc]["value"].mean() if not county.empty else np.nansum(m)
        ax.barh(y, m, height=step * 0.9, color=pal[j], label=w("county_total", sc=sc, n=f"{tot:.1f}"), zorder=2)
        ax.errorbar(m, y, xerr=err(m, [v[1] for v in vals], [v[2] for v in vals]), fmt="none", ecolor="black",
                    elinewidth=0.7, capsize=1.2, zorder=3)
    ax.set_yticks(range(len(islands)), [w.island(i) for i in islands])
    ax.set_ylim(len(islands) - 0.5, -0.5)
    ax.set_xlabel(w("survivors_xlabel"))
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="0.9", lw=0.5)
    fig.legend(loc="outside upper center", ncol=1 if len(scen) > 2 else len(scen), title=w("scenario_county"))
    return fig
