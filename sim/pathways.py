"""What happens to each patient, from arrival to definitive care.

- **Routine** (primary care, chronic follow-up) on an island with a staffed facility that treats
  the class: a consultation at that facility (they arrive at the clinic, so no road time);
  definitive care starts with the consultation. A share (``out_of_county_share``) seeks care off
  the islands on their own: they are completed, outside the county, with no modelled transport.
- **Urgent**: road time to the island's facility, then either definitive treatment there (if the
  facility treats the class and the patient does not need tertiary care), or stabilisation and a
  transfer to the island's referral facility, or out of the county (tertiary need, or a class the
  policy always sends out). At night a facility without night doctors is skipped. Definitive care
  at a destination outside the county starts at hand-over there.
- Admitted patients take a bed at the facility that treated them; when the ward is full the
  policy boards them in the emergency room or sends them out of the county.

Each patient's random draws come with the arrival (see ``sim.demand``): the policy changes what
happens to a patient, never who the patient is.
"""

from __future__ import annotations

from collections.abc import Callable

from scenarios.model import Condition, Facility, Island, Scenario
from scenarios.policy import Policy
from scenarios.routing import local_facility, routine_travel_target, transfer_target, treating_facility
from sim.facilities import ROUTINE, URGENT, DoctorPool, Ward
from sim.stats import PatientStats, Stats
from sim.transport import TransferCase, Transport


class Pathways:
    """Routes arrivals; owns no resources, only references to them."""

    def __init__(self, env, scenario: Scenario, policy: Policy, stats: Stats, pools: dict[str, DoctorPool],
                 wards: dict[str, Ward], transport: Transport, calendar, log=None):
        self.env, self.s, self.policy, self.stats = env, scenario, policy, stats
        self.pools, self.wards, self.transport, self.calendar, self.log = pools, wards, transport, calendar, log
        self.conditions = scenario.conditions
        self.islands = scenario.islands
        self.targets = [c.target_min for c in scenario.conditions]
        # best staffed facility per island (urgent first contact), and per island and condition
        self.local = [local_facility(scenario, policy, isl.id) for isl in scenario.islands]
        self.treating = [[treating_facility(scenario, policy, isl.id, c.id) for c in scenario.conditions]
                         for isl in scenario.islands]
        self.curves = [scenario.curves.get(c.outcome_curve) if c.outcome_curve else None for c in scenario.conditions]

    # --- entry points ---------------------------------------------------------------------------------
    def handler(self, i: int, c: int) -> Callable | None:
        """The function that takes arrivals of condition ``c`` on island ``i`` (None: not handled here)."""
        cond = self.conditions[c]
        if not cond.urgent:
            if self.treating[i][c] is not None:
                return self.routine
            return self.start_routine_travel if self._routine_target(i, c) is not None else None
        return self.start_urgent

    def routine(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        cond = self.conditions[c]
        ps = self.stats.patients[i][c]
        if u[1] < cond.out_of_county_share:
            self.complete(pid, ps, counted, in_county=False)
            return
        fac = self.treating[i][c]
        pool = self.pools[fac.id]
        env, t0, target = self.env, self.env.now, self.targets[c]

        def done(_ev) -> None:
            pool.release()
            if u[0] < cond.admit_share:
                self.admit_routine(fac, los, i)
            self.complete(pid, ps, counted, in_county=True)

        def start() -> None:
            if counted:
                wait = env.now - t0
                ps.wait_sum += wait
                ps.wait_n += 1
                ps.add_ttd(wait, target)
            env.timeout(service).callbacks.append(done)

        pool.request(ROUTINE, start)

    def _routine_target(self, i: int, c: int) -> Facility | None:
        """Where routine patients of an island without such care go (``scenarios.routing``)."""
        return routine_travel_target(self.s, self.policy, self.islands[i].id, self.conditions[c].id)

    def start_routine_travel(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        self.env.process(self.routine_travel(pid, i, c, service, u, counted))

    def routine_travel(self, pid: int, i: int, c: int, service: float, u, counted: bool):
        """Routine patients of an island without such care take scheduled boats to the referral facility."""
        env, cond = self.env, self.conditions[c]
        ps = self.stats.patients[i][c]
        if u[1] < cond.out_of_county_share:
            self.complete(pid, ps, counted, in_county=False)
            return
        t0, fac = env.now, self._routine_target(i, c)
        case = TransferCase(pid, i, cond.id, False, place=self.islands[i].id, emergency=False)
        yield from self.transport.transfer(case, fac.island, scheduled_only=True)
        yield from self._see_doctor(fac, ROUTINE)
        start = env.now
        yield env.timeout(service)
        self.pools[fac.id].release()
        self._finish(pid, ps, counted, c, t0, start, start, in_county=True)

    def unserved(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        """Demand with no pathway (routine care on an island with no doctor and no circuit visits)."""
        self.complete(pid, self.stats.patients[i][c], counted, in_county=False, cared=False)

    def start_urgent(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        self.env.process(self.urgent(pid, i, c, service, los, u, counted))

    # --- urgent pathway ---------------------------------------------------------------------------------
    def urgent(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool,
               onset: float | None = None, first_contact: float | None = None, record: bool = True):
        """Generator process of one urgent patient (also used for arrest survivors and escalations).

        ``onset`` (default: now) is when the clock of time-to-definitive-care started;
        ``first_contact`` is set when a clinician already reached the patient (arrest survivors);
        ``record=False`` leaves waits, times and outcome to the caller (the arrest module records
        the time to the first shock and the survival instead).
        """
        env, cond, isl = self.env, self.conditions[c], self.islands[i]
        ps = self.stats.patients[i][c]
        t0 = env.now if onset is None else onset
        tertiary = u[1] < cond.out_of_county_share or cond.id in self.policy.out_of_county_conditions
        if isl.road_min > 0:
            yield env.timeout(isl.road_min)
        fac = self.treating[i][c] if not tertiary else None
        stabilise = fac or self.local[i]
        if stabilise is not None and self.pools[stabilise.id].staffed_now():
            yield from self._see_doctor(stabilise, URGENT)
            first_contact = env.now if first_contact is None else first_contact
            definitive = env.now
            yield env.timeout(service)
            self.pools[stabilise.id].release()
            if fac is not None:  # treated on the island
                yield from self._admit_or_send_out(pid, fac, los, u, i, c, counted, t0, first_contact, definitive,
                                                   record)
                return
        # transfer: to the referral facility, or out of the county
        target_fac, target_place = self._target(isl, cond, tertiary)
        case = TransferCase(pid, i, cond.id, cond.id in self.policy.helicopter_conditions, place=isl.id)
        self._event(pid, "transfer_requested", isl.id)
        reached = yield from self.transport.transfer(case, target_place)
        self._record_transfer(ps, case, reached, counted, env.now)
        if reached != target_place or target_fac is None:  # out of the county
            yield env.timeout(self.s.destination(reached).road_min)
            first_contact = env.now if first_contact is None else first_contact
            self._finish(pid, ps, counted, c, t0, first_contact, env.now, in_county=False, record=record)
            return
        yield env.timeout(self.s.island(target_fac.island).road_min)
        yield from self._see_doctor(target_fac, URGENT)
        first_contact = env.now if first_contact is None else first_contact
        definitive = env.now
        yield env.timeout(service)
        self.pools[target_fac.id].release()
        yield from self._admit_or_send_out(pid, target_fac, los, u, i, c, counted, t0, first_contact, definitive,
                                           record)

    def _admit_or_send_out(self, pid: int, fac: Facility, los: float, u, i: int, c: int, counted: bool,
                           t0: float, first_contact: float, definitive: float, record: bool = True):
        """Generator: admit if needed; a full ward under the out-of-county rule sends the patient out."""
        cond = self.conditions[c]
        ps = self.stats.patients[i][c]
        in_county = True
        if u[0] < cond.admit_share and fac.id in self.wards and not self.admit(fac, los, i):
            in_county = False
            case = TransferCase(pid, i, cond.id, cond.id in self.policy.helicopter_conditions, place=fac.island)
            reached = yield from self.transport.transfer(case, self.islands[i].tertiary)
            self._record_transfer(ps, case, reached, counted, self.env.now)
        self._finish(pid, ps, counted, c, t0, first_contact, definitive, in_county=in_county, record=record)

    def _see_doctor(self, fac: Facility, priority: int):
        ev = self.env.event()
        self.pools[fac.id].request(priority, ev.succeed)
        yield ev

    def _target(self, isl: Island, cond: Condition, tertiary: bool) -> tuple[Facility | None, str]:
        target = transfer_target(self.s, self.policy, isl.id, cond.id, tertiary)
        return target.facility, target.place

    # --- bookkeeping ----------------------------------------------------------------------------------
    def admit(self, fac: Facility, los: float, i: int) -> bool:
        return self.wards[fac.id].admit(los)

    def admit_routine(self, fac: Facility, los: float, i: int) -> None:
        """A routine patient needing admission takes a bed where seen if one is free; otherwise (or
        where there are no beds) they are admitted at the island's referral hospital, where the
        policy's full-ward rule applies. Their journey there is not simulated (they are not urgent)."""
        ward = self.wards.get(fac.id)
        if ward is not None and ward.occupied < ward.beds and not ward.boarding:
            ward.admit(los)
            return
        ref = self.islands[i].referral
        target = self.wards.get(ref) if ref != fac.id else ward
        if target is not None:
            target.admit(los)

    def _record_transfer(self, ps: PatientStats, case: TransferCase, reached: str, counted: bool, now: float):
        if not counted:
            return
        ps.transferred += 1
        ps.weather_sum += case.weather_min
        if case.mode == "boat":
            ps.boat += 1
        elif case.mode == "ferry":
            ps.ferry += 1
            ps.ferry_wait_sum += case.ferry_wait_min
            ps.ferry_n += 1
        elif case.mode == "helicopter":
            ps.helicopter += 1
        if reached not in self.s.island_ids:
            ps.out_of_county += 1
        month = self.calendar.month_number(now)
        self.stats.add_monthly(month, self.islands[case.island].id, "weather_delay_min", case.weather_min)
        self.stats.add_monthly(month, self.islands[case.island].id, "transfers", 1)

    def _finish(self, pid: int, ps: PatientStats, counted: bool, c: int, t0: float, first_contact: float,
                definitive: float, in_county: bool, record: bool = True) -> None:
        if counted and record:
            ps.wait_sum += first_contact - t0
            ps.wait_n += 1
            ttd = definitive - t0
            ps.add_ttd(ttd, self.targets[c])
            curve = self.curves[c]
            if curve is not None:
                ps.survival_sum += curve(ttd)
                ps.survival_n += 1
        self._event(pid, "definitive_care" if in_county else "definitive_care_out_of_county", "")
        self.complete(pid, ps, counted, in_county)

    def complete(self, pid: int, ps: PatientStats, counted: bool, in_county: bool, cared: bool = True,
                 died: bool = False) -> None:
        """The patient leaves the model. ``cared=False``: without care; ``died``: before reaching care
        (a cardiac arrest not survived). Neither counts in the in-county share."""
        if counted:
            del self.stats.active[pid]
            ps.completed += 1
            if died:
                ps.died += 1
            elif not cared:
                ps.uncared += 1
            elif in_county:
                ps.in_county += 1

    def _event(self, pid: int, event: str, place: str) -> None:
        if self.log is not None:
            self.log(self.env.now, pid, event, place)
