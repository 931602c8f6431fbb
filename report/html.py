"""One self-contained HTML page for a run or a sweep: inline CSS, figures as base64 PNG, no scripts,
no network. Every value is escaped; numbers go through :func:`report.vocab.fmt`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence

import pandas as pd

from report.load import RunData, SweepData, short_key
from report.stress import stress_sections
from report.vocab import ALL, COUNTY, HEADLINE, condition_label, fmt, fmt_metric, metric_label

CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC","DejaVu Sans",Arial,sans-serif;margin:0;color:#1a1a1a;
background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:1.7rem;margin:.2rem 0 .3rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:2px solid #0173b2;
padding-bottom:.2rem}h3{font-size:1.05rem;margin-top:1.4rem}
.sub{color:#555;margin:0 0 1rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.86rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right;vertical-align:top}
th{background:#f0f4f8;text-align:center}td:first-child,th:first-child{text-align:left}
table.kv td:first-child{font-weight:600;color:#333}table.kv td{text-align:left}
td.ok{color:#027a3a;font-weight:600}td.no{color:#b2182b;font-weight:600}
figure{margin:1.2rem 0 2rem}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.86rem;color:#444;margin-top:.3rem}
.note{font-size:.85rem;color:#555}nav a{margin-right:.8rem;font-size:.9rem}
details{margin:.8rem 0}summary{cursor:pointer;font-weight:600}
.wide{overflow-x:auto}
"""


def esc(v) -> str:
    return html.escape(str(v), quote=True)


def table(df: pd.DataFrame, table_id: str | None = None, css: str = "", cell_class=None) -> str:
    """An HTML table of already formatted cells (every cell escaped)."""
    idattr = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for r in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, r, strict=True):
            cls = cell_class(c, v) if cell_class else ""
            attr = f' class="{esc(cls)}"' if cls else ""
            cells.append(f"<td{attr}>{esc(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="wide"><table{idattr} class="{esc(css)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def kv(pairs: Iterable[tuple[str, object]]) -> str:
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in pairs)
    return f'<table class="kv"><tbody>{rows}</tbody></table>'


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(f"<p>{esc(t)}</p>" for t in texts)


def page(title: str, subtitle: str, sections: list[tuple[str, str, str]]) -> str:
    """sections: (anchor, heading, inner html)."""
    nav = "".join(f'<a href="#{esc(a)}">{esc(h)}</a>' for a, h, _ in sections)
    body = "".join(f'<section id="{esc(a)}"><h2>{esc(h)}</h2>{inner}</section>' for a, h, inner in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            '<link rel="icon" href="data:,">'  # no favicon request (offline, and no console error)
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
            f"<h1>{esc(title)}</h1><p class=\"sub\">{esc(subtitle)}</p><nav>{nav}</nav>{body}"
            "</main></body></html>\n")


def figures_html(built) -> str:
    parts = []
    for f in built.figures:
        raw = f.png.read_bytes()
        data = base64.b64encode(raw).decode("ascii")
        # show a column-wide figure at half the page, as in a paper (width from the PNG header, 300 dpi)
        width_in = int.from_bytes(raw[16:20], "big") / 300
        pct = max(35, min(100, round(width_in / 7.0 * 100)))
        parts.append(f'<figure id="fig-{esc(f.name)}"><img alt="{esc(f.title)}" style="width:{pct}%" '
                     f'src="data:image/png;base64,{data}">'
                     f"<figcaption><b>{esc(f.title)}.</b> {esc(f.caption)} "
                     f"<span class=\"note\">Files: figures/{esc(f.png.name)}, figures/{esc(f.pdf.name)}</span>"
                     "</figcaption></figure>")
    if built.skipped:
        parts.append("<h3>Figures not drawn</h3><ul class=\"note\">" +
                     "".join(f"<li>{esc(s)}</li>" for s in built.skipped) + "</ul>")
    return "".join(parts)


# --- pieces shared by run and sweep pages -------------------------------------------------------------
def what_was_run(run: RunData) -> str:
    cfg, rec = run.config, run.record
    scen, exp, pol = cfg.get("scenario", {}) or {}, cfg.get("experiment", {}) or {}, cfg.get("policy", {}) or {}
    pairs = [
        ("scenario", f"{scen.get('name', rec.get('scenario', '?'))} ({scen.get('data_dir', '')}, year "
                     f"{scen.get('year', '?')}, weather {scen.get('weather', 'climate')})"),
        ("policy", pol.get("name", rec.get("policy", "?"))),
        ("policy settings", policy_settings(pol) or "today's resources, default rules"),
        ("replications", exp.get("replications", rec.get("replications", "?"))),
        ("run length", f"{exp.get('horizon_days', '?')} days, warm-up {exp.get('warmup_days', '?')} days"),
        ("seed", exp.get("seed", rec.get("seed", "?"))),
        ("code commit", rec.get("git_commit", "unknown")),
        ("python", rec.get("python", "?")),
        ("packages", ", ".join(f"{k} {v}" for k, v in sorted((rec.get("packages") or {}).items()) if v) or "?"),
        ("configuration hash", rec.get("config_hash", "?")),
        ("wall time", f"{rec['wall_seconds']:.1f} s" if isinstance(rec.get("wall_seconds"), int | float) else "?"),
    ]
    return kv(pairs)


DEFAULT_RULES = {"transfer_rule": "fastest", "helicopter": True, "bed_full_rule": "board",
                 "placement_rule": "nearest_hub", "care_waitlist": True, "care_conversion_cap": 0,
                 "postpone_rule": "next_day"}


def policy_settings(pol: dict) -> str:
    """The policy keys that differ from 'as today' (empty maps, default rules), in words."""
    out = []
    for k, v in pol.items():
        if k in ("name", "helicopter_conditions") or v in (None, {}, []) or DEFAULT_RULES.get(k, object()) == v:
            continue
        if isinstance(v, dict):
            out.append(f"{k}: " + ", ".join(f"{a}={b}" for a, b in v.items()))
        else:
            out.append(f"{k}={v}")
    return "; ".join(out)


def ratios_table(ratios: pd.DataFrame | None) -> str:
    if ratios is None or ratios.empty:
        return '<p class="note">No ratios in this run.</p>'
    df = pd.DataFrame({
        "ratio": ratios["meaning"],
        "value": [fmt(v) for v in ratios["value"]],
        "2025 target": [fmt(v) for v in ratios["target_2025"]],
        "meets target": ["yes" if bool(m) else "no" for m in ratios["meets_target"]],
        "gap": [fmt(v) for v in ratios["gap"]],
    })
    return table(df, "ratios-table", cell_class=lambda c, v: ("ok" if v == "yes" else "no") if c == "meets target" else "")


def _row(summary: pd.DataFrame, island: str, condition: str, metric: str) -> pd.Series | None:
    r = summary[(summary["island"] == island) & (summary["condition"] == condition) & (summary["metric"] == metric)]
    return r.iloc[0] if len(r) else None


def _ci(metric: str, row) -> str:
    if row is None:
        return "–"
    lo, hi = row["ci_low"], row["ci_high"]
    if pd.isna(lo) or pd.isna(hi):
        return "–"
    return f"{fmt_metric(metric, lo)} – {fmt_metric(metric, hi)}"


def _val(summary: pd.DataFrame, island: str, condition: str, metric: str) -> str:
    r = _row(summary, island, condition, metric)
    return fmt_metric(metric, r["mean"]) if r is not None else "–"


def headline_table(summary: pd.DataFrame) -> str:
    rows = []
    for metric, cond in HEADLINE:
        r = _row(summary, ALL, cond, metric)
        if r is None or pd.isna(r["mean"]):
            continue
        rows.append({"KPI (county)": metric_label(metric) + ("" if cond == ALL else f", {condition_label(cond)}"),
                     "mean": fmt_metric(metric, r["mean"]), "95% interval": _ci(metric, r), "n": int(r["n"])})
    return table(pd.DataFrame(rows), "headline-table") if rows else ""


def condition_table(summary: pd.DataFrame, run: RunData) -> str:
    targets = run.targets_min()
    conds = [c for c in dict.fromkeys(summary["condition"]) if c != ALL]
    if run.scenario is not None:
        order = [c.id for c in run.scenario.conditions]
        conds = [c for c in order if c in conds] + [c for c in conds if c not in order]
    rows = []
    for c in conds:
        wt = _row(summary, ALL, c, "within_target_share")
        rows.append({
            "condition": condition_label(c),
            "target (min)": fmt(targets.get(c)),
            "arrivals": _val(summary, ALL, c, "arrivals"),
            "time to care, mean (min)": _val(summary, ALL, c, "time_to_definitive_care_min_mean"),
            "90th pct (min)": _val(summary, ALL, c, "time_to_definitive_care_min_p90"),
            "within target (%)": _val(summary, ALL, c, "within_target_share"),
            "95% interval (%)": _ci("within_target_share", wt),
            "in county (%)": _val(summary, ALL, c, "in_county_share"),
        })
    return table(pd.DataFrame(rows), "condition-table") if rows else ""


ISLAND_COLUMNS = (("arrivals", "arrivals"), ("time_to_definitive_care_min_mean", "time to care, mean (min)"),
                  ("within_target_share", "within target (%)"), ("in_county_share", "in county (%)"),
                  ("transfers_out_of_county", "transfers out of county"),
                  ("weather_delay_min_mean", "weather delay per transfer (min)"),
                  ("doctor_utilization", "doctor utilisation (%)"))


def island_table(summary: pd.DataFrame, run: RunData) -> str:
    labels = run.island_labels()
    islands = [i for i in dict.fromkeys(summary["island"]) if i != ALL]
    islands = [ALL] + [i for i in labels if i in islands] + sorted(i for i in islands if i not in labels)
    rows = []
    for isl in islands:
        row = {"island": COUNTY if isl == ALL else labels.get(isl, isl)}
        for metric, name in ISLAND_COLUMNS:
            row[name] = _val(summary, isl, ALL, metric)
        rows.append(row)
    return table(pd.DataFrame(rows), "island-table")


def full_summary(summary: pd.DataFrame) -> str:
    df = pd.DataFrame({
        "island": summary["island"], "condition": summary["condition"], "metric": summary["metric"],
        "mean": [fmt(v, 4) for v in summary["mean"]], "ci_low": [fmt(v, 4) for v in summary["ci_low"]],
        "ci_high": [fmt(v, 4) for v in summary["ci_high"]], "n": summary["n"],
    })
    return ("<details><summary>Every KPI of summary.csv (mean and 95% interval over replications, units as "
            "stored: minutes, counts over the observed window, shares as fractions)</summary>"
            + table(df, "summary-table") + "</details>")


def sources_html(run: RunData) -> str:
    from scenarios.loader import resolve_data_dir
    from scenarios.sources import sources_table

    scen = run.config.get("scenario", {}) or {}
    if scen.get("kind", "data") != "data":
        return f'<p class="note">Synthetic scenario ({esc(scen.get("kind"))}): no data tables.</p>'
    folder = resolve_data_dir(scen.get("data_dir", ""))
    if not folder.is_dir():
        return f'<p class="note">Scenario folder {esc(folder)} not found.</p>'
    st = sources_table(folder)
    st = st.rename(columns={"cited": "sources cited", "derived_rows": "rows derived (DER)",
                            "estimate_rows": "rows with an estimate", "not_found_rows": "rows marked NOT FOUND"})
    return (f"<p>Tables of <code>{esc(folder)}</code>. Keys in brackets refer to the research notes named in the "
            "scenario's README; <i>DER</i> marks arithmetic on sourced numbers, <i>estimate</i> a judgement with "
            "its reasoning in the row.</p>" + table(st, "sources-table"))


def stress_html(run: RunData) -> str:
    parts = []
    for head, texts in stress_sections(run.config, run.record, run.scenario, run.table("kpis"), run.table("daily")):
        parts.append(f"<h3>{esc(head)}</h3>{paragraphs(texts)}")
    return "".join(parts)


def plan_html(run: RunData) -> str:
    plan = run.table("plan")
    if plan is None or plan.empty:
        return ""
    df = plan.copy()
    for c in df.columns:
        if pd.api.types.is_numeric_dtype(df[c]):
            df[c] = [fmt(v) for v in df[c]]
    return "<h3>Plan</h3>" + table(df, "plan-table")


def notes_html(notes: Sequence[str]) -> str:
    return ("<ul class=\"note\">" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>") if notes else ""


# --- pages ----------------------------------------------------------------------------------------------
def run_page(run: RunData, built) -> str:
    summary = run.table("summary")
    results = [ratios_table(run.table("ratios"))]
    if summary is not None and not summary.empty:
        days = run.observed_days
        window = (f'<p class="note">Counts are over the observed window of {days:g} days (run length minus '
                  "warm-up); intervals are 95% t-intervals over replications.</p>") if days else ""
        results += ["<h3>County KPIs</h3>", window, headline_table(summary), "<h3>By condition (county)</h3>",
                    condition_table(summary, run), "<h3>By home island (all conditions)</h3>",
                    island_table(summary, run), full_summary(summary)]
    else:
        results.append('<p class="note">This folder has no summary.csv (not a simulation run).</p>')
    sections = [("run", "What was run", what_was_run(run) + notes_html(run.notes)),
                ("results", "Results against the county's targets", "".join(results)),
                ("figures", "Figures", figures_html(built))]
    plan = plan_html(run)
    if plan:
        sections.append(("plan", "Plan", plan))
    sections += [("sources", "Data sources", sources_html(run)),
                 ("model", "Model description (STRESS-DES)", stress_html(run))]
    scen = run.config.get("scenario", {}).get("name", run.record.get("scenario", "?"))
    return page(f"islandcare report: {scen}, policy {run.label}",
                f"Run folder {run.dir.name}. Figures are also in figures/ as PNG (300 dpi) and PDF.", sections)


def sweep_page(sw: SweepData, built, tabs) -> str:
    ref = sw.reference_run
    jobs = pd.DataFrame({"job": list(sw.labels), "scenario": [sw.labels[j] for j in sw.labels],
                         "reference": ["yes" if j == sw.reference else "" for j in sw.labels]})
    run_part = (f"<p>{len(sw.labels)} jobs over {esc(', '.join(short_key(k) for k in sw.swept) or 'no swept key')}; "
                f"differences are against job {sw.reference} ({esc(sw.labels.get(sw.reference, ''))}).</p>"
                + (f"<p>Overrides shared by every job: {esc(', '.join(f'{k}={v}' for k, v in sw.common.items()))}.</p>"
                   if sw.common else "")
                + table(jobs, "jobs-table") + "<h3>Reference job</h3>" + what_was_run(ref)
                + notes_html(sw.notes + ref.notes))
    tab_html = []
    for t in tabs:
        tab_html.append(f"<h3>{esc(t.title)}</h3>" + table(t.display, f"table-{t.key}"))
    if tabs:
        tab_html.append('<p class="note">Mean over replications [95% t-interval]; Δ: difference from the reference '
                        "[paired 95% interval], * the interval excludes zero. Shares in %. The same tables are in "
                        "tables/ as CSV, Markdown and LaTeX.</p>")
    else:
        tab_html.append('<p class="note">No KPIs found in this sweep.</p>')
    sections = [("run", "What was run", run_part),
                ("targets", "Reference job against the county's targets", ratios_table(ref.table("ratios"))),
                ("comparison", "Comparison tables", "".join(tab_html)),
                ("figures", "Figures", figures_html(built))]
    plan = plan_html(ref)
    if plan:
        sections.append(("plan", "Plan", plan))
    sections += [("sources", "Data sources", sources_html(ref)),
                 ("model", "Model description (STRESS-DES)", stress_html(ref))]
    return page(f"islandcare sweep report: {sw.dir.name}", f"Sweep folder {sw.dir}.", sections)
