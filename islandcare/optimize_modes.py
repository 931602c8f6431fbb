"""``mode=optimize``, ``mode=frontier`` and ``mode=evaluate``: validate, call ``optimize`` (pure), write
the results into the run folder and print a digest.

- optimize: ``plan.csv``, ``terms.csv``, ``plan_ratios.csv``, ``solve.json``, ``plan_policy.yaml`` (and the same file as
  ``policy/plan_policy.yaml``, so that ``python run.py --config-dir <run folder> policy=plan_policy``
  simulates the plan);
- frontier: ``frontier.csv``, ``frontier_plans.csv``, ``frontier.png`` / ``.pdf``;
- evaluate: the optimize outputs, then baseline and plan simulated with the same seeds:
  ``evaluation.csv`` (program versus simulation per term), ``kpis_baseline.parquet``,
  ``kpis_plan.parquet``, ``difference.csv``.

An infeasible program prints its diagnosis, writes ``infeasibility.csv`` and exits with status 2.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from experiments.io import atomic_write_text, environment_record, write_table
from islandcare.console import print_table
from optimize.api import PlanResult, frontier, solve_plan
from optimize.plan import plan_policy_config
from optimize.settings import OptimizerSettings
from scenarios.errors import InputError
from scenarios.validate import Validated, validate

PLAN_POLICY = "plan_policy.yaml"


def prepare(plain: dict, cwd: Path) -> tuple[Validated, OptimizerSettings]:
    """Validate scenario, policy, experiment and optimizer settings (one gate, every problem at once)."""
    v = validate(plain, cwd)
    return v, v.optimizer


# --- optimize ------------------------------------------------------------------------------------------
def optimize_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "optimize") -> PlanResult:
    v, st = prepare(plain, cwd)
    result = solve_plan(v.scenario, v.policy, st)
    _write_common(out, plain, v, st, result)
    _stop_without_plan(out, result)
    policy_cfg = write_plan(out, plain, v, result)
    print_plan(v, st, result)
    print_table(plan_ratios(out, v, policy_cfg), "County ratios against the 2025 targets: today and with the plan")
    print(f"\nResults in {out}")
    return result


def plan_ratios(out: Path, v: Validated, policy_cfg: dict) -> pd.DataFrame:
    """``scenarios.summary.ratio_table`` under the plan, with today's value beside it (plan_ratios.csv)."""
    from scenarios.policy import resolve_policy
    from scenarios.summary import ratio_table

    today = ratio_table(v.scenario, v.policy).set_index("ratio").value
    t = ratio_table(v.scenario, resolve_policy(v.scenario, policy_cfg))
    t.insert(2, "today", t.ratio.map(today))
    write_table(t, out / "plan_ratios.csv")
    return t[["ratio", "today", "value", "target_2025", "meets_target"]]


def write_plan(out: Path, plain: dict, v: Validated, result: PlanResult) -> dict:
    """plan.csv, terms.csv and the policy config (returned) in two places."""
    write_table(result.plan, out / "plan.csv")
    write_table(result.terms, out / "terms.csv")
    policy_cfg = plan_policy_config(result.data, result.levels, plain.get("policy", {}),
                                    night_doctors=dict(v.policy.night_doctors),
                                    hospital_beds=dict(v.policy.hospital_beds))
    text = ("# The optimised plan as a policy (keys of PolicyConfig). Simulate it with\n"
            "#   python run.py --config-dir <this folder> policy=plan_policy\n"
            "# or copy it into conf/policy/ and run  python run.py policy=plan_policy\n"
            + OmegaConf.to_yaml(OmegaConf.create(policy_cfg)))
    atomic_write_text(out / PLAN_POLICY, text)
    atomic_write_text(out / "policy" / PLAN_POLICY, text)
    return policy_cfg


def _write_common(out: Path, plain: dict, v: Validated, st: OptimizerSettings, result: PlanResult) -> None:
    atomic_write_text(out / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    record = {"scenario": v.scenario.name, "policy": v.policy.name, "objective": st.objective,
              "operating_budget": st.operating_budget, "capital_budget": st.capital_budget,
              **result.report.as_dict(), "notes": list(result.data.notes), **environment_record()}
    atomic_write_text(out / "solve.json", json.dumps(record, indent=2, sort_keys=True, default=str))


def _stop_without_plan(out: Path, result: PlanResult) -> None:
    """Infeasible: diagnosis, infeasibility.csv, exit 2. No plan at all: say so and exit 2 as well."""
    from islandcare.hydra_app import EXIT_INFEASIBLE

    r = result.report
    if result.diagnosis is not None:
        write_table(result.diagnosis, out / "infeasibility.csv")
        shown = result.diagnosis[["label", "unit", "limit", "relax_alone", "relax_together", "conflict"]]
        print_table(shown, "Infeasible: constraint groups and how far each must give (elastic re-solves)")
        print("\n" + result.diagnosis_text)
        print(f"\nDiagnosis in {out / 'infeasibility.csv'}")
        sys.exit(EXIT_INFEASIBLE)
    if not r.has_solution:
        print(f"\nNo plan: the {r.solver} solve ended with status '{r.status}' after {r.seconds:.2f} s"
              " and found no feasible plan (raise optimizer.time_limit_s?).")
        sys.exit(EXIT_INFEASIBLE)


def print_plan(v: Validated, st: OptimizerSettings, result: PlanResult) -> None:
    r = result.report
    head = {"optimal": "optimal plan", "time_limit": "best plan found before the time limit (not proven optimal)",
            "unbounded": "unbounded program: the plan shown is one feasible plan"}.get(r.status, r.status)
    gap = "–" if r.gap is None else f"{r.gap:.2e}"
    bound = "–" if r.bound is None else f"{r.bound:,.6g}"
    print(f"\n{v.scenario.name}, from policy {v.policy.name}: {head}")
    print(f"  solver {r.solver}, {r.seconds:.2f} s; objective {r.objective:,.6g} ({st.objective}), "
          f"best bound {bound}, gap {gap}")
    plan = result.plan
    cap, op = plan.cost_capital.sum(), plan.cost_operating.sum()
    print(f"  capital {cap:,.0f} of {st.capital_budget:,.0f} yuan; extra operating {op:,.0f} of "
          f"{st.operating_budget:,.0f} yuan per year")
    changes = plan[plan.change != 0]
    if len(changes):
        print_table(changes, "Changes (cost_capital in yuan, cost_operating in yuan per year)")
    else:
        print("\nNo change to today's resources.")
    t = result.terms[["term", "today", "planned", "change", "weight", "unit"]]
    print_table(t, "Objective terms (per year; exact curves)")
    for note in result.data.notes:
        print(f"Note: {note}")


# --- frontier ------------------------------------------------------------------------------------------
def frontier_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "frontier") -> pd.DataFrame:
    v, st = prepare(plain, cwd)
    if st.objective != "benefit":
        from scenarios.errors import Problem

        raise InputError([Problem("optimizer.objective", "", st.objective,
                                  "benefit (the frontier maximises benefit at each budget)")], "configuration")
    t0 = time.perf_counter()
    table, plans = frontier(v.scenario, v.policy, st)
    seconds = time.perf_counter() - t0
    write_table(table, out / "frontier.csv")
    write_table(plans, out / "frontier_plans.csv")
    atomic_write_text(out / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    save_frontier_figure(table, out)
    shown = table[["budget", "status", "benefit_gain", "cost_operating", "cost_capital", "marginal_per_10k",
                   "best_marginal"]]
    print_table(shown, f"Budget-benefit frontier ({len(table)} operating budgets, {seconds:.1f} s, solver {st.solver})")
    best = table[table.best_marginal]
    if len(best):
        b = best.iloc[0]
        print(f"\nAn extra 10,000 yuan buys the most ({b.marginal_per_10k:.3g} points) on the step up to "
              f"{b.budget:,.0f} yuan per year: {b.plan}")
    infeasible = table[table.status == "infeasible"]
    if len(infeasible):
        print(f"No plan meets the minimums and limits at budgets up to {infeasible.budget.max():,.0f} yuan per year.")
    print(f"\nResults in {out}")
    return table


def save_frontier_figure(table: pd.DataFrame, out: Path) -> None:
    import io

    import matplotlib.pyplot as plt

    from experiments.io import atomic_write_bytes
    from report.figures_optimize import frontier_figure

    fig = frontier_figure(table)
    try:
        for fmt, meta in (("png", {"Software": None}), ("pdf", {"Creator": None, "Producer": None,
                                                                  "CreationDate": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=300, metadata=meta)
            atomic_write_bytes(out / f"frontier.{fmt}", buf.getvalue())
    finally:
        plt.close(fig)


# --- evaluate ------------------------------------------------------------------------------------------
def evaluate_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "evaluate") -> pd.DataFrame:
    from experiments.runner import run_replications
    from experiments.summary import paired_difference
    from islandcare.optimize_evaluation import derived_kpis, evaluation_table
    from optimize.predict import predicted_measures
    from scenarios.policy import resolve_policy

    v, st = prepare(plain, cwd)
    result = solve_plan(v.scenario, v.policy, st)
    _write_common(out, plain, v, st, result)
    _stop_without_plan(out, result)
    policy_cfg = write_plan(out, plain, v, result)
    print_plan(v, st, result)
    plan_policy = resolve_policy(v.scenario, policy_cfg)
    exp = v.experiment
    t0 = time.perf_counter()
    base = run_replications(v.scenario, v.policy, exp, desc=f"{v.scenario.name}/{v.policy.name}")
    plan = run_replications(v.scenario, plan_policy, exp, desc=f"{v.scenario.name}/plan")
    seconds = time.perf_counter() - t0
    write_table(base.kpis, out / "kpis_baseline.parquet")
    write_table(plan.kpis, out / "kpis_plan.parquet")
    write_table(paired_difference(plan.kpis, base.kpis), out / "difference.csv")
    days = exp.horizon_days - exp.warmup_days
    predicted = {"baseline": predicted_measures(result.data, {s.key: s.today for s in result.data.sites}),
                 "plan": predicted_measures(result.data, result.levels)}
    derived_plan, notes = derived_kpis(plan.kpis, v.scenario, result.data, days)
    derived_base, _ = derived_kpis(base.kpis, v.scenario, result.data, days)
    diff = paired_difference(derived_plan, derived_base)
    table = evaluation_table(predicted, diff, notes, st.options["flag_tolerance"])
    write_table(table, out / "evaluation.csv")
    shown = table[["quantity", "predicted_change", "measured_change", "measured_ci_low", "measured_ci_high", "flag"]]
    print_table(shown, f"Program versus simulation ({exp.replications} paired replications of {exp.horizon_days:g} "
                       f"days, {seconds:.1f} s; per year unless a share)")
    for n in notes:
        print(f"Note: {n}")
    flagged = table[table.flag]
    if len(flagged):
        print("Flagged (program and simulation disagree): " + ", ".join(flagged.quantity))
    print(f"\nResults in {out}")
    return table
