"""sim.weather: the sea-state process (long-run shares = the monthly climatology), areas, modes, fog."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import simpy
from sim_fixtures import month_table, synthetic

from experiments.summary import t_interval
from scenarios.model import ModeLimits
from sim.calendar import YEAR, Calendar
from sim.streams import Streams
from sim.weather import STATES, Weather

# Hours per day in each state, the same share in every month (scaled by the month's length).
PER_DAY = {"f6": 2.0, "f7": 1.5, "f8": 1.0, "f9": 0.5, "fog": 1.0}


def _scenario(**months):
    s = synthetic("mmc")
    modes = {
        "ferry": ModeLimits("ferry", 9, 500.0), "small_ferry": ModeLimits("small_ferry", 8, 500.0),
        "fast_boat": ModeLimits("fast_boat", 7, 500.0), "ambulance_boat": ModeLimits("ambulance_boat", 8, 500.0),
        "helicopter": ModeLimits("helicopter", 8, 1500.0),
    }
    return dataclasses.replace(s, months=month_table(**months), modes=modes,
                               weather_areas={"west": 0, "east": 1})


def _shares(scenario, seed: int, replication: int, years: float) -> dict[str, float]:
    env = simpy.Environment()
    w = Weather(env, scenario, Calendar(scenario), Streams(seed, replication)("weather"), "climate")
    env.run(until=years * YEAR)
    return w.shares()


def test_long_run_shares_match_the_monthly_hours():
    s = _scenario(hours_by_force=tuple(PER_DAY[k] for k in ("f6", "f7", "f8", "f9")), fog_hours=PER_DAY["fog"],
                  wind_episode_hours=24.0, fog_episode_hours=5.0, per_day=True)
    reps = [_shares(s, 1, r, years=15) for r in range(16)]
    expected = {k: h / 24.0 for k, h in PER_DAY.items()}
    expected["calm"] = 1 - sum(expected.values())
    # A family of six intervals: Bonferroni, so that all six hold together with 95% confidence.
    level = 1 - 0.05 / len(STATES)
    for state in STATES:
        mean, low, high, _ = t_interval(np.array([r[state] for r in reps]), level)
        assert low <= expected[state] <= high, (state, expected[state], mean, low, high)
        assert (high - low) / 2 < 0.1 * expected[state], (state, low, high)  # narrow enough to mean something


def test_shares_follow_the_month():
    """Gales only in January: the share of force 9+ is January's hours over the year."""
    s = _scenario()
    months = list(s.months)
    months[0] = dataclasses.replace(months[0], hours_by_force=(0.0, 0.0, 0.0, 124.0), wind_episode_hours=12.0)
    s = dataclasses.replace(s, months=tuple(months))
    shares = [_shares(s, 2, r, years=10)["f9"] for r in range(8)]
    mean, low, high, _ = t_interval(np.array(shares))
    assert low <= 124.0 / 8760 <= high, (mean, low, high)


def test_calm_and_closed_modes():
    s = _scenario(hours_by_force=(100.0, 100.0, 100.0, 100.0))
    env = simpy.Environment()
    calm = Weather(env, s, Calendar(s), None, "calm")
    closed = Weather(env, s, Calendar(s), None, "closed")
    env.run(until=YEAR)
    assert calm.shares()["calm"] == 1.0
    for mode in s.modes:
        assert calm.is_open(mode, ("west", "east"))
        assert not closed.is_open(mode, ("west",))
    with pytest.raises(ValueError):
        Weather(env, s, Calendar(s), None, "stormy")


def test_modes_by_force_area_offset_and_fog():
    s = _scenario()
    env = simpy.Environment()
    w = Weather(env, s, Calendar(s), None, "calm")
    w.set_state("f8", 8, 10_000.0)
    assert w.wind_in("west") == 8 and w.wind_in("east") == 9
    assert w.is_open("ferry", ("west",))  # stops at force 9
    assert not w.is_open("ferry", ("east",))  # force 9 there
    assert not w.is_open("ferry", ("west", "east"))  # a crossing is open only if every area it touches is
    assert not w.is_open("small_ferry", ("west",)) and not w.is_open("fast_boat", ("west",))
    w.set_state("fog", 4, 200.0)
    assert not any(w.is_open(m, ("west",)) for m in s.modes)  # fog below every mode's visibility
    w.set_state("fog", 4, 1000.0)
    assert w.is_open("ferry", ("west",)) and not w.is_open("helicopter", ("west",))


def test_wait_open_returns_when_the_sea_opens_and_changed_fires():
    s = _scenario()
    env = simpy.Environment()
    w = Weather(env, s, Calendar(s), None, "calm")
    w.set_state("f9", 9, 10_000.0)
    opened, changes = [], []

    def patient():
        yield from w.wait_open("ferry", ("west",))
        opened.append(env.now)

    def watcher():
        while True:
            yield w.changed
            changes.append((env.now, w.state))

    def storm():
        yield env.timeout(30)
        w.set_state("f8", 8, 10_000.0)  # still closed in the east, open in the west
        yield env.timeout(30)
        w.set_state("calm", 4, 10_000.0)

    env.process(patient())
    env.process(watcher())
    env.process(storm())
    env.run(until=100)
    assert opened == [30]
    assert changes == [(30, "f8"), (60, "calm")]
