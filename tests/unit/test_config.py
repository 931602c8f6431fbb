"""The Hydra config: structured schemas reject misspelled keys at composition; every shipped config
group composes and validates; the schemas and the validators agree on the keys."""

from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

import islandcare.hydra_app  # noqa: F401  (registers the structured configs in the ConfigStore)
from islandcare.config import ExperimentConfig, PolicyConfig
from scenarios.experiment import Experiment
from scenarios.summary import ratio_table
from scenarios.validate import validate

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "conf"


def composed(*overrides: str):
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose("config", overrides=list(overrides))


def plain(*overrides: str) -> dict:
    return OmegaConf.to_container(composed(*overrides), resolve=True)


def test_defaults_compose():
    cfg = composed()
    assert cfg.mode == "run"
    assert cfg.scenario.data_dir == "scenarios/shengsi" and cfg.scenario.year == 2024
    assert cfg.policy.name == "baseline" and cfg.experiment.replications == 5


@pytest.mark.parametrize("override", ["policy.dcotors=3", "experiment.replicatons=3", "scenario.yaer=2020",
                                      "optimizer.capital_budgt=1", "mdoe=summary"])
def test_misspelled_key_fails_at_composition(override):
    key = override.split("=")[0].split(".")[-1]
    with pytest.raises(ConfigCompositionException) as e:
        composed(override)
    assert key in str(e.value) + str(e.value.__cause__)


@pytest.mark.parametrize("override", ["experiment.replications=many", "scenario.year=recent",
                                      "policy.aeds_per_10k=lots", "policy.helicopter=maybe"])
def test_wrongly_typed_value_fails_at_composition(override):
    with pytest.raises(ConfigCompositionException):
        composed(override)


def test_new_map_key_needs_plus_and_then_reaches_validation():
    with pytest.raises(ConfigCompositionException):
        composed("policy.boats.sijiao=2")  # dict keys are closed unless added with + / ++
    cfg = plain("++policy.boats.sijiao=2")
    assert validate(cfg, ROOT).policy.boats["sijiao"] == 2


def test_default_config_validates():
    """Every key the schemas emit is known to the validators (else: 'unknown policy key')."""
    v = validate(plain(), ROOT)
    assert v.scenario.population == 64_000 and v.policy.name == "baseline"
    assert v.experiment.horizon_days == 365 and v.experiment.warmup_days == 30


def test_experiment_schema_and_record_agree():
    """resolve_experiment ignores keys it does not know, so the schema must not invent any."""
    schema = {f.name for f in dataclasses.fields(ExperimentConfig)}
    assert schema == {f.name for f in dataclasses.fields(Experiment)}


def test_policy_schema_defaults_are_the_baseline(tiny):
    from scenarios.policy import baseline_policy, resolve_policy

    defaults = OmegaConf.to_container(OmegaConf.structured(PolicyConfig))
    assert resolve_policy(tiny, defaults) == baseline_policy(tiny)


@pytest.mark.parametrize("policy", sorted(p.stem for p in (CONF / "policy").glob("*.yaml")))
def test_every_shipped_policy_validates(policy):
    v = validate(plain(f"policy={policy}"), ROOT)
    assert v.policy.name == policy


def test_plan2025_meets_the_resource_targets():
    """doctors 150+36+22+20+12+9+10+5+3+1+1 = 269 >= 4.2 x 64 = 268.8; AEDs and carers by ratio."""
    v = validate(plain("policy=plan2025"), ROOT)
    assert sum(v.policy.doctors.values()) == 269
    r = ratio_table(v.scenario, v.policy).set_index("ratio")
    assert r.loc[["doctors_per_1000", "aeds_per_10k", "carers_per_10k_elderly"], "meets_target"].all()


@pytest.mark.parametrize("experiment", sorted(p.stem for p in (CONF / "experiment").glob("*.yaml")))
def test_every_shipped_experiment_validates(experiment):
    cfg = plain(f"experiment={experiment}")
    assert validate(cfg, ROOT).experiment.replications >= 1


@pytest.mark.parametrize("scenario", sorted(p.stem for p in (CONF / "scenario").glob("*.yaml")))
def test_every_shipped_scenario_composes_and_validates(scenario):
    v = validate(plain(f"scenario={scenario}"), ROOT)
    assert v.scenario.islands


def _readme_commands() -> list[list[str]]:
    """Overrides of every `run.py` command in README.md (first value of a -m sweep)."""
    out = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if "bin/python run.py" not in line:
            continue
        args = shlex.split(line.split("run.py", 1)[1], comments=True)
        sweep = "-m" in args
        overrides, skip = [], False
        for a in args:
            if skip or a.startswith("-"):
                skip = a == "--cfg"
                continue
            key, _, value = a.partition("=")
            if sweep and '"' not in value:
                value = value.split(",")[0]
            overrides.append(f"{key}={value}")
        out.append(overrides)
    return out


@pytest.mark.parametrize("overrides", _readme_commands(), ids=" ".join)
def test_readme_commands_compose(overrides):
    composed(*overrides)
