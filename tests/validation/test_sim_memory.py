"""A run creates no reference cycles, so that ``sim.model.simulate`` may pause the cyclic collector."""

from __future__ import annotations

import gc

import pytest

from scenarios.experiment import Experiment
from scenarios.policy import resolve_policy
from sim.model import IslandModel


@pytest.mark.parametrize("policy", [
    {"name": "baseline"},
    {"name": "busy", "transfer_rule": "boat_first", "bed_full_rule": "out_of_county", "postpone_rule": "next_slot",
     "placement_rule": "centralised", "care_conversion_cap": 5, "boats": {"sijiao": 2}},
])
def test_a_run_leaves_no_cyclic_garbage(shengsi, policy):
    exp = Experiment(horizon_days=40.0, warmup_days=2.0, replications=1, seed=3, workers=1, progress=False,
                     event_log=True)
    model = IslandModel(shengsi, resolve_policy(shengsi, policy), exp, 0)  # kept alive: only the run's own garbage
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        model.run()
        gc.set_debug(gc.DEBUG_SAVEALL)
        found = gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if collecting:
            gc.enable()
    assert found == 0, f"the run left {found} objects in reference cycles: {kinds[:20]}"
