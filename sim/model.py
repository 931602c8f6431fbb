"""Assemble one replication of the island model and run it.

``simulate(scenario, policy, experiment, replication)`` is the entry point of the whole simulation:
validated objects in, a :class:`SimResult` of tidy tables out. Nothing here reads files, prints, or
knows about Hydra. :class:`IslandModel` is only wiring: it builds the shared pieces (a
:class:`~sim.context.SimContext`), the modules, and the table of which module takes the arrivals of
each (island, condition); the arrival process creates one :class:`~sim.patient.Patient` per arrival.
"""

from __future__ import annotations

import gc
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from scenarios.experiment import Experiment
from scenarios.model import Scenario
from scenarios.policy import Policy
from scenarios.units import ALL, ARREST, DAY
from sim.arrest import ArrestModule
from sim.calendar import Calendar
from sim.circuit import CircuitModule
from sim.clock import advance
from sim.context import SimContext
from sim.demand import Demand
from sim.eldercare import ElderCareModule
from sim.facilities import DoctorPool, Ward
from sim.no_clinic import NoClinicRouter
from sim.pathways import Pathways
from sim.patient import NOT_COUNTED, Patient
from sim.splits import Onset
from sim.stats import Stats
from sim.streams import Streams
from sim.transport import Transport
from sim.weather import SEA_STATES, Weather

KPI_COLUMNS = ["replication", "island", "condition", "metric", "value"]
DAILY_COLUMNS = ["replication", "day", "island", "series", "value"]
MONTHLY_COLUMNS = ["replication", "month", "island", "condition", "metric", "value"]
SEA_STATE_COLUMNS = ["replication", "sea_state", "island", "condition", "metric", "value"]
EVENT_COLUMNS = ["replication", "time_min", "patient", "event", "place"]


@dataclass(frozen=True)
class SimResult:
    """Tidy outputs of one replication (see README, 'Outputs')."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    monthly: pd.DataFrame
    by_sea_state: pd.DataFrame
    events: pd.DataFrame | None = None


class IslandModel:
    """All resources and processes of one replication."""

    def __init__(self, scenario: Scenario, policy: Policy, experiment: Experiment, replication: int):
        self.s, self.exp, self.replication = scenario, experiment, replication
        env = simpy.Environment()
        streams = Streams(experiment.seed, replication)
        calendar = Calendar(scenario)
        weather = Weather(env, scenario, calendar, streams("weather"), scenario.weather_mode)
        self.stats = stats = Stats(scenario.island_ids, scenario.condition_ids,
                                   tuple(c.target_min for c in scenario.conditions),
                                   Onset(calendar, weather))
        stats.consulting([c for c, cond in enumerate(scenario.conditions) if not cond.urgent])
        self.events: list[tuple[float, int, str, str]] | None = [] if experiment.event_log else None
        log = self._log if self.events is not None else None
        pools, wards = self._facilities(env, scenario, policy, stats)
        transport = Transport(scenario, policy, weather, stats, log, streams)
        self.ctx = SimContext(env, scenario, policy, experiment, calendar, streams, stats, weather, transport,
                              pools, wards, log, self.spawn)
        self.pathways = Pathways(self.ctx)
        arrest = ArrestModule(self.ctx, self.pathways) if ARREST in scenario.condition_ids else None
        # in the order in which they claim arrivals; the core pathways last
        self.modules = [m for m in (arrest, CircuitModule(self.ctx, self.pathways), ElderCareModule(self.ctx),
                                    self.pathways) if m is not None]
        no_clinic = NoClinicRouter(self.ctx, self.pathways)  # routine care on islands without a doctor
        self.handlers = [[no_clinic.route(i, c, self._handler(i, c)) for c in range(len(scenario.conditions))]
                         for i in range(len(scenario.islands))]
        self.demand = Demand(scenario, streams, calendar)
        self.next_id = itertools.count(1).__next__  # patient ids, in order of creation (arrivals and spawn)

    def _facilities(self, env, scenario: Scenario, policy: Policy, stats: Stats):
        pools: dict[str, DoctorPool] = {}
        wards: dict[str, Ward] = {}
        for f in scenario.facilities:
            n = policy.doctors[f.id]
            if n > 0:
                lv = stats.level("doctor_utilization", f.island, n)
                pools[f.id] = DoctorPool(env, n, policy.night_doctors[f.id], f.opens_min, f.closes_min, lv)
            beds = policy.hospital_beds[f.id]
            if beds > 0:
                lv = stats.level("bed_occupancy", f.island, beds)
                stats.declare(f.island, ALL, "bed_blocked_count")
                wards[f.id] = Ward(env, beds, policy.bed_full_rule == "board", lv, self._blocked_counter(f.island))
        return pools, wards

    def _handler(self, i: int, c: int):
        for m in self.modules:
            if m.takes(i, c):
                return m.handler(i, c) if hasattr(m, "handler") else m.handle
        # no pathway for this demand (routine care on an island with no doctor, boat or visit)
        self.stats.declare(self.stats.islands[i], self.stats.conditions[c], "unserved")
        island, condition, stats, unserved = self.stats.islands[i], self.stats.conditions[c], self.stats, \
            self.pathways.unserved

        def no_pathway(pt: Patient) -> None:
            if pt.counted:
                stats.count(island, condition, "unserved")
            unserved(pt)

        return no_pathway

    def spawn(self, island: int, condition: int, service_min: float, stay_min: float,
              uniforms: tuple[float, float, float, float]) -> Patient:
        """A patient created now by a module (an escalated backlog case): counted like an arrival."""
        now = self.ctx.env.now
        ps = self.stats.patients[island][condition] if now >= self.exp.warmup_min else NOT_COUNTED
        pt = Patient(self.next_id(), island, condition, (service_min, stay_min, *uniforms), ps, now)
        pt.stats.record_arrival(now)
        self.handlers[island][condition](pt)
        return pt

    def _blocked_counter(self, island: str):
        stats = self.stats

        def blocked() -> None:
            stats.count(island, ALL, "bed_blocked_count")

        return blocked

    def _log(self, t: float, pid: int, event: str, place: str) -> None:
        self.events.append((t, pid, event, place))

    def _sync_pools(self) -> None:
        """Doctors whose consultations have ended are freed lazily; do it before reading levels."""
        for pool in self.ctx.pools.values():
            pool.settle()

    # --- processes ------------------------------------------------------------------------------------
    def _arrivals(self):
        """One Patient per arrival, handed to the module that takes its (island, condition).

        Between two arrivals the clock is moved straight to the next one when no other event is due
        before it (``sim.clock.advance``): the same order of events as a timeout per arrival, without
        the cost of half a million SimPy events a year. A month's arrivals are counted when drawn."""
        env, horizon, warmup, next_id = self.ctx.env, self.exp.horizon_min, self.exp.warmup_min, self.next_id
        n_cond = len(self.s.conditions)
        handlers = [h for row in self.handlers for h in row]  # by island * n_cond + condition
        stats = [ps for row in self.stats.patients for ps in row]
        month = 0
        while Calendar.month_start(month) < horizon:
            b = self.demand.month(month)
            n = int(np.searchsorted(b.time, horizon))  # the month's arrivals before the horizon
            first = int(np.searchsorted(b.time[:n], warmup))  # the first one after the warm-up
            which = b.island[:n] * n_cond + b.condition[:n]
            for k, count in zip(*np.unique(which[first:], return_counts=True), strict=True):
                stats[k].record_arrivals(int(count), month)
            counted_which, counted_times = which[first:], b.time[first:n]
            which = which.tolist()
            # per patient, list by list (faster than in the loop): handler, statistics, draws
            handler = [handlers[k] for k in which]
            recorder = [NOT_COUNTED] * first + [stats[k] for k in which[first:]]
            draws = list(zip(b.service_min[:n].tolist(), b.los_min[:n].tolist(),
                             *(b.u[:n, k].tolist() for k in range(b.u.shape[1])), strict=True))
            for t, i, c, h, ps, d in zip(b.time[:n].tolist(), b.island[:n].tolist(), b.condition[:n].tolist(),
                                         handler, recorder, draws, strict=True):
                if not advance(env, t):  # t >= now: the arrivals are sorted
                    yield env.timeout(t - env.now)
                h(Patient(next_id(), i, c, d, ps, t))
            # the month's arrivals have happened: their sea states at onset are known now
            sea = self.ctx.weather.sea_states_at(counted_times)
            for key, count in zip(*np.unique(counted_which * len(SEA_STATES) + sea, return_counts=True), strict=True):
                k, state = divmod(int(key), len(SEA_STATES))
                stats[k].splits.arrivals_by_sea(state, int(count))
            month += 1

    def _warmup(self):
        yield self.ctx.env.timeout(self.exp.warmup_min)
        self._sync_pools()
        self.stats.start(self.ctx.env.now)

    def _daily(self):
        """Daily series: mean occupied beds and busy doctors per island."""
        env, stats = self.ctx.env, self.stats
        day = 0
        while True:
            yield env.timeout(DAY)
            self._sync_pools()
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
        env, w, stats, cal = self.ctx.env, self.ctx.weather, self.stats, self.ctx.calendar
        modes = [m for m in self.s.modes if m != "helicopter"]
        areas = tuple(self.s.weather_areas)
        last = env.now
        while True:
            closed = [(a, m) for a in areas for m in modes if not w.is_open(m, (a,))]
            month, sea_state = cal.month_number(env.now), w.sea_state
            to_month_end = cal.month_start(month + 1) - env.now
            yield w.changed | env.timeout(to_month_end)
            stats.attribute_immediate(month, sea_state)  # consultations started on arrival meanwhile
            start = max(last, self.exp.warmup_min)
            if env.now > start:
                for a, m in closed:
                    stats.add_monthly(month, a, f"closed_hours_{m}", (env.now - start) / 60.0)
            last = env.now

    def run(self) -> SimResult:
        env = self.ctx.env
        env.process(self._warmup()) if self.exp.warmup_min > 0 else self.stats.start(0.0)
        env.process(self._arrivals())
        env.process(self._daily())
        env.process(self._sea())
        for m in self.modules:
            m.start()
        env.run(until=self.exp.horizon_min)
        self._sync_pools()
        self.stats.attribute_immediate(self.ctx.calendar.month_number(env.now - 1e-9), self.ctx.weather.sea_state)
        self.ctx.transport.watch.settle()
        return self._result()

    def _result(self) -> SimResult:
        r, stats, t_end = self.replication, self.stats, self.exp.horizon_min
        rows = stats.kpi_rows(t_end)
        for m in self.modules:
            rows += m.kpi_rows(t_end)
        kpis = pd.DataFrame([(r, *row) for row in rows], columns=KPI_COLUMNS)
        daily = _daily_frame(r, stats.daily)
        month_rows, sea_rows = stats.split_rows()
        monthly = pd.DataFrame([(r, m, i, ALL, k, v) for (m, i, k), v in sorted(stats.monthly.items())]
                               + [(r, *row) for row in month_rows], columns=MONTHLY_COLUMNS)
        monthly = monthly.sort_values(["month", "island", "condition", "metric"], kind="stable", ignore_index=True)
        by_sea = pd.DataFrame([(r, *row) for row in sea_rows], columns=SEA_STATE_COLUMNS)
        events = None
        if self.events is not None:
            events = pd.DataFrame([(r, *e) for e in self.events], columns=EVENT_COLUMNS)
        return SimResult(kpis, daily, monthly, by_sea, events)


def simulate(scenario: Scenario, policy: Policy, experiment: Experiment, replication: int = 0) -> SimResult:
    """Run one replication; the same arguments always give the same result.

    Python's cyclic garbage collector is paused while the model runs: a run creates no reference
    cycles (``tests/validation/test_sim_memory.py`` checks it), so reference counting frees
    everything the collector could, and its passes over the model's long-lived objects cost about a
    quarter of a Shengsi year's time. It is switched back on (if it was on) when the run ends.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return IslandModel(scenario, policy, experiment, replication).run()
    finally:
        if collecting:
            gc.enable()


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
