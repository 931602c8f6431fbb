"""Before a sweep runs any job: expand its jobs as Hydra's basic sweeper will, compose and validate every
one of them, check ``experiment.reference`` against them, and claim the sweep folder.

Called by ``islandcare.callbacks.SweepSummary.on_multirun_start``. Problems stop the command with one
table (exit status 1) before anything simulates, and before the sweep folder is created.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict

from experiments.resume import FolderBusy, FolderLock, results_hash
from experiments.sweep import (
    PlannedJob,
    clear_summary,
    parse_overrides,
    plan_conflict,
    reference_index,
    save_plan,
)
from scenarios.errors import InputError, Problem

BASIC_SWEEPER = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"
EXIT_INPUT_ERROR = 1
_LOCK: FolderLock | None = None  # module level: launchers pickle the callback, never an open file


def job_overrides(config: DictConfig) -> list[list[str]] | None:
    """Each job's override strings, in job order (None: not the basic sweeper; nothing to expand)."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if config.hydra.sweeper.get("_target_") != BASIC_SWEEPER:
        return None
    params = [f"{k}={v}" for k, v in (config.hydra.sweeper.get("params") or {}).items()]
    task = OmegaConf.to_container(config.hydra.overrides.task, resolve=False)
    parser = OverridesParser.create(config_loader=GlobalHydra.instance().config_loader())
    batches = BasicSweeper.split_arguments(parser.parse_overrides(params + list(task)), None)
    return [list(job) for batch in batches for job in batch]


def job_config(config: DictConfig, overrides: list[str]) -> dict[str, Any]:
    """The plain configuration a job will receive (composed as the launcher composes it)."""
    from hydra.core.global_hydra import GlobalHydra

    cfg = GlobalHydra.instance().config_loader().load_sweep_config(config, list(overrides))
    with open_dict(cfg):
        del cfg["hydra"]
    return OmegaConf.to_container(cfg, resolve=True)


def check_jobs(config: DictConfig, jobs: list[list[str]], cwd: Path) -> tuple[list[PlannedJob], list[Problem]]:
    """Compose and validate every job; problems that several jobs share are listed once."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from scenarios.validate import validate_many

    plans, plains, failed = [], [], {}
    for n, overrides in enumerate(jobs):
        try:
            plain = job_config(config, overrides)
        except (HydraException, OmegaConfBaseException) as e:
            failed[n] = Problem(" ".join(overrides) or "(no overrides)", "", "", _one_line(e))
            plain = {}
        plains.append(plain)
        plans.append(PlannedJob(tuple(overrides), results_hash(plain)))
    checked = [p for n, p in enumerate(plains) if n not in failed and p.get("mode") != "report"]
    found = validate_many(checked, cwd)
    numbers = [n for n, p in enumerate(plains) if n not in failed and p.get("mode") != "report"]
    by_problem: dict[Problem, list[int]] = {}
    for n, problems in zip(numbers, found, strict=True):
        for p in problems:
            by_problem.setdefault(p, []).append(n)
    for n, p in failed.items():
        by_problem.setdefault(p, []).append(n)
    out = []
    for p, where in by_problem.items():
        suffix = "" if len(where) == len(jobs) else f" [job{'s' if len(where) > 1 else ''} " \
                                                    f"{', '.join(map(str, where))}]"
        out.append(Problem(p.place + suffix, p.column, p.value, p.expected))
    reference = config.get("experiment", {}).get("reference") if "experiment" in config else None
    if reference not in (None, ""):
        try:
            reference_index([parse_overrides(j) for j in jobs], reference)
        except ValueError as e:
            out.append(Problem("experiment.reference", "", str(reference), str(e)))
    return plans, out


def prepare_sweep(config: DictConfig, cwd: Path) -> None:
    """Validate every job, then lock the sweep folder, refuse one holding another sweep, write the plan
    and remove any gathered tables of an earlier run (they are rebuilt at the end). Exits on problems."""
    global _LOCK
    jobs = job_overrides(config)
    if jobs is None:
        print("Sweep: jobs not checked in advance (not Hydra's basic sweeper)", file=sys.stderr)
        return
    plans, problems = check_jobs(config, jobs, cwd)
    if problems:
        n = len(jobs)
        _stop(InputError(problems, f"configuration of the sweep's {n} job{'s' if n != 1 else ''}").render())
    sweep_dir = Path(str(config.hydra.sweep.dir))
    try:
        _LOCK = FolderLock(sweep_dir).acquire()
    except FolderBusy as e:
        _stop(f"Sweep not started: {e}")
    conflict = plan_conflict(sweep_dir, plans)
    if conflict:
        _stop(f"Sweep not started: a folder holds one sweep, and {sweep_dir}: {conflict}. Leave out "
              f"hydra.sweep.dir (a new folder is made), give a new one, or delete {sweep_dir}.")
    clear_summary(sweep_dir)
    save_plan(sweep_dir, plans)


def release_sweep() -> None:
    global _LOCK
    if _LOCK is not None:
        _LOCK.release()
    _LOCK = None


def _stop(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(EXIT_INPUT_ERROR)


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    cause = e.__cause__
    if cause is not None and str(cause) and str(cause) not in text:
        text += ": " + " ".join(str(cause).split())
    return text

