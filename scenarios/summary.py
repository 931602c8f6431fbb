"""Resource summary of a scenario under a policy: per island and the county's ratios vs its targets.

Pure functions returning DataFrames; `run.py mode=summary` prints and writes them, the optimiser and
the report reuse them.
"""

from __future__ import annotations

import math

import pandas as pd

from scenarios.model import AGE_BANDS, Scenario
from scenarios.policy import Policy

RATIO_LABELS = {
    "doctors_per_1000": "licensed doctors per 1,000 residents",
    "aeds_per_10k": "public AEDs per 10,000 residents",
    "carers_per_10k_elderly": "certified carers per 10,000 residents aged 60+",
    "in_county_share": "share of care given inside the county",
}


def island_table(s: Scenario, p: Policy) -> pd.DataFrame:
    """One row per island (and a county total): population, elderly share and resources."""
    rows = []
    for isl in s.islands:
        facs = [f for f in s.facilities if f.island == isl.id]
        homes = [h for h in s.care_homes if h.island == isl.id]
        rows.append({
            "island": isl.id,
            "name": f"{isl.name_en} {isl.name_zh}",
            "population": isl.population,
            "elderly_60_plus": round(isl.elderly),
            "elderly_share": isl.elderly / isl.population if isl.population else float("nan"),
            "tourists_summer": isl.tourists_summer,
            "facilities": len(facs),
            "doctors": sum(p.doctors[f.id] for f in facs),
            "hospital_beds": sum(p.hospital_beds[f.id] for f in facs),
            "aeds": p.aeds[isl.id],
            "care_homes": len(homes),
            "care_beds": sum(p.care_beds[h.id] for h in homes),
            "carers": sum(p.carers[h.id] for h in homes),
            "care_usable_beds": sum(usable_care_beds(s, p, h.id) for h in homes),
            "boats": p.boats.get(isl.id, 0),
            "dedicated_boats": p.dedicated_boats.get(isl.id, 0),
            "circuit_visits_per_month": sum(v.visits_per_month for v in p.circuit if v.island == isl.id),
        })
    df = pd.DataFrame(rows)
    total = {c: df[c].sum() for c in df.columns if c not in ("island", "name", "elderly_share")}
    total.update(island="all", name="County 县", elderly_share=s.elderly / s.population if s.population else 0.0)
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def usable_care_beds(s: Scenario, p: Policy, home: str) -> int:
    """A home's beds capped by what its certified carers can look after (as in the simulation)."""
    return min(p.care_beds[home], math.floor(p.carers[home] * s.parameters.care.residents_per_carer + 1e-9))


def static_in_county_share(s: Scenario) -> float:
    """Share of expected care episodes the scenario's referral shares keep in the county."""
    total = kept = 0.0
    for c in s.conditions:
        n = sum(isl.band_population(b) * c.incidence_per_1000[k] / 1000 for isl in s.islands
                for k, b in enumerate(AGE_BANDS))
        total += n
        kept += n * (1 - c.out_of_county_share)
    return kept / total if total else float("nan")


def ratio_table(s: Scenario, p: Policy, in_county_share: float | None = None) -> pd.DataFrame:
    """The county's resource ratios against the plan's 2025 targets."""
    pop, elderly = s.population, s.elderly
    values = {
        "doctors_per_1000": sum(p.doctors.values()) / pop * 1000 if pop else float("nan"),
        "aeds_per_10k": sum(p.aeds.values()) / pop * 10_000 if pop else float("nan"),
        "carers_per_10k_elderly": sum(p.carers.values()) / elderly * 10_000 if elderly else float("nan"),
        "in_county_share": static_in_county_share(s) if in_county_share is None else in_county_share,
    }
    rows = []
    for key, value in values.items():
        target = s.targets.get(key, float("nan"))
        rows.append({
            "ratio": key,
            "meaning": RATIO_LABELS[key],
            "value": value,
            "target_2025": target,
            "meets_target": bool(value >= target),
            "gap": max(0.0, target - value),
        })
    return pd.DataFrame(rows)
