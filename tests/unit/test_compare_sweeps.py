"""scripts/compare_sweeps.py, the check at the end of `make cluster-test`: equal sweeps pass, any
difference fails with a message naming it (the cluster test itself needs root and SLURM: not run here)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "compare_sweeps.py"
_spec = importlib.util.spec_from_file_location("compare_sweeps", SCRIPT)
cs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cs)


def make_sweep(d: Path, values=(1.0, 2.0, 3.0, 4.0), hashes=("a", "b"), shuffle=False) -> Path:
    rows = pd.DataFrame({
        "job": [0, 0, 1, 1], "replication": [0, 0, 0, 0], "island": ["all"] * 4,
        "condition": ["all"] * 4, "metric": ["arrivals", "died"] * 2, "value": list(values),
        "policy": ["baseline", "baseline", "plan2025", "plan2025"],
    })
    if shuffle:
        rows = rows.iloc[::-1]
    d.mkdir(parents=True)
    rows.to_parquet(d / "sweep.parquet", index=False)
    (d / "sweep_status.json").write_text(json.dumps({"jobs": 2, "complete": 2, "incomplete": []}))
    for n, h in enumerate(hashes):
        (d / str(n)).mkdir()
        (d / str(n) / "DONE.json").write_text(json.dumps({"config_hash": h, "replications": 1}))
    return d


def test_equal_sweeps_agree_in_any_row_order(tmp_path):
    a = make_sweep(tmp_path / "a")
    b = make_sweep(tmp_path / "b", shuffle=True)
    assert "4 KPI rows of 2 jobs identical" in cs.compare(a, b, jobs=2)


def test_a_different_value_is_named(tmp_path):
    a = make_sweep(tmp_path / "a")
    b = make_sweep(tmp_path / "b", values=(1.0, 2.0, 3.0, 4.000001))
    with pytest.raises(cs.Mismatch, match=r"1 of 4 values differ") as e:
        cs.compare(a, b)
    assert "died" in str(e.value) and "4.000001" in str(e.value)


def test_missing_jobs_columns_and_configuration_fail(tmp_path):
    a = make_sweep(tmp_path / "a")
    with pytest.raises(cs.Mismatch, match="2 jobs, expected 4"):
        cs.compare(a, a, jobs=4)
    b = make_sweep(tmp_path / "b", hashes=("a", "c"))
    with pytest.raises(cs.Mismatch, match="job 1: configuration hash"):
        cs.compare(a, b)
    c = make_sweep(tmp_path / "c")
    pd.read_parquet(c / "sweep.parquet").assign(extra="x").to_parquet(c / "sweep.parquet")
    with pytest.raises(cs.Mismatch, match="only in actual: extra"):
        cs.compare(a, c)
    assert "columns ignored: extra" in cs.compare(a, c, ignore=["extra"])
    d = make_sweep(tmp_path / "d")
    (d / "sweep_status.json").write_text(json.dumps({"jobs": 2, "complete": 1, "incomplete": [1]}))
    with pytest.raises(cs.Mismatch, match="only 1 of 2 jobs complete"):
        cs.compare(a, d)


def test_command_line_exit_status(tmp_path):
    a = make_sweep(tmp_path / "a")
    b = make_sweep(tmp_path / "b", values=(9.0, 2.0, 3.0, 4.0))
    ok = subprocess.run([sys.executable, str(SCRIPT), str(a), str(a), "--jobs", "2"], capture_output=True, text=True)
    assert ok.returncode == 0 and "Sweeps agree" in ok.stdout
    bad = subprocess.run([sys.executable, str(SCRIPT), str(a), str(b)], capture_output=True, text=True)
    assert bad.returncode == 1 and "SWEEPS DIFFER" in bad.stderr and "Traceback" not in bad.stderr
