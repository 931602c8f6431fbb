"""Cross-table checks of a scenario: every reference points at something that exists.

Each problem names the table line that holds the bad reference (through ``where``).
"""

from __future__ import annotations

from collections.abc import Callable

from scenarios.errors import ProblemLog
from scenarios.model import Scenario

Where = Callable[[str, object], str]


def check_references(s: Scenario, log: ProblemLog, where: Where) -> None:
    islands = set(s.island_ids)
    dests = {d.id for d in s.destinations}
    facilities = {f.id for f in s.facilities}
    conditions = set(s.condition_ids)
    places = islands | dests

    for name in sorted(islands & dests):
        log.add(where("destinations.csv", name), "destination_id", name, "an id not already used by an island")

    for i in s.islands:
        at = where("islands.csv", i.id)
        if i.weather_area not in s.weather_areas:
            log.add(at, "weather_area", i.weather_area, _one_of("a weather area", s.weather_areas))
        if i.referral not in facilities | dests:
            log.add(at, "referral", i.referral, "a facility id or a destination id")
        elif i.referral in facilities and s.facility(i.referral).doctors == 0:
            log.add(at, "referral", i.referral, "a facility with doctors (or a destination)")
        if i.tertiary not in dests:
            log.add(at, "tertiary", i.tertiary, _one_of("a destination", dests))
        staffed = any(f.island == i.id and f.doctors > 0 for f in s.facilities)
        if i.resident_doctor != staffed:
            log.add(at, "resident_doctor", str(i.resident_doctor).lower(),
                    f"{str(staffed).lower()}: facilities.csv has {'a' if staffed else 'no'} facility with doctors here")

    for f in s.facilities:
        at = where("facilities.csv", f.id)
        if f.island not in islands:
            log.add(at, "island", f.island, _one_of("an island", islands))
        for c in sorted(f.treats - conditions):
            log.add(at, "treats", c, _one_of("a condition", conditions))
    for h in s.care_homes:
        if h.island not in islands:
            log.add(where("care_homes.csv", h.id), "island", h.island, _one_of("an island", islands))
    for d in s.destinations:
        for c in sorted(d.treats - conditions):
            log.add(where("destinations.csv", d.id), "treats", c, _one_of("a condition", conditions))
    for link in s.links:
        at = where("sea_links.csv", link.id)
        for col in ("origin", "dest"):
            v = getattr(link, col)
            if v not in places:
                log.add(at, col, v, _one_of("an island or destination", places))
    for b in s.boat_bases:
        if b.base not in islands:
            log.add(where("boats.csv", b.base), "base", b.base, _one_of("an island", islands))
    for c in s.conditions:
        at = where("conditions.csv", c.id)
        if c.outcome_curve and c.outcome_curve not in s.curves:
            log.add(at, "outcome_curve", c.outcome_curve, _one_of("a curve in outcome_curves.csv", s.curves))
        if c.time_of_day not in s.time_of_day:
            log.add(at, "time_of_day", c.time_of_day, _one_of("a profile column of time_of_day.csv", s.time_of_day))
    teams = {t.id for t in s.circuit_teams}
    for t in s.circuit_teams:
        if t.base not in islands:
            log.add(where("circuit_teams.csv", t.id), "base", t.base, _one_of("an island", islands))
    for k, v in enumerate(s.circuit_schedule):
        at = where("circuit_schedule.csv", k)
        if v.island not in islands:
            log.add(at, "island", v.island, _one_of("an island", islands))
        if v.team not in teams:
            log.add(at, "team", v.team, _one_of("a circuit team", teams))

    p = s.parameters.as_mapping()
    if p.get("helicopter.destination") not in dests:
        log.add(where("parameters.csv", "helicopter.destination"), "value", p.get("helicopter.destination"),
                _one_of("a destination", dests))
    if p.get("circuit.team_mode") not in s.modes:
        log.add(where("parameters.csv", "circuit.team_mode"), "value", p.get("circuit.team_mode"),
                _one_of("a mode in modes.csv", s.modes))
    urgent = [c.id for c in s.conditions if c.urgent]
    if p.get("circuit.escalation_condition") not in urgent:
        log.add(where("parameters.csv", "circuit.escalation_condition"), "value",
                p.get("circuit.escalation_condition"), _one_of("an urgent condition in conditions.csv", urgent))
    for key in ("ohca.curve_cpr", "ohca.curve_no_cpr"):
        if p.get(key) not in s.curves:
            log.add(where("parameters.csv", key), "value", p.get(key), _one_of("a curve", s.curves))
    shares = [p.get(f"tourists.share_{b}", 0) for b in ("0_14", "15_59", "60_79", "80_plus")]
    if abs(sum(shares) - 1) > 0.01:
        log.add(where("parameters.csv", "tourists.share_0_14"), "value", f"sum {sum(shares):.3f}",
                "tourists.share_* summing to 1 (± 0.01)")


def _one_of(what: str, options) -> str:
    opts = sorted(options)
    shown = ", ".join(opts[:12]) + (", …" if len(opts) > 12 else "")
    return f"{what} ({shown})" if opts else what
