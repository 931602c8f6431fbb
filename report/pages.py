"""The sections of the run page and the sweep page, in each language asked for.

A page is a list of sections (anchor, heading key, function making its inner HTML); a section that has
nothing to show returns ''. Adding a section (e.g. the sensitivity analysis, the optimiser's league
table): write a function ``(ctx, w) -> html`` (tables through :func:`report.html.table`, every text
from the vocabulary) and add it to :data:`RUN_SECTIONS` or :data:`SWEEP_SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from report import html as H
from report.load import SweepData
from report.results import (
    bad_weather_html,
    condition_table,
    face_validation_html,
    full_summary,
    headline_table,
    interval_kind,
    island_table,
    ratios_table,
)
from report.stress import stress_sections
from report.vocab import Words

DEFAULT_RULES = {"transfer_rule": "fastest", "helicopter": True, "bed_full_rule": "board",
                 "placement_rule": "nearest_hub", "care_waitlist": True, "care_conversion_cap": 0,
                 "postpone_rule": "next_day"}


def policy_settings(pol: dict) -> str:
    """The policy keys that differ from 'as today' (empty maps, default rules), as key=value."""
    out = []
    for k, v in pol.items():
        if k in ("name", "helicopter_conditions") or v in (None, {}, []) or DEFAULT_RULES.get(k, object()) == v:
            continue
        if isinstance(v, dict):
            out.append(f"{k}: " + ", ".join(f"{a}={b}" for a, b in v.items()))
        else:
            out.append(f"{k}={v}")
    return "; ".join(out)


def what_was_run(run, w: Words) -> str:
    cfg, rec = run.config, run.record
    scen, exp, pol = cfg.get("scenario", {}) or {}, cfg.get("experiment", {}) or {}, cfg.get("policy", {}) or {}
    wall = rec.get("wall_seconds")
    pairs = [
        (w("k_scenario"), w("v_scenario", name=scen.get("name", rec.get("scenario", "?")), dir=scen.get("data_dir", ""),
                            year=scen.get("year", "?"), weather=scen.get("weather", "climate"))),
        (w("k_policy"), pol.get("name", rec.get("policy", "?"))),
        (w("k_settings"), policy_settings(pol) or w("default_policy")),
        (w("k_reps"), exp.get("replications", rec.get("replications", "?"))),
        (w("k_length"), w("v_length", h=exp.get("horizon_days", "?"), w=exp.get("warmup_days", "?"))),
        (w("k_seed"), exp.get("seed", rec.get("seed", "?"))),
        (w("k_commit"), rec.get("git_commit", "unknown")),
        (w("k_python"), rec.get("python", "?")),
        (w("k_packages"), ", ".join(f"{k} {v}" for k, v in sorted((rec.get("packages") or {}).items()) if v) or "?"),
        (w("k_hash"), rec.get("config_hash", "?")),
        (w("k_wall"), w("v_wall", s=f"{wall:.1f}") if isinstance(wall, int | float) else "?"),
    ]
    return H.kv(pairs)


def sources_html(ctx, w: Words) -> str:
    meta = ctx.meta
    scen = meta.get("scenario") or ctx.run.config.get("scenario", {}) or {}
    if scen.get("kind", "data") != "data":
        return H.note(w("synthetic", kind=scen.get("kind")))
    rows = meta.get("sources")
    if not rows:
        return H.note(w("no_sources"))
    st = pd.DataFrame(rows)
    cols = {"table": "c_table", "rows": "c_rows", "cited": "c_cited", "derived_rows": "c_derived",
            "estimate_rows": "c_estimate", "not_found_rows": "c_not_found"}
    st = st[[c for c in cols if c in st]].rename(columns={c: w(k) for c, k in cols.items()})
    return H.paragraphs([w("sources_intro", folder=scen.get("data_dir", "?"))]) + H.table(st, f"{w.lang}-sources-table")


def stress_html(ctx, w: Words) -> str:
    run = ctx.run
    return "".join(f"<h3>{H.esc(head)}</h3>{H.paragraphs(texts)}" for head, texts in
                   stress_sections(run.config, run.record, ctx.meta, run.table("kpis"), run.table("daily"), w))


def plan_html(ctx, w: Words) -> str:
    plan = ctx.run.table("plan")
    if plan is None or plan.empty:
        return ""
    from report.tables_optimize import optimize_tables_html

    df = plan.copy()
    for c in df.columns:
        if pd.api.types.is_numeric_dtype(df[c]):
            df[c] = [w.fmt(v) for v in df[c]]
    return H.table(df, f"{w.lang}-plan-table") + optimize_tables_html(ctx, w)


def results_html(ctx, w: Words) -> str:
    run = ctx.run
    summary = run.table("summary")
    parts = [ratios_table(run.table("ratios"), w)]
    if summary is None or summary.empty:
        return "".join(parts) + H.note(w("no_summary"))
    days = run.observed_days
    kind = interval_kind(run.config)
    notes = [w("uncertainty_note")] if kind == "interval_uncertainty" else []
    if "too_wide" in summary and summary["too_wide"].astype(str).str.lower().eq("true").any():
        notes.append(w("too_wide_note"))
    parts += [H.note(w("window_note", days=f"{days:g}")) if days else "", *map(H.note, notes),
              f"<h3>{H.esc(w('h_county'))}</h3>", headline_table(summary, w, kind),
              f"<h3>{H.esc(w('h_by_condition'))}</h3>", condition_table(summary, ctx.meta, w),
              f"<h3>{H.esc(w('h_by_island'))}</h3>", island_table(summary, w),
              bad_weather_html(run.table("by_sea_state"), ctx.meta, w),
              face_validation_html(run.table("face_validation"), w), full_summary(summary, w)]
    return "".join(parts)


def run_html(ctx, w: Words) -> str:
    return what_was_run(ctx.run, w) + H.notes(ctx.run.notes)


Section = tuple[str, str, Callable | None]  # anchor, heading key, (ctx, w) -> inner html ('' hides it)
RUN_SECTIONS: list[Section] = [
    ("run", "h_run", run_html),
    ("results", "h_results", results_html),
    ("figures", "h_figures", None),  # filled from the drawn figures
    ("plan", "h_plan", plan_html),
    ("sources", "h_sources", sources_html),
    ("model", "h_model", stress_html),
]


def _sections(spec: list[Section], ctx, built, lang: str, w: Words) -> list[tuple[str, str, str]]:
    out = []
    for anchor, head, make in spec:
        inner = H.figures_html(built.figures[lang], built.skipped[lang], lang, w) if make is None else make(ctx, w)
        if inner:
            out.append((anchor, w(head), inner))
    return out


def _page(ctx, built, langs: list[str], title_of: Callable[[Words], tuple[str, str]], spec: list[Section]) -> str:
    blocks = []
    for lang in langs:
        w = ctx.words(lang)
        banner = w("incomplete", why="; ".join(ctx.run.incomplete)) if ctx.run.incomplete else ""
        head_notes = [w(n) for n in built.notes]
        title, sub = title_of(w)
        sections = _sections(spec, ctx, built, lang, w)
        if head_notes:
            anchor, heading, inner = sections[0]
            sections[0] = (anchor, heading, H.notes(head_notes) + inner)
        blocks.append(H.block(lang, w.html_lang, title, sub, banner, sections))
    first = ctx.words(langs[0])
    return H.page(title_of(first)[0], first.html_lang, blocks, [(la, ctx.words(la)("lang_name")) for la in langs])


def run_page(run, ctx, built, langs: list[str]) -> str:
    scen = run.config.get("scenario", {}).get("name", run.record.get("scenario", "?"))
    return _page(ctx, built, langs, lambda w: (w("page_title", scenario=scen, policy=run.label),
                                               w("page_sub", folder=run.dir.name)), RUN_SECTIONS)


# --- sweep ----------------------------------------------------------------------------------------------
def sweep_run_html(ctx, w: Words) -> str:
    from report.figures_sweep import short_key

    sw: SweepData = ctx.sw
    jobs = pd.DataFrame({w("job"): list(sw.labels), w("scenario"): [sw.labels[j] for j in sw.labels],
                         w("reference"): [w("yes") if j == sw.reference else "" for j in sw.labels]})
    common = ", ".join(f"{k}={v}" for k, v in sw.common.items())
    return (H.paragraphs([w("sweep_intro", n=len(sw.labels), keys=", ".join(short_key(k) for k in sw.swept) or "–",
                            ref=sw.reference, label=sw.labels.get(sw.reference, ""))]
                         + ([w("sweep_common", common=common)] if sw.common else []))
            + H.table(jobs, f"{w.lang}-jobs-table") + f"<h3>{H.esc(w('h_reference_job'))}</h3>"
            + what_was_run(ctx.run, w) + H.notes(sw.notes + ctx.run.notes))


def reference_ratios_html(ctx, w: Words) -> str:
    return ratios_table(ctx.run.table("ratios"), w)


def comparison_html(ctx, w: Words) -> str:
    tabs = ctx.kpi_tables.get(w.lang, [])
    if not tabs:
        return H.note(w("no_kpis"))
    from report.tables import table_note

    return "".join(f"<h3>{H.esc(t.title)}</h3>" + H.table(t.display, f"{w.lang}-table-{t.key}") for t in tabs) \
        + H.note(table_note(ctx.sw, w) + " " + w("sweep_files"))


SWEEP_SECTIONS: list[Section] = [
    ("run", "h_run", sweep_run_html),
    ("targets", "h_targets_ref", reference_ratios_html),
    ("comparison", "h_comparison", comparison_html),
    ("figures", "h_figures", None),
    ("plan", "h_plan", plan_html),
    ("sources", "h_sources", sources_html),
    ("model", "h_model", stress_html),
]


def sweep_page(sw: SweepData, ctx, built, langs: list[str]) -> str:
    """``ctx.kpi_tables``: the comparison tables per language (report.tables)."""
    return _page(ctx, built, langs, lambda w: (w("sweep_title", name=sw.dir.name), w("sweep_sub", folder=sw.dir)),
                 SWEEP_SECTIONS)
