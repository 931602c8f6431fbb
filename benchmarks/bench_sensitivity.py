"""Benchmark: the default Morris screening of Shengsi (every ranged factor, the default design).

    python benchmarks/bench_sensitivity.py                      # the default screening, timed
    python benchmarks/bench_sensitivity.py --double             # and the design doubled: does the ranking hold?
    python benchmarks/bench_sensitivity.py --compare A B        # compare two finished screenings (no run)
    python benchmarks/bench_sensitivity.py --uncertainty FILE   # another ranges file (e.g. the data engineer's)

Runs ``run.py mode=sensitivity`` as a user would (reports off, ``nice``), into ``--out``
(default ``outputs/bench_sensitivity/``), and prints: factors, design points, horizon, wall time
against the 30-minute target, and per KPI the top factors with whether the interval of their mu*
clears zero. ``--double`` runs the same screening with twice the trajectories and compares the two
rankings per KPI (Spearman correlation of mu* over the factors, and whether the top 3 agree), the
check that the default design is large enough. Re-run it when the full uncertainty.csv or a faster
simulation lands; record the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 30 * 60


def screen(out: Path, extra: list[str], workers: int) -> float:
    """One screening through run.py; its wall time in seconds."""
    shutil.rmtree(out, ignore_errors=True)  # a fresh folder: finished points would be skipped
    cmd = ["nice", "-n", "10", sys.executable, "run.py", "mode=sensitivity", "experiment.report=false",
           "experiment.progress=false", f"experiment.workers={workers}", f"hydra.run.dir={out}", *extra]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        sys.exit(f"screening failed:\n{res.stderr[-3000:]}")
    return seconds


def summary(folder: Path, top: int = 3) -> dict:
    """Design, and per KPI the top factors and whether their mu* interval clears zero."""
    meta = json.loads((folder / "sensitivity.json").read_text())
    run = json.loads((folder / "run.json").read_text())
    t = pd.read_csv(folder / "sensitivity.csv")
    kpis = {}
    for kpi, g in t.groupby("kpi", sort=False):
        g = g[g.mu_star > 0].sort_values("mu_star", ascending=False).head(top)
        kpis[kpi] = [{"factor": r.parameter, "mu_star": r.mu_star, "ci": r.mu_star_ci,
                      "clears_zero": bool(r.mu_star - r.mu_star_ci > 0),
                      "above_noise": bool(getattr(r, "above_noise", r.mu_star - r.mu_star_ci > 0)),
                      "floor": getattr(r, "noise_floor", float("nan"))} for r in g.itertuples()]
    return {"factors": len(meta["factors"]), "points": meta["points"], "horizon_days": meta["horizon_days"],
            "warmup_days": meta["warmup_days"], "trajectories": meta["settings"]["trajectories"],
            "wall_s": run.get("wall_seconds"), "kpis": kpis}


def compare(a: Path, b: Path, top: int = 3) -> pd.DataFrame:
    """Per KPI: Spearman correlation of mu* between two screenings, and top-``top`` agreement."""
    ta, tb = (pd.read_csv(f / "sensitivity.csv") for f in (a, b))
    rows = []
    for kpi in ta.kpi.unique():
        x = ta[ta.kpi == kpi].set_index("parameter").mu_star
        y = tb[tb.kpi == kpi].set_index("parameter").mu_star.reindex(x.index)
        moved = (x > 0) | (y > 0)
        if moved.sum() < 2:
            rows.append({"kpi": kpi, "factors_with_effect": int(moved.sum()), "spearman": float("nan"),
                         "same_top": True, "same_first": True})
            continue
        rho = stats.spearmanr(x[moved], y[moved]).statistic
        top_a, top_b = (list(s[moved].sort_values(ascending=False).index[:top]) for s in (x, y))
        rows.append({"kpi": kpi, "factors_with_effect": int(moved.sum()), "spearman": round(float(rho), 3),
                     "same_top": set(top_a) == set(top_b), "same_first": top_a[0] == top_b[0]})
    return pd.DataFrame(rows)


def report(folder: Path, seconds: float | None) -> None:
    s = summary(folder)
    wall = seconds if seconds is not None else s["wall_s"]
    print(f"{folder}: {s['factors']} factors, {s['points']} points ({s['trajectories']} trajectories), "
          f"{s['horizon_days']:g} days ({s['warmup_days']:g} warm-up) per point")
    if wall:
        print(f"  wall {wall / 60:.1f} min (target {TARGET_S / 60:.0f} min: {'met' if wall <= TARGET_S else 'NOT met'})")
    clears = [f["clears_zero"] for fs in s["kpis"].values() for f in fs[:1]]
    above = [f["above_noise"] for fs in s["kpis"].values() for f in fs[:1]]
    print(f"  KPIs whose top factor's mu* interval clears zero: {sum(clears)} of {len(clears)} with an effect; "
          f"clears the noise floor: {sum(above)}")
    for kpi, fs in s["kpis"].items():
        floor = f" [floor {fs[0]['floor']:.2g}]" if fs and fs[0]["floor"] == fs[0]["floor"] else ""
        shown = ", ".join(f"{f['factor']} ({f['mu_star']:.3g} ± {f['ci']:.2g}"
                          f"{'' if f['clears_zero'] else ', overlaps 0'}{'' if f['above_noise'] else ', noise?'})"
                          for f in fs) or "(no factor moves it)"
        print(f"  {kpi:48s} {shown}{floor}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench_sensitivity")
    ap.add_argument("--workers", type=int, default=0, help="0: every usable core")
    ap.add_argument("--trajectories", type=int, default=None, help="default: the configured default")
    ap.add_argument("--horizon", type=float, default=None, help="days per point (default: the configured default)")
    ap.add_argument("--uncertainty", type=Path, default=None, help="a ranges CSV (default: the scenario's)")
    ap.add_argument("--double", action="store_true", help="also run twice the trajectories and compare rankings")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two finished screenings")
    args = ap.parse_args()
    if args.compare:
        print(compare(*args.compare).to_string(index=False))
        return
    workers = args.workers or len(os.sched_getaffinity(0))
    extra = [f"sensitivity.horizon_days={args.horizon:g}"] if args.horizon else []
    if args.uncertainty:
        extra.append(f"sensitivity.uncertainty={args.uncertainty.resolve()}")
    from scenarios.sensitivity import SensitivitySettings

    r = args.trajectories or SensitivitySettings().trajectories
    base = args.out / f"r{r}"
    seconds = screen(base, [*extra, f"sensitivity.trajectories={r}"], workers)
    report(base, seconds)
    if args.double:
        big = args.out / f"r{2 * r}"
        seconds2 = screen(big, [*extra, f"sensitivity.trajectories={2 * r}"], workers)
        report(big, seconds2)
        print(f"\nRanking with {r} vs {2 * r} trajectories:")
        print(compare(base, big).to_string(index=False))


if __name__ == "__main__":
    main()
