"""Out-of-hospital cardiac arrest: bystander CPR, public AEDs, the first clinician, and survival.

Arrests arrive as the ``cardiac_arrest`` condition of the demand model. For each one the module
draws (from its own stream per island, so the same arrest meets every policy) whether it happens at
home, whether a bystander starts CPR, whether the rhythm is shockable, the distance to the nearest
public AED, and the survival draw. Time to the first shock is the earlier of a bystander bringing an
AED (``analytic.ohca``: AEDs as a Poisson field over the settled area) and the first clinician
arriving (a local doctor on duty: dispatch + road time; an island without one: the nearest ambulance
boat if the sea is open). Survival of a shockable rhythm follows the with-CPR or no-CPR curve of the
scenario; a non-shockable rhythm survives with a fixed probability. The expected survival (the
probability) is what the metrics add up; a survivor, drawn with that probability, then follows the
urgent pathway of the core model from the moment of the shock.
"""

from __future__ import annotations

import math

from analytic.ohca import time_to_aed_min
from scenarios.model import Scenario
from scenarios.policy import Policy
from scenarios.units import ALL, ARREST

SHOCK_TARGET_MIN = 5.0  # the metric's threshold: "shock within 5 minutes" (issue #5 definition)


class ArrestModule:
    """Handles ``cardiac_arrest`` arrivals; owns the arrest metrics."""

    def __init__(self, model):
        self.m = model
        s: Scenario = model.s
        p: Policy = model.policy
        self.s, self.p = s, p
        self.c = s.condition_ids.index(ARREST)
        self.cond = s.conditions[self.c]
        self.rngs = [model.streams(f"arrest/{isl.id}") for isl in s.islands]
        prm = s.parameters
        self.cpr_share = p.bystander_cpr_share if p.bystander_cpr_share is not None else prm.ohca.bystander_cpr_share
        self.curve_cpr = s.curves[prm.ohca.curve_cpr]
        self.curve_no_cpr = s.curves[prm.ohca.curve_no_cpr]
        n = len(s.islands)
        self.count = [0] * n
        self.within5 = [0] * n
        self.survivors = [0.0] * n

    def start(self) -> None:
        pass

    def clinician_min(self, i: int) -> float:
        """Minutes from collapse to a clinician with a defibrillator, now."""
        m, prm, isl = self.m, self.s.parameters, self.s.islands[i]
        local = m.pathways.local[i]
        if local is not None and m.pools[local.id].staffed_now():
            return prm.ohca.collapse_to_call_min + prm.ohca.clinician_dispatch_min + isl.road_min
        tr = m.transport
        if tr.boats and m.weather.is_open("ambulance_boat", tr.areas(isl.id)):
            boat = min(tr.boats, key=lambda b: tr.boat_min(b.base, isl.id, b.speed_kmh))
            return (prm.ohca.collapse_to_call_min + tr.dispatch + tr.boat_min(boat.base, isl.id, boat.speed_kmh)
                    + isl.road_min)
        return math.inf

    def handle(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        prm, isl = self.s.parameters, self.s.islands[i]
        at_home, _cpr, _shockable, u_dist, u_access, u_survive = self.rngs[i].random(6)
        home = at_home < prm.ohca.share_at_home
        aed_fetched = (not home) or u_access < prm.ohca.aed_home_access_share
        t_aed = math.inf
        if aed_fetched:
            t_aed = float(time_to_aed_min(u_dist, self.p.aeds[isl.id], isl.settled_area_km2,
                                          prm.ohca.collapse_to_call_min, prm.ohca.walk_speed_m_per_min,
                                          prm.ohca.aed_analysis_min))
        t_clin = self.clinician_min(i)
        t_shock = min(t_aed, t_clin)
        # Survival given the time to shock, averaged over the rhythm and bystander CPR (conditional
        # Monte Carlo: same mean as drawing them, far less noise, so that AED effects show in short runs).
        p_shock = prm.ohca.shockable_share
        shocked = self.cpr_share * self.curve_cpr(t_shock) + (1 - self.cpr_share) * self.curve_no_cpr(t_shock)
        survival = p_shock * shocked + (1 - p_shock) * prm.ohca.nonshockable_survival
        ps = self.m.stats.patients[i][c]
        if counted:
            self.count[i] += 1
            self.survivors[i] += survival
            ps.survival_sum += survival
            ps.survival_n += 1
            if math.isfinite(t_shock):
                ps.add_ttd(t_shock, self.cond.target_min)
                self.within5[i] += t_shock <= SHOCK_TARGET_MIN
            if math.isfinite(t_clin):
                ps.wait_sum += t_clin
                ps.wait_n += 1
        if u_survive < survival:
            onset = self.m.env.now
            first = onset + t_clin if math.isfinite(t_clin) else None
            self.m.env.process(self._survivor(pid, i, c, service, los, u, counted, onset, first,
                                              t_shock if math.isfinite(t_shock) else 0.0))
        else:
            self.m.pathways.complete(pid, ps, counted, in_county=True, died=True)

    def _survivor(self, pid, i, c, service, los, u, counted, onset, first, delay):
        yield self.m.env.timeout(delay)
        yield from self.m.pathways.urgent(pid, i, c, service, los, u, counted, onset=onset, first_contact=first,
                                          record=False)

    def kpi_rows(self, t_end: float) -> list[tuple[str, str, str, float]]:
        rows = []
        s, p = self.s, self.p
        for k, isl in enumerate([*s.islands, None]):
            idx = range(len(s.islands)) if isl is None else [k]
            name = ALL if isl is None else isl.id
            n = sum(self.count[j] for j in idx)
            rows += [
                (name, ARREST, "ohca_count", float(n)),
                (name, ARREST, "ohca_shock_within_5min_share",
                 sum(self.within5[j] for j in idx) / n if n else math.nan),
                (name, ARREST, "ohca_expected_survivors", sum(self.survivors[j] for j in idx)),
            ]
            pop = sum(s.islands[j].population for j in idx)
            aeds = sum(p.aeds[s.islands[j].id] for j in idx)
            rows.append((name, ALL, "aeds_per_10k", aeds / pop * 10_000 if pop else math.nan))
        return rows
