"""Read what a run or a sweep wrote (never run anything): tables, records and the scenario behind them.

Everything is optional: a file a run did not write (an older run, another mode) is ``None`` and the
figures that need it are skipped by the caller with a note.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from report.vocab import ALL

log = logging.getLogger(__name__)

RUN_TABLES = ("kpis", "summary", "daily", "monthly", "events", "scenario_summary", "ratios", "plan", "frontier")


@dataclass
class RunData:
    """One run directory."""

    dir: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    config: dict = field(default_factory=dict)  # config_resolved.yaml
    record: dict = field(default_factory=dict)  # run.json
    scenario: object | None = None  # scenarios.model.Scenario
    policy: object | None = None  # scenarios.policy.Policy
    notes: list[str] = field(default_factory=list)

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

    def island_labels(self) -> dict[str, str]:
        from report.style import island_label

        if self.scenario is None:
            return {}
        return {i.id: island_label(i.name_en, i.name_zh) for i in self.scenario.islands}

    def targets_min(self) -> dict[str, float]:
        if self.scenario is None:
            return {}
        return {c.id: c.target_min for c in self.scenario.conditions}


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
    except Exception as e:  # a damaged file costs one figure, not the report
        log.warning("could not read %s: %s", path, e)
        return None


def read_table(folder: Path, name: str) -> pd.DataFrame | None:
    """``name.parquet`` if present, else ``name.csv``."""
    for suffix in (".parquet", ".csv"):
        df = _read(folder / f"{name}{suffix}")
        if df is not None:
            return df
    return None


def load_run(folder: Path | str, cwd: Path | None = None, with_scenario: bool = True) -> RunData:
    folder = Path(folder)
    run = RunData(dir=folder)
    for name in RUN_TABLES:
        df = read_table(folder, name)
        if df is not None:
            run.tables[name] = df
    cfg_path = folder / "config_resolved.yaml"
    if not cfg_path.exists():
        cfg_path = folder / ".hydra" / "config.yaml"
    if cfg_path.exists():
        run.config = yaml.safe_load(cfg_path.read_text(encoding="utf-8")) or {}
    if (folder / "run.json").exists():
        run.record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    if with_scenario and run.config.get("scenario"):
        _attach_scenario(run, cwd)
    return run


def _attach_scenario(run: RunData, cwd: Path | None) -> None:
    from scenarios.errors import InputError
    from scenarios.policy import resolve_policy
    from scenarios.validate import load_from_config

    try:
        run.scenario = load_from_config(run.config["scenario"], cwd)
    except (InputError, OSError) as e:
        run.notes.append(f"scenario could not be loaded ({str(e).splitlines()[0]}): map and sources omitted")
        return
    try:
        run.policy = resolve_policy(run.scenario, run.config.get("policy") or {})
    except InputError as e:
        run.notes.append(f"policy could not be resolved ({str(e).splitlines()[0]})")


def is_sweep(folder: Path | str) -> bool:
    folder = Path(folder)
    return (folder / "sweep.parquet").exists() or any(
        p.is_dir() and p.name.isdigit() and (p / "kpis.parquet").exists() for p in folder.iterdir())


def _sort_key(v: str):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, str(v))


def short_key(key: str) -> str:
    """``policy.boats.sijiao`` -> ``boats.sijiao``; ``policy`` stays."""
    return key.split(".", 1)[1] if key.startswith("policy.") else key


def job_labels(sweep: pd.DataFrame | None, swept: list[str], jobs: list[int]) -> dict[int, str]:
    out = {}
    for j in jobs:
        if sweep is not None and swept and (sweep["job"] == j).any():
            row = sweep.loc[sweep["job"] == j, swept].iloc[0]
            out[j] = ", ".join(f"{short_key(k)}={row[k]}" for k in swept)
        else:
            out[j] = f"job {j}"
    return out


def load_sweep(folder: Path | str, cwd: Path | None = None) -> SweepData:
    folder = Path(folder)
    job_dirs = sorted((p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    jobs = {int(p.name): load_run(p, cwd, with_scenario=(k == 0)) for k, p in enumerate(job_dirs)}
    sweep = _read(folder / "sweep.parquet")
    comparison = _read(folder / "comparison.csv")
    notes = []
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
    # the reference run carries the scenario (map, sources); load it if job 0 is not the reference
    if reference in jobs and jobs[reference].scenario is None and jobs[reference].config.get("scenario"):
        _attach_scenario(jobs[reference], cwd)
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


def per_replication(kpis: pd.DataFrame, metric: str, condition: str = ALL) -> pd.DataFrame:
    """Rows of one metric and condition: replication, island, value."""
    m = (kpis["metric"] == metric) & (kpis["condition"] == condition)
    return kpis.loc[m, ["replication", "island", "value"]]


def numeric_order(values) -> list[str]:
    return sorted({str(v) for v in values}, key=_sort_key)
