"""Sweeps from the command line: sweep tables, paired comparison, resume after a kill, launchers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["experiment=quick", "experiment.horizon_days=12", "experiment.warmup_days=2", "experiment.progress=false",
         "experiment.report=false"]  # reports have their own tests


def run_py(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, **kw)


def _sweep(dest: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_py("-m", "policy=baseline,plan2025", "++policy.boats.sijiao=1,2", *QUICK, *extra,
                  f"hydra.sweep.dir={dest}")


@pytest.fixture(scope="module")
def full_sweep(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("sweep") / "full"
    res = _sweep(dest)
    assert res.returncode == 0, res.stderr[-3000:]
    return dest


def test_sweep_tables(full_sweep):
    sweep = pd.read_parquet(full_sweep / "sweep.parquet")
    assert sorted(sweep.job.unique()) == [0, 1, 2, 3]
    assert {"policy", "policy.boats.sijiao", "replication", "island", "condition", "metric", "value"} <= set(sweep)
    combos = sweep[["policy", "policy.boats.sijiao"]].drop_duplicates()
    assert len(combos) == 4
    comp = pd.read_csv(full_sweep / "comparison.csv")
    assert {"job", "metric", "mean", "reference_mean", "difference", "diff_ci_low", "diff_ci_high",
            "significant"} <= set(comp)
    # the reference is the first job: its differences from itself are zero
    ref = comp[comp.job == 0]
    assert (ref["difference"].fillna(0) == 0).all()
    # paired differences are job minus reference means, row by row
    other = comp[(comp.job == 3) & comp["mean"].notna() & comp["reference_mean"].notna()]
    assert len(other) > 100
    expected = other["mean"] - other["reference_mean"]
    scale = other[["mean", "reference_mean"]].abs().max(axis=1).clip(lower=1.0)
    assert ((expected - other["difference"]).abs() / scale).max() < 1e-8  # csv keeps 10 digits
    # the same comparison by month and by sea state at onset, for the time-critical conditions
    by_sea = comp[comp["split"].fillna("").str.startswith("sea_state=")]
    assert set(by_sea["split"]) <= {f"sea_state={s}" for s in ("calm", "strong_wind", "gale", "fog")}
    assert len(by_sea) and set(by_sea["metric"]) <= {"time_to_definitive_care_min_mean", "within_target_share",
                                                      "weather_delay_min_mean"}
    assert comp[comp["split"].fillna("").str.startswith("month=")]["job"].nunique() == 4
    # common random numbers: every job saw the same arrivals
    arr = sweep[(sweep.metric == "arrivals") & (sweep.island == "all") & (sweep.condition == "primary_care")]
    assert arr.groupby("replication")["value"].nunique().max() == 1


def test_reference_by_override(tmp_path, full_sweep):
    from experiments.sweep import find_jobs, reference_job

    jobs = find_jobs(full_sweep)
    ref = reference_job(jobs, "policy=plan2025,policy.boats.sijiao=2")
    assert ref.overrides == {"policy": "plan2025", "policy.boats.sijiao": "2"} | {
        k: v for k, v in ref.overrides.items() if k not in ("policy", "policy.boats.sijiao")}
    with pytest.raises(ValueError, match="matching a job of this sweep"):
        reference_job(jobs, "policy=nonexistent")


def test_killed_sweep_resumes_to_the_same_result(tmp_path, full_sweep):
    dest = tmp_path / "killed"
    cmd = [sys.executable, "run.py", "-m", "policy=baseline,plan2025", "++policy.boats.sijiao=1,2", *QUICK,
           f"hydra.sweep.dir={dest}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.time() + 240
        while not (dest / "1" / "DONE.json").exists():
            assert proc.poll() is None, "sweep ended before it could be killed"
            assert time.time() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (dest / "sweep.parquet").exists()
    done_before = {d.name for d in dest.iterdir() if (d / "DONE.json").exists()}
    assert "0" in done_before and "3" not in done_before
    res = _sweep(dest)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.count("Already complete") == len(done_before)
    a = pd.read_parquet(full_sweep / "sweep.parquet")
    b = pd.read_parquet(dest / "sweep.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_submitit_local_launcher(tmp_path):
    dest = tmp_path / "submitit"
    res = run_py("-m", "hydra/launcher=local_processes", "policy=baseline,plan2025", *QUICK,
                 "experiment.workers=1", f"hydra.sweep.dir={dest}")
    assert res.returncode == 0, res.stderr[-3000:]
    sweep = pd.read_parquet(dest / "sweep.parquet")
    assert sorted(sweep.job.unique()) == [0, 1]
    assert (dest / ".submitit").is_dir()


def test_compare_plan2025_experiment_composes():
    res = run_py("experiment=compare_plan2025", "--cfg", "hydra", timeout=60)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "policy: baseline,plan2025" in res.stdout
