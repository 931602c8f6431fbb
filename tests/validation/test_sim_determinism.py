"""Reproducibility: the same configuration and seed give the same bytes; another seed gives other numbers;
two policies run with the same seed see the same patients (common random numbers)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sim_helpers import config

from experiments.io import write_table
from experiments.runner import run_replications
from scenarios.policy import resolve_policy
from scenarios.validate import validate
from sim.model import simulate

ROOT = Path(__file__).resolve().parents[2]
SHORT = {"horizon_days": 20, "warmup_days": 2, "replications": 2}


def _v(seed: int = 5, **scenario):
    return validate(config(scenario, seed=seed, **SHORT))


def _csv_bytes(kpis: pd.DataFrame, path: Path) -> bytes:
    write_table(kpis, path)
    return path.read_bytes()


def test_same_seed_same_kpis_csv(tmp_path):
    v = _v()
    a = simulate(v.scenario, v.policy, v.experiment, 1)
    b = simulate(v.scenario, v.policy, v.experiment, 1)
    pd.testing.assert_frame_equal(a.kpis, b.kpis, check_exact=True)
    pd.testing.assert_frame_equal(a.daily, b.daily, check_exact=True)
    assert _csv_bytes(a.kpis, tmp_path / "a.csv") == _csv_bytes(b.kpis, tmp_path / "b.csv")


def test_results_do_not_depend_on_the_number_of_workers():
    v = _v()
    one = run_replications(v.scenario, v.policy, dataclasses.replace(v.experiment, workers=1))
    two = run_replications(v.scenario, v.policy, dataclasses.replace(v.experiment, workers=2))
    pd.testing.assert_frame_equal(one.kpis, two.kpis, check_exact=True)


_SCRIPT = """
import sys
from experiments.io import write_table
from scenarios.validate import validate
from sim.model import simulate
sys.path.insert(0, {helpers!r})
from sim_helpers import config
v = validate(config({{}}, seed=5, horizon_days=10, warmup_days=1, replications=1))
write_table(simulate(v.scenario, v.policy, v.experiment, 0).kpis, {out!r})
"""


def test_same_seed_same_bytes_in_fresh_processes(tmp_path):
    """Fresh interpreters with different string-hash seeds: nothing may depend on set or dict order of
    strings (PYTHONHASHSEED), on the process, or on what ran before."""
    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"kpis_{hash_seed}.csv"
        script = _SCRIPT.format(helpers=str(Path(__file__).parent), out=str(out))
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=300)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].startswith(b"replication,island,condition,metric,value\n")


def test_another_seed_gives_other_numbers():
    v5, v6 = _v(5), _v(6)
    a = simulate(v5.scenario, v5.policy, v5.experiment, 0).kpis
    b = simulate(v6.scenario, v6.policy, v6.experiment, 0).kpis
    c = simulate(v5.scenario, v5.policy, v5.experiment, 1).kpis  # another replication, same seed
    keys = ["island", "condition", "metric"]
    for other in (b, c):
        joined = a.merge(other, on=keys, suffixes=("_a", "_b"))
        assert len(joined) > 0.95 * len(a)  # (nearly) the same rows: counters appear once counted ...
        total = joined[(joined.island == "all") & (joined.condition == "all") & (joined.metric == "arrivals")]
        assert total.value_a.iloc[0] != total.value_b.iloc[0]  # ... with other numbers
        # Patient-level numbers of the busier rows (at least 100 arrivals) all differ.
        busy = joined[(joined.metric == "arrivals") & (joined.value_a >= 100)][["island", "condition"]]
        core = joined.merge(busy, on=["island", "condition"])
        core = core[core.metric.isin(["arrivals", "wait_min_mean", "time_to_definitive_care_min_mean"])]
        assert len(core) >= 30
        assert (core.value_a != core.value_b).mean() > 0.9


@pytest.mark.parametrize("change", [
    {"doctors": {"gouqi_thc": 2}},  # fewer doctors at one facility
    {"boats": {"shengshan": 1}},  # a second ambulance boat
])
def test_common_random_numbers_across_policies(change):
    v = _v()
    other = resolve_policy(v.scenario, {"name": "other", **change})
    a = simulate(v.scenario, v.policy, v.experiment, 0).kpis
    b = simulate(v.scenario, other, v.experiment, 0).kpis
    arr_a = a[a.metric == "arrivals"].set_index(["island", "condition"]).value
    arr_b = b[b.metric == "arrivals"].set_index(["island", "condition"]).value
    assert arr_a.sum() > 1000
    pd.testing.assert_series_equal(arr_a, arr_b)
    # ... and the policy did change what happened to them
    keys = ["island", "condition", "metric"]
    joined = a.merge(b, on=keys, suffixes=("_a", "_b"))
    assert (joined.value_a.fillna(-1) != joined.value_b.fillna(-1)).any()
