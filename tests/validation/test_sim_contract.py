"""The KPI table's contract (README, 'Outputs'): metrics are present even when nothing happened."""

from __future__ import annotations

import pytest
from sim_helpers import run, synthetic, values


@pytest.fixture(scope="module")
def roomy_ward():
    """A ward of 60 beds for an offered load of 2: nobody ever finds it full."""
    v = synthetic("ward", horizon_days=20, warmup_days=1, replications=2, beds=60, arrival_rate_per_hour=2 / 24,
                  mean_stay_days=1.0, mean_service_min=1.0, policy={"bed_full_rule": "out_of_county"})
    return run(v)


def test_roomy_ward_is_never_full(roomy_ward):
    assert (values(roomy_ward, "arrivals") > 20).all()
    assert (values(roomy_ward, "transfers_out_of_county") == 0).all()
    assert (values(roomy_ward, "bed_occupancy_mean", "island") > 0).all()


# Known bug (sim/stats.py + sim/model.py, not this test's area): counters such as bed_blocked_count are
# written only once something was counted, so a run in which no patient found a ward full has no
# bed_blocked_count row at all (and summary.csv no such metric) instead of 0. strict: remove when fixed.
@pytest.mark.xfail(strict=True, reason="bed_blocked_count row missing when no patient was blocked")
def test_bed_blocked_count_is_reported_as_zero(roomy_ward):
    for island in ("island", "all"):
        assert (values(roomy_ward, "bed_blocked_count", island) == 0).all()
