"""Time-critical patients: how doctors and ambulance boats change who reaches definitive care within
the condition's target, and how many patient-hours of delay they avoid (urgent conditions other
than cardiac arrest, whose outcome is survivors).

Every patient flow follows the simulation's rules (``scenarios.routing``: local and treating
facility, transfer target, boat crossing minutes, the open share of each mode, the timetable).

*Treated on the island.* A patient waits for a doctor at the treating facility, modelled as an
M/M/c queue over opening hours (routine and urgent work): within target when the wait is at most
``target - road``; the mean wait is the delay.

*Transferred.* Three ways out, as in ``sim.transport``: an ambulance boat (when the sea is open
for it and one of the ``k`` boats that can reach the patient in time is free: ``1 - q^k``, q the
fleet's busy share, Daskin's MEXCLP), the helicopter (for the conditions the policy sends it for,
in daylight when it flies only then, when its weather is open) and the timetabled ferries (mean
wait per sailing plus crossings, ``routing.scheduled_trip``). Weather closes modes together: the
chance that boat and helicopter are both open is the smaller of their open shares. Under the
``fastest`` rule the quicker available mode carries the patient, under ``boat_first`` the boat;
with neither, the ferry (open share of its sea modes), else the patient waits out the closure
(half a mean wind episode). Within-target share and expected time are then linear in
``f = 1 - q^k``, so each flow's curve in ``k`` is concave.
"""

from __future__ import annotations

import math

from analytic.queues import erlang_c
from optimize.curves import Curve
from optimize.pieces import Piece, Site
from scenarios import routing as rt
from scenarios.model import Scenario, haversine_km
from scenarios.policy import Policy
from scenarios.units import ARREST, DAYS_PER_YEAR, YEAR

BOAT_BUSY_CAP = 0.95  # MEXCLP busy fraction is a probability; keep it below 1 when demand exceeds the fleet
WAIT_CAP_MIN = 24 * 60.0  # a queue that cannot keep up: count a day's wait


def doctor_loads(s: Scenario, p: Policy, arrivals) -> dict[str, tuple[float, float]]:
    """Facility -> (load in Erlangs over opening hours, mean service minutes) of the work it takes:
    its island's routine demand for the conditions it treats (when it is the treating facility) and
    the urgent work it sees in opening hours."""
    out = {}
    for f in s.facilities:
        volume = work = 0.0
        for c in s.conditions:
            n = arrivals[(f.island, c.id)]
            if n <= 0:
                continue
            treat = rt.treating_facility(s, p, f.island, c.id)
            if not c.urgent and treat is not None and treat.id == f.id:
                k = n * (1 - c.out_of_county_share)
                volume += k
                work += k * c.service_min
            elif c.urgent and c.id != ARREST:
                first = treat or rt.local_facility(s, p, f.island)
                if first is not None and first.id == f.id:
                    k = n * rt.open_hours_share(s, c.time_of_day, f.opens_min, f.closes_min)
                    volume += k
                    work += k * c.service_min
        if volume <= 0:
            continue
        open_min = max(1, f.closes_min - f.opens_min) * DAYS_PER_YEAR
        out[f.id] = (work / open_min, work / volume)
    return out


def _wait(d: int, load: float, service: float) -> tuple[float, float]:
    """(P(wait > 0) coefficient C, decay rate per minute) of the M/M/c wait; C = 1, rate 0 when unstable."""
    if d <= load:
        return 1.0, 0.0
    return erlang_c(d, load), (d - load) / service


def local_pieces(s: Scenario, p: Policy, arrivals, sites: list[Site], loads) -> list[Piece]:
    """Within target and delay avoided, per treating facility, against its doctors."""
    flows: dict[str, list[tuple[float, float]]] = {}  # facility -> (patients per year, minutes to the target)
    for isl in s.islands:
        for c in s.conditions:
            n = arrivals[(isl.id, c.id)]
            if not c.urgent or c.id == ARREST or n <= 0:
                continue
            treat = rt.treating_facility(s, p, isl.id, c.id)
            if treat is not None and treat.id in loads:
                flows.setdefault(treat.id, []).append((n * (1 - c.out_of_county_share), c.target_min - isl.road_min))
    out = []
    for fid, fl in flows.items():
        load, service = loads[fid]
        site = next(x for x in sites if x.resource == "doctors" and x.site == fid)
        xs = range(site.low, site.high + 1)

        def within(d, fl=fl, load=load, service=service):
            cw, rate = _wait(int(d), load, service)
            return sum(n * (1 - cw * math.exp(-rate * max(t, 0.0))) if rate > 0 else 0.0 for n, t in fl)

        def mean_wait(d, load=load, service=service):
            cw, rate = _wait(int(d), load, service)
            return min(WAIT_CAP_MIN, cw / rate) if rate > 0 else WAIT_CAP_MIN

        total = sum(n for n, _ in fl)
        w0 = mean_wait(site.today)
        out.append(Piece("within_target", fid, "doctors", Curve.from_function(xs, within), (site.key,)))
        out.append(Piece("delay_hours_avoided", fid, "doctors",
                         Curve.from_function(xs, lambda d, w0=w0, total=total, mean_wait=mean_wait: total * (w0 - mean_wait(d)) / 60.0), (site.key,)))
    return out


def transfer_pieces(s: Scenario, p: Policy, arrivals, survivors_today: dict[str, float], sites: list[Site]):
    """Within target and delay avoided of urgent transfers against the boats at the bases that serve
    them; flows no boat changes go into the constant. Returns (pieces, constant within target per
    year, fleet busy share q, boat workload minutes per year)."""
    prm = s.parameters
    boat_sites = {x.site: x for x in sites if x.resource == "boats"}
    bases = [b for b in s.boat_bases if b.base in boat_sites]
    fixed = prm.boat.dispatch_min + prm.boat.load_min + prm.boat.handover_min
    heli = prm.helicopter
    heli_on = p.helicopter and heli.count > 0 and p.transfer_rule != "ferry_only"
    day = rt.daylight_share(s) if heli.daylight_only else 1.0
    closure = 60.0 * sum(m.wind_episode_hours for m in s.months) / len(s.months) / 2.0
    flows, workload = [], 0.0
    for isl in s.islands:
        local = rt.local_facility(s, p, isl.id)
        for c in s.conditions:
            n = arrivals[(isl.id, c.id)]
            if not c.urgent or n <= 0:
                continue
            if c.id == ARREST:  # only survivors are transferred (they count in the boats' workload)
                n = survivors_today.get(isl.id, 0.0)
            treat = rt.treating_facility(s, p, isl.id, c.id)
            for tertiary, share in ((True, c.out_of_county_share), (False, 1 - c.out_of_county_share)):
                if share <= 0 or (not tertiary and treat is not None):
                    continue
                tg = rt.transfer_target(s, p, isl.id, c.id, tertiary)
                if tg.place == isl.id:
                    continue
                before = isl.road_min + (c.service_min if local is not None else 0.0)
                times = {b.base: before + fixed + rt.boat_minutes(s, b.base, isl.id, b.speed_knots)
                         + rt.boat_minutes(s, isl.id, tg.place, b.speed_knots) + tg.road_min for b in bases}
                missions = [fixed + rt.boat_minutes(s, b.base, isl.id, b.speed_knots)
                            + rt.boat_minutes(s, isl.id, tg.place, b.speed_knots)
                            + rt.boat_minutes(s, tg.place, b.base, b.speed_knots) for b in bases]
                o_b = rt.open_share(s, "ambulance_boat", (isl.weather_area, rt.place_area(s, tg.place)))
                if p.transfer_rule != "ferry_only" and missions:
                    workload += n * share * o_b * min(missions)
                if c.id == ARREST:
                    continue
                t_h, o_h = math.inf, 0.0
                if heli_on and c.id in p.helicopter_conditions:
                    fly = haversine_km(heli.base_lat, heli.base_lon, *s.place_latlon(isl.id)) + s.distance_km(
                        isl.id, heli.destination)
                    t_h = (before + heli.activation_min + heli.pickup_min + heli.handover_min
                           + fly / heli.speed_kmh * 60.0 + rt.road_min_at(s, heli.destination))
                    o_h = rt.open_share(s, "helicopter", (isl.weather_area, rt.place_area(s, heli.destination)))
                trip = rt.scheduled_trip(s, isl.id, tg.place)
                t_f = math.inf if trip is None else before + trip.minutes + tg.road_min
                o_f = 0.0 if trip is None else min((rt.open_share(s, m, trip.areas) for m in trip.modes), default=1.0)
                flows.append((n * share, c.target_min, times, o_b, t_h, o_h * day, min(o_b, o_h) * day, t_f, o_f,
                              closure))
    fleet = max(1, sum(p.boats.values()))
    q = min(BOAT_BUSY_CAP, workload / (fleet * YEAR))
    pieces, constant = _merge(flows, boat_sites, q, p.transfer_rule)
    return pieces, constant, q, workload


def _flow_model(flow, t_b: float, rule: str):
    """(within share, expected minutes) as functions of f = 1 - q^k for one flow."""
    _n, target, _times, o_b, t_h, h, m, t_f, o_f, closure = flow
    if rule == "ferry_only":
        o_b = m = 0.0
        h = 0.0
    ok = lambda t: 1.0 if t <= target + 1e-9 else 0.0  # noqa: E731
    t_0 = o_f * t_f + (1 - o_f) * (min(t_f, t_b) + closure) if math.isfinite(t_f) else t_b + closure
    ok_0 = o_f * ok(t_f)
    both_t = t_b if rule == "boat_first" else min(t_b, t_h)

    def value(f: float, time: bool):
        pbh, pb, ph = m * f, (o_b - m) * f, h - m * f
        rest = 1.0 - pbh - pb - ph
        if time:
            return pbh * both_t + pb * t_b + ph * (t_h if math.isfinite(t_h) else 0.0) + rest * t_0
        return pbh * ok(both_t) + pb * ok(t_b) + ph * ok(t_h) + rest * ok_0

    return value


def _merge(flows, boat_sites: dict[str, Site], q: float, rule: str):
    """Sum the flows' curves by the set of bases whose boats count for them."""
    within: dict[tuple[str, ...], list] = {}
    delay: dict[tuple[str, ...], list] = {}
    constant = 0.0
    for flow in flows:
        n, target, times = flow[0], flow[1], flow[2]
        if not times or rule == "ferry_only":
            constant += n * _flow_model(flow, math.inf, rule)(0.0, False)
            continue
        fastest = min(times.values())
        covering = tuple(sorted(b for b, t in times.items() if t <= target + 1e-9))
        near = covering or tuple(sorted(b for b, t in times.items() if t <= fastest + 60.0))
        model = _flow_model(flow, fastest, rule)
        if covering:
            within.setdefault(covering, []).append((n, model))
        else:
            constant += n * model(0.0, False)
        delay.setdefault(near, []).append((n, model))
    pieces = []
    for outcome, groups in (("within_target", within), ("delay_hours_avoided", delay)):
        for bases, items in sorted(groups.items()):
            kmax = sum(boat_sites[b].high for b in bases)
            k0 = sum(boat_sites[b].today for b in bases)
            f0 = 1 - q ** k0

            def fn(k, items=items, outcome=outcome, f0=f0):
                f = 1 - q ** int(k)
                if outcome == "within_target":
                    return sum(n * m(f, False) for n, m in items)
                return sum(n * (m(f0, True) - m(f, True)) for n, m in items) / 60.0

            pieces.append(Piece(outcome, "boats_" + "_".join(bases), "boats", Curve.from_function(range(kmax + 1), fn),
                                tuple(boat_sites[b].key for b in bases)))
    return pieces, constant
