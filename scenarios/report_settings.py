"""The report's settings a run is checked for before it simulates (``report.lang``, ``report.workers``,
``scenario.lang``); the report itself lives in ``report/`` and reads only what a run wrote."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.errors import Problem

LANGS = ("en", "zh", "both")  # both: Chinese first, then English
REPORT_KEYS = ("lang", "workers")  # the fields of islandcare.config.ReportConfig


def check_report_settings(cfg: Mapping[str, Any]) -> list[Problem]:
    """Problems with ``report.lang``, ``report.workers`` and ``scenario.lang``, each naming its key."""
    report = cfg.get("report")
    report = report if isinstance(report, Mapping) else {}  # not a mapping: scenarios.validate says so
    out = [Problem(f"report.{k}", "", str(v), "a known report key: " + ", ".join(REPORT_KEYS))
           for k, v in report.items() if k not in REPORT_KEYS]
    for key, value, allow_none in (("report.lang", report.get("lang"), True),
                                   ("scenario.lang", (cfg.get("scenario") or {}).get("lang", "en"), False)):
        if not (value in LANGS or (allow_none and value is None)):
            out.append(Problem(key, "", str(value), "en, zh or both" + (" (or null: the scenario's)" if allow_none
                                                                        else "")))
    workers = report.get("workers", 0)
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        out.append(Problem("report.workers", "", str(workers), "a whole number >= 0 (0 = every usable core)"))
    return out
