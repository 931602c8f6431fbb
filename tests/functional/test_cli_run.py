"""`python run.py` (mode=run) end to end: the files a run leaves behind and their columns (the output
contract in the README), and a validation case from the command line.

Every run writes into pytest's tmp_path (``hydra.run.dir``), never into outputs/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.summary import summarise

ROOT = Path(__file__).resolve().parents[2]
KPI_COLUMNS = ["replication", "island", "condition", "metric", "value"]
SUMMARY_COLUMNS = ["island", "condition", "metric", "mean", "ci_low", "ci_high", "n", "too_wide"]
CONTRACT_METRICS = {
    "arrivals", "completed", "in_system_end", "wait_min_mean", "time_to_definitive_care_min_mean",
    "time_to_definitive_care_min_p90", "within_target_share", "transfers_boat", "transfers_ferry",
    "transfers_helicopter", "transfers_out_of_county", "weather_delay_min_mean", "ferry_wait_min_mean",
    "boat_utilization", "doctor_utilization", "bed_occupancy_mean", "bed_blocked_count", "in_county_share",
    "expected_survival",
}


def run(folder: Path, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *overrides, f"hydra.run.dir={folder}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def shengsi_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shengsi") / "run"
    r = run(folder, "experiment.replications=2", "experiment.horizon_days=30", "experiment.warmup_days=5")
    assert r.returncode == 0, r.stderr[-3000:]
    return folder, r


def test_run_writes_every_file(shengsi_run):
    folder, _ = shengsi_run
    for name in ("kpis.parquet", "kpis.csv", "summary.csv", "config_resolved.yaml", "run.json"):
        assert (folder / name).is_file() and (folder / name).stat().st_size > 0, name


def test_kpis_columns_and_rows(shengsi_run):
    folder, _ = shengsi_run
    with (folder / "kpis.csv").open() as fh:
        assert fh.readline().strip() == ",".join(KPI_COLUMNS)  # exactly these, in this order
    kpis = pd.read_csv(folder / "kpis.csv")
    assert list(kpis.columns) == KPI_COLUMNS
    assert sorted(kpis.replication.unique()) == [0, 1]
    assert set(kpis.metric) >= CONTRACT_METRICS
    assert {"all", "sijiao", "huaniao"} <= set(kpis.island) and {"all", "stroke"} <= set(kpis.condition)
    assert not kpis.duplicated(["replication", "island", "condition", "metric"]).any()
    # the parquet holds the same table
    pq = pd.read_parquet(folder / "kpis.parquet")
    assert list(pq.columns) == KPI_COLUMNS and len(pq) == len(kpis)
    pd.testing.assert_series_equal(pq.value, kpis.value, check_exact=False, rtol=1e-9)
    total = kpis[(kpis.island == "all") & (kpis.condition == "all") & (kpis.metric == "arrivals")]
    assert (total.value > 1000).all()  # 25 counted days of a county of 64,000


def test_summary_is_the_t_interval_of_the_kpis(shengsi_run):
    folder, _ = shengsi_run
    summary = pd.read_csv(folder / "summary.csv")
    assert list(summary.columns) == SUMMARY_COLUMNS
    again = summarise(pd.read_parquet(folder / "kpis.parquet"))
    merged = summary.merge(again, on=["island", "condition", "metric"], suffixes=("", "_again"))
    assert len(merged) == len(summary) == len(again)
    for col in ("mean", "ci_low", "ci_high"):
        assert np.allclose(merged[col], merged[f"{col}_again"], rtol=1e-8, equal_nan=True), col
    arrivals = summary[(summary.island == "all") & (summary.condition == "all") & (summary.metric == "arrivals")]
    row = arrivals.iloc[0]
    assert row.n == 2 and row.ci_low <= row["mean"] <= row.ci_high


def test_config_and_run_records(shengsi_run):
    folder, r = shengsi_run
    cfg = yaml.safe_load((folder / "config_resolved.yaml").read_text())
    assert cfg["experiment"]["replications"] == 2 and cfg["experiment"]["horizon_days"] == 30
    rec = json.loads((folder / "run.json").read_text())
    assert rec["replications"] == 2 and rec["horizon_days"] == 30 and rec["warmup_days"] == 5
    assert rec["scenario"] == "shengsi" and "python" in rec and rec["wall_seconds"] > 0
    assert "arrivals" in r.stdout or "in_county" in r.stdout  # the compact KPI table is printed


def test_validation_case_from_the_command_line(tmp_path):
    """`run.py scenario=mmc` with the default policy (the synthetic case has its own conditions)."""
    folder = tmp_path / "mmc"
    r = run(folder, "scenario=mmc", "experiment.replications=2", "experiment.horizon_days=20",
            "experiment.warmup_days=1")
    assert r.returncode == 0, r.stderr[-3000:]
    kpis = pd.read_csv(folder / "kpis.csv")
    assert set(kpis.island) == {"island", "all"} and set(kpis.condition) >= {"patient", "all"}
    util = kpis[(kpis.island == "all") & (kpis.metric == "doctor_utilization")].value
    # scenario=mmc: 10 an hour, 3 doctors, 15 minutes each -> utilisation 0.833
    assert len(util) == 2 and np.allclose(util, 10 * 15 / 60 / 3, atol=0.03)
    assert (kpis[kpis.metric.str.startswith("transfers_")].value == 0).all()
