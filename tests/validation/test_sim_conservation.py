"""Conservation of patients and Little's law for hospital beds on the default Shengsi scenario.

The replications run in this process with every bed taken recorded (``Ward._occupy`` wrapped), so that
the occupancy the model reports can be compared with the admissions that produced it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sim_helpers import assert_in_ci, config

from scenarios.validate import validate
from sim import facilities
from sim.model import simulate

HORIZON, WARMUP, REPS = 60.0, 20.0, 3


@pytest.fixture(scope="module")
def shengsi_runs():
    """(kpis of all replications, per replication the beds taken: array of (time, stay))."""
    v = validate(config({}, horizon_days=HORIZON, warmup_days=WARMUP, replications=REPS, seed=11))
    taken: list[tuple[float, float]] = []
    original = facilities.Ward._occupy

    def occupy(self, los_min, on_bed, wait):
        taken.append((self.env.now, los_min))
        return original(self, los_min, on_bed, wait)

    kpis, beds = [], []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(facilities.Ward, "_occupy", occupy)
        for r in range(REPS):
            taken.clear()
            kpis.append(simulate(v.scenario, v.policy, v.experiment, r).kpis)
            beds.append(np.array(taken, dtype=float).reshape(-1, 2))
    return pd.concat(kpis, ignore_index=True), beds


def _wide(kpis: pd.DataFrame) -> pd.DataFrame:
    keep = kpis[kpis.metric.isin(["arrivals", "completed", "in_system_end"])]
    return keep.pivot_table(index=["replication", "island", "condition"], columns="metric", values="value")


def test_every_arrival_is_completed_or_still_in_the_system(shengsi_runs):
    kpis, _ = shengsi_runs
    w = _wide(kpis)
    assert len(w) > 100  # every island x condition row, and the 'all' rows, of every replication
    assert w.notna().all().all()
    bad = w[w.arrivals != w.completed + w.in_system_end]
    assert bad.empty, f"arrivals != completed + in_system_end:\n{bad}"
    assert (w.arrivals > 0).groupby(level="replication").sum().min() > 50  # the check is not vacuous


def test_all_rows_are_sums_of_island_and_condition_rows(shengsi_runs):
    kpis, _ = shengsi_runs
    w = _wide(kpis).reset_index()
    parts = w[(w.island != "all") & (w.condition != "all")]
    for metric in ("arrivals", "completed", "in_system_end"):
        by_island = parts.groupby(["replication", "island"])[metric].sum()
        rows = w[(w.island != "all") & (w.condition == "all")].set_index(["replication", "island"])[metric]
        pd.testing.assert_series_equal(rows.sort_index(), by_island.sort_index(), check_names=False)
        by_cond = parts.groupby(["replication", "condition"])[metric].sum()
        rows = w[(w.island == "all") & (w.condition != "all")].set_index(["replication", "condition"])[metric]
        pd.testing.assert_series_equal(rows.sort_index(), by_cond.sort_index(), check_names=False)
        total = parts.groupby("replication")[metric].sum()
        rows = w[(w.island == "all") & (w.condition == "all")].set_index("replication")[metric]
        pd.testing.assert_series_equal(rows.sort_index(), total.sort_index(), check_names=False)


def _occupancy(kpis: pd.DataFrame) -> np.ndarray:
    rows = kpis[(kpis.island == "all") & (kpis.condition == "all") & (kpis.metric == "bed_occupancy_mean")]
    return rows.sort_values("replication").value.to_numpy()


def test_bed_occupancy_is_the_bed_time_of_the_stays(shengsi_runs):
    """Exact accounting: mean occupied beds = bed-minutes inside [warm-up, horizon] / its length."""
    kpis, beds = shengsi_runs
    t0, t1 = WARMUP * 1440, HORIZON * 1440
    for occ, b in zip(_occupancy(kpis), beds, strict=True):
        inside = np.clip(np.minimum(b[:, 0] + b[:, 1], t1) - np.maximum(b[:, 0], t0), 0, None).sum()
        assert occ == pytest.approx(inside / (t1 - t0), rel=1e-9)


def test_littles_law_for_hospital_beds(shengsi_runs):
    """Mean occupied beds = admission rate x mean length of stay (of the stays begun after the warm-up)."""
    kpis, beds = shengsi_runs
    t0, t1 = WARMUP * 1440, HORIZON * 1440
    ratios = []
    for occ, b in zip(_occupancy(kpis), beds, strict=True):
        after = b[b[:, 0] >= t0]
        assert len(after) > 500
        rate, stay = len(after) / (t1 - t0), after[:, 1].mean()
        ratios.append(occ / (rate * stay))
    assert_in_ci(np.array(ratios), 1.0, "occupancy / (admission rate x mean stay)", max_rel_halfwidth=0.06)
