"""Comparison tables of a sweep: one compact table per KPI, scenarios as columns.

Each cell gives the mean over replications with its 95% t-interval; each non-reference scenario also
gets the difference from the reference with the paired 95% interval (common random numbers), marked
``*`` when the interval excludes zero. Written as CSV (numbers), Markdown and LaTeX (formatted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.io import atomic_write_text, write_table
from experiments.summary import paired_difference, summarise
from report.load import SweepData
from report.vocab import Words, fmt
from scenarios.units import ALL

# (metric, condition, rows): rows are islands (county first) or conditions (county level)
KPI_TABLES: tuple[tuple[str, str, str], ...] = (
    ("within_target_share", ALL, "condition"),
    ("time_to_definitive_care_min_mean", ALL, "condition"),
    ("within_target_share", ALL, "island"),
    ("in_county_share", ALL, "island"),
    ("ohca_expected_survivors", "cardiac_arrest", "island"),
    ("transfers_out_of_county", ALL, "island"),
    ("weather_delay_min_mean", ALL, "island"),
    ("doctor_utilization", ALL, "island"),
    ("bed_occupancy_share", ALL, "island"),
    ("boat_utilization", ALL, "island"),
    ("care_waitlist_mean", ALL, "island"),
    ("visits_made", ALL, "island"),
)


@dataclass
class KpiTable:
    key: str  # file stem
    title: str
    numbers: pd.DataFrame  # tidy numbers (the CSV)
    display: pd.DataFrame  # formatted cells (Markdown, LaTeX, HTML)


def _stats(sw: SweepData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(means with CIs per job, differences from the reference per job)."""
    kp = sw.sweep
    keep = ["replication", "island", "condition", "metric", "value"]
    means = pd.concat([summarise(g[keep]).assign(job=int(j)) for j, g in kp.groupby("job", sort=True)],
                      ignore_index=True)
    if sw.comparison is not None and not sw.comparison.empty:
        diffs = sw.comparison.copy()
        diffs["job"] = diffs["job"].astype(int)
    else:
        ref = kp[kp["job"] == sw.reference][keep]
        diffs = pd.concat([paired_difference(g[keep], ref).assign(job=int(j))
                           for j, g in kp.groupby("job", sort=True) if j != sw.reference], ignore_index=True)
    return means, diffs


def _row_labels(values, by: str, w: Words) -> dict[str, str]:
    return {v: w.condition(v) if by == "condition" else w.island(v) for v in values}


def kpi_tables(sw: SweepData, w: Words | None = None) -> list[KpiTable]:
    """One table per KPI of :data:`KPI_TABLES` the sweep has (texts in the language of ``w``)."""
    w = w or Words()
    if sw.sweep is None or sw.sweep.empty:
        return []
    means, diffs = _stats(sw)
    jobs = sorted(int(j) for j in means["job"].unique())
    others = [j for j in jobs if j != sw.reference]
    ref_run = sw.reference_run
    isl_labels = w.names
    cond_order = ref_run.meta.conditions if ref_run is not None else []
    out = []
    for metric, condition, by in KPI_TABLES:
        if by == "condition":
            sel = (means["metric"] == metric) & (means["island"] == ALL) & (means["condition"] != ALL)
        else:
            sel = (means["metric"] == metric) & (means["condition"] == condition)
        m = means[sel]
        if m.empty or m["mean"].notna().sum() == 0:
            continue
        rows = list(dict.fromkeys(m[by]))
        order = [ALL] + [i for i in isl_labels if i in rows] if by == "island" else cond_order
        rows = [r for r in order if r in rows] + sorted(r for r in rows if r not in order)
        d = diffs[(diffs["metric"] == metric) & (diffs["island"] == ALL if by == "condition" else
                                                 diffs["condition"] == condition)]
        if by == "condition":
            d = d[d["condition"] != ALL]
        names = _row_labels(rows, by, w)
        scale = w.scale(metric)
        numbers, display = [], []
        for r in rows:
            drow = {w(by): names[r]}
            for j in jobs:
                mm = m[(m["job"] == j) & (m[by] == r)]
                mean, lo, hi = (float(mm[c].iloc[0]) if len(mm) else float("nan") for c in ("mean", "ci_low", "ci_high"))
                numbers.append({by: r, "job": j, "scenario": sw.labels.get(j, str(j)), "mean": mean, "ci_low": lo,
                                "ci_high": hi})
                label = sw.labels.get(j, str(j)) + (w("ref_suffix") if j == sw.reference else "")
                drow[label] = _cell(mean, lo, hi, scale) + ("†" if len(mm) and _wide(mm) else "")
                if j in others:
                    dd = d[(d["job"] == j) & (d[by] == r)]
                    if len(dd):
                        diff, dlo, dhi = (float(dd[c].iloc[0]) for c in ("difference", "diff_ci_low", "diff_ci_high"))
                        sig = bool(dd["significant"].iloc[0]) if "significant" in dd else False
                        sig_mark = ("*" if sig else "") + ("†" if _wide(dd) else "")
                    else:
                        diff = dlo = dhi = float("nan")
                        sig, sig_mark = False, ""
                    numbers[-1].update(difference=diff, diff_ci_low=dlo, diff_ci_high=dhi, significant=sig)
                    drow[f"Δ {sw.labels.get(j, str(j))}"] = _cell(diff, dlo, dhi, scale, signed=True) + sig_mark
            display.append(drow)
        sep = "，" if w.lang == "zh" else ", "
        what = w("by_condition_county") if by == "condition" else (
            w("by_island") + ("" if condition == ALL else sep + w.condition(condition)))
        key = f"{metric}__{by}" + ("" if condition == ALL else f"__{condition}")
        out.append(KpiTable(key, w.metric(metric) + sep + what, pd.DataFrame(numbers), pd.DataFrame(display)))
    return out


def _wide(rows: pd.DataFrame) -> bool:
    """Whether the first row's interval is marked too wide to read."""
    return "too_wide" in rows and str(rows["too_wide"].iloc[0]).lower() == "true"


def table_note(sw: SweepData, w: Words) -> str:
    """What the cells show: the intervals' kind, the marks * and †."""
    ref = sw.reference_run
    uncertain = ref is not None and bool((ref.config.get("experiment") or {}).get("parameter_uncertainty"))
    return w("table_note") + w("table_wide") + (w("table_uncertainty") if uncertain else "")


def _cell(mean: float, lo: float, hi: float, scale: float, signed: bool = False) -> str:
    if mean != mean:
        return "–"
    m = fmt(mean * scale)
    if signed and mean * scale > 0:
        m = "+" + m
    if lo != lo or hi != hi:
        return m
    return f"{m} [{fmt(lo * scale)}, {fmt(hi * scale)}]"


def to_markdown(df: pd.DataFrame, title: str | None = None) -> str:
    def esc(v) -> str:
        return str(v).replace("|", "\\|")

    lines = [f"**{esc(title)}**", ""] if title else []
    lines.append("| " + " | ".join(esc(c) for c in df.columns) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(df.columns) - 1)) + "|")
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(esc(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                 "Δ": r"$\Delta$", "–": "--", "≤": r"$\le$"}


def latex_escape(text: str) -> str:
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def to_latex(df: pd.DataFrame, title: str | None = None) -> str:
    """A booktabs table (needs ``\\usepackage{booktabs}``)."""
    cols = "l" + "r" * (len(df.columns) - 1)
    lines = [r"\begin{table}[ht]", r"\centering", r"\small"]
    if title:
        lines.append(r"\caption{" + latex_escape(title) + "}")
    lines += [r"\begin{tabular}{" + cols + "}", r"\toprule",
              " & ".join(latex_escape(c) for c in df.columns) + r" \\", r"\midrule"]
    for row in df.itertuples(index=False):
        lines.append(" & ".join(latex_escape(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def write_sweep_tables(sw: SweepData, folder: Path, w: Words | None = None, write: bool = True) -> list[KpiTable]:
    """The tables of every KPI the sweep has; with ``write``, also ``<kpi>.csv``, ``.md`` and ``.tex``."""
    w = w or Words()
    tabs = kpi_tables(sw, w)
    note = table_note(sw, w)
    for t in tabs if write else []:
        write_table(t.numbers, folder / f"{t.key}.csv")
        atomic_write_text(folder / f"{t.key}.md", to_markdown(t.display, t.title) + "\n" + note + "\n")
        atomic_write_text(folder / f"{t.key}.tex", to_latex(t.display, t.title + ". " + note))
    return tabs
