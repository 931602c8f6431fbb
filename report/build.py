"""Draw every figure the data allow, in every language asked for, then write ``report.html``.

``write_report(folder)`` is the one entry point (``mode=report`` and the end of ``mode=run`` call it).
Figures are the specs of :mod:`report.specs`; each (figure, language) is one job, drawn in parallel
worker processes (forked after the tables are read, so nothing is read twice), each writing its own
PNG and PDF. A bilingual page (``both``) draws each figure once, with its texts in Chinese, then English
(:class:`report.vocab.BothWords`), shown by both halves of the page with captions in each half's
language: half the drawing of a Chinese and an English variant. A figure whose data are absent is skipped with a note. A figure that fails is reported
and skipped in production; in tests (``ISLANDCARE_REPORT_STRICT=1``) it is an error.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from report import style
from report.figkit import NoData, render
from report.load import RunData, SweepData, is_sweep, load_run, load_sweep
from report.specs import RUN_FIGURES, RUN_ONLY, SWEEP_FIGURES, Context, FigureSpec, Variant
from report.vocab import BOTH, LANGS, Words

log = logging.getLogger(__name__)

FIGURES_DIR = "figures"
REPORT_NAME = "report.html"
STRICT_ENV = "ISLANDCARE_REPORT_STRICT"


class FigureError(RuntimeError):
    """A figure failed to draw (raised instead of skipping it when the report runs strict, as in tests)."""


@dataclass(frozen=True)
class FigureOut:
    name: str
    lang: str  # language of the figure's texts (en, zh, both)
    title: str
    caption: str
    png: Path
    pdf: Path
    font: str  # the font family of its Chinese glyphs, or of all its text


@dataclass
class Built:
    """The figures drawn per page language, and the notes on those not drawn."""

    figures: dict[str, list[FigureOut]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # once per report (e.g. no CJK font)


@dataclass(frozen=True)
class Job:
    spec: FigureSpec
    variant: Variant
    lang: str

    @property
    def stem(self) -> str:
        return self.spec.name + self.variant.suffix + {"en": "", BOTH: "_zh_en"}.get(self.lang, f"_{self.lang}")


def page_languages(lang: str) -> list[str]:
    """``both`` -> Chinese first, then English."""
    return ["zh", "en"] if lang == "both" else [lang if lang in LANGS else "en"]


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def figure_language(lang: str, shared: bool = False) -> str:
    """The language of the figures of the page in ``lang``: 'both' (Chinese, then English) for the two
    halves of a bilingual page (``shared``), else the page's. Chinese texts need a CJK font; without
    one the figures are in English."""
    if not style.cjk_font():
        return "en"
    return BOTH if shared else lang


def fill(key: str, w: Words, fields: dict) -> str:
    """A title or caption with its fields in the language of ``w`` (metric ids become names)."""
    f = dict(fields)
    if "metric" in f:
        f["metric"] = w.metric(f["metric"], with_unit=False)
    if "condition" in f:
        f["condition"] = w.condition(f["condition"])
    if "many" in f:
        f["many"] = w("heat_many") if f["many"] else "."
    return w(key, **f)


def plan(ctx: Context, specs: tuple[FigureSpec, ...], langs: list[str], w_page: dict[str, Words],
         built: Built, shared: bool = False) -> list[Job]:
    """The jobs to draw; a spec whose data are absent becomes a note on every page."""
    jobs = []
    fig_langs = list(dict.fromkeys(figure_language(lang, shared) for lang in langs))
    for spec in specs:
        missing = [n for n in spec.needs if ctx.value(n) is None]
        if missing:
            for lang in langs:
                w = w_page[lang]
                why = w(f"why_{missing[0]}") if w.has(f"why_{missing[0]}") else w("why_table", table=missing[0])
                built.skipped[lang].append(w("skipped", title=fill(f"title_{spec.name}", w, {}), why=why))
            continue
        variants = spec.variants(ctx) if spec.variants else [Variant("")]
        if not variants:  # e.g. heatmaps of a sweep over one parameter
            for lang in langs:
                w = w_page[lang]
                built.skipped[lang].append(w("skipped", title=w(f"titles_{spec.name}"),
                                             why=w(f"why_variants_{spec.name}")))
        for variant in variants:
            jobs.extend(Job(spec, variant, lang) for lang in fig_langs)
    return jobs


# State of the forked workers: set in the parent just before the pool starts (fork copies it).
_STATE: dict = {}


def draw_job(k: int) -> tuple[int, str, object]:
    """Draw job ``k`` and write its files: (k, 'ok', (png, pdf)) | (k, 'skip', reason) | (k, 'error', text)."""
    ctx, jobs, out = _STATE["ctx"], _STATE["jobs"], _STATE["out"]
    job = jobs[k]
    try:
        kwargs = {p: ctx.value(p, job.lang) for p in job.spec.parameters() if p not in job.variant.args}
        kwargs = {p: v for p, v in kwargs.items() if v is not None}
        fig = job.spec.draw(**kwargs, **job.variant.args)
    except NoData as e:
        return k, "skip", str(e)
    except Exception:  # noqa: BLE001 - reported (or raised when strict) by the caller
        return k, "error", traceback.format_exc()
    try:
        files = render(fig, job.lang)
    except Exception:  # noqa: BLE001
        return k, "error", traceback.format_exc()
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)  # a figure made through pyplot (figures_optimize) stays registered otherwise
    from experiments.io import atomic_write_bytes

    paths = []
    for ext, data in files.items():
        path = out / f"{job.stem}.{ext}"
        atomic_write_bytes(path, data)
        paths.append(path)
    return k, "ok", tuple(paths)


def workers_for(n_jobs: int, workers: int = 0) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(n_jobs, workers or cores))


def draw_all(ctx: Context, jobs: list[Job], out: Path, workers: int = 0) -> list[tuple[int, str, object]]:
    """Every job's result in job order; in parallel processes where fork is available."""
    _STATE.update(ctx=ctx, jobs=jobs, out=out)
    try:
        n = workers_for(len(jobs), workers)
        if n == 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [draw_job(k) for k in range(len(jobs))]
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
            # the map is the slowest figure: longest first, so no worker waits on it at the end
            order = sorted(range(len(jobs)), key=lambda k: jobs[k].spec.name != RUN_FIGURES[0].name)
            results = dict((r[0], r) for r in pool.map(draw_job, order))
        return [results[k] for k in range(len(jobs))]
    finally:
        _STATE.clear()


def collect(ctx: Context, jobs: list[Job], results, langs: list[str], w_page: dict[str, Words], built: Built,
            shared: bool = False) -> None:
    """Sort the drawn figures onto the pages of each language, titled and captioned in it; failures
    raise when strict."""
    errors = [(jobs[k], text) for k, kind, text in results if kind == "error"]
    if errors and strict():
        raise FigureError("\n".join(f"figure {j.stem} failed:\n{text}" for j, text in errors))
    for job, text in errors:
        log.error("figure %s failed:\n%s", job.stem, text)
    for lang in langs:
        fig_lang = figure_language(lang, shared)
        w = w_page[lang]
        for k, kind, payload in results:
            job = jobs[k]
            if job.lang != fig_lang:
                continue
            fields = {**ctx.fields, **job.variant.fields}
            title = fill(f"title_{job.spec.name}", w, fields)
            if kind == "ok":
                font = style.cjk_font() if job.lang in ("zh", BOTH) else style.LATIN_FAMILY
                built.figures[lang].append(FigureOut(job.stem, job.lang, title, fill(f"cap_{job.spec.name}", w, fields),
                                                     *payload, font or style.LATIN_FAMILY))
            else:
                why = (w(str(payload)) if w.has(str(payload)) else str(payload)) if kind == "skip" else w("why_failed", error=str(payload).strip().splitlines()[-1])
                built.skipped[lang].append(w("skipped", title=title, why=why))


def report_texts(ctx: Context) -> list[str]:
    """Every text a figure may show: the vocabulary in both languages, the place's names, the job labels."""
    from report import vocab
    from report.vocab_text import LONG_TEXT

    tables = (vocab.TEXT, LONG_TEXT, vocab.CONDITIONS, vocab.MODES, vocab.SEA_STATES, vocab.UNITS, vocab.AREAS)
    texts = [t for table in tables for entry in table.values() for t in entry]
    texts += [t for entry in vocab.METRICS.values() for t in entry[:2]] + [m for ms in vocab.MONTHS.values() for m in ms]
    for group in ("islands", "facilities", "care_homes", "destinations", "conditions"):
        texts += [str(r.get(k, "")) for r in ctx.meta.get(group, []) for k in ("id", "name", "name_zh", "name_en")]
    texts += [ctx.run.label, *(ctx.sw.labels.values() if ctx.sw else [])]
    return texts


def build_figures(ctx: Context, specs, langs: list[str], out: Path, workers: int = 0, shared: bool = False) -> Built:
    """Draw the figures of the pages in ``langs``; ``shared``: one bilingual figure for both pages."""
    built = Built(figures={lang: [] for lang in langs}, skipped={lang: [] for lang in langs})
    style.use_font_copies(report_texts(ctx))
    w_page = {lang: ctx.words(lang) for lang in langs}
    if "zh" in langs and figure_language("zh") == "en":
        built.notes.append("no_cjk_font")
    jobs = plan(ctx, specs, langs, w_page, built, shared)
    collect(ctx, jobs, draw_all(ctx, jobs, out, workers), langs, w_page, built, shared)
    return built


def run_specs(sweep: bool) -> tuple[FigureSpec, ...]:
    if not sweep:
        return RUN_FIGURES
    return SWEEP_FIGURES + tuple(s for s in RUN_FIGURES if s.name not in RUN_ONLY)


def write_report(folder: Path | str, lang: str | None = None, workers: int = 0) -> Path:
    """Write ``figures/`` and ``report.html`` (and for a sweep ``tables/``) into ``folder``; return the page.

    ``lang``: en | zh | both; None takes the run's own default (``run_meta.json``: the scenario's language
    or the run's ``report.lang``). ``workers``: processes drawing figures (0: every usable core).
    """
    from experiments.io import atomic_write_text
    from report import pages, tables

    folder = Path(folder).resolve()
    from report.sensitivity_page import is_sensitivity, write_sensitivity_report

    if is_sensitivity(folder):  # mode=sensitivity: a page of its own (report/sensitivity_page.py)
        return write_sensitivity_report(folder, lang, workers)
    out = folder / FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    if is_sweep(folder):
        sw: SweepData | None = load_sweep(folder)
        run: RunData = sw.reference_run or RunData(dir=folder)
    else:
        sw, run = None, load_run(folder)
    lang = lang or run.meta.lang
    langs = page_languages(lang)
    ctx = Context(run, sw)
    built = build_figures(ctx, run_specs(sw is not None), langs, out, workers, shared=lang == BOTH)
    if sw is not None:
        ctx.kpi_tables = {la: tables.write_sweep_tables(sw, folder / "tables", ctx.words(la), write=la == langs[-1])
                          for la in langs}
        page = pages.sweep_page(sw, ctx, built, langs)
    else:
        page = pages.run_page(run, ctx, built, langs)
    for lang in langs:
        for note in built.skipped[lang]:
            log.info("%s", note)
    path = folder / REPORT_NAME
    atomic_write_text(path, page)
    return path
