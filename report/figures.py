"""One function per figure: tidy tables in, a matplotlib Figure out; :func:`save` writes PNG and PDF.

Every function works on the columns a run writes (see README, 'Outputs') and raises :class:`NoData`
when the data it needs is absent or empty; the report catches that and notes the skipped figure.
Counts are scaled to a year with ``per_year`` (365 / observed days) where a caption says so.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from experiments.io import atomic_write_bytes
from experiments.summary import t_interval
from report import style
from report.figures_map import archipelago_map
from report.vocab import (
    ALL,
    MONTH_ABBR,
    MONTH_DAYS,
    condition_label,
    island_name,
    metric_label,
    metric_scale,
    metric_unit,
)

__all__ = [
    "archipelago_map", "time_to_care", "within_target", "transfers_by_mode", "weather_delay_by_month",
    "occupancy_over_year", "care_waitlist", "circuit_visits", "cardiac_survivors", "resource_ratios",
    "sweep_heatmap", "plan_changes", "save", "NoData", "survivors_table",
]

TIME_TICKS = ((1, "1 min"), (10, "10 min"), (60, "1 h"), (240, "4 h"), (1440, "1 d"), (10080, "1 wk"),
              (43200, "30 d"))
TRANSFER_MODES = (("transfers_boat", "ambulance boat"), ("transfers_ferry", "scheduled sailing"),
                  ("transfers_helicopter", "helicopter"))


def save(fig: Figure, directory: Path | str, name: str) -> list[Path]:
    """Write ``name.png`` (300 dpi) and ``name.pdf`` into ``directory``; identical bytes on every call."""
    import io

    directory = Path(directory)
    out = []
    with style.context():
        for ext, meta in (("png", style.PNG_METADATA), ("pdf", style.PDF_METADATA)):
            buf = io.BytesIO()
            fig.savefig(buf, format=ext, dpi=style.DPI, metadata=meta)
            path = directory / f"{name}.{ext}"
            atomic_write_bytes(path, buf.getvalue())
            out.append(path)
    return out


class NoData(ValueError):
    """The data a figure needs are not in this run (an older run, a mode that does not write them)."""


def _need(df: pd.DataFrame | None, what: str) -> pd.DataFrame:
    if df is None or df.empty:
        raise NoData(f"no {what}")
    return df


def _island_order(islands: Sequence[str], labels: Mapping[str, str] | None, county_first: bool = True) -> list[str]:
    known = [i for i in (labels or {}) if i in set(islands)]
    rest = sorted(i for i in set(islands) if i not in known and i != ALL)
    order = known + rest
    return ([ALL] if county_first and ALL in set(islands) else []) + order


def _rep_stats(values: pd.Series) -> tuple[float, float, float]:
    mean, lo, hi, _ = t_interval(values.to_numpy(dtype=float))
    return mean, lo, hi


def _err(m, lo, hi, floor: float | None = 0.0, ceil: float | None = None) -> list[np.ndarray]:
    """Error-bar lengths for an interval clipped to the values the quantity can take (counts and
    shares are never negative; shares never above 100%); a missing interval draws no bar."""
    m, lo, hi = (np.asarray(v, dtype=float) for v in (m, lo, hi))
    lo = np.clip(lo, floor, None) if floor is not None else lo
    hi = np.clip(hi, None, ceil) if ceil is not None else hi
    return [np.nan_to_num(np.clip(m - lo, 0, None)), np.nan_to_num(np.clip(hi - m, 0, None))]


def _month_ticks(ax, first_day: float, last_day: float) -> None:
    starts = np.cumsum((0,) + MONTH_DAYS[:-1])
    ticks, names = [], []
    for year in range(int(first_day // 365), int(last_day // 365) + 1):
        for m, d in enumerate(starts):
            day = year * 365 + d
            if first_day - 1 <= day <= last_day + 1:
                ticks.append(day)
                names.append(MONTH_ABBR[m])
    if len(ticks) >= 2:  # a short run keeps plain day numbers
        ax.set_xticks(ticks, names)
    ax.set_xlim(first_day, last_day)


# --- time to definitive care --------------------------------------------------------------------------
@style.styled
def time_to_care(kpis: pd.DataFrame, targets: Mapping[str, float], labels: Mapping[str, str] | None = None,
                 conditions: Sequence[str] | None = None) -> Figure:
    """Replication means (dots), their mean (diamond) and the mean 90th percentile (bar) per island,
    one panel per condition, with the condition's target (dashed). Log scale: values under 1 minute
    are drawn at 1 minute."""
    metrics = ("time_to_definitive_care_min_mean", "time_to_definitive_care_min_p90")
    df = _need(kpis, "KPIs")
    df = df[df["metric"].isin(metrics) & (df["condition"] != ALL)]
    wide = df.pivot_table(index=["replication", "island", "condition"], columns="metric", values="value",
                          aggfunc="first").reset_index()
    if metrics[0] not in wide or wide[metrics[0]].notna().sum() == 0:
        raise NoData("no time-to-definitive-care values")
    present = set(wide.loc[wide[metrics[0]].notna(), "condition"])
    conds = [c for c in (conditions or sorted(present)) if c in present]
    islands = _island_order(wide["island"].unique(), labels)
    ypos = {isl: k for k, isl in enumerate(islands)}
    ncols = 2 if len(conds) > 1 else 1
    nrows = math.ceil(len(conds) / ncols)
    row_h = 0.13 * len(islands) + 0.45
    fig = style.new_figure(style.FULL_IN if ncols == 2 else style.COLUMN_IN, row_h * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    pal = style.palette(3)
    lo_all = max(1.0, np.nanmin(wide[metrics[0]].clip(lower=1)))
    hi_all = max(np.nanmax(wide[[m for m in metrics if m in wide]].to_numpy(dtype=float)),
                 max((targets.get(c, 1) for c in conds), default=1))
    for k, cond in enumerate(conds):
        ax = axes[k // ncols][k % ncols]
        d = wide[wide["condition"] == cond]
        y = d["island"].map(ypos).to_numpy(dtype=float)
        jitter = ((d["replication"].to_numpy() % 5) - 2) * 0.07
        ax.scatter(d[metrics[0]].clip(lower=1), y + jitter, s=7, color=pal[0], alpha=0.55, lw=0, zorder=3)
        g = d.groupby("island")
        means = g[metrics[0]].mean().dropna()
        ax.scatter(means.clip(lower=1), means.index.map(ypos), marker="D", s=12, color="black", zorder=4)
        if metrics[1] in d:
            p90 = g[metrics[1]].mean().dropna()
            ax.scatter(p90.clip(lower=1), p90.index.map(ypos), marker="|", s=60, lw=1.4, color=pal[1], zorder=4)
        if cond in targets:
            ax.axvline(targets[cond], color=style.TARGET_COLOUR, ls="--", lw=1, zorder=2)
        tgt = f" (target {targets[cond]:,.0f} min)" if cond in targets else ""
        ax.set_title(condition_label(cond) + tgt, fontsize=8, loc="left")
        ax.set_xscale("log")
        ax.set_xlim(lo_all / 1.6, hi_all * 1.6)
        ax.xaxis.set_major_locator(FixedLocator([t for t, _ in TIME_TICKS]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: dict(TIME_TICKS).get(round(v), "")))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(axis="x", color="0.9", lw=0.5)
        ax.grid(axis="y", color="0.95", lw=0.5)
    for k in range(len(conds), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    ax0 = axes[0][0]
    ax0.set_yticks(range(len(islands)), [island_name(i, labels) for i in islands])
    ax0.set_ylim(len(islands) - 0.5, -0.5)
    for ax in axes[-1]:
        ax.set_xlabel("time from onset to definitive care")
    if nrows > 1 and len(conds) % ncols:
        axes[-2][-1].set_xlabel("time from onset to definitive care")
        axes[-2][-1].tick_params(labelbottom=True)
    handles = [
        Line2D([], [], marker="o", ls="none", ms=3.5, color=pal[0], alpha=0.6, label="mean of one replication"),
        Line2D([], [], marker="D", ls="none", ms=3.5, color="black", label="mean over replications"),
        Line2D([], [], marker="|", ls="none", ms=8, mew=1.4, color=pal[1], label="90th percentile (mean)"),
        Line2D([], [], ls="--", color=style.TARGET_COLOUR, label="target"),
    ]
    fig.legend(handles=handles, loc="outside upper center", ncol=4)
    return fig


@style.styled
def within_target(summary: pd.DataFrame, targets: Mapping[str, float] | None = None,
                  conditions: Sequence[str] | None = None) -> Figure:
    """Share of patients within the target time per condition (county), mean and 95% interval,
    one colour per scenario. ``summary``: scenario, condition, mean, ci_low, ci_high."""
    df = _need(summary, "within-target summary")
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
        ax.errorbar(m, y, xerr=_err(m, d["ci_low"] * 100, d["ci_high"] * 100, 0, 100), fmt="none", ecolor="black",
                    elinewidth=0.8, capsize=1.5, zorder=3)
    ticks = [condition_label(c) + (f" (≤{targets[c]:,.0f} min)" if targets and c in targets else "") for c in conds]
    ax.set_yticks(range(len(conds)), ticks)
    ax.set_ylim(len(conds) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("patients within target time (%)")
    ax.grid(axis="x", color="0.9", lw=0.5)
    if len(scenarios) > 1:
        ncol = 1 if max(len(str(x)) for x in scenarios) > 22 else min(2, len(scenarios))
        fig.legend(title="scenario", loc="outside upper center", ncol=ncol)
    return fig


# --- transport and weather ----------------------------------------------------------------------------
@style.styled
def transfers_by_mode(kpis: pd.DataFrame, labels: Mapping[str, str] | None = None, per_year: float = 1.0) -> Figure:
    """Emergency transfers per year by mode and home island (stacked, mean over replications), the
    total's 95% interval, and how many ended outside the county (diamonds)."""
    df = _need(kpis, "KPIs")
    df = df[(df["condition"] == ALL) & (df["island"] != ALL)]
    metrics = [m for m, _ in TRANSFER_MODES if m in set(df["metric"])]
    if not metrics:
        raise NoData("no transfer counts")
    wide = df[df["metric"].isin([*metrics, "transfers_out_of_county"])].pivot_table(
        index=["replication", "island"], columns="metric", values="value", aggfunc="first").fillna(0) * per_year
    wide["total"] = wide[metrics].sum(axis=1)
    means = wide.groupby("island").mean()
    islands = [i for i in _island_order(means.index, labels, county_first=False)]
    means = means.reindex(islands)
    fig = style.new_figure(style.COLUMN_IN, 0.22 * len(islands) + 1.1)
    ax = fig.add_subplot()
    pal = style.palette(4)
    left = np.zeros(len(islands))
    y = np.arange(len(islands))
    for k, (m, name) in enumerate(TRANSFER_MODES):
        if m in means:
            ax.barh(y, means[m].to_numpy(), left=left, color=pal[k], label=name, height=0.7, zorder=2)
            left += means[m].to_numpy()
    ci = wide.groupby("island")["total"].apply(lambda v: _rep_stats(v)).reindex(islands)
    lo = np.array([c[1] if isinstance(c, tuple) else np.nan for c in ci])
    hi = np.array([c[2] if isinstance(c, tuple) else np.nan for c in ci])
    ax.errorbar(left, y, xerr=_err(left, lo, hi), fmt="none", ecolor="black", elinewidth=0.7, capsize=1.5, zorder=3)
    if "transfers_out_of_county" in means:
        ax.scatter(means["transfers_out_of_county"], y, marker="D", s=10, color="black", zorder=4,
                   label="ended out of county")
    ax.set_yticks(y, [island_name(i, labels) for i in islands])
    ax.set_ylim(len(islands) - 0.5, -0.5)
    ax.set_xlabel("emergency transfers per year (patients)")
    ax.grid(axis="x", color="0.9", lw=0.5)
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda k: names[k] == "ended out of county")  # modes first
    fig.legend([handles[k] for k in order], [names[k] for k in order], loc="outside upper center", ncol=2)
    return fig


def _observed_hours(month: int, warmup_days: float, horizon_days: float) -> float:
    """Hours of model month ``month`` (0-based, counting on over years) inside the observed window."""
    year, m = divmod(month, 12)
    start = year * 365 + sum(MONTH_DAYS[:m])
    end = start + MONTH_DAYS[m]
    return max(0.0, min(end, horizon_days) - max(start, warmup_days)) * 24.0


@style.styled
def weather_delay_by_month(monthly: pd.DataFrame, warmup_days: float = 0.0, horizon_days: float = 365.0) -> Figure:
    """(a) Weather delay per transferred patient by calendar month (mean and 95% interval over
    replications); (b) share of the month in which each vessel type was stopped, by weather area."""
    df = _need(monthly, "monthly series")
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
        stats = tot.groupby("cal")["per"].apply(_rep_stats)
        cal = stats.index.to_numpy()
        m = np.array([s[0] for s in stats])
        lo = np.array([s[1] for s in stats])
        hi = np.array([s[2] for s in stats])
        ax.bar(cal, m, color=pal[0], width=0.7, zorder=2)
        ax.errorbar(cal, m, yerr=_err(m, lo, hi), fmt="none", ecolor="black",
                    elinewidth=0.7, capsize=1.5, zorder=3)
        ax.set_ylabel("weather delay per transfer (min)")
        ax.set_ylim(bottom=0)
    ax.set_title("(a) waiting for the sea to open", loc="left", fontsize=8)
    ax = axes[1]
    if not closed.empty:
        c = closed.copy()
        c["hours"] = [_observed_hours(int(mm), warmup_days, horizon_days) for mm in c["month"]]
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
                          label=mode.replace("_", " ")) for i, mode in enumerate(modes)]
        handles += [Line2D([], [], color="0.3", ls=styles[a % 4], label=f"{area} area") for a, area in enumerate(areas)]
        ax.legend(handles=handles, fontsize=6, ncol=2, loc="upper right")
        ax.set_ylabel("time stopped by wind or fog (% of month)")
        ax.set_ylim(bottom=0)
    ax.set_title("(b) vessels stopped", loc="left", fontsize=8)
    for ax in axes:
        ax.set_xticks(range(12), MONTH_ABBR)
        ax.set_xlim(-0.6, 11.6)
        ax.set_xlabel("month")
        ax.grid(axis="y", color="0.9", lw=0.5)
    return fig


# --- beds, care homes, waiting lists -------------------------------------------------------------------
OCCUPANCY_SERIES = {"bed": "hospital beds", "care": "care-home places"}


@style.styled
def occupancy_over_year(daily: pd.DataFrame, capacities: Mapping[str, float] | None = None) -> Figure:
    """County occupied hospital beds and care-home places by day: mean over replications (line) and
    the range of the replications (band); capacity dashed."""
    df = _need(daily, "daily series")
    series = [s for s in OCCUPANCY_SERIES if s in set(df["series"])]
    if not series:
        raise NoData("no occupancy series")
    fig = style.new_figure(style.FULL_IN if len(series) > 1 else style.COLUMN_IN, 2.4)
    axes = fig.subplots(1, len(series), squeeze=False)[0]
    pal = style.palette(3)
    for k, (ax, s) in enumerate(zip(axes, series, strict=True)):
        tot = df[df["series"] == s].groupby(["replication", "day"])["value"].sum().unstack("replication")
        days = tot.index.to_numpy(dtype=float)
        ax.fill_between(days, tot.min(axis=1), tot.max(axis=1), color=pal[k], alpha=0.25, lw=0,
                        label="range over replications")
        ax.plot(days, tot.mean(axis=1), color=pal[k], label="mean")
        cap = (capacities or {}).get(s)
        if cap:
            ax.axhline(cap, color=style.TARGET_COLOUR, ls="--", lw=1, label=f"capacity ({cap:,.0f})")
        ax.set_ylim(bottom=0)
        ax.set_ylabel(f"occupied {OCCUPANCY_SERIES[s]}")
        ax.set_title(OCCUPANCY_SERIES[s].capitalize() + ", county", loc="left", fontsize=8)
        _month_ticks(ax, days.min(), days.max())
        ax.set_xlabel("day of the model year")
        ax.grid(axis="y", color="0.9", lw=0.5)
        ax.legend(loc="best", fontsize=6)
    return fig


@style.styled
def care_waitlist(daily: pd.DataFrame, labels: Mapping[str, str] | None = None, top: int = 5) -> Figure:
    """People waiting for a care-home place: county (mean and replication range) and the islands
    with the longest lists (means)."""
    df = _need(daily, "daily series")
    df = df[df["series"] == "care_waitlist"]
    if df.empty:
        raise NoData("no care waiting-list series")
    fig = style.new_figure(style.COLUMN_IN, 2.5)
    ax = fig.add_subplot()
    pal = style.palette(top + 1)
    tot = df.groupby(["replication", "day"])["value"].sum().unstack("replication")
    days = tot.index.to_numpy(dtype=float)
    ax.fill_between(days, tot.min(axis=1), tot.max(axis=1), color="0.6", alpha=0.3, lw=0)
    ax.plot(days, tot.mean(axis=1), color="black", label="County (range shaded)")
    by = df.groupby(["island", "day"])["value"].mean().unstack("island")
    biggest = by.mean().sort_values(ascending=False, kind="stable")
    for k, isl in enumerate([i for i in biggest.index if biggest[i] > 0][:top]):
        ax.plot(by.index, by[isl], color=pal[k], lw=0.9, label=island_name(isl, labels))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("people waiting for a care place")
    ax.set_xlabel("day of the model year")
    _month_ticks(ax, days.min(), days.max())
    ax.grid(axis="y", color="0.9", lw=0.5)
    fig.legend(fontsize=6, loc="outside upper center", ncol=2)
    return fig


@style.styled
def circuit_visits(monthly: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Figure:
    """Circuit-team visits planned (outline) and made (filled) per island and month, mean over replications."""
    df = _need(monthly, "monthly series")
    df = df[df["metric"].isin(["visits_planned", "visits_made"])]
    if df.empty:
        raise NoData("no circuit visit series")
    mean = df.groupby(["island", "month", "metric"])["value"].sum() / df["replication"].nunique()
    mean = mean.unstack("metric").fillna(0)
    islands = _island_order(mean.index.get_level_values("island").unique(), labels, county_first=False)
    ncols = min(3, len(islands))
    nrows = math.ceil(len(islands) / ncols)
    fig = style.new_figure(style.FULL_IN if ncols > 1 else style.COLUMN_IN, 1.45 * nrows + 0.5)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    pal = style.palette(3)
    months = sorted(mean.index.get_level_values("month").unique())
    for k, isl in enumerate(islands):
        ax = axes[k // ncols][k % ncols]
        d = mean.loc[isl].reindex(months, fill_value=0)
        x = np.arange(len(months))
        ax.bar(x, d.get("visits_planned", 0), width=0.8, facecolor="none", edgecolor="0.3", lw=0.8, zorder=3)
        ax.bar(x, d.get("visits_made", 0), width=0.8, color=pal[0], zorder=2)
        ax.set_title(island_name(isl, labels), loc="left", fontsize=7.5)
        ax.grid(axis="y", color="0.9", lw=0.5)
    for k in range(len(islands), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    names = [MONTH_ABBR[m % 12] for m in months]
    step = 1 if len(months) <= 6 else 2
    for ax in axes.flat:
        ax.set_xticks(range(0, len(months), step), names[::step])
    for row in axes:
        row[0].set_ylabel("visits per month")
    handles = [Patch(facecolor="none", edgecolor="0.3", label="planned"), Patch(color=pal[0], label="made")]
    fig.legend(handles=handles, loc="outside upper center", ncol=2)
    return fig


# --- cardiac arrest, ratios, sweeps, plans -------------------------------------------------------------
def survivors_table(kpis: pd.DataFrame, per_year: float = 1.0) -> pd.DataFrame:
    """replication, island, survivors per year (expected) from ``ohca_expected_survivors``, else
    expected survival × completed arrests."""
    k = kpis[kpis["condition"] == "cardiac_arrest"]
    if "ohca_expected_survivors" in set(k["metric"]):
        d = k[k["metric"] == "ohca_expected_survivors"][["replication", "island", "value"]]
    else:
        w = k[k["metric"].isin(["expected_survival", "completed"])].pivot_table(
            index=["replication", "island"], columns="metric", values="value", aggfunc="first")
        if not {"expected_survival", "completed"} <= set(w.columns):
            raise NoData("no cardiac-arrest survival metrics")
        d = (w["expected_survival"].fillna(0) * w["completed"]).rename("value").reset_index()
    return d.assign(value=d["value"] * per_year)


@style.styled
def cardiac_survivors(survivors: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Figure:
    """Expected cardiac-arrest survivors per year by home island, one colour per scenario (mean and
    95% interval over replications). ``survivors``: scenario, replication, island, value."""
    df = _need(survivors, "cardiac-arrest survivors")
    stats = df.groupby(["scenario", "island"], sort=False)["value"].apply(_rep_stats)
    scen = list(dict.fromkeys(df["scenario"]))
    per_island = df.groupby("island")["value"].mean()
    islands = [i for i in _island_order(per_island.index, labels, county_first=False) if per_island[i] > 0]
    if not islands:
        raise NoData("no cardiac-arrest survivors")
    county = df[df["island"] == ALL]
    fig = style.new_figure(style.COLUMN_IN, 0.25 * len(islands) * max(1, len(scen) ** 0.5) + 1.2)
    ax = fig.add_subplot()
    pal = style.palette(len(scen))
    step = 0.8 / len(scen)
    for j, sc in enumerate(scen):
        y = np.arange(len(islands)) - 0.4 + step * (j + 0.5)
        vals = [stats.get((sc, i), (np.nan, np.nan, np.nan)) for i in islands]
        m = np.array([v[0] for v in vals])
        tot = county[county["scenario"] == sc]["value"].mean() if not county.empty else np.nansum(m)
        ax.barh(y, m, height=step * 0.9, color=pal[j], label=f"{sc} (county {tot:.1f})", zorder=2)
        ax.errorbar(m, y, xerr=_err(m, [v[1] for v in vals], [v[2] for v in vals]), fmt="none", ecolor="black",
                    elinewidth=0.7, capsize=1.2, zorder=3)
    ax.set_yticks(range(len(islands)), [island_name(i, labels) for i in islands])
    ax.set_ylim(len(islands) - 0.5, -0.5)
    ax.set_xlabel("expected survivors of cardiac arrest per year")
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="0.9", lw=0.5)
    fig.legend(loc="outside upper center", ncol=1 if len(scen) > 2 else len(scen), title="scenario (county total)")
    return fig


RATIO_UNITS = {"doctors_per_1000": ("doctors per 1,000 residents", 1), "aeds_per_10k": ("AEDs per 10,000", 1),
               "carers_per_10k_elderly": ("carers per 10,000 aged 60+", 1),
               "in_county_share": ("% of care in the county", 100)}


@style.styled
def resource_ratios(ratios: pd.DataFrame) -> Figure:
    """Each county ratio as a percentage of its 2025 target (100% = met), with both values written out."""
    df = _need(ratios, "ratios").dropna(subset=["value", "target_2025"])
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
        unit, scale = RATIO_UNITS.get(key, (key, 1))
        ax.text(min(pct[k], 100) / 2 if pct[k] > 45 else pct[k] + 2, k,
                f"{v * scale:.3g} of {t * scale:.3g}", va="center",
                ha="center" if pct[k] > 45 else "left", fontsize=6.5,
                color="white" if pct[k] > 45 else "black", zorder=4)
    ax.set_yticks(y, [RATIO_UNITS.get(r, (r, 1))[0] for r in df["ratio"]])
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.set_xlabel("value as % of the county's 2025 target")
    handles = [Patch(color=pal[2], label="target met"), Patch(color=pal[3], label="below target"),
               Line2D([], [], color=style.TARGET_COLOUR, ls="--", label="2025 target")]
    fig.legend(handles=handles, loc="outside upper center", ncol=3)
    return fig


def _as_number_order(values) -> list:
    def key(v):
        try:
            return (0, float(v), "")
        except (TypeError, ValueError):
            return (1, 0.0, str(v))

    return sorted(set(values), key=key)


def _decimals(vals: np.ndarray) -> int:
    """Decimals that tell the cells apart (one significant figure of their spread) and give the
    smallest value two significant figures; at most 3."""
    finite = np.abs(vals[np.isfinite(vals)])
    if not finite.size:
        return 0
    spread = float(finite.max() - finite.min())
    by_spread = -math.floor(math.log10(spread)) if spread > 0 else 0
    smallest = float(finite[finite > 0].min()) if (finite > 0).any() else 0.0
    by_size = 1 - math.floor(math.log10(smallest)) if smallest > 0 else 0
    return int(min(3, max(0, by_spread, by_size)))


@style.styled
def sweep_heatmap(sweep: pd.DataFrame, x: str, y: str, metric: str, island: str = ALL,
                  condition: str | Sequence[str] = ALL, per_year: float = 1.0) -> Figure:
    """Mean of a KPI (over replications, and over any other swept parameter) for each pair of
    values of two swept parameters; one panel per condition.

    Each panel has its own colour scale (conditions differ by orders of magnitude) and prints its
    values with the decimals that tell its cells apart. ``per_year`` scales counts to a year.
    """
    df = _need(sweep, "sweep KPIs")
    conditions = [condition] if isinstance(condition, str) else list(condition)
    d = df[(df["metric"] == metric) & (df["island"] == island) & (df["condition"].isin(conditions))]
    if d.empty or x not in d or y not in d:
        raise NoData(f"no {metric} over {x} and {y}")
    conditions = [c for c in conditions if (d["condition"] == c).any()]
    scale = metric_scale(metric) * per_year
    grids = {}
    for c in conditions:
        g = d[d["condition"] == c].groupby([y, x])["value"].mean().unstack(x) * scale
        grids[c] = g.reindex(index=_as_number_order(g.index), columns=_as_number_order(g.columns))
    rows, cols = next(iter(grids.values())).shape
    n = len(grids)
    ncol = min(n, 3 if cols <= 3 else 2)
    nrow = math.ceil(n / ncol)
    panel_w = 0.55 + 0.55 * cols
    fig = style.new_figure(min(style.FULL_IN, max(style.COLUMN_IN, 0.9 + panel_w * ncol + (0.6 if n == 1 else 0))),
                           nrow * (0.75 + 0.3 * rows) + 0.25)
    axes = fig.subplots(nrow, ncol, squeeze=False, sharex=True, sharey=True)
    from report.load import short_key

    for ax, (c, grid) in zip(list(axes.flat)[:n], grids.items(), strict=True):
        vals = grid.to_numpy(dtype=float)
        dec = _decimals(vals)
        # a panel whose cells are all equal gets the middle colour: neither "low" nor "high"
        lo, hi = (np.nanmin(vals), np.nanmax(vals)) if np.isfinite(vals).any() else (0.0, 1.0)
        lo, hi = (lo - 1, hi + 1) if hi <= lo else (lo, hi)
        with warnings.catch_warnings():  # seaborn 0.13 calls a colormap method matplotlib is retiring
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            sns.heatmap(grid, ax=ax, annot=True, fmt=f",.{dec}f", cmap=style.SEQUENTIAL, vmin=lo, vmax=hi, linewidths=0.5,
                        linecolor="white", annot_kws={"fontsize": 6.5}, cbar=n == 1,
                        cbar_kws={"label": metric_unit(metric)} if n == 1 else None)
        ax.set_title(condition_label(c), loc="left", fontsize=7.5)
        ax.set_xlabel(short_key(x) if ax in axes[-1] else "")
        ax.set_ylabel(short_key(y) if ax in axes[:, 0] else "")
        ax.tick_params(axis="y", rotation=0)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    where = "county" if island == ALL else island
    unit = metric_unit(metric)
    what = metric_label(metric, with_unit=False) + (" per year" if per_year != 1.0 else "") + (f" ({unit})" if unit else "")
    fig.suptitle(f"{what}, {where}" + ("" if n == 1 else "; colour scaled within each panel"), x=0.01,
                 ha="left", fontsize=8)
    return fig


@style.styled
def plan_changes(plan: pd.DataFrame, site_island: Mapping[str, str] | None = None,
                 labels: Mapping[str, str] | None = None) -> Figure:
    """Change of each resource by island in the optimiser's plan (blank: unchanged)."""
    df = _need(plan, "plan")
    df = df.assign(island=df["site"].map(lambda s: (site_island or {}).get(s, s)))
    grid = df.groupby(["island", "resource"])["change"].sum().unstack("resource").fillna(0)
    grid = grid.loc[(grid != 0).any(axis=1)] if (grid != 0).any().any() else grid
    islands = _island_order(grid.index, labels, county_first=False)
    grid = grid.reindex(islands)
    grid.index = [island_name(i, labels) for i in islands]
    lim = max(1.0, float(np.abs(grid.to_numpy()).max()))
    fig = style.new_figure(min(style.FULL_IN, 2.2 + 0.65 * grid.shape[1]), 1.0 + 0.28 * grid.shape[0])
    ax = fig.add_subplot()
    annot = grid.map(lambda v: "" if v == 0 else f"{v:+,.0f}" if float(v).is_integer() else f"{v:+.2g}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(grid, ax=ax, annot=annot, fmt="", cmap=style.DIVERGING, vmin=-lim, vmax=lim, center=0,
                    linewidths=0.5, linecolor="white", annot_kws={"fontsize": 6.5},
                    cbar_kws={"label": "change from today (units of each resource)"})
    ax.set_xlabel("resource")
    ax.set_ylabel("")
    ax.set_xticks(ax.get_xticks(), [str(c).replace("_", " ") for c in grid.columns], rotation=30, ha="right")
    ax.tick_params(axis="y", rotation=0)
    cap = pd.to_numeric(df.get("cost_capital"), errors="coerce").sum() if "cost_capital" in df else np.nan
    op = pd.to_numeric(df.get("cost_operating"), errors="coerce").sum() if "cost_operating" in df else np.nan
    ax.set_title(f"capital {cap / 1e6:,.2f} M yuan, operating {op / 1e6:,.2f} M yuan/year", loc="left",
                 fontsize=7.5)
    return fig
