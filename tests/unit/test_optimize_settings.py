"""optimize.settings: defaults equal the shipped YAML; bad values name their config key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from optimize.settings import (
    DEFAULT_LIMITS,
    DEFAULT_MINIMUMS,
    DEFAULT_OPTIONS,
    DEFAULT_WEIGHTS,
    OptimizerSettings,
    resolve_optimizer,
)
from scenarios.errors import InputError
from scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _yaml() -> dict:
    return yaml.safe_load((ROOT / "conf" / "optimizer" / "default.yaml").read_text(encoding="utf-8"))


def test_code_defaults_equal_the_shipped_yaml():
    cfg = _yaml()
    assert cfg["weights"] == DEFAULT_WEIGHTS
    assert cfg["minimums"] == DEFAULT_MINIMUMS
    assert {k: float(v) for k, v in cfg["limits"].items()} == {k: float(v) for k, v in DEFAULT_LIMITS.items()}
    assert {k: float(v) for k, v in cfg["options"].items()} == {k: float(v) for k, v in DEFAULT_OPTIONS.items()}
    st = resolve_optimizer(cfg)
    d = OptimizerSettings()
    for field in ("solver", "gap", "objective", "operating_budget", "capital_budget", "equity_share",
                  "allow_below_today"):
        assert getattr(st, field) == getattr(d, field), field


def test_every_bad_key_is_reported_at_once():
    bad = {
        "solver": "gurobi", "gap": 2, "time_limit_s": 0, "objective": "fastest", "operating_budget": -5,
        "budgets": [1e6, -1], "weights": {"aed_survivors": -1, "happiness": 1},
        "minimums": {"aeds_per_10k": "yes"}, "limits": {"doctors_hire": 1.5, "boats_add_per_base": -1},
        "options": {"frontier_points": 1}, "equity_share": 1.5, "allow_below_today": "no", "colour": "red",
    }
    with pytest.raises(InputError) as e:
        resolve_optimizer(bad)
    places = {p.place for p in e.value.problems}
    assert places == {
        "optimizer.solver", "optimizer.gap", "optimizer.time_limit_s", "optimizer.objective",
        "optimizer.operating_budget", "optimizer.budgets[1]", "optimizer.weights.aed_survivors",
        "optimizer.weights.happiness", "optimizer.minimums.aeds_per_10k", "optimizer.limits.doctors_hire",
        "optimizer.limits.boats_add_per_base", "optimizer.options.frontier_points", "optimizer.equity_share",
        "optimizer.allow_below_today", "optimizer.colour",
    }
    solver = next(p for p in e.value.problems if p.place == "optimizer.solver")
    assert solver.value == "gurobi" and "highs" in solver.expected and "cbc" in solver.expected


def test_minimum_levels_follow_the_scenario_or_the_number():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    st = resolve_optimizer({"minimums": {"doctors_per_1000": True, "aeds_per_10k": 7.5,
                                         "carers_per_10k_elderly": False, "circuit_visits_per_month": True}})
    assert st.minimum_level("doctors_per_1000", s) == s.targets["doctors_per_1000"]
    assert st.minimum_level("aeds_per_10k", s) == 7.5
    assert st.minimum_level("carers_per_10k_elderly", s) is None
    assert st.minimum_level("circuit_visits_per_month", s) == 1.0


def test_frontier_budgets_default_span_and_given_list():
    st = resolve_optimizer({"operating_budget": 1e6})
    b = st.frontier_budgets()
    assert len(b) == 20 and b[0] == 0 and b[-1] == pytest.approx(2e6)
    assert resolve_optimizer({"budgets": [3e5, 1e5]}).frontier_budgets() == (1e5, 3e5)
