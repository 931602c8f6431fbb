"""optimize.settings: the record is the single source of defaults (the shipped YAML only names keys);
bad values name their config key; weights need their unit; outcome names are checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from islandcare import config as C
from optimize.settings import (
    CALIBRATION,
    FRONTIER,
    LEAGUE,
    LIMITS,
    MINIMUMS,
    OPTIONS,
    OUTCOMES,
    WEIGHT_UNITS,
    OptimizerSettings,
    resolve_optimizer,
)
from scenarios.errors import InputError
from scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _yaml() -> dict:
    return yaml.safe_load((ROOT / "conf" / "optimizer" / "default.yaml").read_text(encoding="utf-8"))


def test_shipped_yaml_restates_no_default():
    cfg = _yaml()
    assert set(cfg) == {f.name for f in dataclasses.fields(OptimizerSettings)}
    assert all(v in (None, {}) for v in cfg.values()), cfg
    assert resolve_optimizer(cfg) == OptimizerSettings()


def test_hydra_schema_names_the_settings_keys():
    """islandcare.config spells out each sub-section (so `optimizer.floors.x=1` needs no `+`)."""
    names = lambda cls: {f.name for f in dataclasses.fields(cls)}  # noqa: E731
    assert names(C.OptimizerConfig) == {f.name for f in dataclasses.fields(OptimizerSettings)}
    assert names(C.OutcomeValues) == set(OUTCOMES) == set(WEIGHT_UNITS)
    assert names(C.OptimizerMinimums) == set(MINIMUMS)
    assert names(C.OptimizerLimits) == set(LIMITS)
    assert names(C.OptimizerFrontier) == set(FRONTIER)
    assert names(C.OptimizerLeague) == set(LEAGUE)
    assert names(C.OptimizerCalibration) == set(CALIBRATION)
    assert names(C.OptimizerOptions) == set(OPTIONS)


def test_nulls_from_the_schema_take_the_defaults():
    from omegaconf import OmegaConf

    plain = OmegaConf.to_container(OmegaConf.structured(C.OptimizerConfig))
    assert resolve_optimizer(plain) == OptimizerSettings()


def test_every_bad_key_is_reported_at_once():
    bad = {
        "solver": "gurobi", "gap": 2, "time_limit_s": 0, "objective": "fastest", "outcome": "happiness",
        "operating_budget": -5, "budgets": [1e6, -1], "floors": {"survivors": -1, "smiles": 3},
        "minimums": {"aeds_per_10k": "yes"}, "limits": {"doctors_hire": 1.5, "boats_add_per_base": -1},
        "frontier": {"points": 1, "outcomes": ["survivors", "smiles"]}, "league": {"aed_step": 0},
        "calibration": {"max_rounds": 2.5}, "equity_share": 1.5, "allow_below_today": "no", "colour": "red",
    }
    with pytest.raises(InputError) as e:
        resolve_optimizer(bad)
    places = {p.place for p in e.value.problems}
    assert places == {
        "optimizer.solver", "optimizer.gap", "optimizer.time_limit_s", "optimizer.objective", "optimizer.outcome",
        "optimizer.operating_budget", "optimizer.budgets[1]", "optimizer.floors.survivors", "optimizer.floors.smiles",
        "optimizer.minimums.aeds_per_10k", "optimizer.limits.doctors_hire", "optimizer.limits.boats_add_per_base",
        "optimizer.frontier.points", "optimizer.frontier.outcomes", "optimizer.league.aed_step",
        "optimizer.calibration.max_rounds", "optimizer.equity_share", "optimizer.allow_below_today",
        "optimizer.colour",
    }
    outcome = next(p for p in e.value.problems if p.place == "optimizer.outcome")
    assert outcome.value == "happiness" and "survivors" in outcome.expected and "within_target" in outcome.expected


def test_a_weight_needs_its_unit_and_weighted_needs_weights():
    with pytest.raises(InputError) as e:
        resolve_optimizer({"objective": "weighted", "weights": {"survivors": 2e6}})
    p = {x.place: x for x in e.value.problems}
    assert set(p) == {"optimizer.weights.survivors"}
    assert "yuan_per_survivor" in p["optimizer.weights.survivors"].expected
    with pytest.raises(InputError) as e:
        resolve_optimizer({"objective": "weighted", "weights": {"survivors": {"value": 2e6, "unit": "yuan"}}})
    assert {x.place for x in e.value.problems} == {"optimizer.weights.survivors.unit"}
    with pytest.raises(InputError) as e:
        resolve_optimizer({"objective": "weighted"})
    assert [x.place for x in e.value.problems] == ["optimizer.weights"]
    st = resolve_optimizer({"objective": "weighted",
                            "weights": {"survivors": {"value": 2e6, "unit": "yuan_per_survivor"},
                                        "within_target": {"value": 5e4, "unit": "yuan_per_patient_within_target"}}})
    assert st.objective_weights() == {"survivors": 2e6, "within_target": 5e4}


def test_no_hidden_weights():
    st = OptimizerSettings()
    assert st.weights == {} and st.objective == "max_outcome"
    assert st.objective_weights() == {"survivors": 1.0}
    assert OptimizerSettings(objective="min_cost").objective_weights() == {}


def test_minimum_levels_follow_the_scenario_or_the_number():
    s = load_scenario(ROOT / "tests" / "data" / "tiny")
    st = resolve_optimizer({"minimums": {"doctors_per_1000": True, "aeds_per_10k": 7.5,
                                         "carers_per_10k_elderly": False, "circuit_visits_per_month": True}})
    assert st.minimum_level("doctors_per_1000", s) == s.targets["doctors_per_1000"]
    assert st.minimum_level("aeds_per_10k", s) == 7.5
    assert st.minimum_level("carers_per_10k_elderly", s) is None
    assert st.minimum_level("circuit_visits_per_month", s) == 1.0


def test_frontier_outcomes_default_to_the_objectives():
    assert resolve_optimizer({"outcome": "within_target"}).frontier_outcomes() == ("within_target",)
    st = resolve_optimizer({"frontier": {"outcomes": ["survivors", "within_target"], "points": 5}})
    assert st.frontier_outcomes() == ("survivors", "within_target") and st.frontier["points"] == 5
