"""Moving the SimPy clock forward without an event, when nothing else is due before.

The arrival process hands hundreds of thousands of patients a year to the modules. Waiting for each
with a ``Timeout`` costs an event (allocation, heap push and pop, a process resume) although, most of
the time, no other event is due before the next arrival. :func:`advance` then moves the clock
straight to the arrival: the model sees exactly the state and the order of events it would see after
the timeout. When an event is due before (or at) that time it refuses, and the caller waits for a
timeout as usual, so every earlier event runs first.

SimPy keeps the clock in ``Environment._now`` (SimPy 4; pinned ``simpy>=4.1,<5`` in pyproject.toml);
``tests/unit/test_sim_clock.py`` fails if that changes.
"""

from __future__ import annotations

import simpy


def advance(env: simpy.Environment, t: float) -> bool:
    """Set the clock to ``t`` (not before now) if no scheduled event is due at or before ``t``; True
    if it did.

    Only the process currently running may call this (it is the one whose next step is at ``t``).
    """
    if t < env.peek():
        env._now = t  # noqa: SLF001 - see the module docstring
        return True
    return False
