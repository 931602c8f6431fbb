"""A solved program as a plan: the levels, the table a planner reads, every outcome today, with the
plan and the change (natural units per year), and a policy config the simulation accepts unchanged."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from optimize.data import Piece, ProgramData
from optimize.program import Program
from optimize.settings import OUTCOMES, WEIGHT_UNITS
from optimize.solve import SolveReport, values

PLAN_COLUMNS = ["resource", "site", "today", "planned", "change", "cost_capital", "cost_operating"]
OUTCOME_COLUMNS = ["outcome", "unit", "today", "planned", "change", "planned_model", "floor", "weight",
                   "weight_unit", "scale", "offset"]
RESOURCE_ORDER = ("doctors", "aeds", "boats", "care_beds", "carers", "circuit_visits", "beds_converted")


def today_levels(data: ProgramData) -> dict[str, int]:
    return {s.key: s.today for s in data.sites}


def solution_levels(prog: Program, report: SolveReport) -> dict[str, int]:
    """Whole-number levels of a solved program (``optimize.solve.values`` checks the status first)."""
    out = {}
    for key, v in values(prog.problem, report, prog.x).items():
        if v is None or not math.isfinite(v):
            raise RuntimeError(f"variable {key} has no value although the solve reported a solution")
        out[key] = int(round(v))
    return out


def plan_table(data: ProgramData, levels: Mapping[str, int]) -> pd.DataFrame:
    """One row per decision site: today, planned, change and its cost (capital yuan, yuan per year)."""
    rows = []
    for s in sorted(data.sites, key=lambda s: (RESOURCE_ORDER.index(s.resource), s.site)):
        planned = levels[s.key]
        change = planned - s.today
        rows.append({"resource": s.resource, "site": s.site, "today": s.today, "planned": planned,
                     "change": change, "cost_capital": s.capital * max(change, 0),
                     "cost_operating": s.operating * change})
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def plan_costs(data: ProgramData, levels: Mapping[str, int]) -> tuple[float, float]:
    """(capital yuan, extra operating yuan per year) of moving from today's levels to ``levels``."""
    cap = op = 0.0
    for s in data.sites:
        change = levels[s.key] - s.today
        cap += s.capital * max(change, 0)
        op += s.operating * change
    return cap, op


def plan_summary(data: ProgramData, levels: Mapping[str, int]) -> str:
    """A compact 'resource site +n' list of the changes (for the frontier table)."""
    t = plan_table(data, levels)
    t = t[t.change != 0]
    return "; ".join(f"{r.resource} {r.site} {r.change:+d}" for r in t.itertuples()) or "no change"


# --- outcomes ------------------------------------------------------------------------------------------
def piece_level(data: ProgramData, levels: Mapping[str, int], piece: Piece, whole: bool = True) -> float:
    """The resource level a piece's curve is read at."""
    if piece.level == "usable":
        return usable_beds(data, levels, piece.label, whole=whole)
    if piece.level == "beds_left":
        return piece.curve.hi - levels.get(piece.sites[0], 0)
    return float(sum(levels.get(k, 0) for k in piece.sites))


def circuit_value(data: ProgramData, levels: Mapping[str, int]) -> float:
    """Routine patients of islands without a resident doctor today cared for in the county
    (``CircuitIsland.value``: the visits' consultations up to the patients who wait for them, the
    travellers to a county facility and the telephone; all of the need once a doctor lives there)."""
    doctors_on: dict[str, int] = {}
    for s in data.sites_of("doctors"):
        doctors_on[s.island] = doctors_on.get(s.island, 0) + levels[s.key]
    total = 0.0
    for isl, c in data.circuit.items():
        if c.no_doctor and c.demand > 0:
            total += c.value(levels.get(f"circuit_visits__{isl}", 0), doctors_on.get(isl, 0))
    return total


def modelled(data: ProgramData, levels: Mapping[str, int], hull: bool = False) -> dict[str, float]:
    """Each outcome's pieces (and circuit capacity) at ``levels``, without constant or correction."""
    out = dict.fromkeys(OUTCOMES, 0.0)
    for x in data.pieces:
        lv = piece_level(data, levels, x, whole=not hull)
        out[x.outcome] += x.curve.hull_value(lv) if hull else x.curve.value(lv)
    out["consultations_no_doctor"] += circuit_value(data, levels)
    return out


def outcome_values(data: ProgramData, levels: Mapping[str, int], hull: bool = False,
                   corrected: bool = True) -> dict[str, float]:
    """Every outcome at ``levels`` in its natural unit per year.

    Parameters
    ----------
    data : ProgramData
        Pieces, constants and corrections.
    levels : mapping
        Site key -> level.
    hull : bool
        The program's concave envelope instead of the exact curves.
    corrected : bool
        Apply the calibration's corrections: today's level + offset + scale x the curves' change +
        the linear terms in resource changes.

    Returns
    -------
    dict
        Outcome -> value per year (``optimize.settings.OUTCOMES`` order).
    """
    now = modelled(data, today_levels(data))
    at = modelled(data, levels, hull=hull)
    change = resource_changes(data, levels)
    out = {}
    for o in OUTCOMES:
        c = data.correction(o) if corrected else None
        scale, offset = (c.scale, c.offset) if c else (1.0, 0.0)
        linear = sum(v * change.get(r, 0) for r, v in c.slopes) if c else 0.0
        out[o] = data.constants.get(o, 0.0) + now[o] + scale * (at[o] - now[o]) + offset + linear
    return out


def resource_changes(data: ProgramData, levels: Mapping[str, int]) -> dict[str, int]:
    """County-total change against today per resource (doctors, aeds, boats, ...)."""
    out: dict[str, int] = {}
    for s in data.sites:
        out[s.resource] = out.get(s.resource, 0) + levels[s.key] - s.today
    return out


def usable_beds(data: ProgramData, levels: Mapping[str, int], home: str, whole: bool = True) -> float:
    """Beds (with converted hospital beds) capped by carers x residents per carer (whole beds, as the
    simulation counts them, unless ``whole`` is false)."""
    beds = levels[f"care_beds__{home}"] + sum(levels.get(f"beds_converted__{f}", 0)
                                              for f, h in data.conversions.items() if h == home)
    staffed = levels[f"carers__{home}"] * data.care_per_carer
    return min(beds, math.floor(staffed + 1e-9) if whole else staffed)


def outcomes_table(data: ProgramData, levels: Mapping[str, int], floors: Mapping[str, float] | None = None,
                   weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per outcome: unit, today, with the plan, the change (exact curves, corrections applied), the
    program's (envelope) value, its floor and weight (yuan per unit) if any, and the correction."""
    today = outcome_values(data, today_levels(data))
    plan = outcome_values(data, levels)
    model = outcome_values(data, levels, hull=True)
    rows = []
    for o, unit in OUTCOMES.items():
        c = data.correction(o)
        w = (weights or {}).get(o)
        rows.append({"outcome": o, "unit": unit, "today": today[o], "planned": plan[o], "change": plan[o] - today[o],
                     "planned_model": model[o], "floor": (floors or {}).get(o), "weight": w,
                     "weight_unit": WEIGHT_UNITS[o] if w is not None else None, "scale": c.scale, "offset": c.offset})
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


# --- a policy config for the simulation -----------------------------------------------------------------
def plan_policy_config(data: ProgramData, levels: Mapping[str, int], base: Mapping | None, name: str = "plan",
                       night_doctors: Mapping[str, int] | None = None,
                       hospital_beds: Mapping[str, int] | None = None) -> dict:
    """The plan as a ``policy`` config (keys of ``PolicyConfig``): the base policy's rules, the plan's
    resource levels. ``night_doctors`` / ``hospital_beds``: today's values, to keep night rotas no larger
    than the day's doctors and to take converted beds off the wards."""
    cfg = {k: v for k, v in dict(base or {}).items() if k not in ("aeds_per_10k", "carers_per_10k_elderly")}
    cfg["name"] = name
    for resource in ("doctors", "aeds", "boats", "care_beds", "carers"):
        cfg[resource] = {s.site: int(levels[s.key]) for s in data.sites_of(resource)}
    for home in set(data.conversions.values()):
        extra = sum(levels.get(f"beds_converted__{f}", 0) for f, h in data.conversions.items() if h == home)
        cfg["care_beds"][home] = cfg["care_beds"].get(home, 0) + extra
    if hospital_beds is not None:
        beds = dict(cfg.get("hospital_beds") or {})
        for f in data.conversions:
            beds[f] = int(hospital_beds[f]) - levels.get(f"beds_converted__{f}", 0)
        cfg["hospital_beds"] = beds
    if night_doctors is not None:
        night = dict(cfg.get("night_doctors") or {})
        for s in data.sites_of("doctors"):
            if night_doctors.get(s.site, 0) > levels[s.key]:
                night[s.site] = int(levels[s.key])
        if night:
            cfg["night_doctors"] = night
    circuit = dict(cfg.get("circuit") or {})
    for isl, c in data.circuit.items():
        circuit[isl] = {"team": c.team, "visits_per_month": int(levels[f"circuit_visits__{isl}"]),
                        "days_per_visit": c.days_per_visit}
    cfg["circuit"] = circuit
    return cfg
