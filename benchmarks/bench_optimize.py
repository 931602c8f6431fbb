"""Speed of the planning program on the default Shengsi scenario (figures recorded in
benchmarks/README.md, section "Optimisation").

Measures, with the settings of ``conf/optimizer/default.yaml``:
  (a) building the program's data (benefit curves from the scenario) and the PuLP model;
  (b) one full solve (``optimize.api.solve_plan``: model, solve, polishing pass, plan table) with
      HiGHS and with CBC: median wall seconds over ``--repeat`` runs, and the solver's own seconds
      (target: < 1 s);
  (c) the 20-budget frontier (``optimize.api.frontier``, default budgets 0 to 2x the operating
      budget) with HiGHS and with CBC: wall seconds (target: < 20 s).

Usage: python benchmarks/bench_optimize.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from optimize.api import frontier, solve_plan  # noqa: E402
from optimize.blocks import build_program  # noqa: E402
from optimize.data import build_data  # noqa: E402
from optimize.settings import resolve_optimizer  # noqa: E402
from scenarios.loader import load_scenario  # noqa: E402
from scenarios.policy import baseline_policy  # noqa: E402

TARGET_SOLVE_S, TARGET_FRONTIER_S = 1.0, 20.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    s = load_scenario(ROOT / "scenarios" / "shengsi")
    p = baseline_policy(s)
    cfg = yaml.safe_load((ROOT / "conf" / "optimizer" / "default.yaml").read_text(encoding="utf-8"))
    st = resolve_optimizer(cfg)
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
        table, _ = frontier(s, p, sst)
        out[f"frontier_{solver}_wall_s"] = time.perf_counter() - t
        out[f"frontier_{solver}_budgets"] = len(table)
        out[f"frontier_{solver}_feasible"] = int((table.status != "infeasible").sum())
        out[f"frontier_{solver}_solver_s"] = float(table.seconds.sum())
        if solver == "highs":  # the same frontier, handing HiGHS the whole model at every budget
            t = time.perf_counter()
            cold, _ = frontier(s, p, sst, reuse=False)
            out["frontier_highs_cold_wall_s"] = time.perf_counter() - t
            same = (cold.status == table.status).all() and ((cold.benefit - table.benefit).abs().fillna(0) < 1e-3).all()
            out["frontier_highs_cold_same"] = bool(same)

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
        print(f"  {solver:5s} frontier: {out[f'frontier_{solver}_wall_s']:.2f} s wall for "
              f"{out[f'frontier_{solver}_budgets']} budgets ({out[f'frontier_{solver}_feasible']} feasible; solver "
              f"{out[f'frontier_{solver}_solver_s']:.2f} s)  [target < {TARGET_FRONTIER_S:g} s: {ok}]")
        if solver == "highs":
            print(f"        frontier without model reuse: {out['frontier_highs_cold_wall_s']:.2f} s wall "
                  f"(same results: {out['frontier_highs_cold_same']})")


if __name__ == "__main__":
    main()
