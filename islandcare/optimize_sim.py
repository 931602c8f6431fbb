"""``mode=evaluate`` and ``mode=calibrate``: the program's plan simulated with common random numbers.

- evaluate: the optimize outputs, then today and the plan simulated with the same seeds:
  ``evaluation.csv`` (program versus simulation per outcome), ``kpis_baseline.parquet``,
  ``kpis_plan.parquet``, ``difference.csv``; the ``league.simulate`` best options of the league
  table are simulated too (paired with today): ``options.csv`` gains ``sim_change``, its interval and
  ``sim_yuan_per_unit``;
- calibrate: rounds of solve, simulate, compare, refit each flagged outcome's correction
  (``optimize.calibration``), until a round's plan is confirmed (no outcome flagged; its corrections
  then give the same plan again) or ``calibration.max_rounds``: ``calibration.csv`` (every round and
  outcome), ``corrections.csv`` and the final plan's outputs.

Simulation goes through ``experiments.runner.run_replications``; the optimiser itself never imports
``sim`` or ``experiments``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from experiments.io import write_table
from islandcare.console import print_table
from islandcare.optimize_evaluation import LEVELS_DIFFER, derived_kpis, evaluation_table
from islandcare.optimize_modes import finish_plan, policy_of, prepare, stop_without_plan
from optimize.api import PlanResult, solve_data
from optimize.calibration import Observation, refit
from optimize.data import build_data
from optimize.league import best_options, league_options, league_table, per_unit, rank
from optimize.plan import outcome_values, plan_summary, resource_changes, today_levels
from optimize.predict import predicted_measures
from optimize.settings import OUTCOMES

CALIBRATION_COLUMNS = ["round", "outcome", "scale", "offset", "predicted_baseline", "predicted_change",
                       "measured_baseline", "measured_change", "measured_ci_low", "measured_ci_high", "n", "flag",
                       "note", "plan_changed", "plan"]


class Simulator:
    """Today simulated once; plans simulated on demand (and remembered by their levels)."""

    def __init__(self, v, plain: dict, data):
        from experiments.runner import run_replications

        self.v, self.plain, self.data = v, plain, data
        self.run = run_replications
        self.days = v.experiment.horizon_days - v.experiment.warmup_days
        t0 = time.perf_counter()
        self.base_kpis = run_replications(v.scenario, v.policy, v.experiment, desc=f"{v.scenario.name}/today").kpis
        self.base, self.notes = derived_kpis(self.base_kpis, v.scenario, data, self.days)
        self.seconds = time.perf_counter() - t0
        self.cache: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}

    def plan(self, result: PlanResult, levels: dict, name: str = "plan") -> tuple[pd.DataFrame, pd.DataFrame]:
        """(tidy KPIs, paired difference of the derived measures against today) of ``levels``."""
        from experiments.summary import paired_difference
        from scenarios.policy import resolve_policy

        key = tuple(sorted(levels.items()))
        if key not in self.cache:
            t0 = time.perf_counter()
            pol = resolve_policy(self.v.scenario, policy_of(result, self.plain, self.v, levels, name=name))
            kpis = self.run(self.v.scenario, pol, self.v.experiment, desc=f"{self.v.scenario.name}/{name}").kpis
            derived, _ = derived_kpis(kpis, self.v.scenario, self.data, self.days)
            self.cache[key] = (kpis, paired_difference(derived, self.base))
            self.seconds += time.perf_counter() - t0
        return self.cache[key]


def compare(data, levels: dict, diff: pd.DataFrame, notes, tolerance: float) -> pd.DataFrame:
    predicted = {"baseline": predicted_measures(data, today_levels(data)), "plan": predicted_measures(data, levels)}
    return evaluation_table(predicted, diff, notes, tolerance)


# --- evaluate ------------------------------------------------------------------------------------------
def evaluate_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "evaluate") -> pd.DataFrame:
    from experiments.summary import paired_difference

    v, st = prepare(plain, cwd)
    data = build_data(v.scenario, v.policy, st)
    result = solve_data(data, st)
    stop_without_plan(out, result)
    league = league_table(data, st)
    sim = Simulator(v, plain, data)
    kpis, diff = sim.plan(result, result.levels)
    league = simulate_league(sim, result, data, st, league)
    finish_plan(out, plain, v, st, result, league)
    write_table(sim.base_kpis, out / "kpis_baseline.parquet")
    write_table(kpis, out / "kpis_plan.parquet")
    write_table(paired_difference(kpis, sim.base_kpis), out / "difference.csv")
    table = compare(data, result.levels, diff, sim.notes, st.options["flag_tolerance"])
    write_table(table, out / "evaluation.csv")
    exp = v.experiment
    shown = table[["quantity", "predicted_change", "measured_change", "measured_ci_low", "measured_ci_high", "flag",
                   "note"]].copy()
    shown["note"] = shown.note.fillna("").map(concise)
    print_table(shown, f"Program versus simulation ({exp.replications} paired replications of {exp.horizon_days:g} "
                       f"days, {sim.seconds:.1f} s; per year unless a share; notes in full in evaluation.csv)")
    for n in sim.notes:
        print(f"Note: {n}")
    flagged = table[table.flag]
    if len(flagged):
        print("Flagged (program and simulation disagree): " + ", ".join(flagged.quantity)
              + " (mode=calibrate corrects the program by the simulation)")
    print(f"\nResults in {out}")
    return table


def concise(note: str, width: int = 90) -> str:
    """A note for the console: without the advice in parentheses, cut to ``width`` characters
    (evaluation.csv keeps it whole)."""
    note = note.replace(" (too few events in this run? run longer or more replications)", "")
    note = note.replace("but no replication shows any difference", "no replication shows it")
    return note if len(note) <= width else note[: width - 1].rstrip() + "…"


def simulate_league(sim: Simulator, result: PlanResult, data, st, league: pd.DataFrame) -> pd.DataFrame:
    """The best ``league.simulate`` options for the objective's outcome, simulated paired with today."""
    n = int(st.league["simulate"])
    chosen = set(best_options(league, st.outcome, n)) if n > 0 else set()
    rows = []
    for opt in league_options(data, st):
        if opt.name not in chosen:
            continue
        _, diff = sim.plan(result, opt.levels(data), name=opt.name)
        d = diff.set_index("metric")
        for o in OUTCOMES:
            if o in d.index:
                rows.append({"option": opt.name, "outcome": o, "sim_change": d.loc[o, "difference"],
                             "sim_ci_low": d.loc[o, "diff_ci_low"], "sim_ci_high": d.loc[o, "diff_ci_high"],
                             "sim_n": int(d.loc[o, "n"])})
    if not rows:
        return league
    t = league.merge(pd.DataFrame(rows), on=["option", "outcome"], how="left")
    t["sim_yuan_per_unit"] = [per_unit(c, m) if pd.notna(m) else float("nan")
                              for c, m in zip(t.cost_per_year, t.sim_change, strict=True)]
    return rank(t, "sim_yuan_per_unit", "sim_rank").pipe(lambda x: rank(x))


# --- calibrate -----------------------------------------------------------------------------------------
def resource_costs(data, levels: dict, life: float) -> tuple[tuple, tuple]:
    """Per resource: the plan's county-total change and its yearly cost (capital over ``life`` years)."""
    changes = resource_changes(data, levels)
    costs: dict[str, float] = {}
    for s in data.sites:
        n = levels[s.key] - s.today
        costs[s.resource] = costs.get(s.resource, 0.0) + s.operating * n + s.capital * max(n, 0) / life
    return tuple(sorted(changes.items())), tuple(sorted(costs.items()))


def calibrate_mode(plain: dict, out: Path, cwd: Path, cfg=None, mode: str = "calibrate") -> pd.DataFrame:
    v, st = prepare(plain, cwd)
    data0 = build_data(v.scenario, v.policy, st)
    tolerance = st.options["flag_tolerance"]
    sim = None
    corrections: dict = {}
    rows, observations, seen = [], [], []
    result = previous = table = None
    status = ""
    for rnd in range(1, int(st.calibration["max_rounds"]) + 1):
        data = data0.with_corrections(corrections)
        result = solve_data(data, st)
        if not result.report.has_solution:
            if rnd == 1:
                stop_without_plan(out, result)
            status = f"round {rnd}: the corrected program has no plan ({result.report.status}); last plan kept"
            result = previous
            break
        sim = sim or Simulator(v, plain, data0)
        key = tuple(sorted(result.levels.items()))
        _, diff = sim.plan(result, result.levels)
        table = compare(data, result.levels, diff, sim.notes, tolerance)
        ev = table.set_index("quantity")
        changed = bool(seen) and key != seen[-1]
        flagged = [o for o in OUTCOMES if o in ev.index and bool(ev.loc[o, "flag"])]
        raw_today = outcome_values(data0, today_levels(data0), corrected=False)
        raw_plan = outcome_values(data0, result.levels, corrected=False)
        changes, costs = resource_costs(data0, result.levels, st.league["capital_life_years"])
        this: dict[str, dict] = {}
        for o in OUTCOMES:
            r = ev.loc[o]
            c = data.correction(o)
            this[o] = ({"round": rnd, "outcome": o, "scale": c.scale, "offset": c.offset,
                         "predicted_baseline": r.predicted_baseline, "predicted_change": r.predicted_change,
                         "measured_baseline": r.measured_baseline, "measured_change": r.measured_change,
                         "measured_ci_low": r.measured_ci_low, "measured_ci_high": r.measured_ci_high, "n": r.n,
                         "flag": bool(r.flag), "note": r.note, "plan_changed": changed,
                         "plan": plan_summary(data, result.levels)})
            if pd.notna(r.measured_change):
                observations.append(Observation(o, raw_today[o], raw_plan[o] - raw_today[o], r.measured_baseline,
                                                r.measured_change, changes, costs))
        previous = result
        if not flagged:
            rows += this.values()
            status = f"converged in round {rnd}: the simulation confirms the plan (no outcome flagged)"
            break
        new, notes = refit(observations, corrections, flagged, st.calibration["max_scale"], LEVELS_DIFFER)
        for o, n in notes.items():
            this[o]["note"] = "; ".join(x for x in (this[o]["note"], "refit: " + n) if x)
        rows += this.values()
        if new == corrections and key in seen:
            status = f"stalled in round {rnd}: " + ", ".join(flagged) + " still flagged and no correction changes"
            break
        seen.append(key)
        corrections = new
        status = (f"not converged after {rnd} rounds (optimizer.calibration.max_rounds): " + ", ".join(flagged)
                  + " flagged in the last; the plan is the last round's")
    cal = pd.DataFrame(rows).reindex(columns=CALIBRATION_COLUMNS)
    write_table(cal, out / "calibration.csv")
    final = result.data
    write_table(pd.DataFrame([{"outcome": o, "scale": c.scale, "offset": c.offset,
                               "per_unit": "; ".join(f"{r} {v:.6g}" for r, v in c.slopes)}
                              for o in OUTCOMES if (c := final.correction(o))]), out / "corrections.csv")
    league = league_table(final, st)
    finish_plan(out, plain, v, st, result, league)
    if table is not None:
        write_table(table, out / "evaluation.csv")
    shown = cal[["round", "outcome", "scale", "predicted_change", "measured_change", "measured_ci_low",
                 "measured_ci_high", "flag"]]
    print_table(shown, f"Calibration ({v.experiment.replications} paired replications of "
                       f"{v.experiment.horizon_days:g} days per plan, {sim.seconds if sim else 0:.0f} s simulated)")
    print(f"\nCalibration {status}.")
    print(f"\nResults in {out}")
    return cal
