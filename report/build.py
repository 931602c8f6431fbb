"""Make every figure the data allow, the comparison tables and ``report.html`` for a run or a sweep.

``write_report(folder)`` is the one entry point (``mode=report`` and the end of ``mode=run`` call it).
A figure whose data are absent is skipped with a note in the log and in the report, never an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from report import figures as F
from report.load import RunData, SweepData, is_sweep, load_run, load_sweep, short_key
from report.vocab import ALL, metric_label

log = logging.getLogger(__name__)

FIGURES_DIR = "figures"
REPORT_NAME = "report.html"


@dataclass
class FigureOut:
    name: str
    title: str
    caption: str
    png: Path
    pdf: Path


@dataclass
class Built:
    figures: list[FigureOut] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _make(built: Built, out: Path, name: str, title: str, caption: str, make: Callable) -> None:
    """Build one figure; a figure without data becomes a note, any other failure too (logged in full)."""
    try:
        fig = make()
    except F.NoData as e:
        built.skipped.append(f"{title}: skipped ({e})")
        log.info("figure %s skipped: %s", name, e)
        return
    except Exception as e:  # a bug in one figure must not cost the planner the whole report
        built.skipped.append(f"{title}: failed ({type(e).__name__}: {e})")
        log.exception("figure %s failed", name)
        return
    try:
        png, pdf = F.save(fig, out, name)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)  # a figure made through pyplot (figures_optimize) stays registered otherwise
    built.figures.append(FigureOut(name, title, caption, png, pdf))


def capacities(run: RunData) -> dict[str, float]:
    ss = run.table("scenario_summary")
    if ss is None or "island" not in ss:
        return {}
    row = ss[ss["island"] == ALL]
    if row.empty:
        return {}
    out = {}
    for series, cols in (("bed", ("hospital_beds",)), ("care", ("care_usable_beds", "care_beds"))):
        for col in cols:  # care homes: the places carers can staff, if the summary has them
            if col in row:
                out[series] = float(row[col].iloc[0])
                break
    return out


def run_figures(run: RunData, out: Path, built: Built, comparative: bool = True) -> None:
    """The figures of one run (for a sweep: of the reference job; ``comparative`` figures are left
    to the sweep when False)."""
    labels, targets = run.island_labels(), run.targets_min()
    kpis, monthly, daily = run.table("kpis"), run.table("monthly"), run.table("daily")
    conds = [c.id for c in run.scenario.conditions] if run.scenario is not None else None
    exp = run.config.get("experiment", {})
    days = run.observed_days
    window = f"{days:g} observed days scaled to a year" if days else "counts over the run"
    synthetic = (run.config.get("scenario") or {}).get("kind", "data") != "data"
    if synthetic:
        built.skipped.append("Archipelago map: skipped (synthetic validation scenario, no geography)")
    elif run.scenario is not None:
        _make(built, out, "map_archipelago_islands_links_resources", "The archipelago",
              "Islands at their position, area ∝ residents, colour = share aged 60+; sea links by mode; "
              "highest level of care, care homes; AEDs and ambulance boats under the policy of this run.",
              lambda: F.archipelago_map(run.scenario, run.policy))
    else:
        built.skipped.append("Archipelago map: skipped (scenario not loadable)")
    _make(built, out, "time_to_definitive_care_by_island_condition", "Time to definitive care",
          "Per island (home of the patient) and condition: mean of each replication (dots), mean over "
          "replications (diamond), mean 90th percentile (bar), target (dashed). Log scale; under 1 minute "
          "drawn at 1 minute. No per-patient distribution is kept (memory stays flat), so the spread shown "
          "is that between replications.",
          lambda: F.time_to_care(_need(kpis), targets, labels, conds))
    if comparative:
        _make(built, out, "within_target_share_by_condition_scenario", "Share within target",
              "County share of patients reaching definitive care within the condition's target; mean and 95% "
              "t-interval over replications.",
              lambda: F.within_target(_within(run.table("summary"), run.label), targets, conds))
    _make(built, out, "transfers_by_mode_and_island", "Emergency transfers",
          f"Transfers by the mode that carried the patient, by home island, per year ({window}); whisker: 95% "
          "interval of the total; diamond: transfers ending outside the county.",
          lambda: F.transfers_by_mode(_need(kpis), labels, run.per_year))
    _make(built, out, "weather_delay_and_closures_by_month", "Weather by month",
          "(a) Minutes a transferred patient waited while no allowed mode could operate, per calendar month "
          "(mean, 95% interval over replications). (b) Share of observed time each vessel type was stopped, "
          "by weather area.",
          lambda: F.weather_delay_by_month(_need(monthly), float(exp.get("warmup_days", 0)),
                                           float(exp.get("horizon_days", 365))))
    _make(built, out, "occupancy_hospital_beds_care_homes_over_year", "Occupancy over the year",
          "Daily mean occupied hospital beds and care-home places, county total: mean over replications and "
          "the range of the replications (band); capacity dashed.",
          lambda: F.occupancy_over_year(_need(daily), capacities(run)))
    _make(built, out, "care_waitlist_over_time", "Waiting list for care homes",
          "People waiting for a care-home place, county (range over replications shaded) and the islands "
          "with the longest lists.",
          lambda: F.care_waitlist(_need(daily), labels))
    _make(built, out, "circuit_visits_planned_vs_made_by_island_month", "Circuit-team visits",
          "Visits planned (outline) and made (filled) by island and month, mean over replications.",
          lambda: F.circuit_visits(_need(monthly), labels))
    if comparative:
        _make(built, out, "cardiac_arrest_expected_survivors_by_island", "Cardiac arrest survivors",
              f"Expected survivors of out-of-hospital cardiac arrest per year by home island ({window}); "
              "mean and 95% interval over replications.",
              lambda: F.cardiac_survivors(F.survivors_table(_need(kpis), run.per_year).assign(scenario=run.label),
                                          labels))
    _make(built, out, "resource_ratios_vs_2025_targets", "Resources against the 2025 targets",
          "County ratios as a share of the targets of the county plan; values written as 'value of target'.",
          lambda: F.resource_ratios(run.table("ratios")))
    plan_figures(run, out, built)


def plan_figures(run: RunData, out: Path, built: Built) -> None:
    plan = run.table("plan")
    if plan is not None:
        _make(built, out, "plan_changes_by_island", "Plan: changes by island",
              "Change of each resource from today in the optimiser's plan, summed by island; blank: unchanged.",
              lambda: F.plan_changes(plan, site_islands(run), run.island_labels()))
    frontier_figure(run, out, built)


def frontier_figure(run: RunData, out: Path, built: Built) -> None:
    """The optimiser's frontier figure lives in ``report/figures_optimize.py`` (its developer's file)."""
    try:
        from report import figures_optimize as FO
    except ImportError:
        if run.table("frontier") is not None:
            built.skipped.append("Budget-benefit frontier: skipped (report/figures_optimize.py not available)")
        return
    make = getattr(FO, "frontier_figure", None) or getattr(FO, "frontier", None)
    if make is None or not callable(make):
        built.skipped.append("Budget-benefit frontier: skipped (no frontier function in figures_optimize)")
        return
    _make(built, out, "frontier_budget_benefit", "Budget-benefit frontier",
          "Benefit reached at each budget, with the chosen plan marked (from the optimiser).",
          lambda: _call_frontier(make, run))


def _call_frontier(make, run: RunData):
    import inspect

    frontier = run.table("frontier")
    if frontier is None:
        raise F.NoData("no frontier table in this folder")
    if len(inspect.signature(make).parameters) >= 2:  # a version that also marks the chosen plan
        return make(frontier, run.table("plan"))
    return make(frontier)


def site_islands(run: RunData) -> dict[str, str]:
    s = run.scenario
    if s is None:
        return {}
    out = {i.id: i.id for i in s.islands}
    out.update({f.id: f.island for f in s.facilities})
    out.update({h.id: h.island for h in s.care_homes})
    out.update({t.id: t.base for t in s.circuit_teams})
    return out


def _need(df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None or df.empty:
        raise F.NoData("table not written by this run")
    return df


def _within(summary: pd.DataFrame | None, label: str) -> pd.DataFrame:
    s = _need(summary)
    s = s[(s["island"] == ALL) & (s["metric"] == "within_target_share")]
    return s.assign(scenario=label)


def sweep_figures(sw: SweepData, out: Path, built: Built) -> None:
    """Figures comparing the jobs of a sweep, then the reference job's own figures."""
    from experiments.summary import summarise

    ref = sw.reference_run
    labels, targets = ref.island_labels(), ref.targets_min()
    conds = [c.id for c in ref.scenario.conditions] if ref.scenario is not None else None
    kp = sw.sweep
    if kp is not None and not kp.empty:
        wt = kp[(kp["metric"] == "within_target_share") & (kp["island"] == ALL)]
        parts = []
        for j, g in wt.groupby("job", sort=True):
            parts.append(summarise(g.drop(columns=["job", *sw.swept])).assign(scenario=sw.labels.get(j, str(j))))
        _make(built, out, "within_target_share_by_condition_scenario", "Share within target, by scenario",
              "County share within the condition's target for each job of the sweep; mean and 95% t-interval "
              "over replications.",
              lambda: F.within_target(pd.concat(parts) if parts else None, targets, conds))
        per_year = ref.per_year
        surv = []
        for j, g in kp.groupby("job", sort=True):
            try:
                surv.append(F.survivors_table(g, per_year).assign(scenario=sw.labels.get(j, str(j))))
            except F.NoData:
                continue
        _make(built, out, "cardiac_arrest_expected_survivors_by_island_scenario", "Cardiac arrest survivors",
              "Expected survivors per year by home island for each job; mean and 95% interval over replications.",
              lambda: F.cardiac_survivors(pd.concat(surv) if surv else None, labels))
        critical = _time_critical(ref.scenario)
        heatmaps = [("within_target_share", [ALL, *critical], 1.0,
                     "share of patients treated within their condition's target time"),
                    ("time_to_definitive_care_min_mean", [ALL, *critical], 1.0, "mean time to definitive care"),
                    ("ohca_expected_survivors", ["cardiac_arrest"], per_year,
                     "expected cardiac-arrest survivors per year")]
        for x, y in _pairs(sw):
            for metric, conditions, scale, what in heatmaps:
                _make(built, out, f"sweep_heatmap_{metric}_{_slug(short_key(x))}_by_{_slug(short_key(y))}",
                      f"Sweep: {metric_label(metric, with_unit=False)} over {short_key(x)} × {short_key(y)}",
                      f"County {what}: mean over replications (and over any other swept parameter) for each pair "
                      f"of values of {short_key(x)} and {short_key(y)}"
                      + ("; all conditions and the time-critical ones." if len(conditions) > 1 else "."),
                      lambda x=x, y=y, metric=metric, conditions=conditions, scale=scale:
                      F.sweep_heatmap(kp, x, y, metric, condition=conditions, per_year=scale))
        if len(sw.swept) < 2:
            built.skipped.append("Sweep heatmap: skipped (fewer than two swept parameters)")
    run_figures(ref, out, built, comparative=False)


def _time_critical(scenario) -> list[str]:
    """The scenario's time-critical conditions (those the helicopter is called for by default)."""
    if scenario is None:
        return []
    from scenarios.policy import time_critical

    return time_critical(scenario)


def _pairs(sw: SweepData) -> list[tuple[str, str]]:
    keys = [k for k in sw.swept if sw.sweep is not None and sw.sweep[k].nunique() > 1]
    return [(keys[i], keys[j]) for i in range(len(keys)) for j in range(i + 1, len(keys))][:3]


def _slug(key: str) -> str:
    return key.replace(".", "_").replace("/", "_")


def write_report(folder: Path | str, cwd: Path | None = None) -> Path:
    """Write ``figures/`` and ``report.html`` (and for a sweep ``tables/``) into ``folder``; return the page."""
    from report import html, tables

    folder = Path(folder).resolve()
    out = folder / FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    built = Built()
    if is_sweep(folder):
        sw = load_sweep(folder, cwd)
        sweep_figures(sw, out, built)
        tabs = tables.write_sweep_tables(sw, folder / "tables")
        page = html.sweep_page(sw, built, tabs)
    else:
        run = load_run(folder, cwd)
        run_figures(run, out, built)
        page = html.run_page(run, built)
    for note in built.skipped:
        log.info("%s", note)
    path = folder / REPORT_NAME
    from experiments.io import atomic_write_text

    atomic_write_text(path, page)
    return path
