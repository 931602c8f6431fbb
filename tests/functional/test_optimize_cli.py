"""`python run.py mode=optimize|frontier|evaluate|calibrate` end to end (short runs, into tmp_path).

- infeasible settings (a budget, or a floor no budget reaches): exit status 2, the diagnosis printed
  and in ``infeasibility.csv``;
- bad optimizer settings (unknown outcome, a weight without its unit): exit status 1, every bad key named;
- the plan's ``plan_policy.yaml`` runs in the simulation unchanged (``--config-dir``);
- evaluate writes program-versus-simulation rows and simulates the best options; frontier writes its
  table, plans and figure (one outcome, or two); calibrate writes every round.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TINY = ["scenario.data_dir=tests/data/tiny", "scenario.name=tiny"]
SHORT = ["experiment.horizon_days=20", "experiment.warmup_days=0", "experiment.replications=2",
         "experiment.progress=false"]


def run(folder: Path, *overrides: str, config_dir: Path | None = None) -> subprocess.CompletedProcess:
    extra = ["--config-dir", str(config_dir)] if config_dir else []
    return subprocess.run([sys.executable, "run.py", *extra, *overrides, f"hydra.run.dir={folder}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_infeasible_program_exits_2_with_a_diagnosis(tmp_path):
    r = run(tmp_path / "run", "mode=optimize", "optimizer.capital_budget=100000")
    assert r.returncode == 2, r.stderr[-2000:]
    assert "needs 530,000 yuan more than the capital budget allows" in r.stdout
    d = pd.read_csv(tmp_path / "run" / "infeasibility.csv").set_index("group")
    assert d.loc["capital_budget", "relax_alone"] == pytest.approx(530_000)
    assert d.loc["minimum_aeds_per_10k", "relax_alone"] == pytest.approx(18)
    assert bool(d.loc["capital_budget", "conflict"]) and not bool(d.loc["operating_budget", "conflict"])
    assert not (tmp_path / "run" / "plan.csv").exists()


def test_bad_optimizer_settings_exit_1_naming_each_key(tmp_path):
    r = run(tmp_path / "run", "mode=optimize", "optimizer.solver=gurobi", "optimizer.gap=5",
            "optimizer.outcome=happiness", "optimizer.objective=weighted", "optimizer.weights.survivors=2000000")
    assert r.returncode == 1
    for key in ("optimizer.solver", "optimizer.gap", "optimizer.outcome", "optimizer.weights.survivors"):
        assert key in r.stderr, r.stderr
    assert "yuan_per_survivor" in r.stderr and "Traceback" not in r.stderr


def test_a_floor_no_budget_reaches_exits_2_with_a_diagnosis(tmp_path):
    r = run(tmp_path / "run", "mode=optimize", *TINY, "optimizer.floors.survivors=50", "optimizer.operating_budget=1e9",
            "optimizer.capital_budget=1e9")
    assert r.returncode == 2, r.stderr[-2000:]
    d = pd.read_csv(tmp_path / "run" / "infeasibility.csv").set_index("group")
    assert bool(d.loc["floor_survivors", "conflict"]) and d.loc["floor_survivors", "relax_alone"] > 0
    assert "lower the floor on survivors" in r.stdout


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("opt") / "run"
    r = run(folder, "mode=optimize", *TINY, "optimizer.solver=cbc")
    assert r.returncode == 0, r.stderr[-2000:]
    return folder, r


def test_optimize_writes_the_plan_outcomes_options_and_a_policy(tiny_plan):
    folder, r = tiny_plan
    outcomes = pd.read_csv(folder / "outcomes.csv").set_index("outcome")
    assert outcomes.loc["survivors", "change"] > 0
    assert (outcomes.change - (outcomes.planned - outcomes.today)).abs().max() < 1e-9
    options = pd.read_csv(folder / "options.csv")
    assert {"option", "cost_capital", "cost_operating", "outcome", "change", "yuan_per_unit", "rank"} <= set(options.columns)
    assert (options[options.outcome == "survivors"]["rank"].dropna() >= 1).all()
    plan = pd.read_csv(folder / "plan.csv")
    assert list(plan.columns) == ["resource", "site", "today", "planned", "change", "cost_capital", "cost_operating"]
    assert (plan.change != 0).any()
    assert "solver cbc" in r.stdout and "optimal plan" in r.stdout
    policy = yaml.safe_load((folder / "plan_policy.yaml").read_text())
    assert policy == yaml.safe_load((folder / "policy" / "plan_policy.yaml").read_text())
    doctors = plan[plan.resource == "doctors"].set_index("site").planned
    assert policy["doctors"] == doctors.to_dict()
    ratios = pd.read_csv(folder / "plan_ratios.csv").set_index("ratio")
    for minimum in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"):  # switched on by default
        assert bool(ratios.loc[minimum, "meets_target"]), minimum
    assert not bool(ratios.loc["doctors_per_1000", "today"] >= ratios.loc["doctors_per_1000", "target_2025"])


def test_the_simulation_accepts_the_plan_policy(tiny_plan, tmp_path):
    folder, _ = tiny_plan
    r = run(tmp_path / "sim", "mode=run", *TINY, *SHORT, "experiment.report=false", "policy=plan_policy",
            config_dir=folder)
    assert r.returncode == 0, r.stderr[-2000:]
    cfg = yaml.safe_load((tmp_path / "sim" / "config_resolved.yaml").read_text())
    assert cfg["policy"]["name"] == "plan"
    plan = pd.read_csv(folder / "plan.csv")
    aeds = plan[plan.resource == "aeds"].set_index("site").planned.to_dict()
    assert cfg["policy"]["aeds"] == aeds
    assert (tmp_path / "sim" / "summary.csv").is_file()


def test_evaluate_compares_program_and_simulation(tmp_path):
    r = run(tmp_path / "run", "mode=evaluate", *TINY, *SHORT)
    assert r.returncode == 0, r.stderr[-2000:]
    ev = pd.read_csv(tmp_path / "run" / "evaluation.csv")
    assert {"quantity", "predicted_change", "measured_change", "measured_ci_low", "measured_ci_high", "flag",
            "note"} <= set(ev.columns)
    q = ev.set_index("quantity")
    assert q.loc["aeds_per_10k", "measured_plan"] == pytest.approx(q.loc["aeds_per_10k", "predicted_plan"])
    assert q.loc["survivors", "n"] == 2
    for name in ("kpis_baseline.parquet", "kpis_plan.parquet", "difference.csv", "plan.csv", "options.csv"):
        assert (tmp_path / "run" / name).is_file(), name
    options = pd.read_csv(tmp_path / "run" / "options.csv")
    simulated = options[options.sim_change.notna()]
    assert 1 <= simulated.option.nunique() <= 6 and (simulated.sim_n == 2).all()
    assert (simulated.sim_ci_low <= simulated.sim_change + 1e-9).all()


def test_frontier_writes_table_plans_and_figure(tmp_path):
    r = run(tmp_path / "run", "mode=frontier", *TINY, "optimizer.budgets=[0,8000000,9000000,12000000,20000000]")
    assert r.returncode == 0, r.stderr[-2000:]
    f = pd.read_csv(tmp_path / "run" / "frontier.csv")
    assert f.kind.iloc[0] == "today" and list(f.budget.iloc[1:]) == [0, 8e6, 9e6, 12e6, 20e6]
    assert f.status.iloc[1] == "infeasible" and (f.status.iloc[3:] == "optimal").all()
    plans = pd.read_csv(tmp_path / "run" / "frontier_plans.csv")
    assert set(plans.point) == set(f.point[f.status == "optimal"])
    for ext in ("png", "pdf"):
        assert (tmp_path / "run" / f"frontier.{ext}").stat().st_size > 10_000


def test_two_outcome_frontier_is_a_pareto_front(tmp_path):
    r = run(tmp_path / "run", "mode=frontier", *TINY, "optimizer.frontier.outcomes=[survivors,within_target]",
            "optimizer.frontier.points=4", "optimizer.operating_budget=12000000")
    assert r.returncode == 0, r.stderr[-2000:]
    f = pd.read_csv(tmp_path / "run" / "frontier.csv")
    pts = f[f.kind == "epsilon"]
    assert len(pts) == 4 and (pts.status == "optimal").all()
    assert (pts.within_target >= pts.epsilon - 1e-6).all()  # every point meets its epsilon
    front = pts[pts.pareto]
    assert front.survivors.is_monotonic_decreasing or len(front) == 1


def test_calibrate_writes_every_round(tmp_path):
    r = run(tmp_path / "run", "mode=calibrate", *TINY, *SHORT, "optimizer.calibration.max_rounds=2")
    assert r.returncode == 0, r.stderr[-2000:]
    cal = pd.read_csv(tmp_path / "run" / "calibration.csv")
    assert set(cal["round"]) <= {1, 2} and {"scale", "measured_ci_low", "flag", "plan"} <= set(cal.columns)
    for name in ("corrections.csv", "plan.csv", "evaluation.csv", "options.csv"):
        assert (tmp_path / "run" / name).is_file(), name
