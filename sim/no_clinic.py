"""Routine care on islands without a doctor: wait for the visit, travel by boat, or forgo.

A routine contact (primary care, chronic follow-up) of an island on which no staffed facility treats
its class chooses, by the shares of ``routine.no_clinic_*_share``:

- **wait**: today's pathway of the island (the circuit team's backlog, with its escalation and
  abandonment rules; where no team visits, the scheduled boat to the referral facility, or no
  pathway at all);
- **travel**: after ``routine.no_clinic_travel_wait_days`` the patient takes the scheduled boats (as
  a passenger) to the nearest place with care (``scenarios.routing.no_clinic_travel_target``) and is
  seen there: in the county at a staffed facility, out of the county at a hospital a boat reaches
  (Tanhu's boat goes to Shanghai). A share ``out_of_county_share`` seeks care off the islands on
  their own, as on the other routine pathways. Where no boat reaches care, travellers wait instead;
- **forgo**: a share ``routine.no_clinic_phone_resolved_share`` is resolved by a telephone or
  cloud-clinic consultation (``remote_consultations``: care from the county, no consultation time
  recorded), the rest go without care (``left_without_care``).

The choice is drawn from a stream per island (``routine/no_clinic/<island>``), one pair of uniforms
per contact in arrival order: the island's contacts are the same under every policy, so a policy
changes what happens to a patient, never who the patient is. The demand itself (fewer contacts where
no doctor lives) is the shared rule ``scenarios.routing.arrival_rates``.
"""

from __future__ import annotations

from collections.abc import Callable

from scenarios.routing import Target, no_clinic_travel_target
from scenarios.units import DAY
from sim.context import SimContext
from sim.pathways import Pathways
from sim.patient import Patient
from sim.stats import Outcome

TRAVELLED, REMOTE = "routine_travelled", "remote_consultations"


class NoClinicRouter:
    """Wraps the handler of routine arrivals on islands without care for their class with the choice."""

    def __init__(self, ctx: SimContext, pathways: Pathways):
        self.ctx, self.pathways = ctx, pathways
        prm = ctx.scenario.parameters.routine
        self.wait, self.travel, _ = prm.choice_shares
        self.phone = prm.no_clinic_phone_resolved_share
        self.delay = prm.no_clinic_travel_wait_days * DAY

    def route(self, island: int, condition: int, today: Callable[[Patient], None]) -> Callable[[Patient], None]:
        """The handler of the arrivals of (``island``, ``condition``): ``today`` (the pathway the model
        would give them) where the choice does not apply, else the choice around it."""
        s = self.ctx.scenario
        cond, isl = s.conditions[condition], s.islands[island]
        if cond.urgent or self.pathways.treats_locally(island, condition) or self.wait >= 1.0:
            return today
        target = no_clinic_travel_target(s, self.ctx.policy, isl.id, cond.id)
        for metric in (TRAVELLED, REMOTE):
            self.ctx.stats.declare(isl.id, cond.id, metric)
        rng = self.ctx.streams(f"routine/no_clinic/{isl.id}")
        travel_below = self.wait + (self.travel if target is not None else 0.0)  # no boat to care: they wait

        def choose(pt: Patient) -> None:
            u_choice, u_phone = rng.random(2)
            if u_choice < self.wait or (target is None and u_choice < self.wait + self.travel):
                today(pt)
            elif u_choice < travel_below:
                self._count(pt, isl.id, cond.id, TRAVELLED)
                self.ctx.env.process(self._journey(pt, target))
            elif u_phone < self.phone:
                self._count(pt, isl.id, cond.id, REMOTE)
                pt.stats.complete(Outcome.IN_COUNTY)
            else:
                pt.stats.complete(Outcome.NO_CARE)

        return choose

    def _count(self, pt: Patient, island: str, condition: str, metric: str) -> None:
        if pt.counted:
            self.ctx.stats.count(island, condition, metric)

    def _journey(self, pt: Patient, target: Target):
        env, onset = self.ctx.env, self.ctx.env.now
        if pt.u_tertiary < self.ctx.scenario.conditions[pt.condition].out_of_county_share:
            pt.stats.complete(Outcome.OUT_OF_COUNTY)  # care off the islands, on their own
            return
        if self.delay > 0:
            yield env.timeout(self.delay)
        yield from self.pathways.routine_journey(pt, target, onset)
