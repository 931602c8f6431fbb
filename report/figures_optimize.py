"""The budget-benefit frontier figure (data in: the ``frontier.csv`` table; a matplotlib Figure out).

Colour-blind-safe (seaborn's ``colorblind`` palette), units on both axes; budgets at which no plan
meets the constraints are marked along the bottom; the step where an extra 10,000 yuan buys the most
is highlighted. Nothing here changes matplotlib's global settings.
"""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

WIDTH_IN, HEIGHT_IN = 7.0, 4.2


def frontier_figure(frontier_df: pd.DataFrame) -> plt.Figure:
    """Benefit gained over today against the yearly operating budget."""
    pal = sns.color_palette("colorblind")
    df = frontier_df.sort_values("budget")
    ok = df[df.benefit_gain.notna()]
    bad = df[df.benefit_gain.isna()]
    with plt.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
        x = ok.budget / 1e6
        ax.plot(x, ok.benefit_gain, marker="o", ms=4, lw=1.5, color=pal[0], label="optimal plan at this budget")
        if len(bad):
            floor = min(0.0, ok.benefit_gain.min()) if len(ok) else 0.0
            ax.scatter(bad.budget / 1e6, [floor] * len(bad), marker="x", color=pal[3], zorder=3,
                       label="no plan meets the minimums and limits")
            if len(ok) and bad.budget.max() < ok.budget.min():
                edge = (bad.budget.max() + ok.budget.min()) / 2e6
                ax.axvspan(0, edge, color=pal[3], alpha=0.08, lw=0)
                ax.text(edge / 2, 0.5, "minimums and limits\nnot affordable", transform=ax.get_xaxis_transform(),
                        ha="center", va="center", color="0.35")
        best = df[df.best_marginal.fillna(False).astype(bool)]
        if len(best) and len(ok) >= 2:
            i = ok.index.get_loc(best.index[0])
            seg = ok.iloc[max(0, i - 1): i + 1]
            ax.plot(seg.budget / 1e6, seg.benefit_gain, lw=4, color=pal[2], alpha=0.8, solid_capstyle="round",
                    label=f"best step: {best.marginal_per_10k.iloc[0]:.3g} points per extra 10,000 yuan")
        ax.set_xlabel("operating budget for additions (million yuan per year)")
        ax.set_ylabel("benefit gained over today (value points per year)")
        ax.set_xlim(left=0)
        ax.grid(axis="y", color="0.9", lw=0.6)
        ax.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="lower right", fontsize=8)
        ax.set_title("Budget-benefit frontier", loc="left", fontsize=10)
    return fig
