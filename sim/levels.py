"""Time-weighted levels: busy doctors, occupied beds, boats on a mission, care residents, backlogs.

A :class:`Level` integrates its value (and its capacity) over time, from the end of the warm-up, and
keeps the area of the current day for the daily series. Changes must come in time order.
"""

from __future__ import annotations


class Level:
    """A time-weighted level (busy doctors, occupied beds, ...) with its capacity."""

    __slots__ = ("level", "capacity", "last", "area", "cap_area", "day_area", "counting")

    def __init__(self, capacity: float = 0.0) -> None:
        self.level = 0.0
        self.capacity = float(capacity)
        self.last = 0.0
        self.area = self.cap_area = self.day_area = 0.0
        self.counting = False

    def set(self, t: float, level: float | None = None, capacity: float | None = None) -> None:
        dt = t - self.last
        if dt > 0:
            self.day_area += self.level * dt
            if self.counting:
                self.area += self.level * dt
                self.cap_area += self.capacity * dt
            self.last = t
        if level is not None:
            self.level = level
        if capacity is not None:
            self.capacity = capacity

    def move(self, t: float, level: float) -> None:
        """``set(t, level)`` for the hot paths (a doctor taken or freed): no optional arguments."""
        dt = t - self.last
        if dt > 0:
            level_dt = self.level * dt
            self.day_area += level_dt
            if self.counting:
                self.area += level_dt
                self.cap_area += self.capacity * dt
            self.last = t
        self.level = level

    def start(self, t: float) -> None:
        self.set(t)
        self.counting = True
        self.area = self.cap_area = 0.0

    def take_day(self, t: float) -> float:
        """Mean level since the previous call (for daily series)."""
        self.set(t)
        area, self.day_area = self.day_area, 0.0
        return area / 1440.0
