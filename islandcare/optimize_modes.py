"""``mode=optimize`` and ``mode=frontier``: validate, call ``optimize`` (pure), write the results into
the run folder and print a digest (``mode=evaluate|calibrate``: ``islandcare.optimize_sim``).

- optimize: ``plan.csv``, ``outcomes.csv`` (each outcome today, with the plan, the change), ``options.png``,
  ``options.csv`` (the league table), ``plan_ratios.csv``, ``solve.json``, ``plan_policy.yaml`` (and the
  same file as ``policy/plan_policy.yaml``, so that ``python run.py --config-dir <run folder>
  policy=plan_policy`` simulates the plan);
- frontier: ``frontier.csv``, ``frontier_plans.csv``, ``frontier.png`` / ``.pdf``.

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
from optimize.api import PlanResult, solve_plan
from optimize.league import league_table
from optimize.plan import plan_policy_config
from optimize.settings import OUTCOMES, OptimizerSettings
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
    finish_plan(out, plain, v, st, result)
    print(f"\nResults in {out}")
    return result


def finish_plan(out: Path, plain: dict, v: Validated, st: OptimizerSettings, result: PlanResult,
                league: pd.DataFrame | None = None) -> dict:
    """Write and print a solved plan (or stop with the diagnosis); returns the plan's policy config."""
    write_common(out, plain, v, st, result)
    stop_without_plan(out, result)
    policy_cfg = write_plan(out, plain, v, result)
    league = league_table(result.data, st) if league is None else league
    write_table(league, out / "options.csv")
    save_figure(out, "options", "league_figure", league, st.outcome)
    print_plan(v, st, result)
    print_league(league, st.outcome)
    print_table(plan_ratios(out, v, policy_cfg), "County ratios against the 2025 targets: today and with the plan")
    return policy_cfg


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
    """plan.csv, outcomes.csv and the policy config (returned) in two places."""
    write_table(result.plan, out / "plan.csv")
    write_table(result.outcomes, out / "outcomes.csv")
    policy_cfg = policy_of(result, plain, v, result.levels)
    text = ("# The optimised plan as a policy (keys of PolicyConfig). Simulate it with\n"
            "#   python run.py --config-dir <this folder> policy=plan_policy\n"
            "# or copy it into conf/policy/ and run  python run.py policy=plan_policy\n"
            + OmegaConf.to_yaml(OmegaConf.create(policy_cfg)))
    atomic_write_text(out / PLAN_POLICY, text)
    atomic_write_text(out / "policy" / PLAN_POLICY, text)
    return policy_cfg


def policy_of(result: PlanResult, plain: dict, v: Validated, levels: dict, name: str = "plan") -> dict:
    return plan_policy_config(result.data, levels, plain.get("policy", {}), name=name,
                              night_doctors=dict(v.policy.night_doctors), hospital_beds=dict(v.policy.hospital_beds))


def write_common(out: Path, plain: dict, v: Validated, st: OptimizerSettings, result: PlanResult) -> None:
    atomic_write_text(out / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    record = {"scenario": v.scenario.name, "policy": v.policy.name, "objective": st.objective, "outcome": st.outcome,
              "floors": dict(st.floors), "weights_yuan_per_unit": dict(st.weights),
              "operating_budget": st.operating_budget, "capital_budget": st.capital_budget,
              **result.report.as_dict(), "notes": list(result.data.notes), **environment_record()}
    atomic_write_text(out / "solve.json", json.dumps(record, indent=2, sort_keys=True, default=str))


def stop_without_plan(out: Path, result: PlanResult) -> None:
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


def objective_words(st: OptimizerSettings) -> str:
    if st.objective == "max_outcome":
        return f"most {st.outcome} ({OUTCOMES[st.outcome]})"
    if st.objective == "weighted":
        return "most value of the outcomes at the given yuan per unit: " + ", ".join(
            f"{o} {w:,.0f}" for o, w in st.weights.items())
    return "least cost"


def print_plan(v: Validated, st: OptimizerSettings, result: PlanResult) -> None:
    r = result.report
    head = {"optimal": "optimal plan", "time_limit": "best plan found before the time limit (not proven optimal)",
            "unbounded": "unbounded program: the plan shown is one feasible plan"}.get(r.status, r.status)
    gap = "–" if r.gap is None else f"{r.gap:.2e}"
    print(f"\n{v.scenario.name}, from policy {v.policy.name}: {head}; objective: {objective_words(st)}")
    print(f"  solver {r.solver}, {r.seconds:.2f} s; gap {gap}")
    plan = result.plan
    cap, op = plan.cost_capital.sum(), plan.cost_operating.sum()
    print(f"  capital {cap:,.0f} of {st.capital_budget:,.0f} yuan; extra operating {op:,.0f} of "
          f"{st.operating_budget:,.0f} yuan per year")
    changes = plan[plan.change != 0]
    if len(changes):
        print_table(changes, "Changes (cost_capital in yuan, cost_operating in yuan per year)")
    else:
        print("\nNo change to today's resources.")
    t = result.outcomes[["outcome", "today", "planned", "change", "floor"]]
    print_table(t, "Outcomes per year: today, with the plan, and the change (units in outcomes.csv)")
    for note in result.data.notes:
        print(f"Note: {note}")


def print_league(league: pd.DataFrame, outcome: str, top: int = 8) -> None:
    t = league[(league.outcome == outcome) & league["rank"].notna()].head(top)
    if len(t):
        print_table(t[["rank", "option", "cost_capital", "cost_operating", "change", "yuan_per_unit"]],
                    f"League table for {outcome}: yuan per year per unit ({t.unit.iloc[0]}); all outcomes in options.csv")


# --- frontier ------------------------------------------------------------------------------------------
def frontier_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "frontier") -> pd.DataFrame:
    from optimize.frontier import frontier

    v, st = prepare(plain, cwd)
    t0 = time.perf_counter()
    table, plans = frontier(v.scenario, v.policy, st)
    seconds = time.perf_counter() - t0
    write_table(table, out / "frontier.csv")
    write_table(plans, out / "frontier_plans.csv")
    atomic_write_text(out / "config_resolved.yaml", OmegaConf.to_yaml(OmegaConf.create(plain)))
    save_figure(out, "frontier", "frontier_figure", table, tuple(st.frontier_outcomes()))
    outcomes = list(st.frontier_outcomes())
    merged = table.budgets_sampled.fillna(1).gt(1).any()
    cols = ["point", "kind", "budget", *(["budget_to", "budgets_sampled"] if merged else []), "status", *outcomes,
            "cost_operating", "cost_capital", "knee"]
    solves = int(table.budgets_sampled.fillna(0).sum())
    shown = table[cols].copy()
    for c in ("budget", "budget_to", "cost_operating", "cost_capital"):  # yuan, to the yuan (steps are small)
        if c in shown:
            shown[c] = shown[c].map(lambda x: "" if pd.isna(x) else f"{x:,.0f}")
    for o in outcomes:
        shown[o] = shown[o].map(lambda x: "" if pd.isna(x) else f"{x:,.5g}")
    print_table(shown, f"Frontier ({len(table) - 1} points from {solves} budgets, {seconds:.1f} s, solver {st.solver})"
                + ("; a run of budgets giving the same plan is one point, budget to budget_to" if merged else ""))
    knee = table[table.knee]
    if len(knee):
        k = knee.iloc[0]
        print(f"\nKnee (returns start to diminish) at point {k.point}: " +
              ", ".join(f"{o} {k[o]:,.4g}" for o in outcomes) + f"; extra operating {k.cost_operating:,.0f} yuan per "
              f"year; {k.plan}")
    last = table[table.kind == "budget"].dropna(subset=["cost_capital"]).tail(1)
    if len(last) and last.cost_capital.iloc[0] >= 0.99 * st.capital_budget:
        print(f"Note: the capital budget ({st.capital_budget:,.0f} yuan) is nearly spent at the top of the range "
              f"({last.cost_capital.iloc[0]:,.0f}): more capital (optimizer.capital_budget) may buy more {outcomes[0]}.")
    infeasible = table[table.status == "infeasible"]
    if len(infeasible):
        print(f"No plan at {len(infeasible)} point(s): {infeasible.plan.iloc[0] if infeasible.plan.notna().any() else ''}")
    print(f"\nResults in {out}")
    return table


def save_figure(out: Path, stem: str, name: str, *args) -> None:
    """``<stem>.png`` / ``.pdf`` drawn by ``report.figures_optimize.<name>(*args)``; a figure with nothing
    to show (e.g. no option buys any of the outcome) is skipped with a note."""
    import io

    import matplotlib.pyplot as plt

    from experiments.io import atomic_write_bytes
    from report import figures_optimize

    try:
        fig = getattr(figures_optimize, name)(*args)
    except ValueError as e:
        print(f"Note: {stem}.png not drawn ({e})")
        return
    try:
        for fmt, meta in (("png", {"Software": None}), ("pdf", {"Creator": None, "Producer": None,
                                                                  "CreationDate": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=300, metadata=meta)
            atomic_write_bytes(out / f"{stem}.{fmt}", buf.getvalue())
    finally:
        plt.close(fig)
