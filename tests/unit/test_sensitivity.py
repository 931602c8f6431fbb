"""Sensitivity designs: settings checked before any run, and Morris' known answer on M/M/c."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from experiments.runner import run_replications
from experiments.sensitivity import analyse, make_design, point_values, top_factors
from islandcare.config import ScenarioConfig, SensitivityConfig
from scenarios.errors import InputError
from scenarios.sensitivity import SensitivitySettings
from scenarios.validate import validate

RANGES = [
    {"table": "scenario", "key": "mean_service_min", "column": "value", "low": 12, "high": 16,
     "distribution": "uniform", "source": "test"},
    {"table": "scenario", "key": "headway_min", "column": "value", "low": 30, "high": 120,
     "distribution": "uniform", "source": "test: mmc has no ferry"},
]


def mmc_config(**sens) -> dict:
    sc = dataclasses.asdict(ScenarioConfig())
    sc.update(kind="mmc", name="mmc", arrival_rate_per_hour=10.0, servers=3, mean_service_min=15.0, weather="calm")
    return {"mode": "sensitivity", "scenario": sc, "policy": {},
            "experiment": {"horizon_days": 20.0, "warmup_days": 2.0, "replications": 1, "seed": 7, "workers": 1,
                           "progress": False},
            "sensitivity": {"ranges": RANGES, "kpis": ["wait_min_mean", "doctor_utilization"], **sens}}


def test_conf_group_documents_every_setting_and_restates_none():
    from pathlib import Path

    import yaml

    text = (Path(__file__).parents[2] / "conf" / "sensitivity" / "default.yaml").read_text()
    assert not yaml.safe_load(text)  # comments only: the defaults live in SensitivitySettings
    for f in dataclasses.fields(SensitivitySettings):
        assert f"#   {f.name}:" in text, f.name
    assert [f.name for f in dataclasses.fields(SensitivityConfig)] == [f.name for f in dataclasses.fields(SensitivitySettings)]


def test_bad_settings_are_all_reported_before_any_run():
    cfg = mmc_config(parameters=["mean_service_min", "no_such_input"], kpis=["wait_min_mean", "no_such_kpi",
                                                                             "wait_min_mean:no_such_condition"],
                     trajectories=2, levels=3)
    cfg["sensitivity"]["ranges"] = [*RANGES, {**RANGES[0], "key": "servers", "low": 3, "high": 3}]
    with pytest.raises(InputError) as e:
        validate(cfg)
    where = {(p.place, p.value) for p in e.value.problems}
    assert ("sensitivity.parameters", "no_such_input") in where
    assert ("sensitivity.kpis", "no_such_kpi") in where
    assert ("sensitivity.kpis", "wait_min_mean:no_such_condition") in where
    assert ("sensitivity.trajectories", "2") in where and ("sensitivity.levels", "3") in where
    assert any(p.place == "sensitivity.ranges[2]" and "low below high" in p.expected for p in e.value.problems)


def test_sobol_design_must_be_a_power_of_two():
    with pytest.raises(InputError) as e:
        validate(mmc_config(method="sobol", samples=50))
    assert [p.place for p in e.value.problems] == ["sensitivity.samples"]


def run_design(cfg: dict):
    v = validate(cfg)
    s, u = v.sensitivity, v.uncertainty
    design = make_design(s)
    rows = []
    for i in range(design.points):
        p = validate({**cfg, "mode": "run"}, None, u.overrides(design.point(i)))
        res = run_replications(p.scenario, p.policy, p.experiment)
        rows.append(point_values(res.kpis, s.kpis, p.experiment.horizon_days, p.experiment.warmup_days))
    return design, pd.DataFrame(rows), analyse(design, pd.DataFrame(rows), s)


def test_morris_on_mmc_ranks_service_time_first_and_gives_the_unused_input_exactly_zero():
    design, outputs, table = run_design(mmc_config(trajectories=6))
    assert design.points == 6 * 3 and set(design.factors) == {"mean_service_min", "headway_min"}
    for kpi in ("wait_min_mean", "doctor_utilization"):
        t = table[table.kpi == kpi].set_index("parameter")
        assert t.loc["mean_service_min", "rank"] == 1
        assert t.loc["mean_service_min", "mu_star"] - t.loc["mean_service_min", "mu_star_ci"] > 0
        # common random numbers: the headway changes nothing, so every elementary effect is exactly 0
        assert t.loc["headway_min", "mu_star"] == 0.0 and t.loc["headway_min", "sigma"] == 0.0
        assert pd.isna(t.loc["headway_min", "rank"])
    assert top_factors(table, 1) == ["mean_service_min"]
    # the design's own check: points that differ only in the headway have identical outputs
    q = design.quantiles
    same = [(i, i + 1) for i in range(len(q) - 1) if np.isclose(q[i, 0], q[i + 1, 0]) and not np.isclose(q[i, 1], q[i + 1, 1])]
    assert same and all(outputs.loc[i, "wait_min_mean"] == outputs.loc[j, "wait_min_mean"] for i, j in same)


def test_a_kpi_missing_at_a_point_has_no_indices():
    cfg = mmc_config(trajectories=4)
    v = validate(cfg)
    design = make_design(v.sensitivity)
    outputs = pd.DataFrame({"wait_min_mean": np.r_[np.nan, np.ones(design.points - 1)],
                            "doctor_utilization": np.linspace(0, 1, design.points)})
    table = analyse(design, outputs, v.sensitivity)
    assert table[table.kpi == "wait_min_mean"]["mu_star"].isna().all()
    assert table[table.kpi == "doctor_utilization"]["mu_star"].notna().all()
