"""Figures, comparison tables and the self-contained HTML report of a run or sweep folder.

Reads what a run wrote; never runs a simulation. ``write_report(folder)`` is the entry point.
"""

from __future__ import annotations


def write_report(folder, cwd=None):
    """See :func:`report.build.write_report` (imported lazily: matplotlib loads only when used)."""
    from report.build import write_report as _write

    return _write(folder, cwd)
