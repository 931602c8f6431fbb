"""Units and fixed names shared by the scenario records, the simulation, the optimiser and the report.

One definition of each: model time is in minutes from 1 January, 00:00, of a 365-day year; speeds
in knots are converted with :data:`KNOT_KMH`; ``"all"`` is the aggregate row of every tidy table.
"""

from __future__ import annotations

MINUTES_PER_DAY = 1440
DAYS_PER_YEAR = 365
DAY = float(MINUTES_PER_DAY)  # minutes
YEAR = DAYS_PER_YEAR * DAY  # minutes
MONTH_DAYS: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # a common year
KNOT_KMH = 1.852

ALL = "all"  # island or condition of an aggregate row
ARREST = "cardiac_arrest"  # the condition the cardiac-arrest module handles
CHRONIC_FOLLOWUP = "chronic_followup"  # the condition whose follow-up window the circuit metrics judge
