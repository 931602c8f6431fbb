"""sim.clock.advance: the clock moves without an event only when nothing is due before."""

from __future__ import annotations

import simpy

from sim.clock import advance


def test_advance_moves_the_clock_when_nothing_is_due_before():
    env = simpy.Environment()
    env.timeout(10.0)
    assert advance(env, 4.0) and env.now == 4.0
    assert not advance(env, 10.0) and env.now == 4.0  # an event is due at 10: wait for a timeout instead
    assert not advance(env, 12.0) and env.now == 4.0


def test_advance_relies_on_simpy_keeping_the_clock_in_now_attribute():
    # If SimPy stops keeping its clock in Environment._now, advance() would silently do nothing:
    # this guards the assumption (see the module docstring and the simpy pin in pyproject.toml).
    env = simpy.Environment(initial_time=3.0)
    assert env._now == 3.0 == env.now
    assert advance(env, 5.0) and env.now == 5.0 and env.peek() == float("inf")


def test_events_after_an_advance_run_at_their_own_times():
    env = simpy.Environment()
    seen = []

    def proc():
        yield env.timeout(1.0)
        assert advance(env, 2.5)
        env.timeout(1.0).callbacks.append(lambda _e: seen.append(env.now))  # due at 3.5
        assert not advance(env, 4.0)  # the new event is due first
        yield env.timeout(4.0 - env.now)
        seen.append(env.now)

    env.process(proc())
    env.run()
    assert seen == [3.5, 4.0]
