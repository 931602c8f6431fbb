"""The league table: what each kind of intervention costs and buys, one step at a time from today.

Options (each against today's levels, all else equal): one more ambulance boat at a base,
``league.aed_step`` more AEDs on an island, one more doctor at a facility, one more circuit visit a
month to an island, ``league.care_bed_step`` more care beds at a home with the carers they need,
``league.convert_step`` hospital beds converted to care beds (where conversion is allowed). A site
already at its limit (``optimizer.limits``) offers what is left, or no option.

For every option and outcome: the change per year (the program's exact curves, with any
calibration corrections), the yearly cost (operating cost plus capital spread over
``league.capital_life_years`` years, straight line, undiscounted) and the cost per unit of outcome
(yuan per extra survivor, per extra patient within target, ...), ranked within each outcome
(1 = cheapest per unit; options that buy none of it are not ranked).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimize.data import ProgramData
from optimize.plan import outcome_values, plan_costs, today_levels, usable_beds
from optimize.settings import OUTCOMES, WEIGHT_UNITS, OptimizerSettings

COLUMNS = ["option", "kind", "site", "units", "cost_capital", "cost_operating", "cost_per_year", "outcome",
           "unit", "today", "change", "yuan_per_unit", "rank"]


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # boat | aeds | doctor | circuit_visit | care_beds | converted_beds
    site: str
    units: int  # units of the option's main resource
    delta: dict[str, int]  # site key -> units added

    def levels(self, data: ProgramData) -> dict[str, int]:
        out = today_levels(data)
        for k, v in self.delta.items():
            out[k] += v
        return out


def league_options(data: ProgramData, st: OptimizerSettings) -> list[Option]:
    """Every option of the league table (see the module docstring)."""
    step = st.league
    out: list[Option] = []

    def room(resource: str, site: str, n: int) -> int:
        s = data.site(resource, site)
        return max(0, min(n, s.high - s.today))

    for s in data.sites_of("boats"):
        if room("boats", s.site, 1):
            out.append(Option(f"boat_{s.site}", "boat", s.site, 1, {s.key: 1}))
    for s in data.sites_of("aeds"):
        if n := room("aeds", s.site, step["aed_step"]):
            out.append(Option(f"aeds_{s.site}_+{n}", "aeds", s.site, n, {s.key: n}))
    for s in data.sites_of("doctors"):
        if room("doctors", s.site, 1):
            out.append(Option(f"doctor_{s.site}", "doctor", s.site, 1, {s.key: 1}))
    for s in data.sites_of("circuit_visits"):
        if room("circuit_visits", s.site, 1):
            out.append(Option(f"visit_{s.site}", "circuit_visit", s.site, 1, {s.key: 1}))
    today = today_levels(data)
    for s in data.sites_of("care_beds"):
        n = room("care_beds", s.site, step["care_bed_step"])
        if not n:
            continue
        target = usable_beds(data, today, s.site) + n
        carers_needed = max(0, math.ceil(target / data.care_per_carer - 1e-9) - today[f"carers__{s.site}"])
        carers = room("carers", s.site, carers_needed)
        out.append(Option(f"care_beds_{s.site}_+{n}", "care_beds", s.site, n,
                          {s.key: n, f"carers__{s.site}": carers}))
    for s in data.sites_of("beds_converted"):
        if n := room("beds_converted", s.site, step["convert_step"]):
            out.append(Option(f"convert_{s.site}_+{n}", "converted_beds", s.site, n, {s.key: n}))
    return out


def league_table(data: ProgramData, st: OptimizerSettings, options: list[Option] | None = None) -> pd.DataFrame:
    """The league table (see the module docstring).

    Parameters
    ----------
    data : ProgramData
        Today's levels, costs and the outcome pieces (with any calibration corrections).
    st : OptimizerSettings
        ``league`` steps and ``capital_life_years``.
    options : list of Option, optional
        Default :func:`league_options`.

    Returns
    -------
    DataFrame
        One row per option and outcome (:data:`COLUMNS`), ranked within each outcome.
    """
    options = league_options(data, st) if options is None else options
    life = float(st.league["capital_life_years"])
    today = outcome_values(data, today_levels(data))
    rows = []
    for opt in options:
        levels = opt.levels(data)
        cap, op = plan_costs(data, levels)
        yearly = op + cap / life
        after = outcome_values(data, levels)
        for o in OUTCOMES:
            change = after[o] - today[o]
            rows.append({"option": opt.name, "kind": opt.kind, "site": opt.site, "units": opt.units,
                         "cost_capital": cap, "cost_operating": op, "cost_per_year": yearly, "outcome": o,
                         "unit": WEIGHT_UNITS[o].replace("_", " "), "today": today[o], "change": change,
                         "yuan_per_unit": per_unit(yearly, change)})
    t = pd.DataFrame(rows, columns=COLUMNS)
    return rank(t)


MIN_CHANGE = 1e-6  # outcome units per year: below this an option buys nothing (numerical noise of the curves)


def per_unit(yearly: float, change: float) -> float:
    """Yuan per year per unit of outcome bought (NaN when the option buys none)."""
    return yearly / change if change > MIN_CHANGE else float("nan")


def rank(t: pd.DataFrame, column: str = "yuan_per_unit", out: str = "rank") -> pd.DataFrame:
    """Rank 1 = cheapest per unit, within each outcome; unranked (NaN) where nothing is bought."""
    t = t.copy()
    t[out] = t.groupby("outcome")[column].rank(method="min")
    t[out] = t[out].astype("Int64")
    order = {o: k for k, o in enumerate(OUTCOMES)}
    t["_o"] = t.outcome.map(order)
    t["_r"] = t[out].astype(float).fillna(np.inf)
    return t.sort_values(["_o", "_r", "option"]).drop(columns=["_o", "_r"]).reset_index(drop=True)


def best_options(table: pd.DataFrame, outcome: str, n: int) -> list[str]:
    """The ``n`` best-ranked options for ``outcome`` (those that buy any of it)."""
    t = table[(table.outcome == outcome) & table["rank"].notna()].sort_values("rank")
    return list(t.option.head(n))
