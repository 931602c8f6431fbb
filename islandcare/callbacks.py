"""Hydra callbacks: when a multirun ends, gather the sweep into sweep.parquet and comparison.csv."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig


class SweepSummary(Callback):
    """Writes ``sweep.parquet`` and ``comparison.csv`` into the sweep directory (see experiments.sweep)."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from experiments.sweep import write_sweep_tables

        sweep_dir = Path(config.hydra.sweep.dir)
        if not sweep_dir.is_dir():
            return
        reference = config.experiment.get("reference") if "experiment" in config else None
        try:
            status = write_sweep_tables(sweep_dir, reference)
        except ValueError as e:
            print(f"Sweep summary not written: {e}", file=sys.stderr)
            return
        msg = f"Sweep: {status['complete']} of {status['jobs']} jobs complete -> {sweep_dir / 'sweep.parquet'}"
        if status["incomplete"]:
            msg += f"; incomplete jobs {status['incomplete']}: re-run the same command with " \
                   f"hydra.sweep.dir={sweep_dir} to finish them"
        print(msg)
        if config.get("mode") == "run" and config.experiment.get("report", True) and status["complete"]:
            try:
                from report import write_report

                print(f"Sweep report: {write_report(sweep_dir)}")
            except Exception as e:  # noqa: BLE001 - the sweep tables are already written
                print(f"Sweep report not written ({type(e).__name__}: {e}); try: "
                      f"python run.py mode=report input={sweep_dir}", file=sys.stderr)
