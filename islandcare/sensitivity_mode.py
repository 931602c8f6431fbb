"""``mode=sensitivity``: which uncertain inputs change the answer (Morris screening or Sobol' indices).

The design's points run as ordinary run folders under ``<dir>/points/`` (``experiments.sensitivity_points``),
in ``experiment.workers`` processes, every point with the same replication seeds; finished points
are skipped when the same command runs again on the same folder. With ``sensitivity.shards`` > 1 a
Hydra multirun can spread the points over jobs (e.g. ``hydra/launcher=slurm``) that share
``sensitivity.dir``; whichever job finds every point finished writes the results.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from experiments import sensitivity as S
from experiments import sensitivity_points as P
from experiments.io import atomic_write_text, environment_record
from experiments.run_meta import run_meta_json
from scenarios.errors import InputError, Problem
from scenarios.validate import validate


def sensitivity_mode(plain: dict, out: Path, cwd: Path, cfg, mode: str = "sensitivity") -> None:
    """Check everything, run the design's unfinished points, analyse, report."""
    v = validate(plain, cwd)
    s, u = v.sensitivity, v.uncertainty
    folder = _folder(s.dir, out, cwd)
    factors = _screened(s, u.names, cwd) if s.method == "sobol" and s.screening else list(s.factors)
    design = S.make_design(s, factors)
    P.write_design(folder, design, s)
    horizon = s.horizon_days if s.horizon_days is not None else v.experiment.horizon_days
    warmup = s.warmup_days if s.warmup_days is not None else v.experiment.warmup_days
    if warmup >= horizon:
        raise InputError([Problem("sensitivity.warmup_days", "", warmup, f"below the horizon ({horizon:g} days)")],
                         "sensitivity settings")
    tasks, already = {}, 0
    for i in range(design.points):
        if i % s.shards != s.shard:
            continue
        pcfg, overrides = P.point_config(plain, design, i, u, s)
        chash = P.point_hash(pcfg)
        if v.experiment.resume and P.is_done(P.point_dir(folder, i), chash):
            already += 1
            continue
        tasks[i] = (pcfg, str(cwd), overrides, str(P.point_dir(folder, i)), chash)
    if design.method == "morris" and s.noise_replications and s.shard == 0:  # the noise floor's replications
        ncfg = P.noise_config(plain, s)
        nhash = P.point_hash(ncfg)
        if v.experiment.resume and P.is_done(P.point_dir(folder, P.NOISE), nhash):
            already += 1
        else:
            tasks[P.NOISE] = (ncfg, str(cwd), {}, str(P.point_dir(folder, P.NOISE)), nhash)
    extra = f" + {s.noise_replications} replications at the table's values" if P.NOISE in tasks or already > \
        sum(1 for i in range(design.points) if i % s.shards == s.shard) else ""
    print(f"Sensitivity ({design.method}): {len(design.factors)} factors, {design.points} design points x "
          f"{s.replications} replication(s) of {horizon:g} days{extra}; {already} already finished, "
          f"{len(tasks)} to run"
          + (f" (shard {s.shard} of {s.shards})" if s.shards > 1 else ""))
    t0 = time.perf_counter()
    from experiments.runner import run_tasks

    results = run_tasks(_run_point, tasks, v.experiment.workers, "design points", v.experiment.progress, "point")
    failed = {i: problems for i, problems in results if problems}
    seconds = time.perf_counter() - t0
    if failed:
        raise InputError([Problem(f"design point {i}", p.column, p.value, f"{p.expected} (at {p.place})")
                          for i, ps in sorted(failed.items()) for p in ps], "sensitivity design")
    noise = [P.NOISE] if design.method == "morris" and s.noise_replications else []
    missing = [i for i in [*range(design.points), *noise] if not (P.point_dir(folder, i) / P.DONE).exists()]
    if missing:
        print(f"{len(missing)} of {design.points + len(noise)} points are not finished yet (other shards); "
              f"the results are written when they are: {folder}")
        return
    outputs = P.gather(folder, design, s, horizon, warmup)
    spreads = P.spread(folder, s, horizon, warmup)
    table = S.analyse(design, outputs, s, spreads)
    record = {"horizon_days": horizon, "warmup_days": warmup, "replications_per_point": s.replications,
              "seed": v.experiment.seed, "scenario": v.scenario.name, "policy": v.policy.name,
              "wall_seconds_this_call": round(seconds, 1), "mode": "sensitivity"}
    P.write_results(folder, design, table, outputs, s, u, record, spreads)
    atomic_write_text(folder / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    atomic_write_text(folder / "run.json", json.dumps({**record, "wall_seconds": round(seconds, 3),
                                                        **environment_record()}, indent=2, default=str))
    atomic_write_text(folder / "run_meta.json", run_meta_json(v, plain, cwd))  # names and language for the report
    _print(table, s)
    if v.experiment.report:
        _report(folder, plain)
    print(f"\nSensitivity results in {folder}")


def _run_point(task) -> list[Problem]:
    """One design point, in a worker process: validate with the point's values, simulate, write."""
    from experiments.runner import run_replications
    from experiments.summary import summarise
    from islandcare.modes import write_run

    pcfg, cwd, overrides, where, chash = task
    try:  # the point's record (its values) goes into config_resolved.yaml, not through validation
        v = validate({k: val for k, val in pcfg.items() if k != "point"}, Path(cwd), overrides)
    except InputError as e:
        return e.problems
    t0 = time.perf_counter()
    res = run_replications(v.scenario, v.policy, replace(v.experiment, workers=1))
    write_run(Path(where), pcfg, v, res, summarise(res.kpis), chash, time.perf_counter() - t0)
    return []


def _folder(given: str | None, out: Path, cwd: Path) -> Path:
    if not given:
        return out
    p = Path(given).expanduser()
    return p if p.is_absolute() else cwd / p


def _screened(s, names, cwd: Path) -> list[str]:
    """Sobol after a screening: the screening's top factors (they must still have ranges)."""
    folder = _folder(s.screening, cwd, cwd)
    path = folder / "sensitivity.csv"
    if not path.is_file():
        raise InputError([Problem("sensitivity.screening", "", s.screening, "a Morris result folder (with "
                                  "sensitivity.csv), e.g. the folder of an earlier mode=sensitivity run")],
                         "sensitivity settings")
    table = pd.read_csv(path)
    if "mu_star_norm" not in table:
        raise InputError([Problem("sensitivity.screening", "", s.screening, "a Morris screening (its "
                                  "sensitivity.csv has mu_star)")], "sensitivity settings")
    top = S.top_factors(table, s.top)
    unknown = [f for f in top if f not in names]
    if unknown:
        raise InputError([Problem("sensitivity.screening", "", f, "a factor that still has a range") for f in unknown],
                         "sensitivity settings")
    if len(top) < 2:
        raise InputError([Problem("sensitivity.screening", "", s.screening, "a screening with at least 2 factors "
                                  "that matter")], "sensitivity settings")
    return top


def _print(table: pd.DataFrame, s) -> None:
    col = "mu_star" if "mu_star" in table else "ST"
    print("\nThe inputs that matter most, by KPI (rank: " + ("mu*, the typical change of the KPI across a "
          "factor's range" if col == "mu_star" else "total Sobol index") + ")")
    mask = table["above_noise"].astype(bool) if "above_noise" in table else pd.Series(True, index=table.index)
    clear = set(zip(table.parameter[mask], table.kpi[mask], strict=True))
    top = S.headline(table, top=3)
    for kpi, names in top.items():
        shown = [n + ("" if (n, kpi) in clear else "?") for n in names]
        print(f"  {kpi:48s} {', '.join(shown) if shown else '(no input changes it)'}")
    if any((n, k) not in clear for k, ns in top.items() for n in ns):
        print("  (?: not clearly above the noise floor, the mu* of chance alone)")


def _report(folder: Path, plain: dict) -> None:
    rep = plain.get("report") or {}
    try:
        from report import write_report

        print(f"Report: {write_report(folder, rep.get('lang'), int(rep.get('workers') or 0))}")
    except Exception as e:  # noqa: BLE001 - the results are already on disk
        print(f"Report not written ({type(e).__name__}: {e}); try: python run.py mode=report input={folder}")
