"""Doctors with opening hours and priorities, and inpatient wards.

Both are small SimPy resources driven by callbacks rather than processes: a request whose doctor or
bed is free starts at once, without scheduling an extra event, which keeps the per-patient cost of
the half-million routine visits of a Shengsi year low (see benchmarks/).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from typing import Protocol

import simpy

from scenarios.units import DAY
from sim.levels import Level

URGENT, ROUTINE = 0, 1


class Consultation(Protocol):
    """What a consultation reports to (``sim.stats.PatientStats``)."""

    def record_consultation(self, wait: float, onset: float) -> None: ...

    def record_consultation_now(self) -> None: ...

    def complete_in_county(self) -> None: ...


class DoctorPool:
    """The doctors of one facility: ``day`` of them in opening hours, ``night`` outside them.

    Requests are served by priority (urgent 0 before routine 1), first come first served within a
    priority, without pre-emption. When the facility closes, doctors still with a patient finish
    that patient first.

    Two kinds of work. :meth:`request` hands the caller a doctor, who is theirs until they call
    :meth:`release` (urgent care, whose next step depends on the treatment's end). :meth:`consult`
    books a doctor for a known number of minutes and needs no event at its end: the doctor is freed
    at the next time anyone looks at the pool (:meth:`settle`: the ends in a heap, applied to the
    busy-doctor level at their own times, in order), and the patient's completion is recorded then.
    Only when patients queue does the pool schedule an event (at the earliest end of a
    consultation), so a routine consultation that finds a doctor free costs no SimPy event at all.
    The model settles every pool before it reads the levels (each day, at the warm-up's end and at
    the end of the run).
    """

    def __init__(self, env: simpy.Environment, day: int, night: int, opens_min: int, closes_min: int,
                 level: Level):
        self.env = env
        self.day, self.night = day, night
        self.opens, self.closes = opens_min, closes_min
        self.level = level
        self.busy = 0
        self.queue: list[tuple] = []  # (priority, seq, start | None, minutes, record | None, requested at)
        self.until: list[tuple[float, int, Consultation]] = []  # consultations: (ends, seq, record)
        self._seq = 0
        self._wake_at = math.inf  # time of the pending wake-up event (queue waiting on consults)
        all_day = opens_min == 0 and closes_min >= 1440
        self.capacity = day if all_day or opens_min <= 0 < closes_min else night
        level.set(0.0, 0, self.capacity)
        if not all_day and day != night:
            env.process(self._shifts())

    def staffed_now(self) -> bool:
        return self.capacity > 0

    def request(self, priority: int, start: Callable[[], None]) -> None:
        """Call ``start()`` when a doctor is free for this patient (possibly at once); the caller
        calls :meth:`release` when done."""
        if self.until:
            self.settle()
        if self.busy < self.capacity and not self.queue:
            self.busy += 1
            self.level.move(self.env.now, self.busy)
            start()
        else:
            self._seq += 1
            heapq.heappush(self.queue, (priority, self._seq, start, 0.0, None, self.env.now))
            self._arm()

    def consult(self, priority: int, minutes: float, record: Consultation) -> None:
        """A doctor for ``minutes`` as soon as one is free. ``record`` is told when the consultation
        starts (``record_consultation_now()`` if at once, else ``record_consultation(wait, requested)``)
        and, some time at or after its end, ``complete_in_county()`` (which only counts: it must not
        read the clock)."""
        until, now = self.until, self.env.now
        if until and until[0][0] <= now:
            self.settle()
        if self.busy < self.capacity and not self.queue:
            # the common case (half a million calls a year): one more doctor busy until now + minutes
            # one more doctor busy until now + minutes: Level.move(now, busy) written out (the hot
            # path; tests/unit/test_sim_facilities.py checks it equals Level.move to the bit)
            self.busy = busy = self.busy + 1
            level = self.level
            dt = now - level.last
            if dt > 0:
                level_dt = level.level * dt
                level.day_area += level_dt
                if level.counting:
                    level.area += level_dt
                    level.cap_area += level.capacity * dt
                level.last = now
            level.level = busy
            self._seq = seq = self._seq + 1
            heapq.heappush(until, (now + minutes, seq, record))
            record.record_consultation_now()
        else:
            self._seq += 1
            heapq.heappush(self.queue, (priority, self._seq, None, minutes, record, now))
            self._arm()

    def release(self) -> None:
        self.settle()
        self.busy -= 1
        self.level.move(self.env.now, self.busy)
        self._dispatch()

    def settle(self) -> None:
        """Free the doctors whose consultations ended by now (at their end times, in order: the
        busy-doctor level is as if each had been freed then), and start queued patients."""
        now, until, level = self.env.now, self.until, self.level
        busy = self.busy
        while until and until[0][0] <= now:
            end, _, record = heapq.heappop(until)
            busy -= 1
            dt = end - level.last  # Level.move(end, busy) written out, as in consult()
            if dt > 0:
                level_dt = level.level * dt
                level.day_area += level_dt
                if level.counting:
                    level.area += level_dt
                    level.cap_area += level.capacity * dt
                level.last = end
            level.level = busy
            record.complete_in_county()
        self.busy = busy
        if self.queue:
            self._dispatch()

    def _begin(self, minutes: float, record: Consultation, requested: float) -> None:
        """Start a queued consultation now (the books are settled: the level moves at once)."""
        self.busy += 1
        now = self.env.now
        self.level.move(now, self.busy)
        self._seq += 1
        heapq.heappush(self.until, (now + minutes, self._seq, record))
        record.record_consultation(now - requested, requested)

    def _dispatch(self) -> None:
        queue = self.queue
        while queue and self.busy < self.capacity:
            _, _, start, minutes, record, t0 = heapq.heappop(queue)
            if record is None:
                self.busy += 1
                self.level.move(self.env.now, self.busy)
                start()
            else:
                self._begin(minutes, record, t0)
        self._arm()

    def _arm(self) -> None:
        """Patients wait and consultations are running: wake up when the first one ends."""
        if self.queue and self.until and self.until[0][0] < self._wake_at:
            self._wake_at = at = self.until[0][0]
            self.env.timeout(at - self.env.now).callbacks.append(self._wake)

    def _wake(self, _event) -> None:
        self._wake_at = math.inf
        self.settle()
        self._arm()

    def _shifts(self):
        env = self.env
        while True:
            t = env.now % DAY
            if t < self.opens:
                yield env.timeout(self.opens - t)
                self._set_capacity(self.day)
            elif t < self.closes:
                yield env.timeout(self.closes - t)
                self._set_capacity(self.night)
            else:
                yield env.timeout(DAY - t + self.opens)
                self._set_capacity(self.day)

    def _set_capacity(self, n: int) -> None:
        self.settle()
        self.capacity = n
        self.level.set(self.env.now, None, n)
        self._dispatch()


class Ward:
    """Inpatient beds of one facility. ``admit`` returns False when full and the rule is to send out.

    With the ``board`` rule a patient finding no bed waits in the emergency room (boarding) for the
    next free bed, first come first served. Every patient who finds the ward full is counted once
    as blocked.
    """

    def __init__(self, env: simpy.Environment, beds: int, board: bool, level: Level,
                 on_blocked: Callable[[], None]):
        self.env, self.beds, self.board = env, beds, board
        self.level = level
        self.occupied = 0
        self.boarding: deque[tuple[float, float, Callable[[float], None] | None]] = deque()
        self.on_blocked = on_blocked
        level.set(0.0, 0, beds)

    def admit(self, los_min: float, on_bed: Callable[[float], None] | None = None) -> bool:
        """Occupy a bed for ``los_min``; ``on_bed(wait)`` is called when the patient gets it."""
        if self.occupied < self.beds and not self.boarding:
            self._occupy(los_min, on_bed, 0.0)
            return True
        self.on_blocked()
        if not self.board:
            return False
        self.boarding.append((self.env.now, los_min, on_bed))
        return True

    def set_beds(self, beds: int) -> None:
        self.beds = beds
        self.level.set(self.env.now, None, beds)
        self._fill()

    def _occupy(self, los_min: float, on_bed, wait: float) -> None:
        self.occupied += 1
        self.level.move(self.env.now, self.occupied)
        if on_bed is not None:
            on_bed(wait)
        self.env.timeout(los_min).callbacks.append(self._discharge)

    def _discharge(self, _event) -> None:
        self.occupied -= 1
        self.level.move(self.env.now, self.occupied)
        self._fill()

    def _fill(self) -> None:
        while self.boarding and self.occupied < self.beds:
            t0, los, on_bed = self.boarding.popleft()
            self._occupy(los, on_bed, self.env.now - t0)
