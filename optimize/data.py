"""The numbers the program is built from: decision sites with today's level, bounds and unit costs,
and the pieces of every outcome (``optimize.benefits``, ``optimize.urgent``, circuit visits here),
all derived from a ``Scenario``, today's ``Policy`` and the ``OptimizerSettings``.

Outcomes are in natural units per year (``optimize.settings.OUTCOMES``). An outcome's value is its
constant (flows no decision changes) plus its pieces; a calibration :class:`Correction` scales the
modelled change against today and shifts the level (``optimize.plan.outcome_values``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from optimize.benefits import aed_pieces, care_pieces, hospital_pieces
from optimize.pieces import CircuitIsland, Correction, Piece, Site
from optimize.settings import OUTCOMES, OptimizerSettings
from optimize.urgent import doctor_loads, local_pieces, transfer_pieces
from scenarios import routing as rt
from scenarios.model import Scenario
from scenarios.policy import Policy

__all__ = ["CircuitIsland", "Correction", "Piece", "ProgramData", "Site", "build_data"]


@dataclass(frozen=True)
class ProgramData:
    scenario: str
    population: float
    elderly: float
    sites: tuple[Site, ...]
    pieces: tuple[Piece, ...]
    circuit: dict[str, CircuitIsland]  # islands circuit teams may visit
    constants: dict[str, float]  # outcome -> the part no decision changes (per year)
    care_per_carer: float
    conversions: dict[str, str]  # facility -> care home on its island (hospital beds that may convert)
    minimum_levels: dict[str, float]
    limits: dict[str, float]
    teams: dict[str, tuple[str, ...]]  # team -> islands it may visit
    island_population: dict[str, float]
    corrections: Mapping[str, Correction] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    extras: dict = field(default_factory=dict)  # numbers the plan report and the evaluation reuse

    def site(self, resource: str, site: str) -> Site:
        return self._index()[(resource, site)]

    def sites_of(self, resource: str) -> list[Site]:
        return [s for s in self.sites if s.resource == resource]

    def pieces_of(self, outcome: str) -> list[Piece]:
        return [x for x in self.pieces if x.outcome == outcome]

    def correction(self, outcome: str) -> Correction:
        return self.corrections.get(outcome, Correction())

    def with_corrections(self, corrections: Mapping[str, Correction]) -> ProgramData:
        from dataclasses import replace

        return replace(self, corrections=dict(corrections))

    def _index(self) -> dict:
        cache = self.__dict__.setdefault("_idx", {})
        if not cache:
            cache.update({(s.resource, s.site): s for s in self.sites})
        return cache


def build_data(s: Scenario, p: Policy, st: OptimizerSettings,
               corrections: Mapping[str, Correction] | None = None) -> ProgramData:
    """Everything the program needs, from validated inputs (pure; no solver involved).

    Parameters
    ----------
    s, p : Scenario, Policy
        The place and today's resources and rules.
    st : OptimizerSettings
        Limits, minimums and ``allow_below_today`` shape the sites and curves.
    corrections : mapping, optional
        Outcome -> calibration :class:`Correction`.

    Returns
    -------
    ProgramData
    """
    lim = dict(st.limits)
    cost = {k: c.value for k, c in s.costs.items()}
    arrivals = rt.arrivals_per_year(s)
    sites = _sites(s, p, st, cost)
    circuit, teams = _circuit(s, p, st, arrivals, cost, sites)
    conversions = _conversions(s, p, st, cost, sites)
    aed = aed_pieces(s, p, arrivals, sites)
    survivors_today = {x.label: x.curve.value(p.aeds[x.label]) for x in aed}
    loads = doctor_loads(s, p, arrivals)
    boats, within_constant, q, workload = transfer_pieces(s, p, arrivals, survivors_today, sites)
    care, care_demand = care_pieces(s, p, sites, conversions)
    pieces = [*aed, *local_pieces(s, p, arrivals, sites, loads), *boats, *care,
              *hospital_pieces(s, p, arrivals, conversions)]
    constants = dict.fromkeys(OUTCOMES, 0.0)
    constants["within_target"] = within_constant
    minimums = {k: v for k in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly",
                               "circuit_visits_per_month") if (v := st.minimum_level(k, s)) is not None}
    notes = [f"minimum {k} is switched on but the scenario has no such target: ignored"
             for k in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly")
             if st.minimums.get(k) is True and k not in s.targets]
    return ProgramData(
        scenario=s.name, population=float(s.population), elderly=float(s.elderly), sites=tuple(sites),
        pieces=tuple(pieces), circuit=circuit, constants=constants,
        care_per_carer=float(s.parameters.care.residents_per_carer), conversions=conversions,
        minimum_levels=minimums, limits=lim, teams=teams,
        island_population={i.id: float(i.population) for i in s.islands},
        corrections=dict(corrections or {}), notes=tuple(notes),
        extras={"doctor_load": {f: v[0] for f, v in loads.items()}, "boat_busy": q, "boat_workload_min": workload,
                "care_demand": care_demand, "care_stay_days": float(s.parameters.care.mean_stay_days),
                "care_abandon_days": float(s.parameters.care.waitlist_abandon_days) if p.care_waitlist else math.inf,
                "cost": cost},
    )


def _sites(s: Scenario, p: Policy, st: OptimizerSettings, cost) -> list[Site]:
    lim = st.limits
    below = st.allow_below_today

    def lo(today: int) -> int:
        return 0 if below else today

    sites: list[Site] = []
    hire_d = int(lim["doctors_hire"])
    for f in s.facilities:
        t = p.doctors[f.id]
        sites.append(Site("doctors", f.id, f.island, t, lo(t), t + hire_d, 0.0, cost["doctor_year"]))
    for isl in s.islands:
        if isl.population <= 0 and p.aeds[isl.id] == 0:
            continue  # nobody lives there: no AED decision
        t = p.aeds[isl.id]
        sites.append(Site("aeds", isl.id, isl.id, t, lo(t), t + int(lim["aeds_add_per_island"]),
                          cost["aed_purchase"], cost["aed_upkeep_year"]))
    for b in s.boat_bases:
        t = p.boats[b.base]
        sites.append(Site("boats", b.base, b.base, t, lo(t), t + int(lim["boats_add_per_base"]),
                          cost["boat_capital"], cost["boat_year"]))
    hire_c = int(lim["carers_hire"])
    for h in s.care_homes:
        t = p.care_beds[h.id]
        sites.append(Site("care_beds", h.id, h.island, t, lo(t), t + int(lim["care_beds_add_per_home"]),
                          cost["care_bed_capital"], cost["care_bed_year"]))
        tc = p.carers[h.id]
        sites.append(Site("carers", h.id, h.island, tc, lo(tc), tc + hire_c, 0.0, cost["carer_year"]))
    return sites


def _circuit(s: Scenario, p: Policy, st: OptimizerSettings, arrivals, cost, sites: list[Site]):
    """Visit sites: islands visited today and inhabited islands without a resident doctor today."""
    today = {v.island: v for v in p.circuit}
    teams = {t.id: t for t in s.circuit_teams}
    if not teams:
        return {}, {}
    vmax = int(st.limits["visits_per_month_max"])
    circuit: dict[str, CircuitIsland] = {}
    by_team: dict[str, list[str]] = {t: [] for t in teams}
    for isl in s.islands:
        no_doctor = p.doctors_on(s, isl.id) == 0 and isl.population > 0
        if isl.id not in today and not no_doctor:
            continue
        v = today.get(isl.id)
        team = teams[v.team] if v else min(teams.values(), key=lambda t: (s.distance_km(t.base, isl.id), t.id))
        days = v.days_per_visit if v else 1
        t_int = math.ceil((v.visits_per_month if v else 0.0) - 1e-9)
        low = 0 if st.allow_below_today else t_int
        sites.append(Site("circuit_visits", isl.id, isl.id, t_int, low, max(vmax, t_int), 0.0,
                          12 * days * cost["circuit_team_day"]))
        by_team[team.id].append(isl.id)
        need = waiting = without = 0.0
        if no_doctor:  # the simulation's rules: every contact treated once a doctor lives there, else the choice
            for (i, cid), n in arrivals.items():
                if i == isl.id and n > 0 and not (c := s.condition(cid)).urgent:
                    need += n * (1 - c.out_of_county_share)
                    wait, county = rt.no_clinic_routine_shares(s, p, isl.id, cid)
                    waiting, without = waiting + n * wait, without + n * county
        circuit[isl.id] = CircuitIsland(isl.id, team.id, team.size, days, no_doctor, need,
                                        12 * days * team.patients_per_day, waiting, without)
    return circuit, {t: tuple(v) for t, v in by_team.items() if v}


def _conversions(s: Scenario, p: Policy, st: OptimizerSettings, cost, sites: list[Site]) -> dict[str, str]:
    """Hospital beds that may become care beds in a care home on the same island."""
    cap = int(st.limits["convert_hospital_beds"])
    out = {}
    if cap <= 0:
        return out
    for f in s.facilities:
        beds = p.hospital_beds[f.id]
        home = next((h for h in s.care_homes if h.island == f.island), None)
        if beds > 0 and home is not None:
            out[f.id] = home.id
            # a converted bed is run as a care bed; no building work is costed (none in costs.csv)
            sites.append(Site("beds_converted", f.id, f.island, 0, 0, min(cap, beds), 0.0, cost["care_bed_year"]))
    return out
