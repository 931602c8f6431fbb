"""The scalar parameters a scenario's ``parameters.csv`` must give.

Each key has a type and an allowed range; the loader rejects unknown keys, missing keys and values
out of range, naming the row. Model code reads these through ``Scenario.param(key)``, so no number a
planner may change is written in model code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """What one key of ``parameters.csv`` must hold."""

    key: str
    kind: str  # "float", "int", "bool" or "id"
    low: float | None = None
    high: float | None = None
    meaning: str = ""


def _f(key: str, low: float | None, high: float | None, meaning: str) -> ParameterSpec:
    return ParameterSpec(key, "float", low, high, meaning)


PARAMETER_SPECS: dict[str, ParameterSpec] = {
    s.key: s
    for s in (
        # Ambulance boats
        _f("boat.dispatch_min", 0, 240, "call to boat leaving its base (crew activation)"),
        _f("boat.load_min", 0, 120, "loading the patient at the island pier"),
        _f("boat.handover_min", 0, 120, "hand-over at the receiving pier"),
        _f("boat.detour_factor", 1, 3, "sea route length / straight-line distance"),
        # Scheduled ferries
        _f("ferry.board_min", 0, 120, "patient and escort must be at the pier this long before departure"),
        # Helicopter
        ParameterSpec("helicopter.count", "int", 0, 20, "helicopters available to the county"),
        _f("helicopter.base_lat", -90, 90, "helicopter base latitude"),
        _f("helicopter.base_lon", -180, 180, "helicopter base longitude"),
        _f("helicopter.activation_min", 0, 600, "request to take-off"),
        _f("helicopter.speed_kmh", 1, 500, "cruise speed"),
        _f("helicopter.pickup_min", 0, 120, "on the ground at the island"),
        _f("helicopter.handover_min", 0, 120, "landing to hand-over at the receiving hospital"),
        ParameterSpec("helicopter.destination", "id", meaning="destination id the helicopter flies to"),
        ParameterSpec("helicopter.daylight_only", "bool", meaning="flies only between sunrise and sunset"),
        # Tourists' age structure (tourists add to the island population by these shares)
        _f("tourists.share_0_14", 0, 1, "share of tourists aged 0-14"),
        _f("tourists.share_15_59", 0, 1, "share of tourists aged 15-59"),
        _f("tourists.share_60_79", 0, 1, "share of tourists aged 60-79"),
        _f("tourists.share_80_plus", 0, 1, "share of tourists aged 80+"),
        # Out-of-hospital cardiac arrest
        _f("ohca.share_at_home", 0, 1, "share of arrests at home (rest in public places)"),
        _f("ohca.bystander_cpr_share", 0, 1, "share receiving bystander CPR"),
        _f("ohca.shockable_share", 0, 1, "share with a shockable first rhythm"),
        _f("ohca.collapse_to_call_min", 0, 30, "collapse to recognition and call"),
        _f("ohca.walk_speed_m_per_min", 1, 500, "speed of a bystander fetching an AED, along the straight line"),
        _f("ohca.aed_home_access_share", 0, 1, "share of at-home arrests for which a public AED is fetched"),
        _f("ohca.aed_analysis_min", 0, 10, "pads on and rhythm analysed once the AED arrives"),
        _f("ohca.clinician_dispatch_min", 0, 60, "call to a local doctor setting off"),
        _f("ohca.nonshockable_survival", 0, 1, "survival with a non-shockable rhythm (shock irrelevant)"),
        ParameterSpec("ohca.curve_cpr", "id", meaning="outcome curve: survival vs minutes to shock, with CPR"),
        ParameterSpec("ohca.curve_no_cpr", "id", meaning="outcome curve: survival vs minutes to shock, no CPR"),
        # Elderly care
        _f("care.mean_stay_days", 1, 10000, "mean stay in a care home (death or discharge)"),
        _f("care.residents_per_carer", 0.1, 100, "residents one certified carer can look after"),
        _f("care.hospital_wait_share", 0, 1, "share of people awaiting placement who wait in a hospital bed"),
        _f("care.waitlist_abandon_days", 1, 100000, "mean time before someone leaves the waiting list"),
        # Circuit medical teams
        _f("circuit.escalation_days", 1, 3650, "routine demand unserved this long may turn urgent"),
        _f("circuit.escalation_share", 0, 1, "share of over-age backlog that turns urgent"),
        _f("circuit.abandon_days", 1, 3650, "routine backlog patients still unserved this long leave without care"),
        _f("circuit.followup_window_days", 1, 365, "window for the follow-up-served-in-time metric"),
        _f("circuit.depart_hour", 0, 23, "hour of day teams set out"),
        ParameterSpec("circuit.team_mode", "id", meaning="sea mode (modes.csv) whose weather limits a team's crossing obeys"),
        ParameterSpec("circuit.escalation_condition", "id",
                      meaning="urgent condition (conditions.csv) that escalated backlog patients become"),
    )
}
