"""scenarios.parameters: typed groups, the specs derived from them, and synthetic defaults in range."""

from __future__ import annotations

import dataclasses

import pytest

from scenarios.parameters import GROUPS, PARAMETER_SPECS, Parameters
from scenarios.synthetic import KINDS, build_synthetic


def test_every_field_of_every_group_is_a_spec_and_back():
    keys = {f"{g}.{f.name}" for g, kind in GROUPS.items() for f in dataclasses.fields(kind)}
    assert keys == set(PARAMETER_SPECS)
    for spec in PARAMETER_SPECS.values():
        assert spec.kind in ("float", "int", "bool", "id") and spec.meaning


def test_mapping_round_trip_and_unknown_keys(shengsi):
    p = shengsi.parameters
    assert Parameters.from_mapping(p.as_mapping()) == p
    assert p.with_values({"boat.dispatch_min": 33.0}).boat.dispatch_min == 33.0
    with pytest.raises(KeyError, match="boat.dispatch_mn"):
        p.with_values({"boat.dispatch_mn": 33.0})


@pytest.mark.parametrize("kind", KINDS)
def test_synthetic_defaults_lie_in_the_ranges_the_loader_enforces(kind):
    cfg = {"kind": kind, "arrival_rate_per_hour": 1.0, "servers": 1, "mean_service_min": 10.0, "service_cv": 1.0,
           "urgent_rate_per_hour": 0.0, "headway_min": 60.0, "beds": 5, "mean_stay_days": 2.0}
    values = build_synthetic(cfg).parameters.as_mapping()
    for key, spec in PARAMETER_SPECS.items():
        if spec.kind in ("float", "int"):
            assert spec.low is None or values[key] >= spec.low, key
            assert spec.high is None or values[key] <= spec.high, key
