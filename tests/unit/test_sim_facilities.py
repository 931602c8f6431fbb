"""sim.facilities: doctors with priorities and opening hours; wards with boarding or blocking."""

from __future__ import annotations

import pytest
import simpy

from sim.facilities import ROUTINE, URGENT, DoctorPool, Ward
from sim.levels import Level


def _pool(env, day=1, night=1, opens=0, closes=1440):
    lv = Level()
    lv.counting = True
    return DoctorPool(env, day, night, opens, closes, lv), lv


def _patient(env, pool, name, priority, arrive, service, log):
    def proc():
        yield env.timeout(arrive)
        ev = env.event()
        pool.request(priority, ev.succeed)
        yield ev
        log.append((name, env.now))
        yield env.timeout(service)
        pool.release()

    env.process(proc())


def test_urgent_before_routine_fifo_within_priority_no_preemption():
    env = simpy.Environment()
    pool, _ = _pool(env)
    log: list = []
    _patient(env, pool, "r1", ROUTINE, 0, 10, log)  # takes the doctor at once
    _patient(env, pool, "r2", ROUTINE, 1, 10, log)
    _patient(env, pool, "u1", URGENT, 2, 10, log)
    _patient(env, pool, "r3", ROUTINE, 3, 10, log)
    _patient(env, pool, "u2", URGENT, 4, 10, log)
    env.run()
    # r1 is not interrupted; then both urgent ones in arrival order; then the routine ones in order.
    assert log == [("r1", 0), ("u1", 10), ("u2", 20), ("r2", 30), ("r3", 40)]


def test_several_doctors_and_utilisation():
    env = simpy.Environment()
    pool, lv = _pool(env, day=2, night=2)
    log: list = []
    for k in range(4):
        _patient(env, pool, k, ROUTINE, 0, 10, log)
    env.run(until=40)
    lv.set(40)
    assert [t for _, t in log] == [0, 0, 10, 10]
    assert lv.area == pytest.approx(40.0) and lv.cap_area == pytest.approx(80.0)  # busy 2 of 2 for 20 min


def test_opening_hours_switch_capacity():
    env = simpy.Environment()
    pool, lv = _pool(env, day=2, night=0, opens=480, closes=1020)  # 08:00-17:00, nobody at night
    assert pool.capacity == 0 and not pool.staffed_now()
    log: list = []
    _patient(env, pool, "early", ROUTINE, 60, 30, log)  # waits for 08:00
    _patient(env, pool, "late", ROUTINE, 1000, 60, log)  # 16:40: starts, finishes after closing
    _patient(env, pool, "after", ROUTINE, 1010, 30, log)  # 16:50: also starts before 17:00
    _patient(env, pool, "night", ROUTINE, 1030, 30, log)  # 17:10: waits for tomorrow 08:00
    env.run(until=2 * 1440)
    assert dict(log) == {"early": 480, "late": 1000, "after": 1010, "night": 1440 + 480}
    env2 = simpy.Environment()
    pool2, _ = _pool(env2, day=2, night=0, opens=480, closes=1020)
    env2.run(until=600)
    assert pool2.capacity == 2
    env2.run(until=1100)
    assert pool2.capacity == 0
    lv.set(2 * 1440)
    assert lv.cap_area == pytest.approx(2 * 2 * (1020 - 480))  # rostered doctor-minutes over two days


def test_patients_already_with_a_doctor_finish_after_closing():
    env = simpy.Environment()
    pool, _ = _pool(env, day=1, night=0, opens=480, closes=1020)
    log: list = []
    _patient(env, pool, "a", ROUTINE, 1000, 60, log)
    _patient(env, pool, "b", URGENT, 1010, 5, log)  # nobody free at 17:00 (capacity 0): tomorrow
    env.run(until=2 * 1440)
    assert pool.busy == 0
    assert dict(log) == {"a": 1000, "b": 1440 + 480}


def _ward(env, beds, board):
    lv = Level()
    lv.counting = True
    blocked = []
    return Ward(env, beds, board, lv, lambda: blocked.append(env.now)), lv, blocked


def test_ward_blocks_when_full_under_the_send_out_rule():
    env = simpy.Environment()
    ward, lv, blocked = _ward(env, 2, board=False)
    got = []

    def admit(t, los):
        yield env.timeout(t - env.now)
        got.append(ward.admit(los))

    def arrivals():
        yield from admit(0, 100)
        yield from admit(10, 100)
        yield from admit(20, 100)  # full
        yield from admit(110, 100)  # a bed came free at 100

    env.process(arrivals())
    env.run(until=300)
    assert got == [True, True, False, True]
    assert blocked == [20]
    lv.set(300)
    assert lv.area == pytest.approx(300.0)  # 100 + 100 + 100 bed-minutes


def test_ward_boards_first_come_first_served():
    env = simpy.Environment()
    ward, _, blocked = _ward(env, 1, board=True)
    waits = []

    def arrivals():
        assert ward.admit(100, lambda w: waits.append(("a", env.now, w)))
        yield env.timeout(10)
        assert ward.admit(50, lambda w: waits.append(("b", env.now, w)))  # boards (returns True)
        yield env.timeout(10)
        assert ward.admit(50, lambda w: waits.append(("c", env.now, w)))

    env.process(arrivals())
    env.run(until=500)
    assert waits == [("a", 0, 0.0), ("b", 100, 90.0), ("c", 150, 130.0)]
    assert blocked == [10, 20]  # each counted once, when they found the ward full


def test_ward_more_beds_fill_the_boarders():
    env = simpy.Environment()
    ward, _, _ = _ward(env, 1, board=True)
    ward.admit(1000)
    ward.admit(1000)
    assert ward.occupied == 1 and len(ward.boarding) == 1
    ward.set_beds(2)
    assert ward.occupied == 2 and not ward.boarding


class _Record:
    """Counts what a consultation reports (sim.facilities.Consultation)."""

    def __init__(self):
        self.waits, self.now, self.done = [], 0, 0

    def record_consultation(self, wait, onset):
        self.waits.append(wait)

    def record_consultation_now(self):
        self.now += 1

    def complete_in_county(self):
        self.done += 1


class _PlainPool(DoctorPool):
    """The pool with its written-out level bookkeeping replaced by plain ``Level.move`` calls."""

    def consult(self, priority, minutes, record):
        until, now = self.until, self.env.now
        if until and until[0][0] <= now:
            self.settle()
        if self.busy < self.capacity and not self.queue:
            self.busy += 1
            self.level.move(now, self.busy)
            self._seq += 1
            until.append((now + minutes, self._seq, record))
            until.sort()
            record.record_consultation_now()
        else:
            DoctorPool.consult(self, priority, minutes, record)

    def settle(self):
        now, until = self.env.now, self.until
        until.sort()
        while until and until[0][0] <= now:
            end, _, record = until.pop(0)
            self.busy -= 1
            self.level.move(end, self.busy)
            record.complete_in_county()
        if self.queue:
            self._dispatch()


def _hold(pool_class, seed):
    """Random routine consultations (some queueing) over three days of opening hours, with the
    level counted from the first morning on; the level's sums and the records' counts at the end."""
    import random

    rnd = random.Random(seed)
    env, level = simpy.Environment(), Level()
    pool, record = pool_class(env, 2, 1, 480, 1020, level), _Record()

    def arrivals():
        while True:
            yield env.timeout(rnd.expovariate(1 / 9.0))
            pool.consult(ROUTINE, rnd.choice([5.0, 12.5, 20.0, rnd.uniform(1, 40)]), record)

    def count_from_morning():
        yield env.timeout(480)
        pool.settle()
        level.start(env.now)

    env.process(arrivals())
    env.process(count_from_morning())
    env.run(until=3 * 1440.0 + 600)
    pool.settle()
    level.set(env.now)
    return (level.area, level.cap_area, level.day_area, level.level, level.last,
            record.now, record.done, tuple(record.waits))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_written_out_level_bookkeeping_equals_level_move(seed):
    """consult() and settle() write Level.move out for speed: the same sums to the last bit."""
    ours, plain = _hold(DoctorPool, seed), _hold(_PlainPool, seed)
    assert ours == plain
    assert ours[6] > 100 and len(ours[7]) > 10  # many consultations, some of them after a wait
