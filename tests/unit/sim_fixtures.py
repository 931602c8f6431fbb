"""Small hand-made scenarios and objects for the unit tests of ``sim/`` (one module per test file).

The scenarios start from a synthetic case (``scenarios.synthetic``) and replace the parts a test
needs, so that every number a test checks can be worked out by hand.
"""

from __future__ import annotations

import dataclasses

import simpy

from islandcare.config import ScenarioConfig
from scenarios.model import Island, Scenario, SeaLink, WeatherMonth
from scenarios.policy import resolve_policy
from scenarios.synthetic import build_synthetic
from sim.calendar import Calendar
from sim.stats import Stats
from sim.transport import Transport
from sim.weather import Weather

ALL_MONTHS = frozenset(range(1, 13))


def synthetic(kind: str, **settings) -> Scenario:
    cfg = dataclasses.asdict(ScenarioConfig())
    cfg.update(name=kind, kind=kind, **settings)
    return build_synthetic(cfg)


def hhmm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def link(lid: str, origin: str, dest: str, mode: str, crossing: float, departures=(), months=ALL_MONTHS,
         capacity: int = 10**6) -> SeaLink:
    deps = tuple(sorted(hhmm(d) if isinstance(d, str) else int(d) for d in departures))
    return SeaLink(lid, origin, dest, mode, float(crossing), deps, frozenset(months), capacity)


def island(template: Island, iid: str, lat: float, lon: float, area: str = "sea") -> Island:
    return dataclasses.replace(template, id=iid, name_zh=iid, name_en=iid.title(), lat=lat, lon=lon,
                               weather_area=area, resident_doctor=False)


def archipelago(links, extra_islands=(), params=None, months=None, boats: int = 0) -> Scenario:
    """The synthetic ferry case (islands ``outer`` and ``hub``, clinic on ``hub``) with other links,
    more islands (``(id, lat, lon)``), parameters, months or boats at the base ``outer``."""
    s = synthetic("ferry", headway_min=60.0, arrival_rate_per_hour=1.0)
    islands = list(s.islands) + [island(s.islands[0], *spec) for spec in extra_islands]
    p = s.parameters.with_values(params or {})
    base = dataclasses.replace(s.boat_bases[0], base="outer", boats=boats)
    return dataclasses.replace(s, islands=tuple(islands), links=tuple(links), parameters=p,
                               months=tuple(months or s.months), boat_bases=(base,))


def month_table(hours_by_force=(0.0, 0.0, 0.0, 0.0), fog_hours=0.0, wind_episode_hours=24.0,
                fog_episode_hours=4.0, sunrise="06:00", sunset="18:00", per_day: bool = False) -> tuple:
    """Twelve months. With ``per_day`` the hours are per day, scaled by each month's length, so that
    every month has the same shares of time in each state."""
    from sim.calendar import MONTH_DAYS

    out = []
    for m in range(1, 13):
        k = MONTH_DAYS[m - 1] if per_day else 1
        out.append(WeatherMonth(month=m, hours_by_force=tuple(h * k for h in hours_by_force),
                                wind_episode_hours=wind_episode_hours, fog_hours=fog_hours * k,
                                fog_episode_hours=fog_episode_hours, fog_visibility_m=200.0,
                                sunrise_min=hhmm(sunrise), sunset_min=hhmm(sunset), tourist_factor=0.0,
                                incidence_factor=1.0))
    return tuple(out)


@dataclasses.dataclass
class World:
    """One environment with the transport layer of a scenario (weather steered by the test)."""

    env: simpy.Environment
    scenario: Scenario
    weather: Weather
    transport: Transport
    calendar: Calendar
    events: list

    def close_sea(self) -> None:
        self.weather.set_state("f9", 12, 10_000.0)

    def open_sea(self) -> None:
        self.weather.set_state("calm", 4, 10_000.0)

    def at(self, t: float, action) -> None:
        def proc():
            yield self.env.timeout(t - self.env.now)
            action()

        self.env.process(proc())


def world(scenario: Scenario, policy: dict | None = None, weather: str = "calm") -> World:
    env = simpy.Environment()
    cal = Calendar(scenario)
    pol = resolve_policy(scenario, policy or {})
    w = Weather(env, scenario, cal, None, weather)
    stats = Stats(scenario.island_ids, scenario.condition_ids, tuple(c.target_min for c in scenario.conditions))
    events: list = []
    tr = Transport(scenario, pol, w, stats, lambda t, pid, ev, place: events.append((t, pid, ev, place)))
    return World(env, scenario, w, tr, cal, events)
