"""The report of a sensitivity folder (``mode=sensitivity``; ``mode=report input=<that folder>``).

The same machinery as a run's page (:mod:`report.build`, :mod:`report.pages`): figure specs drawn in
parallel in each language, sections from the vocabulary. What it reads: ``sensitivity.csv``,
``sensitivity.json`` (factors, ranges, KPIs, design) and the folder's run records.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pandas as pd

from report import html as H
from report import pages
from report.figures_sensitivity import (
    effects_chart,
    factor_labels,
    kpi_label,
    sensitivity_heatmap,
    sobol_chart,
)
from report.load import load_run, read_table
from report.specs import Context, FigureSpec, Variant
from report.vocab import Words
from scenarios.units import ALL

META = "sensitivity.json"


def is_sensitivity(folder: Path | str) -> bool:
    return (Path(folder) / META).exists()


class SensitivityContext(Context):
    """A run's Context plus the sensitivity tables (entries ``sens_table`` and ``sens_meta``)."""

    DERIVED = (*Context.DERIVED, "sens_table", "sens_meta")
    ENTRIES = frozenset({*Context.ENTRIES, "sens_table", "sens_meta"})

    @cached_property
    def sens_table(self) -> pd.DataFrame | None:
        return read_table(self.run.dir, "sensitivity")

    @cached_property
    def sens_meta(self) -> dict:
        try:
            return json.loads((self.run.dir / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def kpis(self) -> list[dict]:
        return list(self.sens_meta.get("kpis", []))


def kpi_variants(ctx: SensitivityContext) -> list[Variant]:
    return [Variant("_" + k["name"].replace(":", "_"), {"kpi": k["name"]},
                    {"metric": k["metric"], "condition": k.get("condition", ALL)}) for k in ctx.kpis()]


FIGURES: dict[str, tuple[FigureSpec, ...]] = {
    "morris": (FigureSpec("sensitivity_heatmap", sensitivity_heatmap, ("sens_table",)),
               FigureSpec("sensitivity_effects", effects_chart, ("sens_table",), variants=kpi_variants)),
    "sobol": (FigureSpec("sensitivity_heatmap", sensitivity_heatmap, ("sens_table",)),
              FigureSpec("sensitivity_sobol", sobol_chart, ("sens_table",), variants=kpi_variants)),
}


def design_html(ctx: SensitivityContext, w: Words) -> str:
    m, s = ctx.sens_meta, ctx.sens_meta.get("settings", {})
    fields = {"factors": len(m.get("factors", [])), "levels": s.get("levels", "?"), "trajectories": s.get("trajectories", "?"),
              "points": m.get("points", "?"), "days": _g(m.get("horizon_days", 0) - m.get("warmup_days", 0)),
              "warmup": _g(m.get("warmup_days")), "reps": m.get("replications_per_point", "?"),
              "noise": s.get("noise_replications", "?")}
    intro = w("sens_intro_morris" if m.get("method") == "morris" else "sens_intro_sobol", **fields)
    extra = [w("sens_mu_explained")] if m.get("method") == "morris" else []
    rec, cfg = ctx.run.record, ctx.run.config
    scen = cfg.get("scenario", {}) or {}
    wall = rec.get("wall_seconds")
    pairs = [
        (w("k_scenario"), w("v_scenario", name=scen.get("name", m.get("scenario", "?")),
                            dir=scen.get("data_dir", "") if scen.get("kind", "data") == "data" else scen.get("kind", ""),
                            year=scen.get("year", "?"), weather=scen.get("weather", "climate"))),
        (w("k_policy"), m.get("policy", "?")),
        (w("k_sens_method"), m.get("method", "?")),
        (w("k_sens_factors"), fields["factors"]),
        (w("k_sens_points"), fields["points"]),
        (w("k_reps"), fields["reps"]),
        (w("k_length"), w("v_length", h=_g(m.get("horizon_days")), w=_g(m.get("warmup_days")))),
        (w("k_seed"), f"{m.get('seed', '?')} / {s.get('seed', '?')}"),
        (w("k_commit"), rec.get("git_commit", "unknown")),
        (w("k_python"), rec.get("python", "?")),
        (w("k_packages"), ", ".join(f"{k} {v}" for k, v in sorted((rec.get("packages") or {}).items()) if v) or "?"),
        (w("k_wall"), w("v_wall", s=f"{wall:.1f}") if isinstance(wall, int | float) else "?"),
    ]
    return H.paragraphs([intro, *extra]) + H.kv(pairs) + H.notes(ctx.run.notes)


def sentences(table: pd.DataFrame, meta: dict, w: Words, top: int = 3) -> list[str]:
    """One sentence per KPI naming the inputs that matter most (those whose interval clears zero first)."""
    labels = factor_labels(meta, w)
    morris = "mu_star" in table
    col = "mu_star" if morris else "ST"
    out = []
    for k in meta.get("kpis", []):
        g = table[table["kpi"] == k["name"]]
        name = kpi_label(k, w)
        if g[col].isna().all():
            out.append(w("sens_nan", kpi=name))
            continue
        g = g[g[col] > 0].sort_values(col, ascending=False).head(top)
        if g.empty:
            out.append(w("sens_none", kpi=name))
            continue
        scale, unit = w.scale(k["metric"]), w.unit(k["metric"])
        parts = []
        for r in g.itertuples(index=False):
            label = labels.get(r.parameter, r.parameter)
            if morris:
                text = w("sens_effect", name=label, mu=w.fmt(r.mu_star * scale), unit=unit)
                clear = bool(r.above_noise) if hasattr(r, "above_noise") else r.mu_star - r.mu_star_ci > 0
                if not clear:
                    text += w("sens_noisy")
            else:
                text = w("sens_effect_st", name=label, st=w.fmt(r.ST, 2))
            parts.append(text)
        sep = "、" if w.lang == "zh" else ", "
        rest = w("sens_then", names=sep.join(parts[1:])) if len(parts) > 1 else ""
        out.append(w("sens_sentence", kpi=name, first=parts[0], rest=rest))
    return out


def findings_html(ctx: SensitivityContext, w: Words) -> str:
    t = ctx.sens_table
    if t is None or t.empty:
        return H.note(w("why_sens_table"))
    return H.paragraphs(sentences(t, ctx.sens_meta, w))


def table_html(ctx: SensitivityContext, w: Words, top: int = 5) -> str:
    t = ctx.sens_table
    if t is None or t.empty:
        return ""
    labels = factor_labels(ctx.sens_meta, w)
    morris = "mu_star" in t
    rows = []
    for k in ctx.kpis():
        g = t[t["kpi"] == k["name"]].dropna(subset=["rank"]).sort_values("rank").head(top)
        scale = w.scale(k["metric"])
        for r in g.itertuples(index=False):
            row = {w("cs_kpi"): kpi_label(k, w), w("cs_rank"): int(r.rank), w("cs_factor"): labels.get(r.parameter, r.parameter)}
            if morris:
                row[w("cs_mu_star")] = w.fmt(r.mu_star * scale)
                row[w("cs_mu_ci")] = f"{w.fmt(max(r.mu_star - r.mu_star_ci, 0) * scale)} – {w.fmt((r.mu_star + r.mu_star_ci) * scale)}"
                row[w("cs_sigma")] = w.fmt(r.sigma * scale)
            else:
                row[w("cs_s1")], row[w("cs_st")] = w.fmt(r.S1, 2), w.fmt(r.ST, 2)
            rows.append(row)
    return (H.table(pd.DataFrame(rows), f"{w.lang}-sensitivity-table") if rows else "") + H.note(w("sens_files"))


def factors_html(ctx: SensitivityContext, w: Words) -> str:
    rows = []
    labels = factor_labels(ctx.sens_meta, w)
    for f in ctx.sens_meta.get("factors", []):
        srcs = sorted({r["source"] for r in f["rows"]})
        dists = sorted({r["distribution"] for r in f["rows"]})
        rows.append({w("cs_factor"): labels.get(f["name"], f["name"]), w("cs_rows"): len(f["rows"]),
                     w("cs_dist"): ", ".join(dists), w("cs_source"): " | ".join(srcs)[:300]})
    return H.table(pd.DataFrame(rows), f"{w.lang}-factors-table") if rows else ""


SECTIONS: list[pages.Section] = [
    ("design", "h_sens_design", design_html),
    ("findings", "h_sens_findings", findings_html),
    ("effects", "h_sens_table", table_html),
    ("figures", "h_figures", None),
    ("factors", "h_sens_factors", factors_html),
    ("sources", "h_sources", pages.sources_html),
]


def write_sensitivity_report(folder: Path, lang: str | None = None, workers: int = 0) -> Path:
    """``report.html`` and ``figures/`` of a sensitivity folder."""
    from experiments.io import atomic_write_text
    from report.build import FIGURES_DIR, REPORT_NAME, build_figures, page_languages

    folder = Path(folder).resolve()
    out = folder / FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    run = load_run(folder, tables=())
    ctx = SensitivityContext(run)
    langs = page_languages(lang or run.meta.lang)
    built = build_figures(ctx, FIGURES.get(ctx.sens_meta.get("method"), FIGURES["morris"]), langs, out, workers)
    scen = ctx.sens_meta.get("scenario") or run.config.get("scenario", {}).get("name", "?")
    page = pages._page(ctx, built, langs, lambda w: (w("sens_title", scenario=scen), w("sens_sub", folder=folder.name)),
                       SECTIONS)
    path = folder / REPORT_NAME
    atomic_write_text(path, page)
    return path


def _g(x) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return "?"
