"""The optimiser's figures (data in: ``frontier.csv`` or ``options.csv``; a matplotlib Figure out).

- :func:`frontier_figure`: one outcome against the plan's extra operating cost, or two outcomes
  against each other (a Pareto front); today's allocation and the knee are marked, points no other
  point beats are joined, dominated and infeasible points are shown apart.
- :func:`league_figure`: the league table for one outcome, yuan per unit of outcome per option.

Colour-blind-safe (seaborn's ``colorblind`` palette), units on the axes. The frontier takes a
:class:`report.vocab.Words` (English by default, as ``mode=frontier`` draws it). Nothing here changes
matplotlib's global settings.
"""

from __future__ import annotations

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from report import style  # noqa: E402
from report.vocab import Words  # noqa: E402

WIDTH_IN, HEIGHT_IN = 7.0, 4.2

ONE = {
    "survivors": "expected survivor", "within_target": "patient within target",
    "delay_hours_avoided": "patient-hour of delay avoided", "consultations_no_doctor": "consultation (island without a doctor)",
    "placed_in_care": "placement in care", "hospital_bed_found": "admission finding a bed",
}


@style.styled
def frontier_figure(frontier_df: pd.DataFrame, outcomes: tuple[str, ...] | None = None,
                    w: Words | None = None) -> plt.Figure:
    """The frontier of ``frontier.csv`` (outcomes read from its ``maximised``/``constrained`` columns
    when not given), its texts in the language of ``w``."""
    w = w or Words()

    def name(outcome: str) -> str:
        return w(f"out_{outcome}") if w.has(f"out_{outcome}") else outcome.replace("_", " ")

    df = frontier_df.copy()
    if outcomes is None:
        first = df.maximised.dropna().iloc[0] if "maximised" in df and df.maximised.notna().any() else "survivors"
        second = df.constrained.dropna() if "constrained" in df else pd.Series(dtype=object)
        outcomes = (first, second.iloc[0]) if len(second) else (first,)
    pal = sns.color_palette("colorblind")
    two = len(outcomes) == 2
    x_col, y_col = (outcomes[1], outcomes[0]) if two else ("cost_operating", outcomes[0])
    xs = 1e-6 if not two else 1.0
    today = df[df.kind == "today"]
    pts = df[(df.kind != "today") & df[y_col].notna()]
    front = pts[pts.pareto.fillna(False).astype(bool)].sort_values(x_col)
    other = pts[~pts.pareto.fillna(False).astype(bool)]
    bad = df[(df.kind != "today") & df[y_col].isna()]
    with plt.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
        if len(front):
            ax.plot(front[x_col] * xs, front[y_col], marker="o", ms=4, lw=1.5, color=pal[0],
                    label=w("fr_optimal_two") if two else w("fr_optimal"))
        runs = front[front.budgets_sampled.fillna(1) > 1] if not two and "budgets_sampled" in front else front.iloc[:0]
        if len(runs):  # a plan best over a run of budgets: from its cost to the run's highest budget
            ax.hlines(runs[y_col], runs[x_col] * xs, runs.budget_to * xs, color=pal[0], lw=4, alpha=0.35, zorder=1,
                      label=w("fr_runs"))
        if len(other):
            ax.scatter(other[x_col] * xs, other[y_col], s=12, color="0.6", zorder=2,
                       label=w("fr_beaten"))
        if len(today) and two:
            ax.scatter(today[x_col] * xs, today[y_col], marker="s", s=40, color=pal[3], zorder=4,
                       label=w("fr_today"))
        elif len(today):  # at no extra cost, far left of the plans: a line at its level
            ax.axhline(float(today[y_col].iloc[0]), color=pal[3], ls="--", lw=1.2,
                       label=w("fr_today_level", v=f"{float(today[y_col].iloc[0]):,.4g}"))
        knee = df[df.knee.fillna(False).astype(bool)]
        if len(knee):
            k = knee.iloc[0]
            ax.scatter([k[x_col] * xs], [k[y_col]], s=160, facecolors="none", edgecolors=pal[2], lw=2, zorder=5,
                       label=w("fr_knee"))
        if len(bad):
            ax.text(0.02, 0.02, w("fr_infeasible", n=len(bad)),
                    transform=ax.transAxes, color=pal[3], fontsize=8)
        if two:
            ax.set_xlabel(name(x_col))
            title = w("fr_title_two", a=name(outcomes[0]), b=name(outcomes[1]))
        else:
            ax.set_xlabel(w("fr_cost"))
            title = w("fr_title", a=name(outcomes[0]))
        ax.set_ylabel(name(y_col))
        ax.grid(color="0.92", lw=0.6)
        ax.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="lower right" if not two else "best", fontsize=8)
        ax.set_title(title, loc="left", fontsize=10)
    return fig


def league_figure(options: pd.DataFrame, outcome: str = "survivors", top: int = 12) -> plt.Figure:
    """Yuan per year per unit of ``outcome`` for the ``top`` best-ranked options (program's curves, and
    the simulation's with its interval where ``options.csv`` has it)."""
    pal = sns.color_palette("colorblind")
    t = options[(options.outcome == outcome) & options["rank"].notna()].sort_values("rank").head(top)
    if t.empty:
        raise ValueError(f"no option buys any {outcome}")
    with plt.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, max(2.0, 0.9 + 0.28 * len(t))), layout="constrained")
        y = np.arange(len(t))[::-1]
        ax.barh(y, t.yuan_per_unit / 1e3, color=pal[0], height=0.6, label="program's curves")
        if "sim_yuan_per_unit" in t and t.sim_yuan_per_unit.notna().any():
            ax.scatter(t.sim_yuan_per_unit / 1e3, y, color=pal[1], zorder=3, label="simulation (paired)")
        ax.set_yticks(y, t.option)
        ax.set_xlabel(f"thousand yuan a year per {ONE.get(outcome, outcome)}")
        ax.grid(axis="x", color="0.92", lw=0.6)
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        ax.set_title(f"League table: what one more {ONE.get(outcome, outcome)} costs, option by option", loc="left",
                     fontsize=10)
    return fig
