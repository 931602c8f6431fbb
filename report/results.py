"""The result tables of a run page: ratios against targets, headline KPIs, by condition, by island,
in bad weather (by sea state), face validation, and every KPI of ``summary.csv``.

Each takes the run's tables and a :class:`report.vocab.Words` and returns escaped HTML ('' when the
table it needs is absent). Table ids carry the language (``zh-headline-table``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.summary import is_share
from report import html as H
from report.meta import Meta
from report.vocab import HEADLINE, SEA_STATES, Words, fmt
from scenarios.units import ALL

ISLAND_COLUMNS = (("arrivals", "c_arrivals"), ("time_to_definitive_care_min_mean", "c_ttc"),
                  ("within_target_share", "c_within"), ("in_county_share", "c_in_county"),
                  ("transfers_out_of_county", "c_out"), ("weather_delay_min_mean", "c_delay"),
                  ("doctor_utilization", "c_doctor"))


def _index(summary: pd.DataFrame) -> dict:
    """(island, condition, metric) -> row, built once per table."""
    return {(r.island, r.condition, r.metric): r for r in summary.itertuples(index=False)}


def wide(row) -> bool:
    """Whether summary.csv marks the row's interval too wide to read (older runs have no mark)."""
    v = getattr(row, "too_wide", False)
    return isinstance(v, bool | np.bool_) and bool(v) or (isinstance(v, str) and v.lower() == "true")


def _ci(metric: str, row, w: Words) -> str:
    if row is None or pd.isna(row.ci_low) or pd.isna(row.ci_high):
        return "–"
    lo, hi = possible(row.ci_low, row.ci_high, is_share(metric))
    return f"{w.fmt_metric(metric, lo)} – {w.fmt_metric(metric, hi)}" + (w("too_wide") if wide(row) else "")


def possible(lo: float, hi: float, share: bool = False) -> tuple[float, float]:
    """An interval clipped to the values the quantity can take, as the console shows it: every KPI of
    the tables (counts, minutes, shares) is never negative, a share never above 1."""
    return max(0.0, lo), (min(1.0, hi) if share else hi)


def interval_kind(config: dict) -> str:
    """The vocabulary key of the run's intervals: confidence intervals, or uncertainty intervals when each
    replication drew its own inputs (``experiment.parameter_uncertainty``)."""
    return "interval_uncertainty" if (config.get("experiment") or {}).get("parameter_uncertainty") else "interval"


def _val(idx: dict, island: str, condition: str, metric: str, w: Words) -> str:
    r = idx.get((island, condition, metric))
    return w.fmt_metric(metric, r.mean) if r is not None else "–"


def ratios_table(ratios: pd.DataFrame | None, w: Words) -> str:
    if ratios is None or ratios.empty:
        return H.note(w("no_ratios"))
    from report.figures_capacity import RATIO_UNITS

    yes, no = w("yes"), w("no")
    df = pd.DataFrame({
        w("c_ratio"): [w(RATIO_UNITS[r][0]) if r in RATIO_UNITS and w.lang == "zh" else m
                       for r, m in zip(ratios["ratio"], ratios["meaning"], strict=True)],
        w("c_value"): [fmt(v) for v in ratios["value"]],
        w("c_target_2025"): [fmt(v) for v in ratios["target_2025"]],
        w("c_meets"): [yes if bool(m) else no for m in ratios["meets_target"]],
        w("c_gap"): [fmt(v) for v in ratios["gap"]],
    })
    meets = w("c_meets")
    return H.table(df, f"{w.lang}-ratios-table",
                   cell_class=lambda c, v: ("ok" if v == yes else "no") if c == meets else "")


def headline_table(summary: pd.DataFrame, w: Words, kind: str = "interval") -> str:
    """The county's headline KPIs, mean and interval (``kind``: its vocabulary key, :func:`interval_kind`)."""
    idx = _index(summary)
    rows = []
    for metric, cond in HEADLINE:
        r = idx.get((ALL, cond, metric))
        if r is None or pd.isna(r.mean):
            continue
        sep = "，" if w.lang == "zh" else ", "
        rows.append({w("c_kpi"): w.metric(metric) + ("" if cond == ALL else sep + w.condition(cond)),
                     w("mean"): w.fmt_metric(metric, r.mean), w(kind): _ci(metric, r, w), w("n"): int(r.n)})
    return H.table(pd.DataFrame(rows), f"{w.lang}-headline-table") if rows else ""


def condition_table(summary: pd.DataFrame, meta: Meta, w: Words) -> str:
    idx = _index(summary)
    targets = meta.targets_min()
    conds = [c for c in dict.fromkeys(summary["condition"]) if c != ALL]
    order = meta.conditions
    conds = [c for c in order if c in conds] + [c for c in conds if c not in order]
    rows = []
    for c in conds:
        rows.append({
            w("condition"): w.condition(c), w("c_target_min"): fmt(targets.get(c)),
            w("c_arrivals"): _val(idx, ALL, c, "arrivals", w),
            w("c_ttc"): _val(idx, ALL, c, "time_to_definitive_care_min_mean", w),
            w("c_p90"): _val(idx, ALL, c, "time_to_definitive_care_min_p90", w),
            w("c_within"): _val(idx, ALL, c, "within_target_share", w),
            w("c_within_ci"): _ci("within_target_share", idx.get((ALL, c, "within_target_share")), w),
            w("c_in_county"): _val(idx, ALL, c, "in_county_share", w),
        })
    return H.table(pd.DataFrame(rows), f"{w.lang}-condition-table") if rows else ""


def island_table(summary: pd.DataFrame, w: Words) -> str:
    idx = _index(summary)
    islands = [i for i in dict.fromkeys(summary["island"]) if i != ALL]
    islands = [ALL] + [i for i in w.names if i in islands] + sorted(i for i in islands if i not in w.names)
    rows = []
    for isl in islands:
        row = {w("island"): w.island(isl)}
        for metric, key in ISLAND_COLUMNS:
            row[w(key)] = _val(idx, isl, ALL, metric, w)
        rows.append(row)
    return H.table(pd.DataFrame(rows), f"{w.lang}-island-table")


def full_summary(summary: pd.DataFrame, w: Words) -> str:
    """Every row of summary.csv with its ids as stored (column names as in the file)."""
    df = pd.DataFrame({
        "island": summary["island"], "condition": summary["condition"], "metric": summary["metric"],
        "mean": [fmt(v, 4) for v in summary["mean"]], "ci_low": [fmt(v, 4) for v in summary["ci_low"]],
        "ci_high": [fmt(v, 4) for v in summary["ci_high"]], "n": summary["n"],
    })
    return (f"<details><summary>{H.esc(w('every_kpi'))}</summary>" + H.table(df, f"{w.lang}-summary-table")
            + "</details>")


# --- in bad weather ------------------------------------------------------------------------------------
WEATHER_METRICS = ("time_to_definitive_care_min_mean", "within_target_share")


def sea_state_means(by_sea_state: pd.DataFrame) -> pd.DataFrame:
    """island, condition, sea_state, metric, value: over replications, a mean weighted by the patients
    each replication had in that sea state (``arrivals``) where the table has them."""
    df = by_sea_state[by_sea_state["metric"].isin((*WEATHER_METRICS, "arrivals"))]
    keys = ["replication", "sea_state", "island", "condition"]
    wide = df.pivot_table(index=keys, columns="metric", values="value", aggfunc="first").reset_index()
    weight = wide["arrivals"] if "arrivals" in wide else pd.Series(1.0, index=wide.index)
    out = []
    if "arrivals" in wide:  # patients over all replications: how much each cell rests on
        n = wide.groupby(["island", "condition", "sea_state"])["arrivals"].sum().rename("value").reset_index()
        out.append(n.assign(metric="arrivals"))
    for m in WEATHER_METRICS:
        if m not in wide:
            continue
        ok = wide[m].notna() & (weight > 0)
        g = wide[ok].assign(_wv=wide[m] * weight, _w=weight).groupby(["island", "condition", "sea_state"])
        s = (g["_wv"].sum() / g["_w"].sum()).rename("value").reset_index()
        out.append(s.assign(metric=m))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["island", "condition", "sea_state",
                                                                              "metric", "value"])


def bad_weather_html(by_sea_state: pd.DataFrame | None, meta: Meta, w: Words) -> str:
    """One small table per island (county first): the time-critical conditions by sea state at onset,
    'mean minutes to definitive care · % within target' in each cell."""
    if by_sea_state is None or by_sea_state.empty:
        return ""
    means = sea_state_means(by_sea_state)
    critical = meta.time_critical or sorted(set(means["condition"]) - {ALL})
    means = means[means["condition"].isin(critical)]
    if means.empty:
        return ""
    states = [s for s in SEA_STATES if s in set(means["sea_state"])] + sorted(set(means["sea_state"]) - set(SEA_STATES))
    look = {(r.island, r.condition, r.sea_state, r.metric): r.value for r in means.itertuples(index=False)}
    islands = [i for i in [ALL, *w.names] if i in set(means["island"])]
    islands += sorted(set(means["island"]) - set(islands))
    parts = [H.note(w("weather_note"))]
    for k, isl in enumerate(islands):
        rows = []
        for c in critical:
            row = {w("condition"): w.condition(c)}
            for s in states:
                t = look.get((isl, c, s, WEATHER_METRICS[0]), np.nan)
                share = look.get((isl, c, s, WEATHER_METRICS[1]), np.nan)
                n = look.get((isl, c, s, "arrivals"))
                row[w.sea_state(s)] = "–" if np.isnan(t) and np.isnan(share) else \
                    f"{w('min_unit', n=fmt(t))} · {fmt(share * 100)}%" + ("" if n is None else f" (n={n:,.0f})")
            rows.append(row)
        tab = H.table(pd.DataFrame(rows), f"{w.lang}-weather-{isl}")
        parts.append(f"<h4>{H.esc(w.island(isl))}</h4>{tab}" if k == 0 else
                     f"<details><summary>{H.esc(w.island(isl))}</summary>{tab}</details>")
    return f"<h3>{H.esc(w('h_weather'))}</h3>" + "".join(parts)


# --- face validation -----------------------------------------------------------------------------------
def _floor0(v):
    """A lower bound of a count, rate or share: never below zero (missing stays missing)."""
    try:
        return max(0.0, float(v)) if v == v else v
    except (TypeError, ValueError):
        return v


def face_validation_html(face: pd.DataFrame | None, w: Words) -> str:
    """The model beside published figures; a ✗ where the model is outside the reference range."""
    if face is None or face.empty:
        return ""
    yes, no = "✓", "✗"

    def within(r) -> str:
        v = r.get("within")
        if isinstance(v, str):
            v = v.strip().lower() in ("true", "1", "yes")
        return "–" if v is None or (isinstance(v, float) and np.isnan(v)) else (yes if bool(v) else no)

    rows = [{w("c_indicator"): r.get("indicator", ""),
             w("c_model"): f"{fmt(r.get('model_mean'))} [{fmt(_floor0(r.get('model_ci_low')))}, "
                           f"{fmt(r.get('model_ci_high'))}]",
             w("c_reference"): f"{fmt(r.get('reference'))} [{fmt(r.get('reference_low'))}, "
                               f"{fmt(r.get('reference_high'))}]",
             w("c_source"): r.get("source", ""), w("c_within_ref"): within(r)} for r in face.to_dict("records")]
    col = w("c_within_ref")
    tab = H.table(pd.DataFrame(rows), f"{w.lang}-face-validation-table",
                  cell_class=lambda c, v: ("ok" if v == yes else "no" if v == no else "") if c == col else "")
    return f"<h3>{H.esc(w('h_face'))}</h3>" + tab + H.note(w("face_note"))
