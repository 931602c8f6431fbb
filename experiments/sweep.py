"""Gather a finished sweep: every job's KPIs in one table, and each job against a reference job.

A sweep directory holds one sub-directory per job (``0/``, ``1/``, ...), each a complete run
directory with ``kpis.parquet``, ``DONE.json`` and ``.hydra/overrides.yaml``. Nothing here knows
Hydra; the callback in ``islandcare.callbacks`` calls :func:`write_sweep_tables` when a multirun ends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.io import write_table
from experiments.summary import KEYS, paired_difference

DONE = "DONE.json"


@dataclass(frozen=True)
class Job:
    number: int
    path: Path
    overrides: dict[str, str]
    complete: bool


def read_overrides(job_dir: Path) -> dict[str, str]:
    """``key=value`` overrides of a job, from Hydra's ``.hydra/overrides.yaml`` (a YAML list of strings)."""
    f = job_dir / ".hydra" / "overrides.yaml"
    if not f.exists():
        return {}
    out = {}
    for line in f.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("- "):
            continue
        item = line[2:].strip().strip("'\"")
        key, sep, value = item.partition("=")
        if sep:
            out[key.lstrip("+~")] = value
    return out


def find_jobs(sweep_dir: Path) -> list[Job]:
    jobs = []
    for d in sorted(Path(sweep_dir).iterdir(), key=lambda p: (len(p.name), p.name)):
        if d.is_dir() and d.name.isdigit():
            complete = (d / DONE).exists() and (d / "kpis.parquet").exists()
            jobs.append(Job(int(d.name), d, read_overrides(d), complete))
    return jobs


def reference_job(jobs: list[Job], reference: str | int | None) -> Job:
    """The job named by ``experiment.reference``: a job number, ``key=value[,key=value]``, or the first."""
    done = [j for j in jobs if j.complete]
    if not done:
        raise ValueError("no completed job in the sweep")
    if reference is None or str(reference).strip() == "":
        return done[0]
    ref = str(reference).strip()
    if ref.isdigit():
        for j in done:
            if j.number == int(ref):
                return j
        raise ValueError(f"experiment.reference={ref}: no completed job with that number")
    wanted = dict(part.split("=", 1) for part in ref.split(",") if "=" in part)
    for j in done:
        if all(j.overrides.get(k) == v for k, v in wanted.items()):
            return j
    raise ValueError(f"experiment.reference={ref}: no completed job has these overrides")


def sweep_table(jobs: list[Job]) -> pd.DataFrame:
    """All completed jobs' KPI rows, with ``job`` and one column per override key (strings)."""
    keys = sorted({k for j in jobs for k in j.overrides})
    frames = []
    for j in jobs:
        if not j.complete:
            continue
        df = pd.read_parquet(j.path / "kpis.parquet")
        df.insert(0, "job", j.number)
        for k in keys:
            df[k] = j.overrides.get(k, "")
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=["job", "replication", *KEYS, "value", *keys])
    return pd.concat(frames, ignore_index=True)


def comparison_table(sweep: pd.DataFrame, ref: Job, override_keys: list[str]) -> pd.DataFrame:
    """Each job against the reference: mean difference with a paired 95% interval per metric."""
    ref_rows = sweep[sweep.job == ref.number]
    frames = []
    for job, rows in sweep.groupby("job", sort=True):
        diff = paired_difference(rows, ref_rows)
        diff.insert(0, "job", job)
        for k in override_keys:
            diff[k] = rows[k].iloc[0] if len(rows) else ""
        frames.append(diff)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def write_sweep_tables(sweep_dir: Path, reference: str | int | None = None) -> dict[str, object]:
    """Write ``sweep.parquet`` and ``comparison.csv``; return a short status record."""
    sweep_dir = Path(sweep_dir)
    jobs = find_jobs(sweep_dir)
    incomplete = [j.number for j in jobs if not j.complete]
    sweep = sweep_table(jobs)
    write_table(sweep, sweep_dir / "sweep.parquet")
    keys = sorted({k for j in jobs for k in j.overrides})
    status = {"jobs": len(jobs), "complete": len(jobs) - len(incomplete), "incomplete": incomplete}
    if len(sweep):
        ref = reference_job(jobs, reference)
        comp = comparison_table(sweep, ref, keys)
        write_table(comp, sweep_dir / "comparison.csv")
        status["reference_job"] = ref.number
    (sweep_dir / "sweep_status.json").write_text(json.dumps(status, indent=2))
    return status
