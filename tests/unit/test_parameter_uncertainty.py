"""experiment.parameter_uncertainty: one draw of the inputs per replication, the same for every policy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from experiments.job import interval_kind, parameter_variants, run_job
from experiments.runner import parameter_draw
from experiments.summary import paired_difference, summarise
from islandcare.config import ScenarioConfig
from scenarios.errors import InputError
from scenarios.validate import validate

RANGES = [{"table": "scenario", "key": "mean_service_min", "column": "value", "low": 11, "high": 15,
           "distribution": "uniform", "source": "test"},  # utilisation up to 0.83 with 3 doctors
          {"table": "scenario", "key": "arrival_rate_per_hour", "column": "value", "low": 8, "high": 10,
           "distribution": "triangular", "source": "test"}]


def cfg(uncertain: bool, servers: int = 3, reps: int = 12) -> dict:
    sc = dataclasses.asdict(ScenarioConfig())
    sc.update(kind="mmc", name="mmc", arrival_rate_per_hour=9.0, servers=servers, mean_service_min=13.0, weather="calm")
    return {"mode": "run", "scenario": sc, "policy": {},
            "experiment": {"horizon_days": 15.0, "warmup_days": 1.0, "replications": reps, "seed": 5, "workers": 2,
                           "progress": False, "parameter_uncertainty": uncertain},
            "sensitivity": {"ranges": RANGES}}


def row(summary, metric):
    return summary[(summary.island == "all") & (summary.condition == "all") & (summary.metric == metric)].iloc[0]


def test_draws_depend_on_seed_replication_and_factor_only():
    a = parameter_draw(5, 3, ["x", "y"])
    assert a == parameter_draw(5, 3, ["y", "x"]) and a["x"] == parameter_draw(5, 3, ["x"])["x"]
    assert a != parameter_draw(5, 4, ["x", "y"]) and a != parameter_draw(6, 3, ["x", "y"])


def test_uncertainty_intervals_are_wider_than_noise_only_on_the_same_seeds():
    sure, unsure = validate(cfg(False)), validate(cfg(True))
    res_a, va = run_job(sure, cfg(False), None)
    res_b, vb = run_job(unsure, cfg(True), None)
    assert (interval_kind(va.experiment), interval_kind(vb.experiment)) == ("ci", "uncertainty")
    a = row(summarise(res_a.kpis, kind="ci"), "wait_min_mean")
    b = row(summarise(res_b.kpis, kind="uncertainty"), "wait_min_mean")
    assert b.ci_high - b.ci_low > 2 * (a.ci_high - a.ci_low)

    def spread(res):
        k = res.kpis
        return k[(k.island == "all") & (k.condition == "all") & (k.metric == "wait_min_mean")].value.std()

    assert spread(res_b) > 1.5 * spread(res_a)  # the inputs vary, not only the formula
    u = row(summarise(res_b.kpis, kind="uncertainty"), "doctor_utilization")
    assert 0 <= u.ci_low <= u["mean"] <= u.ci_high <= 1


def test_every_policy_meets_the_same_draw_so_differences_stay_paired():
    three, four = cfg(True, servers=3), cfg(True, servers=4)
    va, vb = validate(three), validate(four)
    da, db = parameter_variants(va, three, None), parameter_variants(vb, four, None)
    for r in range(4):
        (sa, _), (sb, _) = da(r), db(r)
        assert sa.conditions[0].service_min == sb.conditions[0].service_min
        assert sa.conditions[0].incidence_per_1000 == sb.conditions[0].incidence_per_1000
    assert da(0)[0].conditions[0].service_min != da(1)[0].conditions[0].service_min
    ra, _ = run_job(va, three, None)
    rb, _ = run_job(vb, four, None)
    d = paired_difference(rb.kpis, ra.kpis, kind="uncertainty")
    wait = d[(d.island == "all") & (d.condition == "all") & (d.metric == "wait_min_mean")].iloc[0]
    assert wait.difference < 0 and bool(wait.significant)  # a fourth doctor shortens the wait in every draw


def test_parameter_uncertainty_without_ranges_is_an_error():
    c = cfg(True)
    c["sensitivity"] = {}
    with pytest.raises(InputError) as e:
        validate(c)
    assert [p.place for p in e.value.problems] == ["experiment.parameter_uncertainty"]


def test_auto_with_an_unknown_kpi_is_an_error():
    c = cfg(False)
    c["experiment"].update(replications="auto", precision_kpis=["wait_min_mean", "no_such_metric"])
    with pytest.raises(InputError) as e:
        validate(c)
    assert [(p.place, p.value) for p in e.value.problems] == [("experiment.precision_kpis", "no_such_metric")]
    assert np.isfinite(validate(cfg(False)).experiment.precision)
