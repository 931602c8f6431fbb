"""The plan as a table and as a policy the simulation accepts unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from optimize.api import solve_plan
from optimize.plan import PLAN_COLUMNS, outcome_values, plan_policy_config, today_levels
from optimize.settings import resolve_optimizer
from scenarios.experiment import resolve_experiment
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy, resolve_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_plan():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    base_cfg = {"name": "baseline", "transfer_rule": "boat_first", "helicopter_conditions": ["stroke"]}
    p = resolve_policy(s, base_cfg)
    r = solve_plan(s, p, resolve_optimizer({"operating_budget": 12e6, "capital_budget": 6e6}))
    assert r.report.ok
    return s, p, base_cfg, r


def test_plan_table_columns_and_costs(tiny_plan):
    s, p, _, r = tiny_plan
    t = r.plan
    assert list(t.columns) == PLAN_COLUMNS
    assert (t.change != 0).any()
    unit = {k: c.value for k, c in s.costs.items()}
    aeds = t[t.resource == "aeds"]
    assert (aeds.cost_capital == aeds.change.clip(lower=0) * unit["aed_purchase"]).all()
    assert (aeds.cost_operating == aeds.change * unit["aed_upkeep_year"]).all()
    doctors = t[t.resource == "doctors"]
    assert (doctors.cost_operating == doctors.change * unit["doctor_year"]).all()
    visits = t[t.resource == "circuit_visits"]
    assert (visits.cost_operating == visits.change * 12 * unit["circuit_team_day"]).all()  # 1 day per visit


def test_plan_policy_round_trips_through_yaml_and_the_policy_checks(tiny_plan):
    s, p, base_cfg, r = tiny_plan
    cfg = plan_policy_config(r.data, r.levels, base_cfg, night_doctors=dict(p.night_doctors),
                             hospital_beds=dict(p.hospital_beds))
    cfg = yaml.safe_load(yaml.safe_dump(cfg))
    pol = resolve_policy(s, cfg)
    for row in r.plan.itertuples():
        if row.resource in ("doctors", "aeds", "boats", "care_beds", "carers"):
            assert getattr(pol, row.resource)[row.site] == row.planned, row
        elif row.resource == "circuit_visits":
            assert next(v.visits_per_month for v in pol.circuit if v.island == row.site) == row.planned
    assert pol.transfer_rule == "boat_first" and pol.helicopter_conditions == frozenset({"stroke"})
    assert pol.name == "plan"


def test_the_simulation_runs_the_plan(tiny_plan):
    from sim.model import simulate

    s, p, base_cfg, r = tiny_plan
    pol = resolve_policy(s, plan_policy_config(r.data, r.levels, base_cfg))
    exp = resolve_experiment({"horizon_days": 5, "warmup_days": 0, "replications": 1, "workers": 1,
                              "progress": False})
    k = simulate(s, pol, exp, 0).kpis
    row = k[(k.island == "all") & (k.condition == "all") & (k.metric == "aeds_per_10k")]
    if len(row):  # the arrest module reports the AED density the plan bought
        planned = r.plan[r.plan.resource == "aeds"].planned.sum()
        assert row.value.iloc[0] == pytest.approx(planned / s.population * 10_000)
    assert (k.metric == "arrivals").any()


def test_outcomes_today_equal_the_plans_when_nothing_changes():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    p = baseline_policy(s)
    off = dict.fromkeys(("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"), False)
    r = solve_plan(s, p, resolve_optimizer({"operating_budget": 0, "capital_budget": 0, "minimums": off}))
    assert r.report.ok and (r.plan.change == 0).all()
    assert outcome_values(r.data, r.levels) == outcome_values(r.data, today_levels(r.data))
    assert (r.outcomes.change == 0).all() and (r.outcomes.today > 0).any()


def test_corrections_scale_the_change_and_shift_the_level(tiny_plan):
    from optimize.pieces import Correction

    _, _, _, r = tiny_plan
    raw = outcome_values(r.data, r.levels, corrected=False)
    raw0 = outcome_values(r.data, today_levels(r.data), corrected=False)
    assert raw["survivors"] > raw0["survivors"]  # the plan buys survivors: a change to scale
    data = r.data.with_corrections({"survivors": Correction(scale=0.5, offset=2.0)})
    got, got0 = outcome_values(data, r.levels), outcome_values(data, today_levels(data))
    assert got0["survivors"] == pytest.approx(raw0["survivors"] + 2.0)
    assert got["survivors"] - got0["survivors"] == pytest.approx(0.5 * (raw["survivors"] - raw0["survivors"]))
    assert got["within_target"] == pytest.approx(raw["within_target"])  # other outcomes untouched
