"""Metrics by month and by sea state at onset add up to the year's KPIs (every patient counted once)."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.experiment import Experiment
from scenarios.policy import baseline_policy
from sim.model import simulate
from sim.weather import SEA_STATES

COUNTS = {"arrivals": "arrivals"}


@pytest.fixture(scope="module")
def run(shengsi):
    exp = Experiment(horizon_days=45.0, warmup_days=5.0, replications=1, seed=4, workers=1, progress=False)
    return simulate(shengsi, baseline_policy(shengsi), exp, 0)


def _kpi(k, island, condition, metric):
    row = k[(k.island == island) & (k.condition == condition) & (k.metric == metric)]
    return float(row.value.iloc[0])


@pytest.mark.parametrize("table", ["monthly", "by_sea_state"])
def test_splits_add_up_to_the_year(run, shengsi, table):
    split = getattr(run, table)
    by = "month" if table == "monthly" else "sea_state"
    k = run.kpis
    for island in ("all", *shengsi.island_ids[:3]):
        for cond in ("all", "stroke", "primary_care"):
            part = split[(split.island == island) & (split.condition == cond)]
            wide = part.pivot(index=by, columns="metric", values="value")
            assert wide["arrivals"].sum() == _kpi(k, island, cond, "arrivals")
            n = wide["definitive_care_count"]
            mean = _kpi(k, island, cond, "time_to_definitive_care_min_mean")
            if n.sum():
                pooled = (wide["time_to_definitive_care_min_mean"].fillna(0) * n).sum() / n.sum()
                assert pooled == pytest.approx(mean, rel=1e-9)
                within = (wide["within_target_share"].fillna(0) * n).sum() / n.sum()
                assert within == pytest.approx(_kpi(k, island, cond, "within_target_share"), rel=1e-9)
            t = wide["transfer_count"]
            if t.sum():
                delay = (wide["weather_delay_min_mean"].fillna(0) * t).sum() / t.sum()
                assert delay == pytest.approx(_kpi(k, island, cond, "weather_delay_min_mean"), rel=1e-9)


def test_sea_states_are_the_weather_models(run):
    assert set(run.by_sea_state.sea_state) <= set(SEA_STATES)
    assert list(run.monthly.columns) == ["replication", "month", "island", "condition", "metric", "value"]
    assert np.isin(["calm", "gale"], run.by_sea_state.sea_state.unique()).all()
