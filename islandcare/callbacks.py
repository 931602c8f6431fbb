"""Hydra callbacks of a sweep (``-m``): check every job before any runs, and gather the results after.

- ``on_multirun_start``: every job composed and validated (problems stop the command, exit status 1,
  before anything simulates), ``experiment.reference`` checked against the jobs, the sweep folder
  locked and checked to hold no other sweep, its plan written and old gathered tables removed
  (``islandcare.sweep_plan``);
- ``on_multirun_end``: ``sweep.parquet``, ``comparison.csv`` and ``sweep_status.json`` rebuilt from the
  job folders on disk (``experiments.sweep``); exit status 1 when a job is unfinished or a table
  could not be written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

EXIT_INCOMPLETE = 1


class SweepSummary(Callback):
    """Checks a sweep before it runs and writes its tables when it ends (see the module docstring)."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from islandcare.hydra_app import original_cwd
        from islandcare.sweep_plan import prepare_sweep

        prepare_sweep(config, original_cwd())

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from islandcare.sweep_plan import release_sweep

        try:
            code = _gather(config)
        finally:
            release_sweep()
        if code:
            sys.exit(code)


def _gather(config: DictConfig) -> int:
    """Write the sweep's tables; the exit status (0: every job finished and every table written)."""
    from experiments.sweep import load_plan, write_sweep_tables
    from islandcare.faults import explain

    sweep_dir = Path(str(config.hydra.sweep.dir))
    if not sweep_dir.is_dir():
        return 0
    mode = config.get("mode")
    if mode != "run":  # other modes leave their own files in the job folders
        return 0
    reference = config.experiment.get("reference") if "experiment" in config else None
    try:
        status = write_sweep_tables(sweep_dir, reference, load_plan(sweep_dir))
    except OSError as e:
        print(f"Sweep summary not written: {explain(e)}", file=sys.stderr)
        return EXIT_INCOMPLETE
    msg = f"Sweep: {status['complete']} of {status['jobs']} jobs complete -> {sweep_dir / 'sweep.parquet'}"
    print(msg)
    code = 0
    if status["incomplete"]:
        for job, why in status["reasons"].items():
            print(f"  job {job}: {why.splitlines()[0] if why else 'not finished'}", file=sys.stderr)
        print(f"Incomplete jobs {status['incomplete']}: fix what is said above, then run the same command "
              f"again with hydra.sweep.dir={sweep_dir} (finished jobs are kept)", file=sys.stderr)
        code = EXIT_INCOMPLETE
    if status["problem"]:
        print(f"Sweep: {status['problem']}", file=sys.stderr)
        code = EXIT_INCOMPLETE
    if config.experiment.get("report", True) and status["complete"]:
        try:
            from report import write_report

            print(f"Sweep report: {write_report(sweep_dir)}")
        except Exception as e:  # noqa: BLE001 - the sweep tables are already written
            print(f"Sweep report not written ({type(e).__name__}: {e}); try: "
                  f"python run.py mode=report input={sweep_dir}", file=sys.stderr)
    return code
