"""Doctors with opening hours and priorities, and inpatient wards.

Both are small SimPy resources driven by callbacks rather than processes: a request whose doctor or
bed is free starts at once, without scheduling an extra event, which keeps the per-patient cost of
the half-million routine visits of a Shengsi year low (see benchmarks/).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable

import simpy

from sim.calendar import DAY
from sim.stats import Level

URGENT, ROUTINE = 0, 1


class DoctorPool:
    """The doctors of one facility: ``day`` of them in opening hours, ``night`` outside them.

    Requests are served by priority (urgent 0 before routine 1), first come first served within a
    priority, without pre-emption. When the facility closes, doctors still with a patient finish
    that patient first.
    """

    def __init__(self, env: simpy.Environment, day: int, night: int, opens_min: int, closes_min: int,
                 level: Level):
        self.env = env
        self.day, self.night = day, night
        self.opens, self.closes = opens_min, closes_min
        self.level = level
        self.busy = 0
        self.queue: list[tuple[int, int, Callable[[], None]]] = []
        self._seq = 0
        all_day = opens_min == 0 and closes_min >= 1440
        self.capacity = day if all_day or opens_min <= 0 < closes_min else night
        level.set(0.0, 0, self.capacity)
        if not all_day and day != night:
            env.process(self._shifts())

    def staffed_now(self) -> bool:
        return self.capacity > 0

    def request(self, priority: int, start: Callable[[], None]) -> None:
        """Call ``start()`` when a doctor is free for this patient (possibly at once)."""
        if self.busy < self.capacity and not self.queue:
            self.busy += 1
            self.level.set(self.env.now, self.busy)
            start()
        else:
            self._seq += 1
            heapq.heappush(self.queue, (priority, self._seq, start))

    def release(self) -> None:
        self.busy -= 1
        self.level.set(self.env.now, self.busy)
        self._dispatch()

    def _dispatch(self) -> None:
        while self.queue and self.busy < self.capacity:
            start = heapq.heappop(self.queue)[2]
            self.busy += 1
            self.level.set(self.env.now, self.busy)
            start()

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
        self.level.set(self.env.now, self.occupied)
        if on_bed is not None:
            on_bed(wait)
        self.env.timeout(los_min).callbacks.append(self._discharge)

    def _discharge(self, _event) -> None:
        self.occupied -= 1
        self.level.set(self.env.now, self.occupied)
        self._fill()

    def _fill(self) -> None:
        while self.boarding and self.occupied < self.beds:
            t0, los, on_bed = self.boarding.popleft()
            self._occupy(los, on_bed, self.env.now - t0)
