"""The model description of the report, following the STRESS-DES reporting checklist
(Monks et al. 2019: objectives, logic, data, experimentation, implementation).

Written from what ``sim/`` does; run-specific numbers come from the run's own records
(``config_resolved.yaml``, ``run.json``, ``run_meta.json``), so the text states what this run did.
The words are in :mod:`report.vocab_stress`; this returns (heading, paragraphs) pairs of plain text
in the language of ``w``; the HTML layer escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from report.meta import Meta
from report.vocab import Words


def _has(kpis: pd.DataFrame | None, prefix: str) -> bool:
    return kpis is not None and kpis["metric"].astype(str).str.startswith(prefix).any()


def stress_sections(config: Mapping, record: Mapping, meta: Meta, kpis: pd.DataFrame | None,
                    daily: pd.DataFrame | None, w: Words) -> list[tuple[str, list[str]]]:
    exp = config.get("experiment", {}) or {}
    scen = config.get("scenario", {}) or {}
    pol = config.get("policy", {}) or {}
    counts = meta.get("counts")
    place = w("s_place", **counts) if counts else w("s_place_unknown")
    series = set(daily["series"]) if daily is not None and not daily.empty else set()
    extra = "".join(w(key) for key, present in (("s_out_ohca", _has(kpis, "ohca_")),
                                                ("s_out_visits", _has(kpis, "visits_")),
                                                ("s_out_care", _has(kpis, "care_"))) if present)
    objectives = [w("s_purpose"), w("s_outputs", extra=extra), w("s_aim")]
    logic = [w(k) for k in ("s_base", "s_routine", "s_urgent", "s_transfers", "s_weather", "s_doctors")]
    if _has(kpis, "ohca_"):
        logic.append(w("s_ohca"))
    if _has(kpis, "visits_"):
        logic.append(w("s_circuit"))
    if "care" in series or _has(kpis, "care_"):
        logic.append(w("s_care"))
    logic.append(w("s_simpl"))
    data = [w("s_data", name=scen.get("name", record.get("scenario", "?")), dir=scen.get("data_dir", "?"),
              year=scen.get("year", "?"), weather=scen.get("weather", "climate"), place=place),
            w("s_policy", name=pol.get("name", record.get("policy", "?")))]
    experimentation = [
        w("s_reps", reps=exp.get("replications", record.get("replications", "?")),
          horizon=exp.get("horizon_days", record.get("horizon_days", "?")),
          warmup=exp.get("warmup_days", record.get("warmup_days", "?"))),
        w("s_seed", seed=exp.get("seed", record.get("seed", "?"))),
        w("s_intervals"),
    ]
    pk = record.get("packages", {}) or {}
    versions = ", ".join(f"{k} {v}" for k, v in sorted(pk.items()) if v) or "pyproject.toml"
    implementation = [w("s_python", python=record.get("python", "?"), versions=versions,
                        commit=record.get("git_commit", "unknown")), w("s_code")]
    return [(w("s_h1"), objectives), (w("s_h2"), logic), (w("s_h3"), data), (w("s_h4"), experimentation),
            (w("s_h5"), implementation)]
