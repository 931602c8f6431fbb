"""mode=sensitivity from the command line: results, resume after a kill, bad input, the report in a browser."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from test_report import CHROMIUM, chromium, console_messages

ROOT = Path(__file__).resolve().parents[2]
MMC = ["mode=sensitivity", "scenario=mmc", "sensitivity=mmc", "sensitivity.trajectories=4",
       "sensitivity.horizon_days=15", "sensitivity.warmup_days=2", "experiment.workers=2", "experiment.progress=false"]


def run_py(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def mmc_run(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("sens") / "mmc"
    res = run_py(*MMC, "experiment.report=false", f"hydra.run.dir={dest}")
    assert res.returncode == 0, res.stderr[-3000:]
    return dest


def test_results_and_point_folders(mmc_run):
    table = pd.read_csv(mmc_run / "sensitivity.csv")
    assert list(table.columns)[:6] == ["parameter", "kpi", "mu_star", "mu_star_ci", "sigma", "rank"]
    wait = table[table.kpi == "wait_min_mean"].set_index("parameter")
    assert wait.loc["mean_service_min", "rank"] == 1 and wait.loc["headway_min", "mu_star"] == 0
    points = pd.read_csv(mmc_run / "sensitivity_points.csv")
    assert len(points) == 4 * 4 == len(list((mmc_run / "points").iterdir())) - 1  # and points/noise/
    assert pd.read_parquet(mmc_run / "points" / "noise" / "kpis.parquet").replication.nunique() == 10
    assert wait.loc["mean_service_min", "above_noise"] and wait.loc["mean_service_min", "noise_floor"] > 0
    one = mmc_run / "points" / "5"
    for name in ("kpis.parquet", "summary.csv", "config_resolved.yaml", "run.json", "DONE.json"):
        assert (one / name).is_file(), name
    meta = json.loads((mmc_run / "sensitivity.json").read_text())
    assert meta["method"] == "morris" and meta["points"] == 16 and len(meta["factors"]) == 3


def test_killed_analysis_resumes_to_the_same_result(tmp_path, mmc_run):
    dest = tmp_path / "killed"
    cmd = [sys.executable, "run.py", *MMC, "experiment.workers=1", "experiment.report=false", f"hydra.run.dir={dest}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 240
        while not (dest / "points" / "3" / "DONE.json").exists():
            assert proc.poll() is None, "the analysis ended before it could be killed"
            assert time.time() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (dest / "sensitivity.csv").exists()
    done = sum((p / "DONE.json").exists() for p in (dest / "points").iterdir())
    res = run_py(*MMC, "experiment.report=false", f"hydra.run.dir={dest}")
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"{done} already finished" in res.stdout
    pd.testing.assert_frame_equal(pd.read_csv(mmc_run / "sensitivity.csv"), pd.read_csv(dest / "sensitivity.csv"))


def test_shards_share_a_folder(tmp_path, mmc_run):
    dest = tmp_path / "shared"
    first = run_py(*MMC, "experiment.report=false", "sensitivity.shards=2", "sensitivity.shard=0",
                   f"sensitivity.dir={dest}", f"hydra.run.dir={tmp_path / 'job0'}")
    assert first.returncode == 0 and "not finished yet" in first.stdout and not (dest / "sensitivity.csv").exists()
    second = run_py(*MMC, "experiment.report=false", "sensitivity.shards=2", "sensitivity.shard=1",
                    f"sensitivity.dir={dest}", f"hydra.run.dir={tmp_path / 'job1'}")
    assert second.returncode == 0, second.stderr[-2000:]
    pd.testing.assert_frame_equal(pd.read_csv(mmc_run / "sensitivity.csv"), pd.read_csv(dest / "sensitivity.csv"))


def test_bad_input_is_one_clear_error_before_any_run(tmp_path):
    dest, extra = tmp_path / "bad", tmp_path / "more_ranges.csv"
    extra.write_text("table,key,column,low,high,distribution,source\nscenario,servers,value,3,3,uniform,test\n")
    res = run_py(*MMC, "sensitivity.trajectories=1", "sensitivity.parameters=[mean_service_min,no_such_input]",
                 "sensitivity.kpis=[wait_min_mean,no_such_kpi]", f"sensitivity.uncertainty={extra}",
                 f"hydra.run.dir={dest}")
    assert res.returncode == 1
    err = res.stderr
    assert "Traceback" not in err
    for expected in ("sensitivity.parameters", "no_such_input", "sensitivity.kpis", "no_such_kpi",
                     "sensitivity.trajectories", "more_ranges.csv:2", "low below high"):
        assert expected in err, (expected, err)
    assert not (dest / "points").exists()


@pytest.fixture(scope="module")
def shengsi_report(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: the report cannot be rendered in a browser here")
    dest = tmp_path_factory.mktemp("sens") / "shengsi"
    res = run_py("mode=sensitivity", "sensitivity.parameters=[boat_ops,wind_f8]", "sensitivity.trajectories=4",
                 "sensitivity.horizon_days=20", "sensitivity.warmup_days=2", "experiment.workers=2",
                 "experiment.progress=false", f"hydra.run.dir={dest}")
    assert res.returncode == 0, res.stderr[-3000:]
    return dest


def test_sensitivity_report_renders(shengsi_report, tmp_path):
    page = shengsi_report / "report.html"
    text = page.read_text(encoding="utf-8")
    assert 'id="en-findings"' in text and 'id="zh-findings"' in text
    assert "depends most on" in text and "最主要取决于" in text
    res = chromium(["--virtual-time-budget=10000", "--dump-dom", page.as_uri()], tmp_path)
    assert res.returncode == 0 and console_messages(res.stderr) == []
    shot = tmp_path / "shot.png"
    res = chromium(["--hide-scrollbars", "--window-size=1200,2400", f"--screenshot={shot}", page.as_uri()], tmp_path)
    assert res.returncode == 0 and shot.exists()
    assert np.asarray(Image.open(shot).convert("L"), dtype=float).std() > 10
    figs = {p.stem for p in (shengsi_report / "figures").glob("*.png")}
    assert "sensitivity_heatmap" in figs and any(f.startswith("sensitivity_effects_in_county_share") for f in figs)


def test_sobol_after_the_screening(tmp_path, mmc_run):
    dest = tmp_path / "sobol"
    res = run_py(*MMC, "experiment.report=true", "sensitivity.method=sobol", f"sensitivity.screening={mmc_run}",
                 "sensitivity.top=2", "sensitivity.samples=16", f"hydra.run.dir={dest}")
    assert res.returncode == 0, res.stderr[-3000:]
    table = pd.read_csv(dest / "sensitivity.csv")
    assert list(table.columns) == ["parameter", "kpi", "S1", "S1_ci", "ST", "ST_ci", "rank"]
    assert set(table.parameter) == {"mean_service_min", "arrival_rate_per_hour"}  # the screening's top two
    assert len(pd.read_csv(dest / "sensitivity_points.csv")) == 16 * (2 + 2)
    wait = table[table.kpi == "wait_min_mean"].set_index("parameter")
    assert wait.loc["mean_service_min", "ST"] > wait.loc["arrival_rate_per_hour", "ST"]
    assert any(p.name.startswith("sensitivity_sobol_") for p in (dest / "figures").glob("*.png"))
    bad = run_py(*MMC, "sensitivity.method=sobol", f"sensitivity.screening={tmp_path / 'nowhere'}",
                 f"hydra.run.dir={tmp_path / 'bad'}")
    assert bad.returncode == 1 and "sensitivity.screening" in bad.stderr and "Traceback" not in bad.stderr
