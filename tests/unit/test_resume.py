"""experiments.resume and experiments.sweep: a result is finished only when its files are intact and
carry the configuration's hash; folders are locked; a sweep folder holds one sweep; the gathered
tables are rebuilt from disk and never left stale."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.io import write_table
from experiments.resume import (
    DONE,
    FolderBusy,
    FolderLock,
    remove_marker,
    results_hash,
    run_state,
    write_marker,
)
from experiments.sweep import (
    PlannedJob,
    find_jobs,
    plan_conflict,
    reference_index,
    save_plan,
    write_sweep_tables,
)

ROOT = Path(__file__).resolve().parents[2]


def _kpis(value: float) -> pd.DataFrame:
    return pd.DataFrame({"replication": [0, 1], "island": "all", "condition": "all", "metric": "arrivals",
                         "value": [value, value + 1.0]})


def _finished(folder: Path, chash: str = "h0", value: float = 10.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_table(_kpis(value), folder / "kpis.parquet")
    write_table(_kpis(value), folder / "summary.csv")
    write_marker(folder, chash, ["kpis.parquet", "summary.csv"], replications=2)
    return folder


# --- run_state ---------------------------------------------------------------------------------------
def test_intact_results_are_complete(tmp_path):
    assert run_state(_finished(tmp_path / "r"), "h0").complete


@pytest.mark.parametrize("damage, reason", [
    (lambda f: (f / "kpis.parquet").unlink(), "missing"),
    (lambda f: os.truncate(f / "kpis.parquet", 10), "bytes"),
    (lambda f: _flip_a_byte(f / "kpis.parquet"), "changed"),
    (lambda f: (f / DONE).write_text("{not json"), "unreadable"),
    (lambda f: (f / DONE).write_text(json.dumps({"config_hash": "h0", "replications": 2})), "older version"),
    (lambda f: remove_marker(f), "no DONE.json"),
])
def test_damaged_results_are_not_complete(tmp_path, damage, reason):
    folder = _finished(tmp_path / "r")
    damage(folder)
    state = run_state(folder, "h0")
    assert not state.complete and reason in state.reason


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size: only the digest can tell
    path.write_bytes(bytes(data))


def test_results_of_another_configuration_are_not_complete(tmp_path):
    state = run_state(_finished(tmp_path / "r", chash="h0"), "h1")
    assert not state.complete and "another configuration" in state.reason


def test_the_reference_and_how_a_job_runs_are_not_part_of_the_results_hash():
    base = {"experiment": {"seed": 1, "reference": "policy=baseline", "workers": 2, "progress": True},
            "policy": {"name": "baseline"}}
    other = {"experiment": {"seed": 1, "reference": "1", "workers": 1, "progress": False},
             "policy": {"name": "baseline"}}
    assert results_hash(base) == results_hash(other)
    assert results_hash(base) != results_hash({**base, "experiment": {**base["experiment"], "seed": 2}})


# --- locks ----------------------------------------------------------------------------------------------
def test_a_locked_folder_refuses_a_second_run(tmp_path):
    with FolderLock(tmp_path / "r") as lock:
        assert lock.locked
        with pytest.raises(FolderBusy, match=f"pid {os.getpid()}"):
            FolderLock(tmp_path / "r").acquire()
    with FolderLock(tmp_path / "r"):  # released: free again
        pass


def test_the_lock_of_a_killed_run_is_not_stale(tmp_path):
    """flock locks die with their process: a run killed with SIGKILL leaves the folder free."""
    folder = tmp_path / "r"
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]); from experiments.resume import FolderLock; "
            "held = FolderLock(sys.argv[1]).acquire(); print('locked', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder), str(ROOT)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(FolderBusy):
            FolderLock(folder).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.time() + 10
    while True:
        try:
            FolderLock(folder).acquire().release()
            break
        except FolderBusy:
            assert time.time() < deadline, "the killed process's lock was never released"
            time.sleep(0.05)


# --- the sweep plan and the gathered tables -------------------------------------------------------------
PLAN = [PlannedJob(("policy=baseline", "experiment.seed=1"), "h0"),
        PlannedJob(("policy=plan2025", "experiment.seed=1"), "h1")]


def _sweep(tmp_path: Path) -> Path:
    sweep = tmp_path / "sweep"
    for n, job in enumerate(PLAN):
        _finished(sweep / str(n), job.config_hash, value=10.0 + n)
    save_plan(sweep, PLAN)
    return sweep


def test_a_sweep_folder_holds_one_sweep(tmp_path):
    sweep = _sweep(tmp_path)
    assert plan_conflict(sweep, PLAN) is None
    # a worker count changes nothing computed: the same sweep
    assert plan_conflict(sweep, [PlannedJob((*j.overrides, "experiment.workers=1"), j.config_hash) for j in PLAN]) is None
    narrower = plan_conflict(sweep, PLAN[:1])
    assert narrower and "another sweep" in narrower and "policy=plan2025" in narrower
    assert plan_conflict(sweep, [PlannedJob(("policy=baseline", "experiment.seed=2"), "h9"), PLAN[1]])


def test_the_reference_must_name_a_job():
    jobs = [{"policy": "baseline"}, {"policy": "plan2025", "policy.boats.sijiao": "2"}]
    assert reference_index(jobs, None) == 0
    assert reference_index(jobs, "1") == 1
    assert reference_index(jobs, "policy=plan2025") == 1
    assert reference_index(jobs, "policy=plan2025,++policy.boats.sijiao=2") == 1
    for bad in ("policy=plan2026", "2", "nonsense"):
        with pytest.raises(ValueError, match="job"):
            reference_index(jobs, bad)


def test_tables_are_rebuilt_from_what_is_on_disk(tmp_path):
    sweep = _sweep(tmp_path)
    status = write_sweep_tables(sweep, None)
    assert status["complete"] == 2 and status["reference_job"] == 0
    full = pd.read_parquet(sweep / "sweep.parquet")
    os.truncate(sweep / "1" / "kpis.parquet", 5)
    status = write_sweep_tables(sweep, None)
    assert status["incomplete"] == [1] and "bytes" in status["reasons"]["1"]
    assert sorted(pd.read_parquet(sweep / "sweep.parquet").job.unique()) == [0]
    _finished(sweep / "1", "h1", value=11.0)
    write_sweep_tables(sweep, None)
    pd.testing.assert_frame_equal(pd.read_parquet(sweep / "sweep.parquet"), full)


def test_a_job_of_another_configuration_is_not_gathered(tmp_path):
    sweep = _sweep(tmp_path)
    _finished(sweep / "1", "stale-hash")
    jobs = find_jobs(sweep)
    assert [j.complete for j in jobs] == [True, False] and "another configuration" in jobs[1].reason


def test_an_unfinished_reference_writes_no_comparison(tmp_path):
    sweep = _sweep(tmp_path)
    write_sweep_tables(sweep, None)
    remove_marker(sweep / "0")
    status = write_sweep_tables(sweep, "policy=baseline")
    assert "not complete" in status["problem"] and not (sweep / "comparison.csv").exists()


def test_a_table_that_cannot_be_written_leaves_no_stale_table(tmp_path, monkeypatch):
    sweep = _sweep(tmp_path)
    write_sweep_tables(sweep, None)
    assert (sweep / "comparison.csv").exists()
    import experiments.sweep as sw

    real = sw.write_table

    def full_disk(df, path):
        if Path(path).name == "comparison.csv":
            raise OSError(28, "No space left on device", str(path))
        real(df, path)

    monkeypatch.setattr(sw, "write_table", full_disk)
    with pytest.raises(OSError):
        write_sweep_tables(sweep, None)
    assert not any((sweep / n).exists() for n in ("sweep.parquet", "comparison.csv", "sweep_status.json"))


# --- the end of a sweep: exit status ------------------------------------------------------------------------
def _end_config(sweep: Path):
    from omegaconf import OmegaConf

    return OmegaConf.create({"mode": "run", "experiment": {"reference": None, "report": False},
                             "hydra": {"sweep": {"dir": str(sweep)}}})


def test_a_sweep_with_an_unfinished_job_ends_with_status_1(tmp_path, capsys):
    from islandcare.callbacks import _gather

    sweep = _sweep(tmp_path)
    assert _gather(_end_config(sweep)) == 0
    (sweep / "1" / "FAILED.json").write_text(json.dumps({"message": "Cannot write x: disk full"}))
    (sweep / "1" / "kpis.parquet").unlink()
    assert _gather(_end_config(sweep)) == 1
    err = capsys.readouterr().err
    assert "job 1: Cannot write x: disk full" in err and f"hydra.sweep.dir={sweep}" in err


def test_a_sweep_whose_tables_cannot_be_written_ends_with_status_1(tmp_path, monkeypatch, capsys):
    import experiments.sweep as sw
    from islandcare.callbacks import _gather

    sweep = _sweep(tmp_path)

    def full_disk(df, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(sw, "write_table", full_disk)
    assert _gather(_end_config(sweep)) == 1
    assert "disk full" in capsys.readouterr().err and not (sweep / "sweep.parquet").exists()
