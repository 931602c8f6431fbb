"""Tourist-specific incidence: the tourists' part of each class's arrival rate is scaled by the
condition's ``tourist_factor`` (conditions.csv; 1 when the column is left out), in the shared rule
``scenarios.routing.arrival_rates`` that both the simulation and the optimiser use."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from scenarios.routing import arrival_rates
from scenarios.units import YEAR
from sim.calendar import Calendar
from sim.demand import Demand
from sim.streams import Streams


def _with_tourists(tiny, factors: dict[str, float]):
    """tiny with 1,000 tourists on ``main`` all year (every month's tourist factor 1) and the given
    tourist factors."""
    islands = tuple(dataclasses.replace(i, tourists_summer=1000 if i.id == "main" else 0) for i in tiny.islands)
    months = tuple(dataclasses.replace(m, tourist_factor=1.0) for m in tiny.months)
    conds = tuple(dataclasses.replace(c, tourist_factor=factors.get(c.id, 1.0)) for c in tiny.conditions)
    return dataclasses.replace(tiny, islands=islands, months=months, conditions=conds)


def test_the_tourists_part_of_the_rate_is_scaled_by_the_conditions_factor(tiny):
    assert {c.tourist_factor for c in tiny.conditions} == {1.0}  # column left out: residents' rates
    base = _with_tourists(tiny, {})
    scaled = _with_tourists(tiny, {"primary_care": 0.3, "chronic_followup": 0.0})
    main = base.island_ids.index("main")
    shares = np.array(base.parameters.tourists.shares)
    for cid, factor in (("primary_care", 0.3), ("chronic_followup", 0.0), ("stroke", 1.0)):
        c = base.condition_ids.index(cid)
        cond = base.conditions[c]
        inc = np.asarray(cond.incidence_per_1000) / 1000.0 / YEAR
        residents = float(np.array([base.islands[main].band_population(b) for b in ("0_14", "15_59", "60_79", "80_plus")]) @ inc)
        tourists = float(1000 * shares @ inc)
        season = np.array([m.incidence_factor if cond.urgent else 1.0 for m in base.months])
        assert arrival_rates(base)[(main, c)] == pytest.approx((residents + tourists) * season, rel=1e-12)
        assert arrival_rates(scaled)[(main, c)] == pytest.approx((residents + factor * tourists) * season, rel=1e-12)


def test_the_simulation_draws_the_scaled_demand(tiny):
    s = _with_tourists(tiny, {"primary_care": 0.3})
    expected = Demand(s, Streams(1, 0), Calendar(s)).expected_per_year()
    base = Demand(_with_tourists(tiny, {}), Streams(1, 0), Calendar(s)).expected_per_year()
    main, c = s.island_ids.index("main"), s.condition_ids.index("primary_care")
    assert expected[(main, c)] < base[(main, c)]
    other = s.condition_ids.index("stroke")
    assert expected[(main, other)] == base[(main, other)]
