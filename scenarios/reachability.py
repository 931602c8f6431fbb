"""Can every urgent patient reach definitive care? One check per inhabited island, urgent condition
and policy, with the routing rules the simulation uses (``scenarios.routing``).

A patient whose island treats the condition is treated there, but only while the facility is staffed:
outside opening hours without night doctors, and whenever the patient needs care the county cannot
give (``out_of_county_share``, ``policy.out_of_county_conditions``), the patient is transferred to
``routing.transfer_target``. A transfer needs one of: an ambulance boat (``policy.boats``; not under
``transfer_rule: ferry_only``), the helicopter (``policy.helicopter``, a helicopter in
``parameters.csv``, the condition among ``policy.helicopter_conditions``; not under ``ferry_only``), or
a chain of scheduled links and bridges to the target (``routing.reachable_by_schedule``). The check
asks whether a way exists at all, as in calm weather: waiting for the sea to open, for a free boat or
for daylight is a delay, not a dead end. Without any way the simulation would keep such patients in
the system to the end of the run, so validation stops instead.
"""

from __future__ import annotations

from scenarios.checks import row_place
from scenarios.errors import Problem
from scenarios.model import Facility, Scenario
from scenarios.policy import Policy
from scenarios.routing import arrivals_per_year, reachable_by_schedule, transfer_target, treating_facility


def check_reachability(s: Scenario, p: Policy) -> list[Problem]:
    """One problem per (island, urgent condition) with demand but no way to definitive care."""
    out = []
    demand = arrivals_per_year(s)
    for isl in s.islands:
        for cond in s.conditions:
            if not cond.urgent or demand.get((isl.id, cond.id), 0.0) <= 0:
                continue
            gap = _gap(s, p, isl.id, cond)
            if gap:
                out.append(Problem(row_place(s, "islands.csv", isl.id), "", f"{isl.id}: {cond.id}",
                                   f"a way to definitive care for urgent '{cond.id}' patients under policy "
                                   f"'{p.name}' ({gap}): {_remedies(cond.id)}"))
    return out


def _gap(s: Scenario, p: Policy, island: str, cond) -> str | None:
    """What is missing for this island and condition, or None when every patient has a way."""
    always_out = cond.id in p.out_of_county_conditions
    needs = []  # (target place, when the patient needs that transfer)
    if always_out or cond.out_of_county_share > 0:
        needs.append((transfer_target(s, p, island, cond.id, True).place, "care outside the county"))
    if not always_out and cond.out_of_county_share < 1:
        fac = treating_facility(s, p, island, cond.id)
        if fac is None:
            needs.append((transfer_target(s, p, island, cond.id, False).place, "no staffed facility here treats it"))
        elif not _around_the_clock(fac, p):
            needs.append((transfer_target(s, p, island, cond.id, False).place,
                          f"{fac.id} has no doctor outside its opening hours"))
    for target, why in needs:
        if not _can_transfer(s, p, island, target, cond.id):
            return f"{why}; no ambulance boat, helicopter or scheduled link from {island} to {target}"
    return None


def _around_the_clock(fac: Facility, p: Policy) -> bool:
    all_day = fac.opens_min == 0 and fac.closes_min >= 1440
    return all_day or p.night_doctors.get(fac.id, 0) > 0


def _can_transfer(s: Scenario, p: Policy, here: str, target: str, condition: str) -> bool:
    if here == target:
        return True
    if p.transfer_rule != "ferry_only":
        if sum(p.boats.values()) > 0:
            return True
        if p.helicopter and s.parameters.helicopter.count > 0 and condition in p.helicopter_conditions:
            return True
    return reachable_by_schedule(s, here, target)


def _remedies(condition: str) -> str:
    return (f"a staffed facility treating it on the island (facilities.csv, policy.doctors, "
            f"policy.night_doctors), an ambulance boat (policy.boats, with transfer_rule fastest or boat_first), "
            f"the helicopter (policy.helicopter, policy.helicopter_conditions with {condition}), or a "
            f"scheduled link or bridge (sea_links.csv)")
