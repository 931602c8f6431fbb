"""The numbers the program is built from: decision sites with today's level, bounds and unit costs, and
the benefit curves of every objective term, all derived from a ``Scenario``, today's ``Policy`` and
the ``OptimizerSettings``.

Units of the curves (per year): expected cardiac-arrest survivors; urgent transfers delivered within
target by ambulance boat; routine consultations starting within target; routine consultations on
islands without a resident doctor; elderly placed in care; admissions finding a free hospital bed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from analytic.ohca_batch import expected_survival_by_aeds
from analytic.queues import erlang_b, erlang_c
from analytic.waitlist import erlang_a
from optimize.curves import Curve
from optimize.settings import TERMS, OptimizerSettings
from scenarios import routing as rt
from scenarios.model import Scenario
from scenarios.policy import Policy
from scenarios.units import ARREST, DAYS_PER_YEAR, YEAR

BOAT_BUSY_CAP = 0.95  # MEXCLP busy fraction is a probability; keep it below 1 when demand exceeds the fleet


@dataclass(frozen=True)
class Site:
    """One decision: a resource at a site, today's level, bounds and unit costs (yuan, yuan/year)."""

    resource: str  # doctors | aeds | boats | care_beds | carers | circuit_visits | beds_converted
    site: str
    island: str
    today: int
    low: int
    high: int
    capital: float  # per unit added
    operating: float  # per unit and year (a removed unit saves it)

    @property
    def key(self) -> str:
        return f"{self.resource}__{self.site}"


@dataclass(frozen=True)
class BoatGroup:
    """Urgent transfers of one (island, condition) and the bases whose boats reach them in time."""

    island: str
    condition: str
    bases: tuple[str, ...]
    curve: Curve  # transfers within target per year vs boats at those bases (MEXCLP: 1 - q^k)


@dataclass(frozen=True)
class CircuitIsland:
    """An island circuit teams may visit (visited today, or inhabited without a resident doctor)."""

    island: str
    team: str
    team_size: int
    days_per_visit: int
    no_doctor: bool  # inhabited and no resident doctor today: the visits serve its routine need
    demand: float  # routine consultations needed per year (0 unless ``no_doctor``)
    per_visit: float  # consultations one visit a month gives per year (12 x days x patients_per_day)


@dataclass(frozen=True)
class ProgramData:
    scenario: str
    population: float
    elderly: float
    sites: tuple[Site, ...]
    aed_curves: dict[str, Curve]  # island -> survivors/yr vs AEDs
    routine_curves: dict[str, Curve]  # facility -> consultations within target/yr vs doctors
    circuit: dict[str, CircuitIsland]  # islands circuit teams may visit
    boat_groups: tuple[BoatGroup, ...]
    care_curves: dict[str, Curve]  # home -> placed/yr vs usable beds
    care_per_carer: float
    conversions: dict[str, str]  # facility -> care home on its island (hospital beds that may convert)
    hospital_curves: dict[str, Curve]  # facility -> admissions finding a bed/yr vs beds
    minimum_levels: dict[str, float]
    limits: dict[str, float]
    teams: dict[str, tuple[str, ...]]  # team -> islands it may visit
    island_population: dict[str, float]
    notes: tuple[str, ...] = ()
    extras: dict = field(default_factory=dict)  # numbers the plan report and the evaluation reuse

    def site(self, resource: str, site: str) -> Site:
        return self._index()[(resource, site)]

    def sites_of(self, resource: str) -> list[Site]:
        return [s for s in self.sites if s.resource == resource]

    def _index(self) -> dict:
        cache = self.__dict__.setdefault("_idx", {})
        if not cache:
            cache.update({(s.resource, s.site): s for s in self.sites})
        return cache


def build_data(s: Scenario, p: Policy, st: OptimizerSettings) -> ProgramData:
    """Everything the program needs, from validated inputs (pure; no solver involved)."""
    lim = dict(st.limits)
    cost = {k: c.value for k, c in s.costs.items()}
    arrivals = rt.arrivals_per_year(s)
    sites: list[Site] = []
    below = st.allow_below_today

    def lo(today: int) -> int:
        return 0 if below else today

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

    circuit, teams = _circuit(s, p, st, arrivals, cost, sites)
    conversions = _conversions(s, p, st, cost, sites)
    aed = _aed_curves(s, p, arrivals, sites)
    routine, doctor_load = _routine_curves(s, p, arrivals, sites)
    groups, boat_busy, workload = _boat_groups(s, p, arrivals, aed, sites)
    care, care_demand = _care_curves(s, p, sites, conversions)
    hospital = _hospital_curves(s, p, arrivals, conversions)
    minimums = {k: v for k in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly",
                               "circuit_visits_per_month") if (v := st.minimum_level(k, s)) is not None}
    notes = []
    for k in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"):
        if st.minimums.get(k) is True and k not in s.targets:
            notes.append(f"minimum {k} is switched on but the scenario has no such target: ignored")
    return ProgramData(
        scenario=s.name, population=float(s.population), elderly=float(s.elderly), sites=tuple(sites),
        aed_curves=aed, routine_curves=routine, circuit=circuit, boat_groups=tuple(groups), care_curves=care,
        care_per_carer=float(s.parameters.care.residents_per_carer), conversions=conversions,
        hospital_curves=hospital, minimum_levels=minimums, limits=lim, teams=teams,
        island_population={i.id: float(i.population) for i in s.islands}, notes=tuple(notes),
        extras={"doctor_load": doctor_load, "boat_busy": boat_busy, "boat_workload_min": workload,
                "care_demand": care_demand, "care_stay_days": float(s.parameters.care.mean_stay_days),
                "care_abandon_days": float(s.parameters.care.waitlist_abandon_days) if p.care_waitlist else math.inf},
    )


# --- circuit visits and conversions --------------------------------------------------------------------
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
        t_visits = v.visits_per_month if v else 0.0
        t_int = math.ceil(t_visits - 1e-9)
        per_visit_cost = 12 * days * cost["circuit_team_day"]
        low = 0 if st.allow_below_today else t_int
        sites.append(Site("circuit_visits", isl.id, isl.id, t_int, low, max(vmax, t_int), 0.0, per_visit_cost))
        by_team[team.id].append(isl.id)
        need = 0.0
        if no_doctor:
            need = sum(n * (1 - c.out_of_county_share) for (i, cid), n in arrivals.items()
                       if i == isl.id and not (c := s.condition(cid)).urgent)
        circuit[isl.id] = CircuitIsland(isl.id, team.id, team.size, days, no_doctor, need,
                                        12 * days * team.patients_per_day)
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


# --- AEDs ------------------------------------------------------------------------------------------
def _aed_curves(s: Scenario, p: Policy, arrivals, sites: list[Site]) -> dict[str, Curve]:
    """Expected survivors per year against AEDs per island (``analytic.ohca``, as ``sim.arrest``).

    The first clinician with a defibrillator: the island's local doctor when on duty (day doctors in
    opening hours, night doctors outside them), else the nearest ambulance boat when the sea is open,
    else none; the three cases are weighted by their share of arrests.
    """
    if ARREST not in s.condition_ids:
        return {}
    prm = s.parameters
    cond = s.condition(ARREST)
    cpr = p.bystander_cpr_share if p.bystander_cpr_share is not None else prm.ohca.bystander_cpr_share
    curve_cpr, curve_no = s.curves[prm.ohca.curve_cpr], s.curves[prm.ohca.curve_no_cpr]
    common = dict(p_home=prm.ohca.share_at_home, p_home_access=prm.ohca.aed_home_access_share, p_cpr=cpr,
                  p_shockable=prm.ohca.shockable_share, nonshockable_survival=prm.ohca.nonshockable_survival,
                  collapse_to_call=prm.ohca.collapse_to_call_min, walk_m_per_min=prm.ohca.walk_speed_m_per_min,
                  analysis_min=prm.ohca.aed_analysis_min)
    out = {}
    for site in [x for x in sites if x.resource == "aeds"]:
        isl = s.island(site.island)
        n_arrests = arrivals[(isl.id, ARREST)]
        counts = list(range(site.low, site.high + 1))
        mix = _clinician_mix(s, p, isl.id, cond.time_of_day)
        total = [0.0] * len(counts)
        for weight, t_clin in mix:
            if weight <= 0:
                continue
            surv = expected_survival_by_aeds(curve_cpr, curve_no, n_aeds=counts, settled_km2=isl.settled_area_km2,
                                             clinician_min=t_clin, **common)
            total = [a + weight * b for a, b in zip(total, surv, strict=True)]
        out[isl.id] = Curve(tuple(map(float, counts)), tuple(n_arrests * v for v in total), TERMS["aed_survivors"])
    return out


def _clinician_mix(s: Scenario, p: Policy, island: str, profile: str) -> list[tuple[float, float]]:
    """(share of arrests, minutes from collapse to a clinician) for the island today."""
    prm, isl = s.parameters, s.island(island)
    call = prm.ohca.collapse_to_call_min
    local = rt.local_facility(s, p, island)
    t_local = call + prm.ohca.clinician_dispatch_min + isl.road_min
    day_share = 0.0
    if local is not None:  # staffed in opening hours; at night only with night doctors
        if p.night_doctors[local.id] > 0:
            return [(1.0, t_local)]
        day_share = rt.open_hours_share(s, profile, local.opens_min, local.closes_min)
    rest = 1.0 - day_share
    bases = [b for b in s.boat_bases if p.boats[b.base] > 0]
    mix = [(day_share, t_local)]
    if bases:
        best = min(bases, key=lambda b: rt.boat_minutes(s, b.base, island, b.speed_knots))
        t_boat = call + prm.boat.dispatch_min + rt.boat_minutes(s, best.base, island, best.speed_knots) + isl.road_min
        sea = rt.open_share(s, "ambulance_boat", (isl.weather_area,))
        mix += [(rest * sea, t_boat), (rest * (1 - sea), math.inf)]
    else:
        mix.append((rest, math.inf))
    return mix


# --- doctors ---------------------------------------------------------------------------------------
def _routine_curves(s: Scenario, p: Policy, arrivals, sites: list[Site]):
    """Routine consultations per year starting within target, against doctors, per facility (M/M/c).

    A facility takes the routine demand of its island for the conditions it treats when it is the
    island's staffed facility with the most doctors that treats them (as ``sim.pathways``), plus the
    urgent work done in opening hours; the wait in an M/M/c queue over the opening hours gives the
    share within each condition's target (zero when the doctors cannot keep up).
    """
    out, loads = {}, {}
    for f in s.facilities:
        routine: list[tuple[float, float, float]] = []  # (per year, service min, target min)
        urgent_work = 0.0
        for c in s.conditions:
            n = arrivals[(f.island, c.id)]
            if n <= 0:
                continue
            treat = rt.treating_facility(s, p, f.island, c.id)
            if not c.urgent and treat is not None and treat.id == f.id:
                routine.append((n * (1 - c.out_of_county_share), c.service_min, c.target_min))
            elif c.urgent and c.id != ARREST:
                first = treat or rt.local_facility(s, p, f.island)
                if first is not None and first.id == f.id:
                    share = rt.open_hours_share(s, c.time_of_day, f.opens_min, f.closes_min)
                    urgent_work += n * share * c.service_min
        if not routine:
            continue
        open_min = max(1, f.closes_min - f.opens_min) * DAYS_PER_YEAR
        volume = sum(r[0] for r in routine)
        mean_service = sum(r[0] * r[1] for r in routine) / volume
        load = (volume * mean_service + urgent_work) / open_min  # Erlangs in opening hours
        loads[f.id] = load
        site = next(x for x in sites if x.resource == "doctors" and x.site == f.id)

        def within(d: float, routine=routine, load=load, mean_service=mean_service) -> float:
            d = int(d)
            if d <= load:
                return 0.0
            cw = erlang_c(d, load)
            return sum(n * (1 - cw * math.exp(-(d - load) * target / mean_service)) for n, _, target in routine)

        out[f.id] = Curve.from_function(range(site.low, site.high + 1), within, TERMS["routine_within_target"])
    return out, loads


# --- ambulance boats (MEXCLP) ----------------------------------------------------------------------
def _boat_groups(s: Scenario, p: Policy, arrivals, aed_curves, sites: list[Site]):
    """Urgent transfers per (island, condition) and the bases that can deliver them within target.

    Time to definitive care by boat: road to the clinic, stabilisation by the local doctor (if any),
    dispatch, the boat's run out, loading, the run to the target, hand-over and the road there. An
    island covered by ``k`` boats is served within target with probability ``open x (1 - q^k)``
    (Daskin's MEXCLP), ``q`` the fleet's busy fraction from today's workload and ``open`` the sea's
    open share. Cardiac arrests count with their expected survival (only survivors are transferred).
    """
    prm = s.parameters
    bases = {b.base: b for b in s.boat_bases}
    boat_sites = [x for x in sites if x.resource == "boats"]
    if not boat_sites:
        return [], 0.0, 0.0
    fixed = prm.boat.dispatch_min + prm.boat.load_min + prm.boat.handover_min
    demand: list[tuple[str, str, float, str, float, tuple[str, ...], float]] = []
    workload = 0.0
    for isl in s.islands:
        local = rt.local_facility(s, p, isl.id)
        for c in s.conditions:
            n = arrivals[(isl.id, c.id)]
            if not c.urgent or n <= 0:
                continue
            if c.id == ARREST:
                curve = aed_curves.get(isl.id)
                n *= curve.value(p.aeds[isl.id]) / max(n, 1e-12) if curve else 0.0
            treat = rt.treating_facility(s, p, isl.id, c.id)
            for tertiary, share in ((True, c.out_of_county_share), (False, 1 - c.out_of_county_share)):
                if share <= 0 or (not tertiary and treat is not None):
                    continue
                _fac, target, road_there = rt.transfer_target(s, p, isl.id, c.id, tertiary)
                if target == isl.id:
                    continue
                before = isl.road_min + (c.service_min if local is not None else 0.0)
                covering = []
                best_mission = math.inf
                for b in bases.values():
                    out = rt.boat_minutes(s, b.base, isl.id, b.speed_knots)
                    carry = rt.boat_minutes(s, isl.id, target, b.speed_knots)
                    back = rt.boat_minutes(s, target, b.base, b.speed_knots)
                    if before + fixed + out + carry + road_there <= c.target_min:
                        covering.append(b.base)
                    best_mission = min(best_mission, fixed + out + carry + back)
                workload += n * share * best_mission
                areas = (isl.weather_area, rt.place_area(s, target))
                demand.append((isl.id, c.id, n * share, target, rt.open_share(s, "ambulance_boat", areas),
                               tuple(sorted(covering)), best_mission))
    fleet = max(1, sum(p.boats.values()))
    q = min(BOAT_BUSY_CAP, workload / (fleet * YEAR))
    merged: dict[tuple[str, str, tuple[str, ...]], float] = {}
    for isl_id, cid, n, _target, sea, covering, _m in demand:
        if covering:
            merged[(isl_id, cid, covering)] = merged.get((isl_id, cid, covering), 0.0) + n * sea
    groups = []
    for (isl_id, cid, covering), n_open in sorted(merged.items()):
        kmax = sum(next(x.high for x in boat_sites if x.site == b) for b in covering)
        curve = Curve.from_function(range(0, kmax + 1), lambda k, n_open=n_open: n_open * (1 - q ** k),
                                    TERMS["urgent_boat_within_target"])
        groups.append(BoatGroup(isl_id, cid, covering, curve))
    return groups, q, workload


# --- elderly care ----------------------------------------------------------------------------------
def _care_curves(s: Scenario, p: Policy, sites: list[Site], conversions: dict[str, str]):
    """People placed per year against a home's usable beds (Erlang A with the waiting list's
    abandonment; Erlang B without a list), demand assigned to each island's first choice of home
    (``sim.eldercare``: own island, nearest hub, or the central hub)."""
    need = rt.care_need_per_year(s)
    stay = s.parameters.care.mean_stay_days
    abandon = s.parameters.care.waitlist_abandon_days
    theta = 1.0 / abandon if p.care_waitlist else math.inf
    demand = dict.fromkeys((h.id for h in s.care_homes), 0.0)
    for isl in s.islands:
        candidates = rt.care_home_candidates(s, p, isl.id)
        if candidates:
            demand[candidates[0]] += need[isl.id]
    out = {}
    for h in s.care_homes:
        beds_hi = next(x.high for x in sites if x.resource == "care_beds" and x.site == h.id)
        conv_hi = sum(x.high for x in sites if x.resource == "beds_converted" and conversions.get(x.site) == h.id)
        lam = demand[h.id] / DAYS_PER_YEAR

        def placed(u: float, lam=lam) -> float:
            return lam * DAYS_PER_YEAR * erlang_a(int(u), lam, 1.0 / stay, theta).served_share if lam > 0 else 0.0

        out[h.id] = Curve.from_function(range(0, beds_hi + conv_hi + 1), placed, TERMS["care_placed"])
    return out, demand


# --- hospital beds (only when conversion is allowed) ----------------------------------------------
def _hospital_curves(s: Scenario, p: Policy, arrivals, conversions: dict[str, str]) -> dict[str, Curve]:
    """Admissions per year finding a free bed (Erlang B) at facilities that may convert beds."""
    out = {}
    for fid in conversions:
        f = s.facility(fid)
        adm = los = 0.0
        for c in s.conditions:
            n = arrivals[(f.island, c.id)]
            treat = rt.treating_facility(s, p, f.island, c.id)
            if n > 0 and treat is not None and treat.id == fid and c.admit_share > 0:
                k = n * (1 - c.out_of_county_share) * c.admit_share
                adm += k
                los += k * c.los_days
        if adm <= 0:
            continue
        load = los / DAYS_PER_YEAR  # Erlangs: admissions per day x mean stay in days
        beds = p.hospital_beds[fid]
        out[fid] = Curve.from_function(range(0, beds + 1), lambda b, adm=adm, load=load: adm * (1 - erlang_b(int(b), load)),
                                       TERMS["hospital_beds_free"])
    return out
