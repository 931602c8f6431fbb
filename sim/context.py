"""What every module of one replication sees: a small context, and the protocol a module follows.

A module (the core care pathways, cardiac arrest, circuit teams, elderly care) gets the
:class:`SimContext` and asks its questions through small functions of the objects in it
(``ctx.weather.is_open(...)``, ``ctx.transport.boat_arrival_min(...)``, ``pathways.local_doctor_on_duty(i)``),
never by reaching into another module's state. ``sim.model`` builds the context, the modules and
the table of which module takes which (island, condition), and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import simpy

from scenarios.experiment import Experiment
from scenarios.model import Scenario
from scenarios.policy import Policy
from sim.calendar import Calendar
from sim.facilities import DoctorPool, Ward
from sim.patient import Patient
from sim.stats import Stats
from sim.streams import Streams
from sim.transport import Transport
from sim.weather import Weather

Row = tuple[str, str, str, float]  # (island, condition, metric, value)


@dataclass(frozen=True, eq=False)
class SimContext:
    """The shared pieces of one replication (each owns its own state)."""

    env: simpy.Environment
    scenario: Scenario
    policy: Policy
    experiment: Experiment
    calendar: Calendar
    streams: Streams
    stats: Stats
    weather: Weather
    transport: Transport
    pools: dict[str, DoctorPool]  # facility id -> doctors (staffed facilities only)
    wards: dict[str, Ward]  # facility id -> beds (facilities with beds only)
    log: Callable[[float, int, str, str], None] | None  # (time, patient id, event, place), if logging
    spawn: Callable[[int, int, float, float, tuple[float, float, float, float]], Patient]
    # spawn(island, condition, service_min, stay_min, uniforms): a new patient created now by a module
    # (an escalated backlog case), counted like an arrival and dispatched to the module that takes it

    def event(self, patient: Patient, event: str, place: str) -> None:
        """Write one line of the event log (when the experiment keeps one)."""
        if self.log is not None:
            self.log(self.env.now, patient.id, event, place)


class Module(Protocol):
    """A piece of the model: which patients it takes, what it does with them, its metrics."""

    def takes(self, island: int, condition: int) -> bool:
        """Does this module handle arrivals of ``condition`` on ``island``?"""
        ...

    def handle(self, patient: Patient) -> None:
        """A patient arrives now."""
        ...

    # Optional: ``handler(island, condition)`` returning the function that takes those arrivals
    # (``handle`` without a per-patient lookup); ``sim.model`` uses it when a module has one.

    def start(self) -> None:
        """Start the module's own processes (at time 0)."""
        ...

    def kpi_rows(self, t_end: float) -> list[Row]:
        """The module's metrics at the end of the run."""
        ...
