"""Resume from the command line: a finished sweep whose result files were truncated, deleted and
corrupted re-runs exactly those jobs and ends with the uninterrupted ``sweep.parquet``; a sweep folder
holds one sweep; a bad reference or a bad value in a later job stops the sweep before any job runs; a
run into a locked folder stops; a run removes its marker before it starts.

The sweeps use the tiny scenario and a few simulated days (each command takes a few seconds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments.resume import DONE, FolderLock, run_state

ROOT = Path(__file__).resolve().parents[2]
TINY = ["scenario.data_dir=tests/data/tiny", "scenario.name=tiny", "scenario.lang=en"]
SHORT = ["experiment.horizon_days=4", "experiment.warmup_days=1", "experiment.replications=1",
         "experiment.workers=1", "experiment.progress=false", "experiment.report=false"]
SWEEP = ["++policy.boats.main=0,1", "experiment.seed=1,2"]  # 4 jobs


def run_py(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def sweep(dest: Path, *extra: str, jobs=SWEEP) -> subprocess.CompletedProcess:
    return run_py("-m", *jobs, *TINY, *SHORT, *extra, f"hydra.sweep.dir={dest}")


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("resume") / "sweep"
    res = sweep(dest)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "4 of 4 jobs complete" in res.stdout
    return dest


def _copy(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_damaged_results_are_redone_and_the_sweep_table_restored(finished, tmp_path):
    dest = _copy(finished, tmp_path / "damaged")
    os.truncate(dest / "1" / "kpis.parquet", 100)  # truncated
    (dest / "2" / "summary.csv").unlink()  # deleted
    _flip_a_byte(dest / "3" / "daily.parquet")  # corrupted, same size
    (dest / "sweep.parquet").write_bytes(b"stale")  # a summary that no longer matches
    for n in (1, 2, 3):
        assert not run_state(dest / str(n)).complete
    res = sweep(dest)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.count("Already complete") == 1 and f"{dest / '0'}" in res.stdout
    pd.testing.assert_frame_equal(pd.read_parquet(finished / "sweep.parquet"), pd.read_parquet(dest / "sweep.parquet"))
    pd.testing.assert_frame_equal(pd.read_csv(finished / "comparison.csv"), pd.read_csv(dest / "comparison.csv"))


def test_a_narrower_sweep_is_refused_and_the_folder_kept(finished, tmp_path):
    dest = _copy(finished, tmp_path / "narrow")
    before = (dest / "sweep.parquet").read_bytes()
    res = sweep(dest, jobs=["++policy.boats.main=0,1"])
    assert res.returncode == 1 and "holds another sweep" in res.stderr and "Traceback" not in res.stderr
    assert "hydra.sweep.dir" in res.stderr
    assert (dest / "sweep.parquet").read_bytes() == before


def test_a_bad_reference_stops_the_sweep_before_any_job(tmp_path):
    dest = tmp_path / "badref"
    res = sweep(dest, 'experiment.reference="policy.boats.main=7"')
    assert res.returncode == 1 and "experiment.reference" in res.stderr and "policy.boats.main=0" in res.stderr
    assert not dest.exists()


def test_a_bad_value_in_a_later_job_stops_the_sweep_before_any_job(tmp_path):
    dest = tmp_path / "badjob"
    res = sweep(dest, jobs=["++policy.boats.main=1,-1,500"])
    assert res.returncode == 1, res.stdout[-2000:]
    assert "policy.boats.main [job 1]" in res.stderr and "policy.boats.main [job 2]" in res.stderr
    assert "from 0 to 100" in res.stderr and not dest.exists()


def test_a_run_into_a_locked_folder_stops(tmp_path):
    folder = tmp_path / "run"
    with FolderLock(folder):
        res = run_py(*TINY, *SHORT, f"hydra.run.dir={folder}")
    assert res.returncode == 1 and "in use by another run" in res.stderr and str(folder) in res.stderr
    assert "Traceback" not in res.stderr and not (folder / DONE).exists()


def test_a_run_removes_the_old_marker_when_it_starts(tmp_path, monkeypatch):
    """Killed after it started, a run into a finished folder must not leave that folder 'complete'."""
    from experiments.resume import write_marker
    from islandcare.modes import run_mode

    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "kpis.parquet").write_bytes(b"old results")
    write_marker(folder, "old-config", ["kpis.parquet"])

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("experiments.runner.run_replications", killed)
    plain = {"scenario": {"data_dir": "tests/data/tiny"}, "experiment": {"horizon_days": 3, "warmup_days": 1}}
    with pytest.raises(KeyboardInterrupt):
        run_mode(plain, folder, ROOT, None)
    assert not (folder / DONE).exists() and not run_state(folder).complete
