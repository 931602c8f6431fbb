"""Benefit curves of the outcomes that depend on one resource at one site: cardiac-arrest survivors
against an island's AEDs, elderly placed against a home's usable beds, admissions finding a bed
against a facility's hospital beds. Each is a :class:`~optimize.data.Piece` of its outcome.

All demand and routing comes from ``scenarios.routing`` (the rules the simulation uses).
"""

from __future__ import annotations

import math

from analytic.ohca_batch import expected_survival_by_aeds
from analytic.queues import erlang_b
from analytic.waitlist import erlang_a
from optimize.curves import Curve
from optimize.pieces import Piece, Site
from scenarios import routing as rt
from scenarios.model import Scenario
from scenarios.policy import Policy
from scenarios.units import ARREST, DAYS_PER_YEAR


def aed_pieces(s: Scenario, p: Policy, arrivals, sites: list[Site]) -> list[Piece]:
    """Expected survivors per year against AEDs per island (``analytic.ohca``, as ``sim.arrest``).

    The first clinician with a defibrillator: the island's local doctor when on duty (day doctors in
    opening hours, night doctors outside them), else the nearest ambulance boat when the sea is open,
    else none; the three cases are weighted by their share of arrests.
    """
    if ARREST not in s.condition_ids:
        return []
    prm = s.parameters
    cond = s.condition(ARREST)
    cpr = p.bystander_cpr_share if p.bystander_cpr_share is not None else prm.ohca.bystander_cpr_share
    curve_cpr, curve_no = s.curves[prm.ohca.curve_cpr], s.curves[prm.ohca.curve_no_cpr]
    common = dict(p_home=prm.ohca.share_at_home, p_home_access=prm.ohca.aed_home_access_share, p_cpr=cpr,
                  p_shockable=prm.ohca.shockable_share, nonshockable_survival=prm.ohca.nonshockable_survival,
                  collapse_to_call=prm.ohca.collapse_to_call_min, walk_m_per_min=prm.ohca.walk_speed_m_per_min,
                  analysis_min=prm.ohca.aed_analysis_min)
    out = []
    for site in [x for x in sites if x.resource == "aeds"]:
        isl = s.island(site.island)
        n_arrests = arrivals[(isl.id, ARREST)]
        counts = list(range(site.low, site.high + 1))
        total = [0.0] * len(counts)
        for weight, t_clin in clinician_mix(s, p, isl.id, cond.time_of_day):
            if weight <= 0:
                continue
            surv = expected_survival_by_aeds(curve_cpr, curve_no, n_aeds=counts, settled_km2=isl.settled_area_km2,
                                             clinician_min=t_clin, **common)
            total = [a + weight * b for a, b in zip(total, surv, strict=True)]
        curve = Curve(tuple(map(float, counts)), tuple(n_arrests * v for v in total))
        out.append(Piece("survivors", isl.id, "aeds", curve, (site.key,)))
    return out


def clinician_mix(s: Scenario, p: Policy, island: str, profile: str) -> list[tuple[float, float]]:
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


def care_pieces(s: Scenario, p: Policy, sites: list[Site], conversions: dict[str, str]):
    """People placed per year against a home's usable beds (Erlang A with the waiting list's
    abandonment; Erlang B without a list), demand assigned to each island's first choice of home
    (``routing.care_home_candidates``: own island, nearest hub, or the central hub)."""
    need = rt.care_need_per_year(s)
    stay = s.parameters.care.mean_stay_days
    abandon = s.parameters.care.waitlist_abandon_days
    theta = 1.0 / abandon if p.care_waitlist else math.inf
    demand = dict.fromkeys((h.id for h in s.care_homes), 0.0)
    for isl in s.islands:
        candidates = rt.care_home_candidates(s, p, isl.id)
        if candidates:
            demand[candidates[0]] += need[isl.id]
    out = []
    for h in s.care_homes:
        beds_hi = next(x.high for x in sites if x.resource == "care_beds" and x.site == h.id)
        conv_hi = sum(x.high for x in sites if x.resource == "beds_converted" and conversions.get(x.site) == h.id)
        lam = demand[h.id] / DAYS_PER_YEAR

        def placed(u: float, lam=lam) -> float:
            return lam * DAYS_PER_YEAR * erlang_a(int(u), lam, 1.0 / stay, theta).served_share if lam > 0 else 0.0

        curve = Curve.from_function(range(0, beds_hi + conv_hi + 1), placed)
        out.append(Piece("placed_in_care", h.id, "care", curve, (f"care_beds__{h.id}",), level="usable"))
    return out, demand


def hospital_pieces(s: Scenario, p: Policy, arrivals, conversions: dict[str, str]) -> list[Piece]:
    """Admissions per year finding a free bed (Erlang B) at facilities that may convert beds."""
    out = []
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
        curve = Curve.from_function(range(0, beds + 1), lambda b, adm=adm, load=load: adm * (1 - erlang_b(int(b), load)))
        out.append(Piece("hospital_bed_found", fid, "beds_converted", curve, (f"beds_converted__{fid}",),
                         level="beds_left"))
    return out
