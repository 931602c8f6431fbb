"""Read what a run or a sweep wrote (never run or validate anything): tables, records, metadata.

Every table is read once. Everything is optional: a file a run did not write (an older run, another
mode) is ``None`` and the figures that need it are skipped with a note. Names, places and targets
come from the run's own ``run_meta.json`` (:mod:`report.meta`), never from the scenario folder.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from report.figures_sweep import short_key
from report.meta import EMPTY, Meta, read_meta

log = logging.getLogger(__name__)

# Tables of a run folder that the report reads if present (others write the later ones).
RUN_TABLES = ("kpis", "summary", "daily", "monthly", "by_sea_state", "events", "scenario_summary", "ratios",
              "plan", "outcomes", "options", "frontier", "face_validation")
DONE = "DONE.json"


@dataclass
class RunData:
    """One run directory."""

    dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    config: dict = field(default_factory=dict)  # config_resolved.yaml
    record: dict = field(default_factory=dict)  # run.json
    meta: Meta = EMPTY  # run_meta.json
    notes: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)  # why the run is unfinished (empty: finished)

    def table(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    @property
    def label(self) -> str:
        pol = self.config.get("policy", {}).get("name") or self.record.get("policy") or "policy"
        return str(pol)

    @property
    def observed_days(self) -> float | None:
        """Days over which patients are counted (horizon minus warm-up)."""
        exp = self.config.get("experiment", {})
        try:
            return float(exp["horizon_days"]) - float(exp["warmup_days"])
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def per_year(self) -> float:
        """Factor turning counts over the observed window into counts per 365 days."""
        d = self.observed_days
        return 365.0 / d if d else 1.0


@dataclass
class SweepData:
    """A sweep directory: job runs, all jobs' KPIs and the comparison against the reference job."""

    dir: Path
    jobs: dict[int, RunData]
    sweep: pd.DataFrame | None
    comparison: pd.DataFrame | None
    swept: list[str]
    reference: int
    labels: dict[int, str]
    notes: list[str] = field(default_factory=list)
    common: dict[str, str] = field(default_factory=dict)  # overrides shared by every job

    @property
    def reference_run(self) -> RunData | None:
        return self.jobs.get(self.reference) or next(iter(self.jobs.values()), None)


def _read(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    try:
        return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except Exception as e:  # noqa: BLE001 - a damaged file costs its figures, not the report
        log.warning("could not read %s: %s", path, e)
        return None


def read_table(folder: Path, name: str) -> pd.DataFrame | None:
    """``name.parquet`` if present, else ``name.csv`` (one read of one file)."""
    for suffix in (".parquet", ".csv"):
        if (folder / f"{name}{suffix}").exists():
            return _read(folder / f"{name}{suffix}")
    return None


def completeness(folder: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Why a simulation run folder is unfinished: no completion marker, or no readable summary."""
    problems = []
    if not (folder / DONE).exists():
        problems.append(f"no {DONE} (the run stopped before it finished, or is still running)")
    if "summary" not in tables:
        problems.append("summary.csv missing or unreadable")
    return problems


def load_run(folder: Path | str, tables: tuple[str, ...] = RUN_TABLES) -> RunData:
    folder = Path(folder)
    run = RunData(dir=folder)
    for name in tables:
        df = read_table(folder, name)
        if df is not None:
            run.tables[name] = df
    cfg_path = folder / "config_resolved.yaml"
    if not cfg_path.exists():
        cfg_path = folder / ".hydra" / "config.yaml"
    try:
        if cfg_path.exists():
            run.config = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
        if (folder / "run.json").exists():
            run.record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as e:
        run.notes.append(f"run records could not be read ({type(e).__name__}): settings shown as '?'")
    run.meta, note = read_meta(folder)
    if note:
        run.notes.append(note)
    if run.config.get("mode", "run") == "run" and ("kpis" in run.tables or (folder / "kpis.parquet").exists()
                                                   or not run.tables):
        run.incomplete = completeness(folder, run.tables)
    return run


def is_sweep(folder: Path | str) -> bool:
    folder = Path(folder)
    return (folder / "sweep.parquet").exists() or any(
        p.is_dir() and p.name.isdigit() and (p / "kpis.parquet").exists() for p in folder.iterdir())


def job_labels(sweep: pd.DataFrame | None, swept: list[str], jobs: list[int]) -> dict[int, str]:
    out = {}
    for j in jobs:
        if sweep is not None and swept and (sweep["job"] == j).any():
            row = sweep.loc[sweep["job"] == j, swept].iloc[0]
            out[j] = ", ".join(f"{short_key(k)}={row[k]}" for k in swept)
        else:
            out[j] = f"job {j}"
    return out


# A sweep's comparison figures and tables come from sweep.parquet; of its jobs only the reference job's
# own figures are drawn, so the other jobs' large tables are never read.
JOB_TABLES = ("kpis", "summary", "ratios")


def load_sweep(folder: Path | str) -> SweepData:
    folder = Path(folder)
    job_dirs = sorted((p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    sweep = _read(folder / "sweep.parquet")
    comparison = _read(folder / "comparison.csv")
    if comparison is not None and "split" in comparison:  # the report's tables compare whole runs
        comparison = comparison[comparison["split"].fillna("") == ""].drop(columns="split")
    notes = []
    jobs = {int(p.name): load_run(p, JOB_TABLES if sweep is None else ("summary",)) for p in job_dirs}
    if sweep is None and jobs:  # build the same table from the jobs' own KPIs
        parts = [r.tables["kpis"].assign(job=j) for j, r in jobs.items() if "kpis" in r.tables]
        sweep = pd.concat(parts, ignore_index=True) if parts else None
        notes.append("sweep.parquet missing: KPIs read from the job folders")
    base = {"job", "replication", "island", "condition", "metric", "value"}
    overrides = [c for c in (sweep.columns if sweep is not None else []) if c not in base]
    for c in overrides:
        sweep[c] = sweep[c].astype(str)
    # an override every job shares (experiment.horizon_days=40) is a setting, not a swept parameter
    swept = [c for c in overrides if sweep[c].nunique() > 1]
    common = {c: str(sweep[c].iloc[0]) for c in overrides if c not in swept}
    job_ids = sorted(jobs) or (sorted(sweep["job"].unique().tolist()) if sweep is not None else [])
    reference = _reference_job(comparison, job_ids)
    if reference in jobs:  # the reference job's own figures need all its tables
        jobs[reference] = load_run(jobs[reference].dir)
    return SweepData(folder, jobs, sweep, comparison, swept, reference, job_labels(sweep, swept, job_ids), notes,
                     common)


def _reference_job(comparison: pd.DataFrame | None, jobs: list[int]) -> int:
    """The job every other job is compared with: absent from the comparison, or all differences zero."""
    if not jobs:
        return 0
    if comparison is None or comparison.empty or "job" not in comparison:
        return jobs[0]
    compared = set(comparison["job"].astype(int))
    missing = [j for j in jobs if j not in compared]
    if len(missing) == 1:
        return missing[0]
    for j in jobs:
        d = comparison.loc[comparison["job"].astype(int) == j, "difference"]
        if len(d) and (d.fillna(0).abs() < 1e-12).all():
            return j
    return jobs[0]
