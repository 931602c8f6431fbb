"""The core care pathways: what happens to each patient, from arrival to definitive care.

- **Routine** (primary care, chronic follow-up) on an island with a staffed facility that treats
  the class: a consultation at that facility (they arrive at the clinic, so no road time);
  definitive care starts with the consultation. A share (``out_of_county_share``) seeks care off
  the islands on their own: they are completed, outside the county, with no modelled transport.
  Routine patients of an island without such care take scheduled boats to the referral facility
  when it treats them and the timetable reaches it.
- **Urgent**: road time to the island's facility, then either definitive treatment there (if the
  facility treats the class and the patient does not need tertiary care), or stabilisation and a
  transfer to the island's referral facility, or out of the county (tertiary need, or a class the
  policy always sends out). At night a facility without night doctors is skipped. Definitive care
  at a destination outside the county starts at hand-over there.
- Admitted patients take a bed at the facility that treated them; when the ward is full the
  policy boards them in the emergency room or sends them out of the county.

Where a patient goes is decided by the shared rules of ``scenarios.routing`` (the optimiser uses the
same ones). Each patient's random draws come with the arrival (see ``sim.demand``): the policy
changes what happens to a patient, never who the patient is.
"""

from __future__ import annotations

from scenarios.model import Facility
from scenarios.routing import (
    Target,
    local_facility,
    routine_travel_target,
    transfer_target,
    treating_facility,
)
from sim.context import Row, SimContext
from sim.facilities import ROUTINE, URGENT
from sim.patient import Patient
from sim.stats import Outcome
from sim.transport import TransferCase


class Pathways:
    """The core module: routes the arrivals it takes; owns no resources, only uses them."""

    def __init__(self, ctx: SimContext):
        self.ctx = ctx
        self.env, s, p = ctx.env, ctx.scenario, ctx.policy
        self.s, self.policy, self.pools, self.wards, self.transport = s, p, ctx.pools, ctx.wards, ctx.transport
        self.conditions, self.islands = s.conditions, s.islands
        self._island_ids = frozenset(s.island_ids)
        # Where each (island, condition) goes, from the shared rules (the policy is fixed for the run).
        self.local = [local_facility(s, p, isl.id) for isl in s.islands]
        self.treating = [[treating_facility(s, p, isl.id, c.id) for c in s.conditions] for isl in s.islands]
        self.travel_to = [[None if c.urgent else routine_travel_target(s, p, isl.id, c.id) for c in s.conditions]
                          for isl in s.islands]
        self.targets: list[list[tuple[Target, Target]]] = [  # (not tertiary, tertiary)
            [(transfer_target(s, p, isl.id, c.id, False), transfer_target(s, p, isl.id, c.id, True))
             for c in s.conditions] for isl in s.islands]
        self.curves = [s.curves.get(c.outcome_curve) if c.outcome_curve else None for c in s.conditions]
        self.heli_ok = [c.id in p.helicopter_conditions for c in s.conditions]
        self._route = [[self._route_for(i, c) for c in range(len(s.conditions))] for i in range(len(s.islands))]

    # --- the Module protocol ----------------------------------------------------------------------------
    def takes(self, island: int, condition: int) -> bool:
        return self._route[island][condition] is not None

    def handle(self, patient: Patient) -> None:
        self._route[patient.island][patient.condition](patient)

    def handler(self, island: int, condition: int):
        """The function that takes these arrivals (``handle`` without the lookup)."""
        return self._route[island][condition]

    def start(self) -> None:
        pass  # no processes of its own: patients bring them

    def kpi_rows(self, t_end: float) -> list[Row]:
        return []  # patient metrics are the PatientStats' (sim.stats)

    # --- questions other modules ask --------------------------------------------------------------------
    def treats_locally(self, island: int, condition: int) -> bool:
        """Is there a staffed facility on the island that treats the condition?"""
        return self.treating[island][condition] is not None

    def local_doctor_on_duty(self, island: int) -> bool:
        """Is the island's first-contact facility staffed at this moment?"""
        local = self.local[island]
        return local is not None and self.pools[local.id].staffed_now()

    # --- entry points -----------------------------------------------------------------------------------
    def _route_for(self, i: int, c: int):
        if self.conditions[c].urgent:
            return self.start_urgent
        if self.treating[i][c] is not None:
            return self.routine_at(i, c)
        return self.start_routine_travel if self.travel_to[i][c] is not None else None

    def routine_at(self, i: int, c: int):
        """The handler of routine patients of island ``i`` and condition ``c`` seen on the island.

        Made once per island and condition, with what it needs bound (the shares, the facility's
        doctors): half a million routine patients a year then cost no lookups. A share
        (``out_of_county_share``) seeks care off the islands; the rest see a doctor of the treating
        facility; those needing admission take a bed after the consultation (:meth:`routine_admitted`).
        """
        cond, fac = self.conditions[c], self.treating[i][c]
        out_share, admit_share = cond.out_of_county_share, cond.admit_share
        consult, admitted = self.pools[fac.id].consult, self.routine_admitted(fac)
        out_of_county = Outcome.OUT_OF_COUNTY

        def routine(pt: Patient) -> None:
            if pt.u_tertiary < out_share:
                pt.stats.complete(out_of_county)
            elif pt.u_admit >= admit_share:
                # the common case: nothing happens at the consultation's end but the doctor's release,
                # which the pool does lazily (no event)
                consult(ROUTINE, pt.service_min, pt.stats)
            else:
                admitted(pt)
        return routine

    def routine_admitted(self, fac: Facility):
        """The handler of routine patients of ``fac`` who need admission: a consultation with a
        doctor (who is theirs until it ends), then a bed (:meth:`admit_routine`)."""
        env, pool = self.env, self.pools[fac.id]

        def admitted(pt: Patient) -> None:
            ps, t0 = pt.stats, env.now

            def done(_ev) -> None:
                pool.release()
                self.admit_routine(fac, pt)
                ps.complete(Outcome.IN_COUNTY)

            def start() -> None:
                ps.record_consultation(env.now - t0, t0)
                env.timeout(pt.service_min).callbacks.append(done)

            pool.request(ROUTINE, start)
        return admitted

    def start_routine_travel(self, pt: Patient) -> None:
        self.env.process(self.routine_travel(pt))

    def routine_travel(self, pt: Patient):
        """Routine patients of an island without such care take scheduled boats to the referral facility."""
        env, cond = self.env, self.conditions[pt.condition]
        if pt.u_tertiary < cond.out_of_county_share:
            pt.stats.complete(Outcome.OUT_OF_COUNTY)
            return
        fac = self.travel_to[pt.island][pt.condition]
        yield from self.routine_journey(pt, Target(fac, fac.island, 0.0), env.now)

    def routine_journey(self, pt: Patient, target: Target, onset: float):
        """Generator: a routine patient travels as a passenger on scheduled boats (and bridges) to
        ``target`` and is seen there: by the facility's doctors (in the county; no road time, as at a
        clinic), or at a hospital outside the county after its road time. ``onset`` is when the need
        arose (the clock of time to definitive care)."""
        case = TransferCase(pt, False, place=self.islands[pt.island].id, emergency=False)
        yield from self.transport.transfer(case, target.place, scheduled_only=True)
        if target.facility is None:
            yield self.env.timeout(target.road_min)
            self._finish(pt, onset, self.env.now, self.env.now, in_county=False)
            return
        start = yield from self._treat(target.facility, pt, ROUTINE)
        self._finish(pt, onset, start, start, in_county=True)

    def unserved(self, pt: Patient) -> None:
        """Demand with no pathway (routine care on an island with no doctor, boat or circuit visits)."""
        pt.stats.complete(Outcome.NO_CARE)

    def start_urgent(self, pt: Patient) -> None:
        self.env.process(self.urgent(pt))

    # --- urgent pathway ---------------------------------------------------------------------------------
    def urgent(self, pt: Patient, onset: float | None = None, first_contact: float | None = None,
               record: bool = True):
        """Generator process of one urgent patient (also used for arrest survivors and escalations).

        ``onset`` (default: now) is when the clock of time-to-definitive-care started;
        ``first_contact`` is set when a clinician already reached the patient (arrest survivors);
        ``record=False`` leaves waits, times and outcome to the caller (the arrest module records
        the time to the first shock and the survival instead).
        """
        env, i, c = self.env, pt.island, pt.condition
        cond, isl = self.conditions[c], self.islands[i]
        t0 = env.now if onset is None else onset
        tertiary = pt.u_tertiary < cond.out_of_county_share or cond.id in self.policy.out_of_county_conditions
        if isl.road_min > 0:
            yield env.timeout(isl.road_min)
        fac = self.treating[i][c] if not tertiary else None
        stabilise = fac or self.local[i]
        if stabilise is not None and self.pools[stabilise.id].staffed_now():
            definitive = yield from self._treat(stabilise, pt, URGENT)
            first_contact = definitive if first_contact is None else first_contact
            if fac is not None:  # treated on the island
                yield from self._admit_or_send_out(pt, fac, t0, first_contact, definitive, record)
                return
        # transfer: to the referral facility, or out of the county
        target = self.targets[i][c][tertiary]
        case = TransferCase(pt, self.heli_ok[c], place=isl.id)
        self.ctx.event(pt, "transfer_requested", isl.id)
        reached = yield from self.transport.transfer(case, target.place)
        self._record_transfer(pt, case, reached)
        if reached != target.place or target.facility is None:  # out of the county
            yield env.timeout(self.s.destination(reached).road_min)
            first_contact = env.now if first_contact is None else first_contact
            self._finish(pt, t0, first_contact, env.now, in_county=False, record=record)
            return
        yield env.timeout(self.s.island(target.facility.island).road_min)
        definitive = yield from self._treat(target.facility, pt, URGENT)
        first_contact = definitive if first_contact is None else first_contact
        yield from self._admit_or_send_out(pt, target.facility, t0, first_contact, definitive, record)

    def _treat(self, fac: Facility, pt: Patient, priority: int):
        """Generator: wait for a doctor of ``fac``, be treated; returns when treatment started."""
        ev = self.env.event()
        pool = self.pools[fac.id]
        pool.request(priority, ev.succeed)
        yield ev
        start = self.env.now
        yield self.env.timeout(pt.service_min)
        pool.release()
        return start

    def _admit_or_send_out(self, pt: Patient, fac: Facility, t0: float, first_contact: float, definitive: float,
                           record: bool = True):
        """Generator: admit if needed; a full ward under the out-of-county rule sends the patient out."""
        in_county = True
        if (pt.u_admit < self.conditions[pt.condition].admit_share and fac.id in self.wards
                and not self.wards[fac.id].admit(pt.stay_min)):
            in_county = False
            case = TransferCase(pt, self.heli_ok[pt.condition], place=fac.island)
            reached = yield from self.transport.transfer(case, self.islands[pt.island].tertiary)
            self._record_transfer(pt, case, reached)
        self._finish(pt, t0, first_contact, definitive, in_county=in_county, record=record)

    # --- bookkeeping ------------------------------------------------------------------------------------
    def admit_routine(self, fac: Facility, pt: Patient) -> None:
        """A routine patient needing admission takes a bed where seen if one is free; otherwise (or
        where there are no beds) they are admitted at the island's referral hospital, where the
        policy's full-ward rule applies. Their journey there is not simulated (they are not urgent)."""
        ward = self.wards.get(fac.id)
        if ward is not None and ward.occupied < ward.beds and not ward.boarding:
            ward.admit(pt.stay_min)
            return
        ref = self.islands[pt.island].referral
        target = self.wards.get(ref) if ref != fac.id else ward
        if target is not None:
            target.admit(pt.stay_min)

    def _record_transfer(self, pt: Patient, case: TransferCase, reached: str) -> None:
        pt.stats.record_transfer(case, reached not in self._island_ids, self.ctx.calendar.month_number(self.env.now))

    def _finish(self, pt: Patient, t0: float, first_contact: float, definitive: float, in_county: bool,
                record: bool = True) -> None:
        if record:
            ps = pt.stats
            ps.record_contact(first_contact - t0)
            ttd = definitive - t0
            curve = self.curves[pt.condition]
            ps.record_definitive(ttd, curve(ttd) if curve is not None else None, onset=t0)
        self.ctx.event(pt, "definitive_care" if in_county else "definitive_care_out_of_county", "")
        pt.stats.complete(Outcome.IN_COUNTY if in_county else Outcome.OUT_OF_COUNTY)
