"""The sweep heatmap: a KPI over two swept parameters, one panel per condition.

Tidy sweep KPIs and a :class:`report.vocab.Words` in, a matplotlib Figure out.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from experiments.summary import is_share
from report import style
from report.figkit import NoData, as_number_order, need
from report.vocab import Words
from scenarios.units import ALL


def short_key(key: str) -> str:
    """``policy.boats.sijiao`` -> ``boats.sijiao``; ``policy`` stays."""
    return key.split(".", 1)[1] if key.startswith("policy.") else key


def decimals(vals: np.ndarray) -> int:
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
                  condition: str | Sequence[str] = ALL, per_year: float = 1.0, w: Words | None = None) -> Figure:
    """Mean of a KPI (over replications, and over any other swept parameter) for each pair of
    values of two swept parameters; one panel per condition.

    Shares have one colour scale, 0-100%, for every panel (with its colour bar). Other KPIs differ by
    orders of magnitude between conditions: each panel has its own scale, at least
    :data:`MIN_SPAN` of its largest value wide, so that cells differing by a rounding error are not
    painted as the panel's extremes. Each panel prints its values with the decimals that tell its
    cells apart. ``per_year`` scales counts to a year.
    """
    w = w or Words()
    df = need(sweep, "sweep KPIs")
    conditions = [condition] if isinstance(condition, str) else list(condition)
    d = df[(df["metric"] == metric) & (df["island"] == island) & (df["condition"].isin(conditions))]
    if d.empty or x not in d or y not in d:
        raise NoData(f"no {metric} over {x} and {y}")
    # a condition without a value in any job (no such patient in a short run) gets no empty panel
    conditions = [c for c in conditions if d.loc[d["condition"] == c, "value"].notna().any()]
    if not conditions:
        raise NoData(f"no values of {metric}")
    scale = w.scale(metric) * per_year
    grids = {}
    for c in conditions:
        g = d[d["condition"] == c].groupby([y, x])["value"].mean().unstack(x) * scale
        grids[c] = g.reindex(index=as_number_order(g.index), columns=as_number_order(g.columns))
    rows, cols = next(iter(grids.values())).shape
    n = len(grids)
    ncol = min(n, 3 if cols <= 3 else 2)
    nrow = math.ceil(n / ncol)
    panel_w = 0.55 + 0.55 * cols
    fig = style.new_figure(min(style.FULL_IN, max(style.COLUMN_IN, 0.9 + panel_w * ncol + (0.6 if n == 1 else 0))),
                           nrow * (0.75 + 0.3 * rows) + 0.25)
    axes = fig.subplots(nrow, ncol, squeeze=False, sharex=True, sharey=True)
    unit = w.unit(metric)
    shared = is_share(metric)
    for ax, (c, grid) in zip(list(axes.flat)[:n], grids.items(), strict=True):
        vals = grid.to_numpy(dtype=float)
        lo, hi = (0.0, 100.0) if shared else colour_range(vals)
        with warnings.catch_warnings():  # seaborn 0.13 calls a colormap method matplotlib is retiring
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            sns.heatmap(grid, ax=ax, annot=True, fmt=f",.{decimals(vals)}f", cmap=style.SEQUENTIAL, vmin=lo, vmax=hi,
                        linewidths=0.5, linecolor="white", annot_kws={"fontsize": 6.5}, cbar=n == 1 and not shared,
                        cbar_kws={"label": unit} if n == 1 and not shared else None)
        ax.set_title(w.condition(c), loc="left", fontsize=7.5)
        ax.set_xlabel(short_key(x) if ax in axes[-1] else "")
        ax.set_ylabel(short_key(y) if ax in axes[:, 0] else "")
        ax.tick_params(axis="y", rotation=0)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if shared:  # one scale for every panel: one colour bar
        fig.colorbar(axes.flat[0].collections[0], ax=list(axes.flat)[:n], shrink=0.9, aspect=25, label=unit)
    what = w.metric(metric, with_unit=False)
    what = w.labelled(w("metric_per_year", what=what) if per_year != 1.0 else what, unit)
    fig.suptitle(w("heat_title", what=what, where=w.island(island), within="" if n == 1 or shared else w("colour_within")),
                 x=0.01, ha="left", fontsize=8)
    return fig


MIN_SPAN = 0.2  # the colour scale of a panel spans at least this share of its largest value


def colour_range(vals: np.ndarray) -> tuple[float, float]:
    """(vmin, vmax) of a panel: its values' range, widened about its middle to at least
    :data:`MIN_SPAN` of the largest magnitude (cells all equal: the middle colour, neither low nor high)."""
    if not np.isfinite(vals).any():
        return 0.0, 1.0
    lo, hi = float(np.nanmin(vals)), float(np.nanmax(vals))
    span = max(hi - lo, MIN_SPAN * max(abs(lo), abs(hi))) or 2.0
    mid = (lo + hi) / 2
    return mid - span / 2, mid + span / 2
