"""Sea state: one weather process for the whole county, read through each area's wind offset.

The reference station (Sijiao) is in one of six states: calm (force 5 or less), force 6, 7, 8, 9+ or
fog. From calm, episodes start as a Poisson process whose rates come from the month's climatology;
an episode of state *s* lasts an exponential time with the month's mean episode length, then the sea
is calm again. With entry rate ``(hours_s / duration_s) / calm_hours`` per calm hour the long-run
share of each state equals its hours in the month. An area with ``wind_offset`` +1 feels one force
more (the eastern islands are windier); fog covers every area. A mode is open in an area when the
wind there is below its stop force and the visibility at least its minimum.

``mode`` may be ``"climate"`` (the stochastic process), ``"calm"`` (always calm) or ``"closed"``
(always force 12: nothing sails or flies) for validation runs.
"""

from __future__ import annotations

import bisect

import numpy as np
import simpy

from scenarios.model import Scenario
from sim.calendar import Calendar

CALM_FORCE = 4
WIND_FORCES = (6, 7, 8, 9)
CLEAR_VISIBILITY_M = 10_000.0
STATES = ("calm", "f6", "f7", "f8", "f9", "fog")
# The sea states a planner reads results by (at the reference station): calm (force 5 or less, clear),
# strong wind (force 6-7), gale (force 8 or more), fog.
SEA_STATES = ("calm", "strong_wind", "gale", "fog")
SEA_STATE_OF = {"calm": 0, "f6": 1, "f7": 1, "f8": 2, "f9": 2, "fog": 3}


class Weather:
    """Shared sea state with an event that fires on every change (``changed``)."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, calendar: Calendar,
                 rng: np.random.Generator, mode: str = "climate"):
        self.env, self.calendar, self.rng = env, calendar, rng
        self.offsets = dict(scenario.weather_areas)
        self.limits = dict(scenario.modes)
        self.state = "calm"
        self.force = CALM_FORCE
        self.visibility = CLEAR_VISIBILITY_M
        self.changed = env.event()
        self._tables = [_rates(m) for m in scenario.months]
        self._fog_vis = [m.fog_visibility_m for m in scenario.months]
        self._since = 0.0
        self.minutes_in_state = dict.fromkeys(STATES, 0.0)
        if mode == "closed":
            self.state, self.force = "f9", 12
        # every change of the sea state: when, and the SEA_STATES index entered (onset splits)
        self.change_times: list[float] = [0.0]
        self.change_states: list[int] = [SEA_STATE_OF[self.state]]
        if mode == "climate":
            env.process(self._run())
        elif mode not in ("calm", "closed"):
            raise ValueError(f"weather mode {mode!r}")

    # --- queries --------------------------------------------------------------------------------
    def wind_in(self, area: str) -> int:
        return self.force + self.offsets.get(area, 0)

    def is_open(self, mode: str, areas: tuple[str, ...]) -> bool:
        """Can ``mode`` operate now in every one of ``areas``?"""
        lim = self.limits[mode]
        if self.visibility < lim.min_visibility_m:
            return False
        stop = lim.stop_wind_force
        return all(self.force + self.offsets.get(a, 0) < stop for a in areas)

    @property
    def sea_state(self) -> int:
        """The SEA_STATES index of the sea state now."""
        return self.change_states[-1]

    def sea_state_at(self, t: float) -> int:
        """The SEA_STATES index of the sea state at time ``t`` (not after now)."""
        return self.change_states[bisect.bisect_right(self.change_times, t) - 1]

    def sea_states_at(self, times: np.ndarray) -> np.ndarray:
        """:meth:`sea_state_at` for an array of times (not after now)."""
        k = np.searchsorted(np.asarray(self.change_times), times, side="right") - 1
        return np.asarray(self.change_states, dtype=np.int64)[k]

    def wait_open(self, mode: str, areas: tuple[str, ...]):
        """Generator: returns when ``mode`` can operate in ``areas`` (at once if it can now)."""
        while not self.is_open(mode, areas):
            yield self.changed

    # --- process --------------------------------------------------------------------------------
    def set_state(self, state: str, force: int, visibility: float) -> None:
        """The sea is now in ``state`` (its own process does this; tests steer it by hand)."""
        now = self.env.now
        self.minutes_in_state[self.state] += now - self._since
        self._since = now
        self.state, self.force, self.visibility = state, force, visibility
        self.change_times.append(now)
        self.change_states.append(SEA_STATE_OF[state])
        ev, self.changed = self.changed, self.env.event()
        ev.succeed()

    def _run(self):
        env, rng = self.env, self.rng
        while True:
            total, probs, durations = self._tables[self.calendar.month_index(env.now)]
            if total <= 0:  # a month without weather: look again at the next month
                yield env.timeout(_to_next_month(self.calendar, env.now))
                continue
            wait = rng.exponential(1.0 / total)
            to_month_end = _to_next_month(self.calendar, env.now)
            if wait > to_month_end:
                # Rates change with the month; by memorylessness we may simply redraw there.
                yield env.timeout(to_month_end)
                continue
            yield env.timeout(wait)
            k = int(rng.choice(len(probs), p=probs))
            state = STATES[1 + k]
            month = self.calendar.month_index(env.now)
            if state == "fog":
                self.set_state(state, CALM_FORCE, self._fog_vis[month])
            else:
                self.set_state(state, WIND_FORCES[k], CLEAR_VISIBILITY_M)
            yield env.timeout(rng.exponential(durations[k]))
            self.set_state("calm", CALM_FORCE, CLEAR_VISIBILITY_M)

    def shares(self) -> dict[str, float]:
        """Share of simulated time spent in each state so far."""
        spent = dict(self.minutes_in_state)
        spent[self.state] += self.env.now - self._since
        total = sum(spent.values()) or 1.0
        return {k: v / total for k, v in spent.items()}


def _rates(month) -> tuple[float, np.ndarray, tuple[float, ...]]:
    """(total entry rate per minute of calm, state probabilities, mean durations in minutes)."""
    from sim.calendar import MONTH_DAYS

    hours_in_month = MONTH_DAYS[month.month - 1] * 24.0
    hours = [*month.hours_by_force, month.fog_hours]
    durations = [month.wind_episode_hours * 60.0] * 4 + [month.fog_episode_hours * 60.0]
    calm_min = (hours_in_month - sum(hours)) * 60.0
    rates = np.array([h * 60.0 / d / calm_min for h, d in zip(hours, durations, strict=True)])
    total = float(rates.sum())
    probs = rates / total if total > 0 else np.full(len(rates), 1.0 / len(rates))
    return total, probs, tuple(durations)


def _to_next_month(calendar: Calendar, t: float) -> float:
    nxt = calendar.month_start(calendar.month_number(t) + 1)
    return max(nxt - t, 1e-9)
