"""Out-of-hospital cardiac arrest: bystander CPR, public AEDs, the first clinician, and survival.

Arrests arrive as the ``cardiac_arrest`` condition of the demand model. For each one the module
draws (from its own stream per island, so the same arrest meets every policy) whether it happens at
home, whether a bystander starts CPR, whether the rhythm is shockable, the distance to the nearest
public AED, and the survival draw. Time to the first shock is the earlier of a bystander bringing an
AED (``analytic.ohca``: AEDs as a Poisson field over the settled area) and the first clinician
arriving (a local doctor on duty: dispatch + road time; an island without one: the quickest boat
found for the call, dispatch and crossing, if the sea is open). Survival of a shockable rhythm
follows the with-CPR or no-CPR curve of the scenario; a non-shockable rhythm survives with a fixed
probability. The expected survival (the
probability) is what the metrics add up; a survivor, drawn with that probability, then follows the
urgent pathway of the core model from the moment of the shock.
"""

from __future__ import annotations

import math

from analytic.ohca import time_to_aed_min
from scenarios.units import ALL, ARREST
from sim.context import Row, SimContext
from sim.pathways import Pathways
from sim.patient import Patient
from sim.stats import Outcome

SHOCK_TARGET_MIN = 5.0  # the metric's threshold: "shock within 5 minutes" (issue #5 definition)


class ArrestModule:
    """Handles ``cardiac_arrest`` arrivals; owns the arrest metrics."""

    def __init__(self, ctx: SimContext, pathways: Pathways):
        self.ctx, self.pathways = ctx, pathways
        s, p = ctx.scenario, ctx.policy
        self.s, self.p = s, p
        self.c = s.condition_ids.index(ARREST)
        self.cond = s.conditions[self.c]
        self.rngs = [ctx.streams(f"arrest/{isl.id}") for isl in s.islands]
        self.prm = prm = s.parameters.ohca
        self.cpr_share = p.bystander_cpr_share if p.bystander_cpr_share is not None else prm.bystander_cpr_share
        self.curve_cpr = s.curves[prm.curve_cpr]
        self.curve_no_cpr = s.curves[prm.curve_no_cpr]
        n = len(s.islands)
        self.count = [0] * n
        self.within5 = [0] * n
        self.survivors = [0.0] * n

    # --- the Module protocol ----------------------------------------------------------------------------
    def takes(self, island: int, condition: int) -> bool:
        return condition == self.c

    def start(self) -> None:
        pass  # arrests arrive with the demand; nothing runs on its own

    def clinician_min(self, pt: Patient) -> float:
        """Minutes from collapse to a clinician with a defibrillator, now: the local doctor on duty
        (dispatch and road), else the quickest boat found for this call (its dispatch and crossing)
        if the sea is open, else never."""
        prm, i = self.prm, pt.island
        isl = self.s.islands[i]
        if self.pathways.local_doctor_on_duty(i):
            return prm.collapse_to_call_min + prm.clinician_dispatch_min + isl.road_min
        boat = self.ctx.transport.boat_arrival_min(isl.id, pt)
        if boat is not None:
            return prm.collapse_to_call_min + boat + isl.road_min
        return math.inf

    def handle(self, pt: Patient) -> None:
        prm, i = self.prm, pt.island
        isl = self.s.islands[i]
        at_home, _cpr, _shockable, u_dist, u_access, u_survive = self.rngs[i].random(6)
        home = at_home < prm.share_at_home
        aed_fetched = (not home) or u_access < prm.aed_home_access_share
        t_aed = math.inf
        if aed_fetched:
            t_aed = float(time_to_aed_min(u_dist, self.p.aeds[isl.id], isl.settled_area_km2,
                                          prm.collapse_to_call_min, prm.walk_speed_m_per_min,
                                          prm.aed_analysis_min))
        t_clin = self.clinician_min(pt)
        t_shock = min(t_aed, t_clin)
        # Survival given the time to shock, averaged over the rhythm and bystander CPR (conditional
        # Monte Carlo: same mean as drawing them, far less noise, so that AED effects show in short runs).
        p_shock = prm.shockable_share
        shocked = self.cpr_share * self.curve_cpr(t_shock) + (1 - self.cpr_share) * self.curve_no_cpr(t_shock)
        survival = p_shock * shocked + (1 - p_shock) * prm.nonshockable_survival
        ps = pt.stats
        if pt.counted:
            self.count[i] += 1
            self.survivors[i] += survival
            self.within5[i] += math.isfinite(t_shock) and t_shock <= SHOCK_TARGET_MIN
        ps.record_survival(survival)
        if math.isfinite(t_shock):
            ps.record_definitive(t_shock, onset=self.ctx.env.now)
        if math.isfinite(t_clin):
            ps.record_contact(t_clin)
        if u_survive < survival:
            onset = self.ctx.env.now
            first = onset + t_clin if math.isfinite(t_clin) else None
            self.ctx.env.process(self._survivor(pt, onset, first, t_shock if math.isfinite(t_shock) else 0.0))
        else:
            ps.complete(Outcome.DIED)

    def _survivor(self, pt: Patient, onset: float, first: float | None, delay: float):
        """A survivor follows the urgent pathway from the shock; the arrest metrics are already recorded."""
        yield self.ctx.env.timeout(delay)
        yield from self.pathways.urgent(pt, onset=onset, first_contact=first, record=False)

    def kpi_rows(self, t_end: float) -> list[Row]:
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
