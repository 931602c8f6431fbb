"""Figures, comparison tables and the self-contained HTML report of a run or sweep folder.

Reads what a run wrote (its tables and ``run_meta.json``); never runs or validates anything.
``write_report(folder)`` is the entry point. Where things are: the figures are declared in
:mod:`report.specs` (one function each in ``report/figures_*.py``), the page's sections in
:mod:`report.pages`, every word in :mod:`report.vocab` (English and Chinese).
"""

from __future__ import annotations


def write_report(folder, lang: str | None = None, workers: int = 0):
    """See :func:`report.build.write_report` (imported lazily: matplotlib loads only when used)."""
    from report.build import write_report as _write

    return _write(folder, lang, workers)
