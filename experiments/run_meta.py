"""``run_meta.json``: the names, places, targets and settings a report needs, written with the results.

The report reads result folders only (it never loads or validates a scenario), so a run leaves behind
what its pages and figures need besides the tables: island, facility, care-home and destination ids
with their Chinese and English names, coordinates and resources under the run's policy (the map),
condition names and targets, the time-critical conditions, the scenario's default report language,
units, and the table of sources its data cite. :func:`run_meta` is pure (objects in, a mapping out);
:func:`run_meta_json` adds the sources table and serialises it.

Schema (``schema`` = :data:`SCHEMA_VERSION`; a later version only adds keys):
``scenario`` {name, kind, year, weather, data_dir, geography}, ``policy`` {name}, ``lang``
(en | zh | both), ``units``, ``experiment`` {horizon_days, warmup_days, replications, seed},
``islands`` [{id, name_zh, name_en, lat, lon, population, elderly, aeds, boats, level, care_beds}],
``facilities`` [{id, island, name_zh, name_en, kind}], ``care_homes`` [{id, island, name_zh, name_en,
beds}], ``circuit_teams`` [{id, base}], ``destinations`` [{id, name_zh, name_en, lat, lon, km}] (km
from the most populous island), ``links`` [{origin, dest, mode}], ``conditions`` [{id, name, urgent,
target_min}], ``time_critical`` [ids], ``counts`` {islands, facilities, ...}, ``sources`` [rows of
:func:`scenarios.sources.sources_table`].
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scenarios.report_settings import LANGS

SCHEMA_VERSION = 1
UNITS = {"time": "min", "money": "yuan", "counts": "over the observed window (run length minus warm-up)",
         "shares": "fractions of 1"}
HOSPITAL_KINDS = frozenset({"county_hospital", "tcm_hospital"})
CENTRE_KINDS = frozenset({"central_health_centre", "township_health_centre"})


def care_level(kinds: set[str]) -> str | None:
    """The highest level of care on an island: hospital, health_centre, clinic, or None."""
    if kinds & HOSPITAL_KINDS:
        return "hospital"
    if kinds & CENTRE_KINDS:
        return "health_centre"
    return "clinic" if kinds else None


def report_lang(plain: Mapping[str, Any]) -> str:
    """``report.lang`` if set, else the scenario's ``lang`` (conf/scenario/*.yaml), else English."""
    lang = (plain.get("report") or {}).get("lang") or (plain.get("scenario") or {}).get("lang") or "en"
    return lang if lang in LANGS else "en"


def run_meta(scenario, policy, experiment, plain: Mapping[str, Any]) -> dict:
    """The report's metadata of one run (see the module docstring for the keys)."""
    from scenarios.policy import time_critical

    s, p = scenario, policy
    scen_cfg = plain.get("scenario") or {}
    kinds: dict[str, set[str]] = {}
    for f in s.facilities:
        kinds.setdefault(f.island, set()).add(f.kind)
    care: dict[str, int] = {}
    for h in s.care_homes:
        care[h.island] = care.get(h.island, 0) + int(p.care_beds.get(h.id, h.beds))
    main = max(s.islands, key=lambda i: i.population) if s.islands else None
    return {
        "schema": SCHEMA_VERSION,
        "scenario": {"name": s.name, "kind": scen_cfg.get("kind", "data"), "year": s.year,
                     "weather": s.weather_mode, "data_dir": str(scen_cfg.get("data_dir", "")),
                     "geography": scen_cfg.get("kind", "data") == "data"},
        "policy": {"name": p.name},
        "lang": report_lang(plain),
        "units": UNITS,
        "experiment": {"horizon_days": experiment.horizon_days, "warmup_days": experiment.warmup_days,
                       "replications": experiment.replications, "seed": experiment.seed},
        "islands": [{"id": i.id, "name_zh": i.name_zh, "name_en": i.name_en, "lat": i.lat, "lon": i.lon,
                     "population": i.population, "elderly": round(i.elderly, 3), "aeds": int(p.aeds.get(i.id, 0)),
                     "boats": int(p.boats.get(i.id, 0) + p.dedicated_boats.get(i.id, 0)),
                     "level": care_level(kinds.get(i.id, set())),
                     "care_beds": care.get(i.id, 0)} for i in s.islands],
        "facilities": [{"id": f.id, "island": f.island, "name_zh": f.name_zh, "name_en": f.name_en, "kind": f.kind}
                       for f in s.facilities],
        "care_homes": [{"id": h.id, "island": h.island, "name_zh": h.name_zh, "name_en": h.name_en,
                        "beds": int(p.care_beds.get(h.id, h.beds))} for h in s.care_homes],
        "circuit_teams": [{"id": t.id, "base": t.base} for t in s.circuit_teams],
        "destinations": [{"id": d.id, "name_zh": d.name_zh, "name_en": d.name_en, "lat": d.lat, "lon": d.lon,
                          "km": round(s.distance_km(main.id, d.id), 3) if main else None} for d in s.destinations],
        "main_island": main.id if main else None,
        "links": [{"origin": a, "dest": b, "mode": m} for a, b, m in sorted({(k.origin, k.dest, k.mode)
                                                                             for k in s.links})],
        "conditions": [{"id": c.id, "name": c.name, "urgent": c.urgent, "target_min": c.target_min}
                       for c in s.conditions],
        "time_critical": time_critical(s),
        "counts": {"islands": len(s.islands), "facilities": len(s.facilities), "care_homes": len(s.care_homes),
                   "links": len(s.links), "conditions": len(s.conditions), "destinations": len(s.destinations)},
    }


def sources_rows(plain: Mapping[str, Any], cwd: Path | None = None) -> list[dict]:
    """The scenario folder's table of sources (empty for a synthetic scenario or a missing folder)."""
    from scenarios.loader import resolve_data_dir
    from scenarios.sources import sources_table

    scen = plain.get("scenario") or {}
    if scen.get("kind", "data") != "data":
        return []
    folder = resolve_data_dir(scen.get("data_dir", ""), cwd)
    return sources_table(folder).to_dict("records") if folder.is_dir() else []


def run_meta_json(validated, plain: Mapping[str, Any], cwd: Path | None = None) -> str:
    """``run_meta.json`` of a validated run, sources included (the one call ``write_run`` makes)."""
    meta = run_meta(validated.scenario, validated.policy, validated.experiment, plain)
    meta["sources"] = sources_rows(plain, cwd)
    return json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(v):
    """numpy numbers in the sources table -> Python numbers."""
    return v.item() if hasattr(v, "item") else str(v)
