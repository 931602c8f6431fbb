"""Assemble one replication of the island model and run it.

``simulate(scenario, policy, experiment, replication)`` is the entry point of the whole simulation:
validated objects in, a :class:`SimResult` of tidy tables out. Nothing here reads files, prints, or
knows about Hydra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from scenarios.experiment import Experiment
from scenarios.model import Scenario
from scenarios.policy import Policy
from sim.arrest import ARREST, ArrestModule
from sim.calendar import DAY, Calendar
from sim.circuit import CircuitModule
from sim.demand import Demand
from sim.eldercare import ElderCareModule
from sim.facilities import DoctorPool, Ward
from sim.pathways import Pathways
from sim.stats import ALL, Stats
from sim.streams import Streams
from sim.transport import Transport
from sim.weather import Weather

KPI_COLUMNS = ["replication", "island", "condition", "metric", "value"]
DAILY_COLUMNS = ["replication", "day", "island", "series", "value"]
MONTHLY_COLUMNS = ["replication", "month", "island", "metric", "value"]
EVENT_COLUMNS = ["replication", "time_min", "patient", "event", "place"]


@dataclass(frozen=True)
class SimResult:
    """Tidy outputs of one replication (see README, 'Outputs')."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    monthly: pd.DataFrame
    events: pd.DataFrame | None = None


class IslandModel:
    """All resources and processes of one replication."""

    def __init__(self, scenario: Scenario, policy: Policy, experiment: Experiment, replication: int):
        self.s, self.policy, self.exp, self.replication = scenario, policy, experiment, replication
        self.env = env = simpy.Environment()
        self.streams = Streams(experiment.seed, replication)
        self.calendar = Calendar(scenario)
        self.stats = Stats(scenario.island_ids, scenario.condition_ids,
                           tuple(c.target_min for c in scenario.conditions))
        self.events: list[tuple[float, int, str, str]] | None = [] if experiment.event_log else None
        log = self._log if self.events is not None else None
        self.weather = Weather(env, scenario, self.calendar, self.streams("weather"), scenario.weather_mode)
        self.pools: dict[str, DoctorPool] = {}
        self.wards: dict[str, Ward] = {}
        for f in scenario.facilities:
            n = policy.doctors[f.id]
            if n > 0:
                lv = self.stats.level("doctor_utilization", f.island, n)
                self.pools[f.id] = DoctorPool(env, n, policy.night_doctors[f.id], f.opens_min, f.closes_min, lv)
            beds = policy.hospital_beds[f.id]
            if beds > 0:
                lv = self.stats.level("bed_occupancy", f.island, beds)
                self.stats.declare(f.island, ALL, "bed_blocked_count")
                self.wards[f.id] = Ward(env, beds, policy.bed_full_rule == "board", lv,
                                        self._blocked_counter(f.island))
        self.transport = Transport(env, scenario, policy, self.weather, self.calendar, self.stats, log)
        self.pathways = Pathways(env, scenario, policy, self.stats, self.pools, self.wards, self.transport,
                                 self.calendar, log)
        self.modules = []  # processes beyond the core pathways; each has start() and kpi_rows(t_end)
        self.arrest = ArrestModule(self) if ARREST in scenario.condition_ids else None
        self.circuit = CircuitModule(self)
        self.care = ElderCareModule(self)
        self.modules = [m for m in (self.arrest, self.circuit, self.care) if m is not None]
        n_i, n_c = len(scenario.islands), len(scenario.conditions)
        self.handlers = [[self._handler(i, c) for c in range(n_c)] for i in range(n_i)]
        for i in range(n_i):
            for c in range(n_c):
                if self.handlers[i][c] is None:
                    self.stats.declare(self.stats.islands[i], self.stats.conditions[c], "unserved")
        self.demand = Demand(scenario, self.streams, self.calendar)
        self.unhandled = 0
        self.pid = 0

    def _handler(self, i: int, c: int):
        if self.arrest is not None and c == self.arrest.c:
            return self.arrest.handle
        if self.circuit.takes(i, c):
            return self.circuit.handle
        return self.pathways.handler(i, c)

    def new_patient(self, i: int, c: int, service: float, los: float, u) -> None:
        """A patient created by a module (an escalated backlog case): counted like an arrival."""
        self.pid += 1
        counted = self.env.now >= self.exp.warmup_min
        if counted:
            self.stats.patients[i][c].arrivals += 1
            self.stats.active[self.pid] = (i, c)
        self._dispatch(self.pid, i, c, service, los, u, counted)

    def _dispatch(self, pid: int, i: int, c: int, service: float, los: float, u, counted: bool) -> None:
        h = self.handlers[i][c]
        if h is None:  # no pathway for this demand (routine care on an island with no doctor, boat or visit)
            self.unhandled += 1
            if counted:
                self.stats.count(self.stats.islands[i], self.stats.conditions[c], "unserved")
            h = self.pathways.unserved
        h(pid, i, c, service, los, u, counted)

    def _blocked_counter(self, island: str):
        stats = self.stats

        def blocked() -> None:
            stats.count(island, ALL, "bed_blocked_count")

        return blocked

    def _log(self, t: float, pid: int, event: str, place: str) -> None:
        self.events.append((t, pid, event, place))

    # --- processes ------------------------------------------------------------------------------------
    def _arrivals(self):
        env, stats, handlers = self.env, self.stats, self.handlers
        horizon, warmup = self.exp.horizon_min, self.exp.warmup_min
        month = 0
        while self.calendar.month_start(month) < horizon:
            b = self.demand.month(month)
            times, isl, cond = b.time.tolist(), b.island.tolist(), b.condition.tolist()
            service, los, u = b.service_min.tolist(), b.los_min.tolist(), b.u.tolist()
            for k, t in enumerate(times):
                if t >= horizon:
                    return
                if t > env.now:
                    yield env.timeout(t - env.now)
                self.pid += 1
                pid = self.pid
                i, c = isl[k], cond[k]
                counted = t >= warmup
                if counted:
                    stats.patients[i][c].arrivals += 1
                    stats.active[pid] = (i, c)
                h = handlers[i][c]
                if h is None:
                    self._dispatch(pid, i, c, service[k], los[k], u[k], counted)
                else:
                    h(pid, i, c, service[k], los[k], u[k], counted)
            month += 1

    def _warmup(self):
        yield self.env.timeout(self.exp.warmup_min)
        self.stats.start(self.env.now)

    def _daily(self):
        """Daily series: mean occupied beds and busy doctors per island."""
        env, stats = self.env, self.stats
        day = 0
        while True:
            yield env.timeout(DAY)
            if env.now <= self.exp.warmup_min:
                for by_island in stats.levels.values():
                    for levels in by_island.values():
                        for lv in levels:
                            lv.take_day(env.now)
                day += 1
                continue
            for metric, by_island in stats.levels.items():
                series = metric.removesuffix("_utilization").removesuffix("_occupancy")
                for island, levels in by_island.items():
                    stats.add_daily(day, island, series, sum(lv.take_day(env.now) for lv in levels))
            day += 1

    def _sea(self):
        """Hours per month in which each vessel mode is stopped in each weather area (for reports).

        Accumulated at each change of the sea state and at each month's end, not by sampling."""
        env, w, stats, cal = self.env, self.weather, self.stats, self.calendar
        modes = [m for m in self.s.modes if m != "helicopter"]
        areas = tuple(self.s.weather_areas)
        last = env.now
        while True:
            closed = [(a, m) for a in areas for m in modes if not w.is_open(m, (a,))]
            month = cal.month_number(env.now)
            to_month_end = cal.month_start(month + 1) - env.now
            yield w.changed | env.timeout(to_month_end)
            start = max(last, self.exp.warmup_min)
            if env.now > start:
                for a, m in closed:
                    stats.add_monthly(month, a, f"closed_hours_{m}", (env.now - start) / 60.0)
            last = env.now

    def run(self) -> SimResult:
        env = self.env
        env.process(self._warmup()) if self.exp.warmup_min > 0 else self.stats.start(0.0)
        env.process(self._arrivals())
        env.process(self._daily())
        env.process(self._sea())
        for m in self.modules:
            m.start()
        env.run(until=self.exp.horizon_min)
        self.transport.watch.settle()
        return self._result()

    def _result(self) -> SimResult:
        r, stats, t_end = self.replication, self.stats, self.exp.horizon_min
        self._settle_waiting()
        rows = stats.kpi_rows(t_end)
        for m in self.modules:
            rows += m.kpi_rows(t_end)
        kpis = pd.DataFrame([(r, *row) for row in rows], columns=KPI_COLUMNS)
        daily = _daily_frame(r, stats.daily)
        monthly = pd.DataFrame([(r, m, i, k, v) for (m, i, k), v in sorted(stats.monthly.items())],
                               columns=MONTHLY_COLUMNS)
        events = None
        if self.events is not None:
            events = pd.DataFrame([(r, *e) for e in self.events], columns=EVENT_COLUMNS)
        return SimResult(kpis, daily, monthly, events)

    def _settle_waiting(self) -> None:
        """Patients still waiting for a transfer at the end count their weather delay so far."""
        for case in self.transport.watch.waiting.values():
            key = self.stats.active.get(case.pid)
            if key is None or not case.emergency:
                continue
            ps = self.stats.patients[key[0]][key[1]]
            ps.transferred += 1
            ps.weather_sum += case.weather_min


def simulate(scenario: Scenario, policy: Policy, experiment: Experiment, replication: int = 0) -> SimResult:
    """Run one replication; the same arguments always give the same result."""
    return IslandModel(scenario, policy, experiment, replication).run()


def _daily_frame(replication: int, daily: dict) -> pd.DataFrame:
    """The daily series as a long table: day by day, series in the order they were registered."""
    if not daily:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            DAILY_COLUMNS, ("int64", "int64", "str", "str", "float64"), strict=True)})
    keys = list(daily)
    days = np.concatenate([np.arange(first, first + len(v)) for first, v in daily.values()])
    which = np.concatenate([np.full(len(v), k) for k, (_, v) in enumerate(daily.values())])
    values = np.concatenate([np.frombuffer(v, dtype=np.float64) for _, v in daily.values()])
    order = np.lexsort((which, days))
    which = which[order]
    return pd.DataFrame({"replication": np.full(len(order), replication, dtype=np.int64), "day": days[order],
                         "island": pd.array([k[0] for k in keys], dtype="str")[which],
                         "series": pd.array([k[1] for k in keys], dtype="str")[which], "value": values[order]})
