"""A solved program as a plan: the levels, the table a planner reads, the predicted value of every
objective term (today and planned), and a policy config the simulation accepts unchanged."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from optimize.data import ProgramData
from optimize.program import Program
from optimize.settings import TERMS
from optimize.solve import SolveReport, values

PLAN_COLUMNS = ["resource", "site", "today", "planned", "change", "cost_capital", "cost_operating"]
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
    t = plan_table(data, levels)
    return float(t.cost_capital.sum()), float(t.cost_operating.sum())


def plan_summary(data: ProgramData, levels: Mapping[str, int]) -> str:
    """A compact 'resource site +n' list of the changes (for the frontier table)."""
    t = plan_table(data, levels)
    t = t[t.change != 0]
    return "; ".join(f"{r.resource} {r.site} {r.change:+d}" for r in t.itertuples()) or "no change"


# --- predicted value of each term ----------------------------------------------------------------------
def term_values(data: ProgramData, levels: Mapping[str, int], hull: bool = False) -> dict[str, float]:
    """Each objective term at ``levels`` in its own unit per year: the exact curves (``hull=False``) or
    the program's concave envelope (``hull=True``)."""

    def at(curve, x):
        return curve.hull_value(x) if hull else curve.value(x)

    def lv(resource, site, default=0):
        return levels.get(f"{resource}__{site}", default)

    out = dict.fromkeys(TERMS, 0.0)
    out["aed_survivors"] = sum(at(c, lv("aeds", i)) for i, c in data.aed_curves.items())
    out["routine_within_target"] = sum(at(c, lv("doctors", f)) for f, c in data.routine_curves.items())
    for g in data.boat_groups:
        out["urgent_boat_within_target"] += at(g.curve, sum(lv("boats", b) for b in g.bases))
    doctors_on = {}
    for s in data.sites_of("doctors"):
        doctors_on[s.island] = doctors_on.get(s.island, 0) + levels[s.key]
    for isl, c in data.circuit.items():
        if c.no_doctor and c.demand > 0:
            out["circuit_consultations"] += min(c.demand, c.per_visit * lv("circuit_visits", isl)
                                                + c.demand * doctors_on.get(isl, 0))
    for hid, c in data.care_curves.items():
        out["care_placed"] += at(c, usable_beds(data, levels, hid, whole=not hull))
    for fid, c in data.hospital_curves.items():
        out["hospital_beds_free"] += at(c, c.hi - lv("beds_converted", fid))
    return out


def usable_beds(data: ProgramData, levels: Mapping[str, int], home: str, whole: bool = True) -> float:
    """Beds (with converted hospital beds) capped by carers x residents per carer (whole beds, as the
    simulation counts them, unless ``whole`` is false)."""
    beds = levels[f"care_beds__{home}"] + sum(levels.get(f"beds_converted__{f}", 0)
                                              for f, h in data.conversions.items() if h == home)
    staffed = levels[f"carers__{home}"] * data.care_per_carer
    return min(beds, math.floor(staffed + 1e-9) if whole else staffed)


def terms_table(data: ProgramData, levels: Mapping[str, int], weights: Mapping[str, float]) -> pd.DataFrame:
    """Per term: unit, weight, today's and the plan's value (exact), the program's (envelope) value, change."""
    today = term_values(data, today_levels(data))
    plan = term_values(data, levels)
    model = term_values(data, levels, hull=True)
    rows = []
    for t, unit in TERMS.items():
        rows.append({"term": t, "unit": unit, "weight": weights.get(t, 0.0), "today": today[t], "planned": plan[t],
                     "change": plan[t] - today[t], "planned_model": model[t],
                     "weighted_change": weights.get(t, 0.0) * (plan[t] - today[t])})
    return pd.DataFrame(rows)


# --- a policy config for the simulation -----------------------------------------------------------------
def plan_policy_config(data: ProgramData, levels: Mapping[str, int], base: Mapping | None, name: str = "plan",
                       night_doctors: Mapping[str, int] | None = None,
                       hospital_beds: Mapping[str, int] | None = None) -> dict:
    """The plan as a ``policy`` config (keys of ``PolicyConfig``): the base policy's rules, the plan's
    resource levels. ``night_doctors`` / ``hospital_beds``: today's values, to keep night rotas no larger
    than the day's doctors and to take converted beds off the wards."""
    cfg = {k: v for k, v in dict(base or {}).items() if k not in ("aeds_per_10k", "carers_per_10k_elderly")}
    cfg["name"] = name
    maps = {"doctors": "doctors", "aeds": "aeds", "boats": "boats", "care_beds": "care_beds", "carers": "carers"}
    for resource, key in maps.items():
        cfg[key] = {s.site: int(levels[s.key]) for s in data.sites_of(resource)}
    for home in {h for h in data.conversions.values()}:
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
