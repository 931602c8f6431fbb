"""Check that two runs of the same sweep gave the same results (used by `make cluster-test`).

    python scripts/compare_sweeps.py EXPECTED_DIR ACTUAL_DIR [--jobs N] [--ignore COLUMN ...]

Both directories are sweep directories (`hydra.sweep.dir`). Compared, exactly (no tolerance: the same
code, seeds and machine give the same numbers whichever launcher ran the jobs):
  - `sweep_status.json`: every job complete, the same number of jobs (and `--jobs N` if given);
  - `sweep.parquet`: the same columns, dtypes and rows, both sorted by job, replication, island,
    condition and metric; no column is ignored unless `--ignore` names it (the table has no paths,
    times or host names, so nothing differs legitimately between launchers);
  - `comparison.csv`: the same paired differences;
  - each job's `DONE.json` configuration hash (the same configuration reached every job).
Exit status 0 when all agree, 1 with a message naming the first difference, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

SORT = ["job", "replication", "island", "condition", "metric"]
SHOW = 10  # differing rows printed


class Mismatch(Exception):
    pass


def _status(d: Path) -> dict:
    f = d / "sweep_status.json"
    if not f.exists():
        raise Mismatch(f"{f} is missing: the sweep did not finish (see the sweep's log)")
    return json.loads(f.read_text())


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in SORT if c in df.columns]
    return df.sort_values(keys, kind="mergesort").reset_index(drop=True)


def _differing_rows(a: pd.DataFrame, b: pd.DataFrame) -> str:
    """The first rows whose value differs, side by side (rows are already aligned by _sorted)."""
    if len(a) != len(b) or "value" not in a or "value" not in b:
        return ""
    va, vb = a["value"], b["value"]
    diff = ~((va == vb) | (va.isna() & vb.isna()))
    if not diff.any():
        return ""
    keys = [c for c in SORT if c in a.columns]
    rows = a.loc[diff, keys].assign(expected=va[diff], actual=vb[diff])
    return f"\n{int(diff.sum())} of {len(a)} values differ; the first {min(SHOW, int(diff.sum()))}:\n" + \
        rows.head(SHOW).to_string(index=False)


def compare_tables(name: str, a: pd.DataFrame, b: pd.DataFrame, ignore: list[str]) -> None:
    a = a.drop(columns=[c for c in ignore if c in a.columns])
    b = b.drop(columns=[c for c in ignore if c in b.columns])
    if set(a.columns) != set(b.columns):
        only = [f"only in {which}: {', '.join(sorted(cols))}" for which, cols in
                (("expected", set(a.columns) - set(b.columns)), ("actual", set(b.columns) - set(a.columns))) if cols]
        raise Mismatch(f"{name}: different columns ({'; '.join(only)})")
    a, b = _sorted(a), _sorted(b[list(a.columns)])
    if len(a) != len(b):
        raise Mismatch(f"{name}: {len(a)} rows expected, {len(b)} found")
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError as e:
        raise Mismatch(f"{name} differs: {e}{_differing_rows(a, b)}") from None


def compare(expected: Path, actual: Path, jobs: int | None = None, ignore: list[str] | None = None) -> str:
    """Raise Mismatch at the first difference; return a one-line summary when the sweeps agree."""
    ignore = ignore or []
    sa, sb = _status(expected), _status(actual)
    for d, s in ((expected, sa), (actual, sb)):
        if s.get("incomplete") or s.get("complete") != s.get("jobs"):
            raise Mismatch(f"{d}: only {s.get('complete')} of {s.get('jobs')} jobs complete "
                           f"(incomplete: {s.get('incomplete')})")
        if jobs is not None and s.get("jobs") != jobs:
            raise Mismatch(f"{d}: {s.get('jobs')} jobs, expected {jobs}")
    if sa["jobs"] != sb["jobs"]:
        raise Mismatch(f"{sa['jobs']} jobs in {expected}, {sb['jobs']} in {actual}")
    a = pd.read_parquet(expected / "sweep.parquet")
    b = pd.read_parquet(actual / "sweep.parquet")
    compare_tables("sweep.parquet", a, b, ignore)
    ca, cb = expected / "comparison.csv", actual / "comparison.csv"
    if ca.exists() != cb.exists():
        raise Mismatch(f"comparison.csv exists in only one of {expected}, {actual}")
    if ca.exists():
        compare_tables("comparison.csv", pd.read_csv(ca), pd.read_csv(cb), ignore)
    for n in range(sa["jobs"]):
        ha = json.loads((expected / str(n) / "DONE.json").read_text()).get("config_hash")
        hb = json.loads((actual / str(n) / "DONE.json").read_text()).get("config_hash")
        if ha != hb:
            raise Mismatch(f"job {n}: configuration hash {ha} expected, {hb} found (DONE.json): the jobs "
                           f"did not run the same configuration")
    ignored = ", ".join(ignore) if ignore else "none"
    return (f"{len(a)} KPI rows of {sa['jobs']} jobs identical (sweep.parquet, comparison.csv, configuration "
            f"hashes; columns ignored: {ignored})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("expected", type=Path)
    p.add_argument("actual", type=Path)
    p.add_argument("--jobs", type=int, default=None, help="number of jobs each sweep must have")
    p.add_argument("--ignore", nargs="*", default=[], help="columns that may differ")
    args = p.parse_args(argv)
    try:
        print("Sweeps agree: " + compare(args.expected, args.actual, args.jobs, args.ignore))
    except Mismatch as e:
        print(f"SWEEPS DIFFER ({args.expected} vs {args.actual}): {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
