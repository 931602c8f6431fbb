"""``mode=report input=<run or sweep folder>``: write report.html and figures/ into that folder.

Kept free of heavy imports at module level: ``islandcare.modes`` imports this for every mode.
"""

from __future__ import annotations

import logging
from pathlib import Path


def report_mode(plain: dict, out: Path, cwd: Path, cfg, mode: str = "report") -> None:
    """Read the folder named by ``input`` (relative to where run.py was started) and report on it."""
    from scenarios.errors import InputError, Problem

    given = plain.get("input")
    folder = Path(given).expanduser() if given else None
    if folder is not None and not folder.is_absolute():
        folder = (cwd / folder).resolve()
    if folder is None or not folder.is_dir():
        raise InputError([Problem("input", "", str(given), "a run or sweep folder (e.g. input=outputs/runs/<run>)")],
                         "configuration")
    if not any((folder / n).exists() for n in ("summary.csv", "kpis.parquet", "sweep.parquet", "plan.csv",
                                               "config_resolved.yaml")) and not any(
            p.is_dir() and p.name.isdigit() for p in folder.iterdir()):
        raise InputError([Problem("input", "", str(folder), "a folder written by run.py (summary.csv, sweep.parquet, "
                                  "plan.csv or numbered job folders)")], "configuration")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from report.build import write_report

    path = write_report(folder, cwd)
    print(f"Report written: {path}")
