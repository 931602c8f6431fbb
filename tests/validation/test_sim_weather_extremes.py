"""Weather extremes on the default Shengsi scenario: a sea that never opens, and one that never closes."""

from __future__ import annotations

import numpy as np
import pytest
from sim_helpers import config, run, values

from scenarios.validate import validate

TRANSFERS = ("transfers_boat", "transfers_ferry", "transfers_helicopter")


def _shengsi(weather: str, horizon: float, warmup: float = 0.0, reps: int = 2):
    v = validate(config({"weather": weather}, horizon_days=horizon, warmup_days=warmup, replications=reps,
                        seed=21, workers=2))
    return run(v)


@pytest.fixture(scope="module")
def closed():
    return {h: _shengsi("closed", h) for h in (15.0, 30.0)}


def test_closed_sea_no_boat_ferry_or_helicopter(closed):
    for kpis in closed.values():
        moved = kpis[kpis.metric.isin(TRANSFERS)]
        assert len(moved) > 100 and (moved.value == 0).all()
        # Patients who must cross the sea are still waiting at the end.
        assert values(kpis, "in_system_end", "huaniao").min() > 0


def test_closed_sea_weather_delay_grows_with_the_horizon(closed):
    short, long_ = (values(closed[h], "weather_delay_min_mean") for h in (15.0, 30.0))
    # Everyone needing a crossing waits from their arrival to the end: the mean grows like the horizon.
    assert (short > 0.25 * 15 * 1440).all()
    assert long_.mean() > 1.6 * short.mean()
    for kpis in closed.values():
        # Bridged islands are as stuck as the others (a bridge to a closed pier is no way out) ...
        for island in ("gouqi", "shengshan", "huaniao", "huanglong"):
            assert (values(kpis, "weather_delay_min_mean", island) > 0).all(), island
    # ... but the Donghai bridge takes Xiaoyangshan's patients to Shanghai whatever the weather.
    by_road = np.concatenate([values(k, "weather_delay_min_mean", "xiaoyangshan") for k in closed.values()])
    by_road = by_road[~np.isnan(by_road)]  # NaN: no transfer in that replication
    assert len(by_road) > 0 and (by_road == 0).all()


def test_calm_sea_no_weather_delay():
    kpis = _shengsi("calm", 30.0, warmup=5.0)
    delay = kpis[kpis.metric == "weather_delay_min_mean"].value.dropna()
    assert len(delay) > 20 and (delay == 0).all()
    moved = sum(values(kpis, m) for m in TRANSFERS)
    assert (moved > 0).all()  # there were transfers that could have been delayed
    # and the sea, open all the time, lets the waiting patients through
    assert np.all(values(kpis, "in_system_end", "huaniao") <= values(kpis, "arrivals", "huaniao"))
