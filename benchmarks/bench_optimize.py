"""Speed of the planning program on the default Shengsi scenario (figures recorded in
benchmarks/README.md, section "Optimisation").

Measures, with the defaults of ``optimize.settings`` (``conf/optimizer/default.yaml`` restates none):
  (a) building the program's data (outcome curves from the scenario) and the PuLP model;
  (b) one full solve (``optimize.api.solve_plan``: model, solve, polishing pass, tables) with HiGHS
      and with CBC: median wall seconds over ``--repeat`` runs (target: < 1 s);
  (c) the default 20-point frontier (``optimize.frontier.frontier``: budgets found by solving, from
      the cheapest plan to where the maximised outcome stops improving; runs of budgets giving the
      same plan merged), HiGHS and CBC, its budget range and distinct plans (target: < 20 s);
  (d) the 20-point epsilon-constraint front of survivors against within-target patients (HiGHS);
  (e) with ``--calibrate``: ``run.py mode=calibrate`` of the Shengsi plan with ``--reps`` (10) paired
      replications per round, wall seconds, rounds and the outcomes flagged in the first and the last
      round (target: < 15 minutes on 2 cores). Run it with ``nice`` on a shared machine.

Usage: python benchmarks/bench_optimize.py [--repeat 5] [--json] [--calibrate [--reps 10] [--keep DIR]]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from optimize.api import solve_plan  # noqa: E402
from optimize.blocks import build_program  # noqa: E402
from optimize.data import build_data  # noqa: E402
from optimize.frontier import frontier  # noqa: E402
from optimize.settings import OptimizerSettings  # noqa: E402
from scenarios.loader import load_scenario  # noqa: E402
from scenarios.policy import baseline_policy  # noqa: E402

TARGET_SOLVE_S, TARGET_FRONTIER_S, TARGET_CALIBRATE_S = 1.0, 20.0, 15 * 60.0


def calibrate(reps: int, keep: str | None = None) -> dict:
    """``run.py mode=calibrate`` of the default Shengsi plan in a temporary folder (or ``keep``)."""
    import contextlib

    import pandas as pd

    with (contextlib.nullcontext(keep) if keep else tempfile.TemporaryDirectory()) as tmp:
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "run.py", "mode=calibrate", f"experiment.replications={reps}",
                            "experiment.progress=false", f"hydra.run.dir={tmp}"], cwd=ROOT, capture_output=True,
                           text=True)
        wall = time.perf_counter() - t
        if r.returncode != 0:
            return {"calibrate_error": r.stderr[-2000:]}
        cal = pd.read_csv(Path(tmp) / "calibration.csv")
        last = int(cal["round"].max())
        flags = {k: sorted(cal[(cal["round"] == k) & cal.flag].outcome) for k in (1, last)}
        status = next((ln for ln in r.stdout.splitlines()
                       if ln.startswith(("Calibration converged", "Calibration stalled", "Calibration not",
                                         "Calibration round"))), "")
        return {"calibrate_wall_s": wall, "calibrate_rounds": last, "calibrate_flagged_first": flags[1],
                "calibrate_flagged_last": flags[last], "calibrate_status": status.strip(),
                "calibrate_reps": reps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--keep", help="run the calibration in this folder and keep its results")
    args = ap.parse_args()

    s = load_scenario(ROOT / "scenarios" / "shengsi")
    p = baseline_policy(s)
    st = OptimizerSettings()
    out: dict = {"python": platform.python_version(), "machine": platform.processor() or platform.machine()}

    t0 = time.perf_counter()
    data = build_data(s, p, st)
    t1 = time.perf_counter()
    prog = build_program(data, st)
    t2 = time.perf_counter()
    out["data_s"], out["model_s"] = t1 - t0, t2 - t1
    out["variables"], out["constraints"] = len(prog.problem.variables()), len(prog.problem.constraints())
    out["integer_variables"] = sum(1 for v in prog.problem.variables() if v.cat == "Integer")

    for solver in ("highs", "cbc"):
        sst = st.replace(solver=solver)
        walls, solver_s, objective, status = [], [], None, None
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = solve_plan(s, p, sst)
            walls.append(time.perf_counter() - t)
            solver_s.append(r.report.seconds)
            objective, status = r.report.objective, r.report.status
        out[f"solve_{solver}_wall_s"] = statistics.median(walls)
        out[f"solve_{solver}_solver_s"] = statistics.median(solver_s)
        out[f"solve_{solver}_objective"] = objective
        out[f"solve_{solver}_status"] = status
        t = time.perf_counter()
        table, _ = frontier(s, p, sst, data)
        out[f"frontier_{solver}_wall_s"] = time.perf_counter() - t
        out[f"frontier_{solver}_points"] = int((table.kind != "today").sum())
        out[f"frontier_{solver}_optimal"] = int((table.status == "optimal").sum())
        out[f"frontier_{solver}_budgets"] = [float(table.budget.min()), float(table.budget_to.max())]
        out[f"frontier_{solver}_budgets_solved"] = int(table.budgets_sampled.fillna(0).sum())
        out[f"frontier_{solver}_distinct_plans"] = int(table.loc[table.kind != "today", "plan"].dropna().nunique())
    two = st.replace(frontier={"outcomes": ("survivors", "within_target"), "points": 20}, operating_budget=30e6)
    t = time.perf_counter()
    table, _ = frontier(s, p, two, data)
    out["pareto_highs_wall_s"] = time.perf_counter() - t
    out["pareto_highs_points"] = int((table.kind != "today").sum())
    if args.calibrate:
        out.update(calibrate(args.reps, args.keep))

    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"Shengsi program: {out['variables']} variables ({out['integer_variables']} integer), "
          f"{out['constraints']} constraints; data {out['data_s']:.2f} s, model {out['model_s']:.2f} s")
    for solver in ("highs", "cbc"):
        ok = "ok" if out[f"solve_{solver}_wall_s"] < TARGET_SOLVE_S else "OVER TARGET"
        print(f"  {solver:5s} one plan:  {out[f'solve_{solver}_wall_s']:.2f} s wall (solver "
              f"{out[f'solve_{solver}_solver_s']:.2f} s), objective {out[f'solve_{solver}_objective']:.4f}, "
              f"{out[f'solve_{solver}_status']}  [target < {TARGET_SOLVE_S:g} s: {ok}]")
        ok = "ok" if out[f"frontier_{solver}_wall_s"] < TARGET_FRONTIER_S else "OVER TARGET"
        lo, hi = out[f"frontier_{solver}_budgets"]
        print(f"  {solver:5s} frontier: {out[f'frontier_{solver}_wall_s']:.2f} s wall for "
              f"{out[f'frontier_{solver}_budgets_solved']} budgets ({lo / 1e6:.2f}-{hi / 1e6:.2f} M yuan; "
              f"{out[f'frontier_{solver}_points']} points, {out[f'frontier_{solver}_distinct_plans']} distinct plans, "
              f"{out[f'frontier_{solver}_optimal']} optimal)  [target < {TARGET_FRONTIER_S:g} s: {ok}]")
    print(f"  highs Pareto front survivors x within_target: {out['pareto_highs_wall_s']:.2f} s for "
          f"{out['pareto_highs_points']} points")
    if "calibrate_wall_s" in out:
        ok = "ok" if out["calibrate_wall_s"] < TARGET_CALIBRATE_S else "OVER TARGET"
        print(f"  calibrate ({out['calibrate_reps']} paired replications a round): {out['calibrate_wall_s']:.0f} s, "
              f"{out['calibrate_rounds']} rounds, flagged first {out['calibrate_flagged_first']}, last "
              f"{out['calibrate_flagged_last']}; {out['calibrate_status']}  [target < 15 min: {ok}]")
    elif "calibrate_error" in out:
        print("  calibrate failed:\n" + out["calibrate_error"])


if __name__ == "__main__":
    main()
