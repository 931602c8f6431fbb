"""The program's elements: decision sites and the pieces of each outcome.

A :class:`Piece` is one part of an outcome (per year, in the outcome's unit) as a concave benefit
curve of a resource level: the sum of some sites' levels (``level="sum"``), a care home's usable
beds (``"usable"``: beds and converted beds capped by carers) or a facility's hospital beds left
after conversion (``"beds_left"``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from optimize.curves import Curve


@dataclass(frozen=True)
class Site:
    """One decision: a resource at a site, today's level, bounds and unit costs (yuan, yuan/year)."""

    resource: str  # doctors | aeds | boats | care_beds | carers | circuit_visits | beds_converted
    site: str
    island: str
    today: int
    low: int
    high: int
    capital: float  # per unit added
    operating: float  # per unit and year (a removed unit saves it)

    @property
    def key(self) -> str:
        return f"{self.resource}__{self.site}"


@dataclass(frozen=True)
class Piece:
    """Part of ``outcome``: ``curve`` (exact values at whole levels) of the level of ``sites``."""

    outcome: str
    label: str  # site or group label (unique within the outcome)
    kind: str  # the resource kind it depends on: aeds | doctors | boats | care | beds_converted
    curve: Curve
    sites: tuple[str, ...]  # site keys (for "usable": the home's care-bed key; "beds_left": conversion key)
    level: str = "sum"  # sum | usable | beds_left


@dataclass(frozen=True)
class CircuitIsland:
    """An island circuit teams may visit (visited today, or inhabited without a resident doctor)."""

    island: str
    team: str
    team_size: int
    days_per_visit: int
    no_doctor: bool  # inhabited and no resident doctor today: the visits serve its routine need
    demand: float  # routine patients per year cared for in the county once a doctor lives there (0 unless ``no_doctor``)
    per_visit: float  # consultations one visit a month gives per year (12 x days x patients_per_day)
    waiting: float = math.inf  # routine patients per year who wait for the visit (without a doctor)
    without_visit: float = 0.0  # routine patients per year cared for in the county without the visit

    def value(self, visits: float, doctors: float) -> float:
        """Routine patients per year cared for in the county at these visits a month and resident doctors."""
        served = min(self.per_visit * visits, self.waiting) + self.without_visit
        return min(self.demand, served + self.demand * doctors)


@dataclass(frozen=True)
class Correction:
    """Calibration of one outcome: the program's modelled change against today is multiplied by
    ``scale``, ``offset`` is added to its level (today's level as the simulation measures it), and
    ``slopes`` adds a linear term per unit of a resource's county-total change against today
    (resource -> outcome units per unit: an effect the simulation measures that no curve models)."""

    scale: float = 1.0
    offset: float = 0.0
    slopes: tuple[tuple[str, float], ...] = ()
