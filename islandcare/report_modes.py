"""``mode=report input=<run or sweep folder>``: write report.html and figures/ into that folder.

Kept free of heavy imports at module level: ``islandcare.modes`` imports this for every mode.
"""

from __future__ import annotations

import logging
from pathlib import Path


def report_mode(plain: dict, out: Path, cwd: Path, cfg, mode: str = "report") -> None:
    """Read the folder named by ``input`` (relative to where run.py was started) and report on it.

    ``report.lang`` (en | zh | both) overrides the run's own default language. An unfinished run is
    reported with a statement at the top of the page; a folder with nothing to show is an input error.
    """
    from scenarios.errors import InputError, Problem

    given = plain.get("input")
    folder = Path(given).expanduser() if given else None
    if folder is not None and not folder.is_absolute():
        folder = (cwd / folder).resolve()
    if folder is None or not folder.is_dir():
        raise InputError([Problem("input", "", str(given), "a run or sweep folder (e.g. input=outputs/runs/<run>)")],
                         "configuration")
    if not any((folder / n).exists() for n in ("summary.csv", "kpis.parquet", "sweep.parquet", "plan.csv",
                                               "frontier.csv", "config_resolved.yaml")) and not any(
            p.is_dir() and p.name.isdigit() for p in folder.iterdir()):
        raise InputError([Problem("input", "", str(folder), "a folder with results written by run.py (summary.csv, "
                                  "kpis.parquet, sweep.parquet, plan.csv or numbered job folders); nothing to "
                                  "report here: did the run stop before writing its results?")], "configuration")
    from scenarios.report_settings import check_report_settings

    problems = [p for p in check_report_settings(plain) if p.place.startswith("report.")]
    if problems:
        raise InputError(problems, "configuration")
    lang = (plain.get("report") or {}).get("lang")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from report.build import write_report

    path = write_report(folder, lang, int((plain.get("report") or {}).get("workers") or 0))
    missing = [n for n in ("DONE.json", "summary.csv") if not (folder / n).exists()]
    if (folder / "kpis.parquet").exists() and missing:
        print(f"Note: this run is incomplete (no {' and no '.join(missing)}); the report says so at the top.")
    print(f"Report written: {path}")
