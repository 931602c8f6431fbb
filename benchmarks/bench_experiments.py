"""Benchmark of the experiment layer: replications per second with 1, 2 and all workers, parallel
efficiency, and (with --sweep) the wall time of a 3 policies x 3 boat counts x 3 AED densities sweep
with 20 replications each, run unattended through `run.py -m`.

    .venv/bin/python benchmarks/bench_experiments.py            # workers scaling (about 2 minutes)
    .venv/bin/python benchmarks/bench_experiments.py --sweep    # plus the 27-job sweep (long)
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from experiments.runner import run_replications  # noqa: E402
from scenarios.experiment import Experiment, available_cores  # noqa: E402
from scenarios.validate import validate  # noqa: E402


def scaling(reps: int, days: float) -> pd.DataFrame:
    v = validate({"scenario": {"data_dir": str(ROOT / "scenarios/shengsi")}, "policy": {"name": "baseline"},
                  "experiment": {"horizon_days": days, "warmup_days": 0.0}})
    base = Experiment(horizon_days=days, warmup_days=0.0, replications=reps, seed=1, workers=1, progress=False)
    rows = []
    for workers in sorted({1, 2, available_cores()}):
        t0 = time.perf_counter()
        run_replications(v.scenario, v.policy, replace(base, workers=workers))
        dt = time.perf_counter() - t0
        rows.append({"workers": workers, "replications": reps, "seconds": round(dt, 2),
                     "replications_per_s": round(reps / dt, 3)})
    df = pd.DataFrame(rows)
    one = df.loc[df.workers == 1, "replications_per_s"].iloc[0]
    df["parallel_efficiency"] = (df["replications_per_s"] / (one * df["workers"])).round(3)
    return df


def big_sweep(out: Path) -> float:
    cmd = [sys.executable, "run.py", "-m", "policy=baseline,plan2025,centralised_care",
           "++policy.boats.sijiao=1,2,3", "policy.aeds_per_10k=2,5,10", "experiment.replications=20",
           "experiment.progress=false", "experiment.report=false", f"hydra.sweep.dir={out}"]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=4)
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--sweep", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
          f"({available_cores()} usable), Python {platform.python_version()}")
    df = scaling(args.reps, args.days)
    print(df.to_string(index=False))
    if args.sweep:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "sweep"
            dt = big_sweep(out)
            sweep = pd.read_parquet(out / "sweep.parquet")
            print(f"sweep: {sweep.job.nunique()} jobs x 20 replications, {len(sweep):,} KPI rows, "
                  f"{dt / 60:.1f} min wall")


if __name__ == "__main__":
    main()
