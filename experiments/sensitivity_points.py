"""The folder of a sensitivity analysis: its design, one ordinary run folder per design point, the tables.

Layout of ``<dir>``::

    design.json, design.csv      the method, factors and quantiles (written once; a different
                                 design in the same folder is refused)
    points/<i>/                  design point i: a complete run folder (kpis.parquet, summary.csv,
                                 config_resolved.yaml with the point's values, run.json, DONE.json)
    sensitivity_points.csv       per point: factor quantiles and KPI values
    sensitivity.csv              the indices (experiments.sensitivity)
    sensitivity.json             what the report needs: settings, factors (rows, ranges, units), KPIs

A point is finished when its ``DONE.json`` holds the hash of its configuration (design values
included), so an interrupted analysis resumes like a sweep, and points can be split over jobs
(``sensitivity.shard`` of ``sensitivity.shards``) that share the folder.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.io import atomic_write_text, config_hash, write_table
from experiments.sensitivity import Design, point_values
from scenarios.errors import InputError, Problem
from scenarios.sensitivity import Sensitivity
from scenarios.uncertainty import Uncertainty

DONE = "DONE.json"
POINTS = "points"
NOISE = "noise"  # the point folder at the table's values, run with several replications
# experiment keys that change how a point runs, not what it computes
NOT_IN_RESULTS = ("workers", "progress", "report", "resume")


def write_design(folder: Path, design: Design, s: Sensitivity) -> None:
    """Write the design, or check that the folder already holds this same design."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "design.json"
    record = {"method": design.method, "factors": list(design.factors), "points": design.points,
              "fingerprint": design.fingerprint(), "seed": s.seed, "trajectories": s.trajectories,
              "levels": s.levels, "samples": s.samples}
    if path.exists():
        old = json.loads(path.read_text())
        if old.get("fingerprint") != record["fingerprint"]:
            raise InputError([Problem("sensitivity.dir", "", str(folder),
                                      f"a folder without another design (it holds a {old.get('method')} design of "
                                      f"{old.get('points')} points): choose a new folder to change the design")],
                             "sensitivity settings")
        return
    write_table(design.table(), folder / "design.csv")
    atomic_write_text(path, json.dumps(record, indent=2))


def point_config(plain: dict, design: Design, i: int, u: Uncertainty, s: Sensitivity) -> tuple[dict, dict]:
    """The configuration of design point ``i`` (an ordinary run's, plus the point's values) and its
    cell overrides."""
    q = design.point(i)
    overrides = u.overrides(q)
    cfg = _point_run(plain, s, s.replications)
    cfg["point"] = {"index": i, "method": design.method, "quantiles": q,
                    "values": [[t, k, c, float(v)] for (t, k, c), v in sorted(overrides.items())]}
    return cfg, overrides


def noise_config(plain: dict, s: Sensitivity) -> dict:
    """The point at the table's values with ``noise_replications`` replications (the KPIs' spread)."""
    cfg = _point_run(plain, s, s.noise_replications)
    cfg["point"] = {"index": NOISE, "values": []}
    return cfg


def _point_run(plain: dict, s: Sensitivity, replications: int) -> dict:
    """An ordinary run's configuration for a point: the scenario and policy as given, the experiment
    with the sensitivity's horizon and ``replications``, one process, no report, no input draws."""
    cfg = {k: copy.deepcopy(plain.get(k, {})) for k in ("scenario", "policy")}
    exp = dict(plain.get("experiment", {}))
    exp.update(replications=replications, workers=1, progress=False, report=False, event_log=False)
    exp.pop("parameter_uncertainty", None)
    for k in ("horizon_days", "warmup_days"):
        if getattr(s, k) is not None:
            exp[k] = getattr(s, k)
    cfg.update(mode="run", experiment=exp)
    return cfg


def spread(folder: Path, s: Sensitivity, horizon_days: float, warmup_days: float) -> dict[str, float]:
    """Each KPI's standard deviation over the noise point's replications (NaN without that point)."""
    path = point_dir(folder, NOISE) / "kpis.parquet"
    if s.noise_replications < 2 or not path.exists():
        return {}
    kp = pd.read_parquet(path)
    per_rep = [point_values(g, s.kpis, horizon_days, warmup_days) for _, g in kp.groupby("replication")]
    return {k.name: float(np.nanstd([r[k.name] for r in per_rep], ddof=1)) for k in s.kpis}


def point_hash(cfg: dict) -> str:
    trimmed = copy.deepcopy(cfg)
    for k in NOT_IN_RESULTS:
        trimmed["experiment"].pop(k, None)
    return config_hash(trimmed)


def is_done(folder: Path, chash: str) -> bool:
    marker = folder / DONE
    try:
        return marker.exists() and json.loads(marker.read_text()).get("config_hash") == chash \
            and (folder / "kpis.parquet").exists()
    except (OSError, ValueError):
        return False


def point_dir(folder: Path, i: int | str) -> Path:
    return folder / POINTS / str(i)


def gather(folder: Path, design: Design, s: Sensitivity, horizon_days: float, warmup_days: float) -> pd.DataFrame:
    """Per point: its factor quantiles and KPI values (from each point's ``kpis.parquet``)."""
    rows = []
    for i in range(design.points):
        kp = pd.read_parquet(point_dir(folder, i) / "kpis.parquet")
        rows.append({"point": i, **design.point(i), **point_values(kp, s.kpis, horizon_days, warmup_days)})
    return pd.DataFrame(rows)


def write_results(folder: Path, design: Design, table: pd.DataFrame, outputs: pd.DataFrame, s: Sensitivity,
                  u: Uncertainty, record: dict, spreads: dict[str, float] | None = None) -> None:
    """``sensitivity.csv``, ``sensitivity_points.csv`` and ``sensitivity.json``."""
    write_table(outputs, folder / "sensitivity_points.csv")
    write_table(table, folder / "sensitivity.csv")
    meta = {
        "method": design.method, "points": design.points, **record,
        "settings": {k: v for k, v in asdict(s).items() if k not in ("kpis", "factors")},
        "kpis": [{"name": k.name, "metric": k.metric, "condition": k.condition, "per_year": k.per_year,
                  "design_range": _spread(outputs, k.name), "run_to_run_sd": (spreads or {}).get(k.name)}
                 for k in s.kpis],
        "factors": [{"name": f.name, "rows": [{"table": r.table, "key": r.key, "column": r.column, "low": r.low,
                                               "high": r.high, "value": r.value, "distribution": r.distribution,
                                               "source": r.source, "unit": r.unit, "meaning": _meaning(r)}
                                              for r in f.ranges]}
                    for f in (u.factor(n) for n in design.factors)],
    }
    atomic_write_text(folder / "sensitivity.json", json.dumps(meta, indent=2, default=_json))


def _meaning(r) -> str:
    """What a parameter is (``scenarios.parameters``), for the report's labels."""
    from scenarios.parameters import PARAMETER_SPECS

    spec = PARAMETER_SPECS.get(r.key) if r.table == "parameters" else None
    return spec.meaning if spec else ""


def _spread(outputs: pd.DataFrame, name: str) -> list[float]:
    v = outputs[name].to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    return [float(v.min()), float(v.max())] if len(v) else [float("nan"), float("nan")]


def _json(x):
    if isinstance(x, (np.integer, np.floating)):
        return x.item()
    return str(x)
