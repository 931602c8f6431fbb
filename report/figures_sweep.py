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

    Each panel has its own colour scale (conditions differ by orders of magnitude) and prints its
    values with the decimals that tell its cells apart. ``per_year`` scales counts to a year.
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
    for ax, (c, grid) in zip(list(axes.flat)[:n], grids.items(), strict=True):
        vals = grid.to_numpy(dtype=float)
        # a panel whose cells are all equal gets the middle colour: neither "low" nor "high"
        lo, hi = (np.nanmin(vals), np.nanmax(vals)) if np.isfinite(vals).any() else (0.0, 1.0)
        lo, hi = (lo - 1, hi + 1) if hi <= lo else (lo, hi)
        with warnings.catch_warnings():  # seaborn 0.13 calls a colormap method matplotlib is retiring
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            sns.heatmap(grid, ax=ax, annot=True, fmt=f",.{decimals(vals)}f", cmap=style.SEQUENTIAL, vmin=lo, vmax=hi,
                        linewidths=0.5, linecolor="white", annot_kws={"fontsize": 6.5}, cbar=n == 1,
                        cbar_kws={"label": unit} if n == 1 else None)
        ax.set_title(w.condition(c), loc="left", fontsize=7.5)
        ax.set_xlabel(short_key(x) if ax in axes[-1] else "")
        ax.set_ylabel(short_key(y) if ax in axes[:, 0] else "")
        ax.tick_params(axis="y", rotation=0)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    sep = "，" if w.lang == "zh" else ", "
    what = w.metric(metric, with_unit=False) + ((" " if w.lang == "en" else "") + w("per_year") if per_year != 1.0 else "")
    if unit:
        what += f"（{unit}）" if w.lang == "zh" else f" ({unit})"
    fig.suptitle(what + sep + w.island(island) + ("" if n == 1 else w("colour_within")), x=0.01, ha="left", fontsize=8)
    return fig
