"""What the program expects the simulation to measure, for a plan and for today (``mode=evaluate``).

Besides the outcomes (``optimize.plan.outcome_values``) a few side quantities whose simulation
metric is direct: ambulance-boat busy share, AEDs per 10,000, circuit visits per year, care-home
occupancy and waiting list (Erlang A at the plan's usable beds). Units per year unless a share.
"""

from __future__ import annotations

from collections.abc import Mapping

from analytic.waitlist import erlang_a
from optimize.data import ProgramData
from optimize.plan import outcome_values, usable_beds
from optimize.urgent import BOAT_BUSY_CAP
from scenarios.units import DAYS_PER_YEAR, YEAR

SIDE_MEASURES: dict[str, str] = {
    "boat_busy_share": "share of time ambulance boats are on a mission",
    "aeds_per_10k": "public AEDs per 10,000 residents",
    "circuit_visits_per_year": "circuit visits made per year",
    "care_occupancy_mean": "mean occupied care beds",
    "care_waitlist_mean": "mean number waiting for a care place",
}


def predicted_measures(data: ProgramData, levels: Mapping[str, int]) -> dict[str, float]:
    """Outcomes (exact curves, corrections applied) and side measures at ``levels``."""
    out = dict(outcome_values(data, levels))
    fleet = sum(levels[s.key] for s in data.sites_of("boats"))
    work = data.extras["boat_workload_min"]
    out["boat_busy_share"] = min(BOAT_BUSY_CAP, work / (fleet * YEAR)) if fleet else float("nan")
    aeds = sum(levels[s.key] for s in data.sites_of("aeds"))
    out["aeds_per_10k"] = aeds / data.population * 10_000 if data.population else float("nan")
    out["circuit_visits_per_year"] = 12.0 * sum(levels[s.key] for s in data.sites_of("circuit_visits"))
    stay, abandon = data.extras["care_stay_days"], data.extras["care_abandon_days"]
    busy = waiting = 0.0
    for home, demand in data.extras["care_demand"].items():
        if demand <= 0:
            continue
        r = erlang_a(int(usable_beds(data, levels, home)), demand / DAYS_PER_YEAR, 1.0 / stay, 1.0 / abandon)
        busy += r.mean_busy
        waiting += r.mean_waiting
    out["care_occupancy_mean"] = busy
    out["care_waitlist_mean"] = waiting
    return out
