"""The planning program on the real Shengsi data: status, costs, minimums, both solvers, min-cost,
levels below today, where doctors go, floors, the weighted objective and the demand it is built from."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from optimize.api import solve_plan
from optimize.blocks import build_program
from optimize.data import build_data
from optimize.plan import outcome_values, today_levels
from optimize.settings import resolve_optimizer
from optimize.solve import solve, values
from scenarios.loader import load_scenario
from scenarios.policy import baseline_policy
from scenarios.routing import arrivals_per_year

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shengsi():
    s = load_scenario(ROOT / "scenarios" / "shengsi")
    return s, baseline_policy(s)


@pytest.fixture(scope="module")
def default_plans(shengsi):
    s, p = shengsi
    return {solver: solve_plan(s, p, resolve_optimizer({"solver": solver})) for solver in ("highs", "cbc")}


def test_demand_matches_the_simulations_expectation(shengsi):
    from sim.calendar import Calendar
    from sim.demand import Demand
    from sim.streams import Streams

    s, _ = shengsi
    sim = Demand(s, Streams(1, 0), Calendar(s)).expected_per_year()
    ours = arrivals_per_year(s)
    for (i, c), n in sim.items():
        assert ours[(s.islands[i].id, s.conditions[c].id)] == pytest.approx(n, rel=1e-9)


def test_default_plan_is_optimal_meets_minimums_and_budgets(shengsi, default_plans):
    s, p = shengsi
    for solver, r in default_plans.items():
        assert r.report.ok, solver
        assert r.report.gap is not None and r.report.gap <= 1e-4
        assert r.report.bound == pytest.approx(r.report.objective, rel=1e-4)
        plan = r.plan.set_index(["resource", "site"])
        assert (plan.change == plan.planned - plan.today).all()
        assert (plan.change >= 0).all()  # nothing below today by default
        assert plan.cost_capital.sum() <= 10_000_000 + 1e-6
        assert plan.cost_operating.sum() <= 20_200_000 + 1e-6
        doctors = plan.loc["doctors"].planned.sum()
        assert doctors >= math.ceil(4.2 * s.population / 1000 - 1e-9)
        assert plan.loc["aeds"].planned.sum() >= math.ceil(5 * s.population / 10_000)
        assert plan.loc["carers"].planned.sum() >= math.ceil(25 * s.elderly / 10_000)
        for isl in ("lvhua", "tanhu", "bixia"):  # inhabited, no doctor today: a visit a month or a doctor
            visits = plan.loc[("circuit_visits", isl)].planned
            on_island = sum(plan.loc[("doctors", f.id)].planned for f in s.facilities if f.island == isl)
            assert visits >= 1 or on_island >= 1
    a, b = default_plans["highs"].report.objective, default_plans["cbc"].report.objective
    assert a == pytest.approx(b, rel=2e-4)  # each within the 1e-4 gap of the optimum


def test_hull_value_is_never_below_the_exact_value(default_plans):
    t = default_plans["highs"].outcomes
    assert (t.planned_model >= t.planned - 1e-9).all()


def test_the_default_plan_buys_survivors_and_reports_natural_units(default_plans):
    t = default_plans["highs"].outcomes.set_index("outcome")
    assert t.loc["survivors", "change"] > 0.1  # AEDs where arrests are
    assert list(default_plans["highs"].outcomes.columns[:5]) == ["outcome", "unit", "today", "planned", "change"]
    assert (t.change == t.planned - t.today).all()
    assert t.loc["survivors", "unit"] == "expected cardiac-arrest survivors per year"


def test_doctors_follow_population_when_it_makes_no_difference(shengsi, default_plans):
    """Doctors are far from busy: the minimum's extra doctors go where the residents are."""
    s, _ = shengsi
    plan = default_plans["highs"].plan
    d = plan[plan.resource == "doctors"].set_index("site")
    by_island = {}
    for f in s.facilities:
        by_island[f.island] = by_island.get(f.island, 0) + d.loc[f.id, "change"]
    added = sum(by_island.values())
    assert added >= 60
    share = {i.id: i.population / s.population for i in s.islands}
    for isl, n in by_island.items():
        assert abs(n - share[isl] * added) <= 2.5, (isl, n, share[isl] * added)


def test_min_cost_buys_exactly_the_minimums(shengsi):
    s, p = shengsi
    c = {k: v.value for k, v in s.costs.items()}
    r = solve_plan(s, p, resolve_optimizer({"objective": "min_cost"}))
    assert r.report.ok
    plan = r.plan.set_index("resource")
    extra_doctors = math.ceil(4.2 * s.population / 1000 - 1e-9) - sum(p.doctors.values())
    extra_aeds = math.ceil(5 * s.population / 10_000 - 1e-9) - sum(p.aeds.values())
    extra_carers = math.ceil(25 * s.elderly / 10_000 - 1e-9) - sum(p.carers.values())
    assert plan.loc["doctors"].change.sum() == extra_doctors
    assert plan.loc["aeds"].change.sum() == extra_aeds
    assert plan.loc["carers"].change.sum() == extra_carers
    op = extra_doctors * c["doctor_year"] + extra_aeds * c["aed_upkeep_year"] + extra_carers * c["carer_year"]
    assert r.plan.cost_operating.sum() == pytest.approx(op)
    assert r.plan.cost_capital.sum() == pytest.approx(extra_aeds * c["aed_purchase"])


def test_below_today_when_allowed_saves_money(shengsi):
    s, p = shengsi
    off = {k: False for k in ("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly",
                              "circuit_visits_per_month")}
    r = solve_plan(s, p, resolve_optimizer({"objective": "min_cost", "minimums": off, "allow_below_today": True}))
    assert r.report.ok
    assert r.plan.cost_operating.sum() < 0
    assert (r.plan.change < 0).any()
    assert (r.plan.cost_capital >= 0).all()  # nothing sold back


def test_a_floor_is_met_and_costs_the_maximised_outcome(shengsi, default_plans):
    s, p = shengsi
    free = default_plans["highs"].outcomes.set_index("outcome")
    floor = free.loc["within_target", "planned"] + 10
    r = solve_plan(s, p, resolve_optimizer({"operating_budget": 30e6, "floors": {"within_target": floor}}))
    assert r.report.ok
    got = r.outcomes.set_index("outcome")
    assert got.loc["within_target", "planned_model"] >= floor - 1e-6
    assert (r.plan[r.plan.resource == "boats"].change > 0).any()  # boats bring patients in time
    more = solve_plan(s, p, resolve_optimizer({"operating_budget": 30e6}))
    assert got.loc["survivors", "planned"] <= more.outcomes.set_index("outcome").loc["survivors", "planned"] + 1e-6


def test_weighted_objective_values_outcomes_in_yuan(shengsi):
    s, p = shengsi
    w = {"survivors": {"value": 5e6, "unit": "yuan_per_survivor"},
         "within_target": {"value": 2e5, "unit": "yuan_per_patient_within_target"}}
    r = solve_plan(s, p, resolve_optimizer({"objective": "weighted", "weights": w, "operating_budget": 30e6}))
    assert r.report.ok
    o = r.outcomes.set_index("outcome")
    value = 5e6 * o.loc["survivors", "planned_model"] + 2e5 * o.loc["within_target", "planned_model"]
    assert r.report.objective == pytest.approx(value / 1e6, rel=1e-3)  # million yuan, tie-breaks aside
    assert o.loc["survivors", "weight_unit"] == "yuan_per_survivor" and o.loc["survivors", "weight"] == 5e6


def test_outcomes_today_do_not_depend_on_the_settings(shengsi):
    s, p = shengsi
    a = build_data(s, p, resolve_optimizer({}))
    b = build_data(s, p, resolve_optimizer({"operating_budget": 1e9, "outcome": "within_target"}))
    assert outcome_values(a, today_levels(a)) == outcome_values(b, today_levels(b))


def test_reading_values_without_a_solution_is_refused(shengsi):
    s, p = shengsi
    st = resolve_optimizer({"capital_budget": 0})
    prog = build_program(build_data(s, p, st), st)
    report = solve(prog.problem, st)
    assert report.status == "infeasible" and not report.has_solution
    with pytest.raises(RuntimeError, match="infeasible"):
        values(prog.problem, report, prog.x)


def test_converted_hospital_beds_leave_the_ward_and_join_the_care_home(shengsi):
    from optimize.plan import plan_policy_config
    from scenarios.policy import resolve_policy

    s, _ = shengsi
    p = resolve_policy(s, {"name": "short_of_care_beds", "care_beds": {"sijiao_home": 100}})
    off = dict.fromkeys(("doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"), False)
    st = resolve_optimizer({"limits": {"convert_hospital_beds": 10}, "outcome": "placed_in_care",
                            "minimums": off, "operating_budget": 3e6, "capital_budget": 0})
    r = solve_plan(s, p, st)
    assert r.report.ok
    conv = r.plan[(r.plan.resource == "beds_converted") & (r.plan.change > 0)]
    assert len(conv) > 0
    cfg = plan_policy_config(r.data, r.levels, {"name": "x"}, night_doctors=dict(p.night_doctors),
                             hospital_beds=dict(p.hospital_beds))
    pol = resolve_policy(s, cfg)
    for row in conv.itertuples():
        home = r.data.conversions[row.site]
        assert pol.hospital_beds[row.site] == p.hospital_beds[row.site] - row.planned
        assert pol.care_beds[home] >= r.levels[f"care_beds__{home}"] + row.planned
