"""The optimiser's tables in report.html (data in: ``outcomes.csv``, ``options.csv`` of a run folder;
HTML out), shown in the plan section under the plan itself.

- outcomes: each outcome per year today, with the plan, and the change (natural units);
- league table: for each outcome, the ``top`` options that buy the most of it per yuan (yuan per
  year per unit of outcome; the simulation's paired estimate beside it where ``mode=evaluate``
  measured it).
"""

from __future__ import annotations

import pandas as pd

from report import html as H
from report.vocab import Words


def optimize_tables_html(ctx, w: Words, top: int = 5) -> str:
    parts = [outcomes_html(ctx.run.table("outcomes"), w), league_html(ctx.run.table("options"), w, top)]
    return "".join(p for p in parts if p)


def outcomes_html(outcomes: pd.DataFrame | None, w: Words) -> str:
    if outcomes is None or outcomes.empty:
        return ""
    df = outcomes[["outcome", "today", "planned", "change", "unit"]].copy()
    for c in ("today", "planned", "change"):
        df[c] = [w.fmt(v) for v in df[c]]
    return f"<h3>{H.esc(w('h_plan_outcomes'))}</h3>" + H.table(df, f"{w.lang}-plan-outcomes")


def league_html(options: pd.DataFrame | None, w: Words, top: int) -> str:
    if options is None or options.empty or "rank" not in options:
        return ""
    t = options[options["rank"].notna()].groupby("outcome", sort=False).head(top)  # options.csv: ranked in order
    if t.empty:
        return ""
    cols = ["outcome", "rank", "option", "cost_capital", "cost_operating", "change", "yuan_per_unit"]
    if "sim_change" in t:
        cols += ["sim_change", "sim_ci_low", "sim_ci_high", "sim_yuan_per_unit"]
    df = t[cols].copy()
    for c in cols[3:]:
        df[c] = [w.fmt(v) for v in df[c]]
    df["rank"] = df["rank"].astype(int)
    return (f"<h3>{H.esc(w('h_league'))}</h3>" + H.note(w("league_note"))
            + H.table(df, f"{w.lang}-league-table"))
