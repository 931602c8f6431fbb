"""The optimiser's figures draw from their tables and mark what they promise (today, the knee)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from report.figures_optimize import frontier_figure, league_figure


def _labels(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()]


def _frontier(two: bool) -> pd.DataFrame:
    rows = [{"point": 0, "kind": "today", "status": "today", "survivors": 1.0, "within_target": 10.0,
             "cost_operating": 0.0, "knee": False, "pareto": False, "maximised": "survivors",
             "constrained": "within_target" if two else None}]
    for k, (s, wt, c) in enumerate([(1.2, 14, 1e6), (1.8, 13, 2e6), (1.9, 12, 3e6), (1.95, 11, 4e6)], start=1):
        rows.append({"point": k, "kind": "epsilon" if two else "budget", "status": "optimal", "survivors": s,
                     "within_target": wt, "cost_operating": c, "knee": k == 2, "pareto": True,
                     "maximised": "survivors", "constrained": "within_target" if two else None})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("two", [False, True])
def test_frontier_marks_today_and_the_knee(two):
    fig = frontier_figure(_frontier(two))
    labels = " ".join(_labels(fig))
    assert "today's allocation" in labels and "knee" in labels
    ax = fig.axes[0]
    assert ("Pareto" in ax.get_title(loc="left")) == two
    assert "per year" in ax.get_ylabel()
    plt.close(fig)


def test_frontier_draws_a_merged_run_of_budgets():
    df = _frontier(False)
    df["budget_to"] = df.cost_operating
    df["budgets_sampled"] = 1
    df.loc[2, ["budget_to", "budgets_sampled"]] = [2.5e6, 3]
    fig = frontier_figure(df)
    assert "budgets at which the same plan is best" in " ".join(_labels(fig))
    plt.close(fig)
    assert "same plan" not in " ".join(_labels(frontier_figure(_frontier(False))))  # old tables still draw
    plt.close("all")


def test_league_figure_ranks_options_and_refuses_an_empty_outcome():
    t = pd.DataFrame({"option": ["a", "b", "c"], "outcome": "survivors", "rank": [2, 1, None],
                      "yuan_per_unit": [2e5, 1e5, float("nan")], "unit": "yuan per survivor"})
    fig = league_figure(t, "survivors")
    ax = fig.axes[0]
    at = {x.get_text(): x.get_position()[1] for x in ax.get_yticklabels()}
    assert set(at) == {"a", "b"} and at["b"] > at["a"]  # rank 1 on top; the unranked option left out
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == pytest.approx([100.0, 200.0]) and "survivor" in ax.get_xlabel()  # thousand yuan
    plt.close(fig)
    with pytest.raises(ValueError):
        league_figure(t, "within_target")
