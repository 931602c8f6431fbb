"""`python run.py` as a user runs it: config errors, --cfg job, mode=summary, bad scenario folders.

Every run writes into pytest's tmp_path (``hydra.run.dir``), never into outputs/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TINY_DIR = ROOT / "tests" / "data" / "tiny"


def run(tmp_path: Path, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", *overrides, f"hydra.run.dir={tmp_path / 'run'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_misspelled_key_fails_at_once(tmp_path):
    r = run(tmp_path, "policy.dcotors=3")
    assert r.returncode != 0
    assert "dcotors" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "run").exists()  # nothing ran


def test_cfg_job_prints_the_resolved_config(tmp_path):
    r = run(tmp_path, "--cfg", "job", "experiment.seed=7", "policy=plan2025")
    assert r.returncode == 0, r.stderr
    cfg = yaml.safe_load(r.stdout)
    assert cfg["experiment"]["seed"] == 7 and cfg["experiment"]["replications"] == 5
    assert cfg["policy"]["name"] == "plan2025" and cfg["policy"]["aeds_per_10k"] == 5
    assert cfg["scenario"]["data_dir"] == "scenarios/shengsi" and cfg["mode"] == "run"


@pytest.fixture(scope="module")
def shengsi_summary(tmp_path_factory):
    out = tmp_path_factory.mktemp("summary")
    r = run(out, "mode=summary")
    assert r.returncode == 0, r.stderr
    return out / "run", r


def test_summary_writes_one_row_per_island_and_the_county(shengsi_summary):
    folder, _ = shengsi_summary
    t = pd.read_csv(folder / "scenario_summary.csv")
    assert list(t["island"]) == ["sijiao", "huanglong", "shengshan", "gouqi", "huaniao", "lvhua", "donglvhua",
                                 "bixia", "dayangshan", "xiaoyangshan", "tanhu", "all"]
    county = t.set_index("island").loc["all"]
    assert county["population"] == 64_000 and county["doctors"] == 203 and county["carers"] == 56
    assert t["population"].iloc[:-1].sum() == 64_000


def test_summary_writes_the_county_ratios(shengsi_summary):
    folder, r = shengsi_summary
    ratios = pd.read_csv(folder / "ratios.csv").set_index("ratio")
    assert list(ratios.index) == ["doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly", "in_county_share"]
    assert ratios.loc["doctors_per_1000", "value"] == pytest.approx(203 / 64)  # 3.17 per 1,000
    assert ratios.loc["aeds_per_10k", "value"] == pytest.approx(11 / 6.4)  # 1.72 per 10,000
    assert list(ratios["target_2025"]) == [4.2, 5, 25, 0.9]
    assert "doctors_per_1000" in r.stdout and "Sijiao" in r.stdout  # printed as well


def test_summary_of_another_folder_under_a_policy(tmp_path):
    """The tiny fixture with 5 AEDs per 10k: ceil per island 5 + 1 + 1 = 7 AEDs for 11,100 people."""
    r = run(tmp_path, "mode=summary", f"scenario.data_dir={TINY_DIR}", "scenario.name=tiny",
            "policy.aeds_per_10k=5")
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path / "run" / "scenario_summary.csv").set_index("island")
    assert list(t.index) == ["main", "near", "far", "all"]
    assert list(t["aeds"]) == [5, 1, 1, 7]
    ratios = pd.read_csv(tmp_path / "run" / "ratios.csv").set_index("ratio")
    assert ratios.loc["aeds_per_10k", "value"] == pytest.approx(7 / 1.11)


def test_bad_scenario_folder_exits_1_with_the_problem_table(tmp_scenario, tmp_path):
    tmp_scenario.set_cell("sea_links.csv", 3, "departures", "25:00")
    tmp_scenario.set_cell("islands.csv", 2, "pop_2024", "-10")
    r = run(tmp_path, "mode=summary", f"scenario.data_dir={tmp_scenario.path}")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("2 problems in the configuration:")
    assert "tiny/sea_links.csv:3" in r.stderr and "departures" in r.stderr and "25:00" in r.stderr
    assert "tiny/islands.csv:2" in r.stderr and "pop_2024" in r.stderr
    assert not (tmp_path / "run" / "scenario_summary.csv").exists()


def test_bad_policy_and_experiment_keys_exit_1_together(tmp_path):
    r = run(tmp_path, "mode=summary", "++policy.doctors.nowhere=3", "experiment.replications=0")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "policy.doctors.nowhere" in r.stderr and "experiment.replications" in r.stderr


def test_missing_scenario_folder(tmp_path):
    r = run(tmp_path, "mode=summary", f"scenario.data_dir={tmp_path / 'nowhere'}")
    assert r.returncode == 1 and "scenario.data_dir" in r.stderr and "Traceback" not in r.stderr
