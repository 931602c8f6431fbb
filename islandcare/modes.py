"""What each `mode=` does: validate, call the pure model code, write results, print a digest."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from experiments.io import atomic_write_text, environment_record, write_table
from experiments.job import assessment_json, interval_record
from experiments.resume import DONE, FolderLock, remove_marker, results_hash, run_state, write_marker
from experiments.run_meta import run_meta_json
from experiments.summary import summarise
from islandcare.console import print_kpis, print_table
from scenarios.summary import island_table, ratio_table
from scenarios.validate import validate

__all__ = ["DONE", "MODE_FUNCTIONS", "dispatch", "results_hash", "run_mode", "summary_mode", "write_run"]


# mode -> (module, function); modules are imported only when their mode runs (matplotlib, PuLP).
MODE_FUNCTIONS = {
    "run": ("islandcare.modes", "run_mode"),
    "summary": ("islandcare.modes", "summary_mode"),
    "report": ("islandcare.report_modes", "report_mode"),
    "optimize": ("islandcare.optimize_modes", "optimize_mode"),
    "frontier": ("islandcare.optimize_modes", "frontier_mode"),
    "evaluate": ("islandcare.optimize_sim", "evaluate_mode"),
    "calibrate": ("islandcare.optimize_sim", "calibrate_mode"),
    "sensitivity": ("islandcare.sensitivity_mode", "sensitivity_mode"),
}


def dispatch(mode: str, plain: dict, out: Path, cwd: Path, cfg) -> None:
    import importlib

    module, name = MODE_FUNCTIONS[mode]
    getattr(importlib.import_module(module), name)(plain, out, cwd, cfg, mode)


def summary_mode(plain: dict, out: Path, cwd: Path, cfg, mode: str = "summary") -> None:
    """Print and write the scenario's resource summary and its ratios against the 2025 targets."""
    v = validate(plain, cwd)
    islands = island_table(v.scenario, v.policy)
    ratios = ratio_table(v.scenario, v.policy)
    write_table(islands, out / "scenario_summary.csv")
    write_table(ratios, out / "ratios.csv")
    print_table(islands, f"Scenario {v.scenario.name} ({v.scenario.year}) under policy {v.policy.name}")
    print_table(ratios, "County ratios against the 2025 targets of the county plan")
    print(f"\nWritten to {out}")


def run_mode(plain: dict, out: Path, cwd: Path, cfg, mode: str = "run") -> None:
    """Simulate every replication; write tidy KPIs, their summary and the records to reproduce them.

    The folder is locked for the whole run (a second run into it stops with a message). A folder whose
    results are complete for this configuration (every file the marker lists intact) is left as it is;
    otherwise the old marker goes first, so an interrupted run never looks finished.
    """
    from experiments.job import interval_kind, run_job

    v = validate(plain, cwd)
    chash = results_hash(plain)
    with FolderLock(out):
        if v.experiment.resume and run_state(out, chash).complete:
            print(f"Already complete (config hash {chash}): {out}")
            return
        remove_marker(out)
        t0 = time.perf_counter()
        res, v = run_job(v, plain, cwd, desc=f"{v.scenario.name}/{v.policy.name}")  # auto, parameter uncertainty
        seconds = time.perf_counter() - t0
        summary = summarise(res.kpis, kind=interval_kind(v.experiment))
        files = ["scenario_summary.csv", "ratios.csv"]
        write_table(island_table(v.scenario, v.policy), out / "scenario_summary.csv")
        in_county = _overall(summary, "in_county_share")
        write_table(ratio_table(v.scenario, v.policy, in_county), out / "ratios.csv")
        files += _face_validation(out, summary, v, res)
        write_run(out, plain, v, res, summary, chash, seconds, files)  # last: it writes the completion marker
        print_kpis(summary, v.scenario, v.experiment, seconds)
        if res.assessment is not None:
            print(f"\nReplications (auto, ±{v.experiment.precision:.0%} of the mean): {res.assessment.n_used} run\n"
                  + res.assessment.explain())
        if v.experiment.report:
            _report(out)
    print(f"\nResults in {out}")


def _report(out: Path) -> None:
    """Figures and report.html for the run; a failure here never loses the results written above."""
    try:
        from report import write_report

        path = write_report(out)
        print(f"Report: {path}")
    except Exception as e:  # noqa: BLE001 - the run's results are already safe on disk
        print(f"Report not written ({type(e).__name__}: {e}); try: python run.py mode=report input={out}")


def write_run(out: Path, plain: dict, v, res, summary: pd.DataFrame, chash: str, seconds: float,
              also: list[str] | tuple[str, ...] = ()) -> None:
    """Everything a job leaves behind; the completion marker is written last and lists every result
    file (these and ``also``, written before) with its digest."""
    files = [*also, "kpis.parquet", "kpis.csv", "summary.csv", "daily.parquet", "monthly.parquet"]
    write_table(res.kpis, out / "kpis.parquet")
    write_table(res.kpis, out / "kpis.csv")
    write_table(summary, out / "summary.csv")
    write_table(res.daily, out / "daily.parquet")
    write_table(res.monthly, out / "monthly.parquet")
    write_table(res.by_sea_state, out / "by_sea_state.parquet")
    if res.events is not None:
        write_table(res.events, out / "events.parquet")
        files.append("events.parquet")
    atomic_write_text(out / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    record = {
        "scenario": v.scenario.name,
        "policy": v.policy.name,
        "seed": v.experiment.seed,
        "replications": v.experiment.replications,
        "horizon_days": v.experiment.horizon_days,
        "warmup_days": v.experiment.warmup_days,
        "config_hash": chash,
        "wall_seconds": round(seconds, 3),
        "interval": interval_record(v.experiment),  # which kind of interval summary.csv shows
        **environment_record(),
    }
    if getattr(res, "assessment", None) is not None:  # replications=auto: how many, and why
        atomic_write_text(out / "replications.json", assessment_json(res))
        files.append("replications.json")
    atomic_write_text(out / "run.json", json.dumps(record, indent=2, sort_keys=True))
    atomic_write_text(out / "run_meta.json", run_meta_json(v, plain))  # names, places, targets for the report
    files += ["config_resolved.yaml", "run.json", "run_meta.json"]
    write_marker(out, chash, files, replications=v.experiment.replications)


def _face_validation(out: Path, summary: pd.DataFrame, v, res) -> list[str]:
    """face_validation.csv: outputs against public figures, when the scenario has a reference table."""
    from experiments.face_validation import face_validation_for_run

    fv = face_validation_for_run(summary, v.scenario, res.monthly, v.experiment.horizon_days,
                                 v.experiment.warmup_days)
    if fv is None:
        return []
    write_table(fv, out / "face_validation.csv")
    return ["face_validation.csv"]


def _overall(summary: pd.DataFrame, metric: str) -> float | None:
    row = summary[(summary.island == "all") & (summary.condition == "all") & (summary.metric == metric)]
    return float(row["mean"].iloc[0]) if len(row) else None
