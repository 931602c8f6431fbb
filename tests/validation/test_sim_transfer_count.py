"""Every emergency transfer is counted under the mode that carried it: the four mode counts add up to
the transfers counted month by month (a road-only transfer over the bridges was once in no count)."""

from __future__ import annotations

from scenarios.experiment import Experiment
from scenarios.policy import resolve_policy
from sim.model import simulate

MODES = ("transfers_boat", "transfers_ferry", "transfers_helicopter", "transfers_road")


def test_mode_counts_add_up_to_every_transfer(shengsi):
    exp = Experiment(horizon_days=60.0, warmup_days=0.0, replications=1, seed=5, workers=1, progress=False)
    res = simulate(shengsi, resolve_policy(shengsi, {"name": "baseline"}), exp, 0)
    k = res.kpis[(res.kpis.condition == "all") & (res.kpis.island != "all")]
    by_mode = k[k.metric.isin(MODES)].groupby("island").value.sum()
    m = res.monthly[(res.monthly.metric == "transfers") & (res.monthly.condition == "all")]
    total = m.groupby("island").value.sum().reindex(by_mode.index, fill_value=0.0)
    assert (by_mode == total).all(), (by_mode - total)[by_mode != total]
    road = k[k.metric == "transfers_road"].set_index("island").value
    assert road["xiaoyangshan"] > 0  # its hospital transfers go over the Donghai Bridge
