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


# Counters such as bed_blocked_count are reported as 0 when nothing was counted (not left out).
def test_bed_blocked_count_is_reported_as_zero(roomy_ward):
    for island in ("island", "all"):
        assert (values(roomy_ward, "bed_blocked_count", island) == 0).all()
