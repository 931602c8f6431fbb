"""A sweep folder: its plan, its jobs' state, and the tables gathered from the finished jobs.

A sweep directory holds one sub-directory per job (``0/``, ``1/``, ...), each a complete run directory,
and ``sweep.json``: the plan (each job's overrides and the configuration hash its results must carry),
written before any job runs. A folder holds one sweep: a command whose plan differs is refused
(:func:`plan_conflict`). When the jobs have run, :func:`write_sweep_tables` rebuilds ``sweep.parquet``
(all finished jobs' KPI rows, a ``job`` column and one column per override), ``comparison.csv`` (each
job against the reference job) and ``sweep_status.json`` from what is on disk; a job counts only when
``experiments.resume.run_state`` vouches for its files. Nothing here knows Hydra; the callback in
``islandcare.callbacks`` calls these functions.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.io import atomic_write_text, write_table
from experiments.resume import DONE, FAILED, NOT_IN_RESULTS, run_state
from experiments.summary import KEYS, paired_difference

__all__ = ["DONE", "Job", "PlannedJob", "find_jobs", "load_plan", "parse_overrides", "plan_conflict",
           "read_overrides", "reference_index", "reference_job", "save_plan", "write_sweep_tables"]

PLAN = "sweep.json"
SUMMARY_FILES = ("sweep.parquet", "comparison.csv", "sweep_status.json")
_QUIET = {f"{g}.{k}" for g, keys in NOT_IN_RESULTS.items() for k in keys}  # change nothing computed


@dataclass(frozen=True)
class PlannedJob:
    """One job of a sweep's plan: its override strings and the hash its results must carry."""

    overrides: tuple[str, ...]
    config_hash: str


@dataclass(frozen=True)
class Job:
    number: int
    path: Path
    overrides: dict[str, str]
    complete: bool
    reason: str = ""  # why not complete


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """``["policy=baseline", "++policy.boats.sijiao=2"]`` -> ``{"policy": "baseline", "policy.boats.sijiao": "2"}``."""
    out = {}
    for item in items:
        key, sep, value = str(item).strip().strip("'\"").partition("=")
        if sep:
            out[key.lstrip("+~")] = value
    return out


def read_overrides(job_dir: Path) -> dict[str, str]:
    """``key=value`` overrides of a job, from Hydra's ``.hydra/overrides.yaml`` (a YAML list of strings)."""
    f = Path(job_dir) / ".hydra" / "overrides.yaml"
    if not f.exists():
        return {}
    items = [line.strip()[2:] for line in f.read_text(encoding="utf-8").splitlines() if line.strip().startswith("- ")]
    return parse_overrides(items)


def _what(overrides: Mapping[str, str]) -> dict[str, str]:
    """The overrides that decide what a job computes (workers, progress, ... left out)."""
    return {k: v for k, v in overrides.items() if k not in _QUIET}


# --- the plan ------------------------------------------------------------------------------------------
def save_plan(sweep_dir: Path, jobs: Sequence[PlannedJob]) -> None:
    record = {"jobs": [{"overrides": list(j.overrides), "config_hash": j.config_hash} for j in jobs]}
    atomic_write_text(Path(sweep_dir) / PLAN, json.dumps(record, indent=2))


def load_plan(sweep_dir: Path) -> list[PlannedJob] | None:
    """The plan written by the command that made the folder (None: no plan, or unreadable)."""
    try:
        record = json.loads((Path(sweep_dir) / PLAN).read_text(encoding="utf-8"))
        return [PlannedJob(tuple(j["overrides"]), str(j["config_hash"])) for j in record["jobs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _job_dirs(sweep_dir: Path) -> list[Path]:
    if not Path(sweep_dir).is_dir():
        return []
    return sorted((d for d in Path(sweep_dir).iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name))


def plan_conflict(sweep_dir: Path, jobs: Sequence[PlannedJob]) -> str | None:
    """Why ``sweep_dir`` cannot take this sweep (it holds another), or None.

    Two plans are the same sweep when every job's overrides agree, leaving out those that change
    nothing computed (``experiment.workers``, ``experiment.reference``, ...).
    """
    want = [_what(parse_overrides(j.overrides)) for j in jobs]
    old = load_plan(sweep_dir)
    if old is not None:
        have = [_what(parse_overrides(j.overrides)) for j in old]
        return None if have == want else f"it holds another sweep ({describe(have)}); this command: {describe(want)}"
    for d in _job_dirs(sweep_dir):  # a folder written before sweep.json existed: compare the jobs' own record
        n, got = int(d.name), _what(read_overrides(d))
        if n >= len(want):
            return f"it holds job {n} ({_fmt(got)}) and this command has {len(want)} jobs"
        if (d / ".hydra" / "overrides.yaml").exists() and got != want[n]:
            return f"its job {n} ran {_fmt(got)}, this command's job {n} is {_fmt(want[n])}"
    return None


def _fmt(overrides: Mapping[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in overrides.items()) or "no overrides"


def describe(jobs: Sequence[Mapping[str, str]]) -> str:
    """``2 jobs: policy=baseline | policy=plan2025 (all: experiment=quick)``: what varies, then the rest."""
    keys = list(dict.fromkeys(k for j in jobs for k in j))
    common = {k: jobs[0][k] for k in keys if all(k in j and j[k] == jobs[0][k] for j in jobs)}
    varying = [{k: v for k, v in j.items() if k not in common} for j in jobs]
    shown = " | ".join(_fmt(v) for v in varying[:6]) + (" | ..." if len(jobs) > 6 else "")
    head = f"{len(jobs)} job{'s' if len(jobs) != 1 else ''}"
    if len(jobs) > 1:
        head += f": {shown}"
    return head + (f" (all: {_fmt(common)})" if common else "")


# --- the reference job -----------------------------------------------------------------------------------
def reference_index(overrides: Sequence[Mapping[str, str]], reference: str | int | None) -> int:
    """The job ``experiment.reference`` names among jobs with these overrides: a job number,
    ``key=value[,key=value]`` (the first job with all of them) or, when empty, job 0.

    Raises
    ------
    ValueError
        With what would be valid, when no job matches.
    """
    if reference is None or str(reference).strip() == "":
        return 0
    ref = str(reference).strip()
    if ref.isdigit():
        if int(ref) < len(overrides):
            return int(ref)
        raise ValueError(f"a job number from 0 to {len(overrides) - 1}")
    wanted = dict(part.split("=", 1) for part in ref.split(",") if "=" in part)
    if wanted:
        for n, o in enumerate(overrides):
            if all(o.get(k.strip().lstrip("+~")) == v.strip() for k, v in wanted.items()):
                return n
    raise ValueError(f"a job number or key=value[,key=value] matching a job of this sweep "
                     f"({describe([_what(o) for o in overrides])})")


def reference_job(jobs: list[Job], reference: str | int | None) -> Job:
    """The completed job named by ``experiment.reference`` (see :func:`reference_index`)."""
    ref = jobs[reference_index([j.overrides for j in jobs], reference)]
    if not ref.complete:
        raise ValueError(f"experiment.reference={reference}: job {ref.number} is not complete ({ref.reason})")
    return ref


# --- gathering ---------------------------------------------------------------------------------------------
def find_jobs(sweep_dir: Path, plan: Sequence[PlannedJob] | None = None) -> list[Job]:
    """The sweep's jobs and whether each is finished (its files intact, and the planned hash if known)."""
    sweep_dir = Path(sweep_dir)
    if plan is None:
        plan = load_plan(sweep_dir)
    if plan is None:  # no plan: the numbered folders as they are
        return [_job(int(d.name), d, read_overrides(d), None) for d in _job_dirs(sweep_dir)]
    return [_job(n, sweep_dir / str(n), parse_overrides(j.overrides), j.config_hash) for n, j in enumerate(plan)]


def _job(n: int, path: Path, overrides: dict[str, str], chash: str | None) -> Job:
    state = run_state(path, chash)
    reason = state.reason
    if not state.complete:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            reason = json.loads((path / FAILED).read_text(encoding="utf-8"))["message"]
    return Job(n, path, overrides, state.complete, reason)


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


def interval_kind(job_dir: Path) -> str:
    """The kind of interval a job's run shows (``run.json``: ``ci``, or ``uncertainty`` with parameter
    uncertainty, see ``experiments.summary``); the comparison uses the same kind for the differences."""
    try:
        return json.loads((Path(job_dir) / "run.json").read_text()).get("interval", {}).get("kind", "ci")
    except (OSError, ValueError, AttributeError):
        return "ci"


# Compared by month and by sea state at onset as well, for the time-critical conditions.
SPLIT_COMPARED = ("time_to_definitive_care_min_mean", "within_target_share", "weather_delay_min_mean")


def split_rows(job_dir: Path) -> pd.DataFrame:
    """A job's time-critical patient metrics by month and by sea state at onset (``monthly.parquet``,
    ``by_sea_state.parquet``; conditions from ``run_meta.json``), as KPI rows with a ``split`` column
    (``month=0``, ..., ``sea_state=gale``, ...); empty when the run has none of these files."""
    job_dir = Path(job_dir)
    try:
        critical = set(json.loads((job_dir / "run_meta.json").read_text(encoding="utf-8")).get("time_critical", []))
    except (OSError, ValueError, AttributeError):
        critical = set()
    frames = []
    for name, by in (("monthly.parquet", "month"), ("by_sea_state.parquet", "sea_state")):
        f = job_dir / name
        if not critical or not f.exists():
            continue
        df = pd.read_parquet(f)
        df = df[df.condition.isin(critical) & df.metric.isin(SPLIT_COMPARED)].copy()
        df["split"] = by + "=" + df[by].astype(str)
        frames.append(df.drop(columns=[by]))
    if not frames:
        return pd.DataFrame(columns=["replication", *KEYS, "value", "split"])
    return pd.concat(frames, ignore_index=True)


def comparison_table(sweep: pd.DataFrame, ref: Job, override_keys: list[str],
                     splits: Mapping[int, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Each job against the reference: mean difference with a paired 95% interval per metric, over
    the run (``split`` empty) and, from ``splits`` (job number -> :func:`split_rows`), by month and
    by sea state at onset."""
    ref_rows = sweep[sweep.job == ref.number]
    kind = interval_kind(ref.path)  # with parameter uncertainty: uncertainty intervals of the differences
    splits = splits or {}
    ref_split = splits.get(ref.number)
    frames = []
    for job, rows in sweep.groupby("job", sort=True):
        diff = paired_difference(rows, ref_rows, kind=kind)
        diff.insert(0, "split", "")
        parts = [diff]
        mine = splits.get(job)
        if mine is not None and ref_split is not None and len(mine):
            for split, part in mine.groupby("split", sort=False):
                d = paired_difference(part, ref_split[ref_split.split == split], kind=kind)
                d.insert(0, "split", split)
                parts.append(d)
        diff = pd.concat(parts, ignore_index=True)
        diff.insert(0, "job", job)
        for k in override_keys:
            diff[k] = rows[k].iloc[0] if len(rows) else ""
        frames.append(diff)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def clear_summary(sweep_dir: Path) -> None:
    """Remove the gathered tables (before jobs run, and before they are rebuilt): none is ever stale."""
    for name in SUMMARY_FILES:
        (Path(sweep_dir) / name).unlink(missing_ok=True)


def write_sweep_tables(sweep_dir: Path, reference: str | int | None = None,
                       plan: Sequence[PlannedJob] | None = None) -> dict[str, object]:
    """Rebuild ``sweep.parquet``, ``comparison.csv`` and ``sweep_status.json`` from the jobs on disk.

    Returns
    -------
    dict
        ``jobs``, ``complete``, ``incomplete`` (job numbers), ``reasons`` (job -> why not complete),
        ``reference_job`` and ``problem`` (why ``comparison.csv`` was not written, or None).

    Raises
    ------
    OSError
        When a table cannot be written; the tables are then removed, so none is left half-updated.
    """
    sweep_dir = Path(sweep_dir)
    clear_summary(sweep_dir)
    jobs = find_jobs(sweep_dir, plan)
    incomplete = [j.number for j in jobs if not j.complete]
    status: dict[str, object] = {
        "jobs": len(jobs), "complete": len(jobs) - len(incomplete), "incomplete": incomplete,
        "reasons": {str(j.number): j.reason for j in jobs if not j.complete}, "reference_job": None,
        "problem": None,
    }
    try:
        sweep = sweep_table(jobs)
        write_table(sweep, sweep_dir / "sweep.parquet")
        if len(sweep):
            try:
                ref = reference_job(jobs, reference)
            except ValueError as e:
                status["problem"] = f"comparison.csv not written: {e}"
            else:
                keys = sorted({k for j in jobs for k in j.overrides})
                splits = {j.number: split_rows(j.path) for j in jobs if j.complete}
                write_table(comparison_table(sweep, ref, keys, splits), sweep_dir / "comparison.csv")
                status["reference_job"] = ref.number
                status["interval"] = interval_kind(ref.path)
        atomic_write_text(sweep_dir / "sweep_status.json", json.dumps(status, indent=2))
    except BaseException:
        clear_summary(sweep_dir)
        raise
    return status
