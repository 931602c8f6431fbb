"""The Hydra config: structured schemas reject misspelled keys at composition; every shipped config
group composes and validates; settings are defined once (the schemas agree with the frozen records
field by field, the shipped YAML restates no default); keys added with ++ are checked too."""

from __future__ import annotations

import dataclasses
import shlex
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.errors import ConfigCompositionException
from omegaconf import OmegaConf

import islandcare.hydra_app  # noqa: F401  (registers the structured configs in the ConfigStore)
from islandcare.config import AppConfig, ExperimentConfig, OptimizerConfig, PolicyConfig, ScenarioConfig
from scenarios.errors import InputError
from scenarios.experiment import Experiment, available_cores, resolve_experiment
from scenarios.policy import Policy
from scenarios.settings import ScenarioSettings, resolve_scenario_settings
from scenarios.summary import ratio_table
from scenarios.validate import SECTIONS, validate

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


@pytest.mark.parametrize("override", ["experiment.seed=many", "scenario.year=recent",
                                      "policy.aeds_per_10k=lots", "policy.helicopter=maybe"])
def test_wrongly_typed_value_fails_at_composition(override):
    with pytest.raises(ConfigCompositionException):
        composed(override)


def test_replications_is_a_number_or_auto():
    """replications may be a word (auto), so a wrong word is caught by validation, naming the key."""
    assert validate(plain("experiment.replications=auto"), ROOT).experiment.auto_replications
    with pytest.raises(InputError) as e:
        validate(plain("experiment.replications=many"), ROOT)
    assert [p.place for p in e.value.problems] == ["experiment.replications"]


def test_new_map_key_needs_plus_and_then_reaches_validation():
    with pytest.raises(ConfigCompositionException):
        composed("policy.boats.sijiao=2")  # dict keys are closed unless added with + / ++
    cfg = plain("++policy.boats.sijiao=2")
    assert validate(cfg, ROOT).policy.boats["sijiao"] == 2


def test_default_config_validates():
    """Every key the schemas emit is known to the validators (else: 'unknown policy key')."""
    v = validate(plain(), ROOT)
    assert v.scenario.population == 64_000 and v.policy.name == "baseline"
    assert v.experiment.horizon_days == 395 and v.experiment.warmup_days == 30


# --- settings once: each schema against its frozen record ------------------------------------------------
def _shape(t):
    """A type with the container kinds a YAML config can hold: tuple/frozenset -> list, Mapping -> dict."""
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin in (typing.Union, types.UnionType):
        return ("union", frozenset(_shape(a) for a in args))
    if origin in (tuple, list, frozenset, set):
        return ("list", _shape(args[0]))
    if origin in (dict, Mapping):
        return ("dict", _shape(args[0]), _shape(args[1]))
    return t


def _matches(config_t, record_t) -> bool:
    """A schema type holds the record's: equal shapes, where the schema's ``Any`` holds anything."""
    if config_t is Any or config_t == record_t:
        return True
    if isinstance(config_t, tuple) and isinstance(record_t, tuple) and config_t[0] == record_t[0] != "union":
        return len(config_t) == len(record_t) and all(map(_matches, config_t[1:], record_t[1:]))
    return False


def _plain(v):
    if isinstance(v, (tuple, list, frozenset, set)):
        return list(v)
    if isinstance(v, Mapping):
        return dict(v)
    return v


def _agree(schema: type, record: type, config_only=(), stands_for: Mapping[str, Any] = {},
           defaults_differ=()) -> None:
    """Every field: in both, the schema's type holds the record's, same default."""
    s_hints, r_hints = typing.get_type_hints(schema), typing.get_type_hints(record)
    s_fields = {f.name: f for f in dataclasses.fields(schema)}
    r_fields = {f.name: f for f in dataclasses.fields(record)}
    assert set(s_fields) - set(config_only) == set(r_fields)
    schema_defaults = schema()
    for name in r_fields:
        if name in stands_for:  # a config type standing for the record's (reason in the test)
            assert s_hints[name] == stands_for[name], name
        else:
            assert _matches(_shape(s_hints[name]), _shape(r_hints[name])), (name, s_hints[name], r_hints[name])
        if name in defaults_differ:
            continue
        f = r_fields[name]
        r_default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        assert r_default is not dataclasses.MISSING, f"{record.__name__}.{name} has no default"
        assert _plain(getattr(schema_defaults, name)) == _plain(r_default), name


def test_scenario_schema_is_the_scenario_settings_record():
    _agree(ScenarioConfig, ScenarioSettings)


def test_experiment_schema_is_the_experiment_record():
    # OmegaConf holds no union of str and int: a job number arrives as a string ("2")
    _agree(ExperimentConfig, Experiment, stands_for={"reference": str | None})


def test_policy_schema_rules_are_the_policy_record():
    """Resource maps are empty in the schema (= today's levels of the scenario, see the next test);
    helicopter_conditions None stands for 'every time-critical condition', resolved per scenario."""
    maps = ("doctors", "night_doctors", "hospital_beds", "aeds", "boats", "care_beds", "carers", "circuit")
    _agree(PolicyConfig, Policy, config_only=("aeds_per_10k", "carers_per_10k_elderly"),
           stands_for={"circuit": dict[str, Any], "helicopter_conditions": list[str] | None},
           defaults_differ=(*maps, "helicopter_conditions", "out_of_county_conditions"))


def test_optimizer_schema_is_the_optimizer_settings_record():
    """Every key of the record, null in the schema (null = the record's default, so the schema restates
    none); sub-sections are dataclasses naming their keys (``optimizer.floors.survivors=1`` needs no +).
    tests/unit/test_optimize_settings.py checks each sub-section's names against optimize.settings."""
    from optimize.settings import OptimizerSettings, resolve_optimizer

    assert {f.name for f in dataclasses.fields(OptimizerConfig)} == {f.name for f in dataclasses.fields(OptimizerSettings)}
    plain = OmegaConf.to_container(OmegaConf.structured(OptimizerConfig))
    assert all(v is None or (isinstance(v, dict) and all(x is None for x in v.values())) for v in plain.values())
    assert resolve_optimizer(plain) == OptimizerSettings()


def test_resolvers_default_to_the_records():
    """A key left out of a config means the record's default (no second copy of a default)."""
    assert resolve_experiment({}) == dataclasses.replace(Experiment(), workers=available_cores())
    assert resolve_scenario_settings({}) == ScenarioSettings()


def test_app_schema_sections_are_the_validated_sections():
    from islandcare.config import ReportConfig
    from scenarios.report_settings import REPORT_KEYS

    assert tuple(f.name for f in dataclasses.fields(AppConfig)) == SECTIONS
    assert tuple(f.name for f in dataclasses.fields(ReportConfig)) == REPORT_KEYS


RECORDS = {"experiment": Experiment(), "scenario": ScenarioSettings()}


def _shipped(group: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted((CONF / group).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "# @package _global_" in path.read_text(encoding="utf-8"):
            data = data.get(group, {})
        out.append((path.name, data))
    return out


@pytest.mark.parametrize("group", ["experiment", "scenario", "policy"])
def test_shipped_yaml_restates_no_default(group):
    """A restated default would stop following the record when the record changes."""
    if group == "policy":
        record = {f.name: f.default for f in dataclasses.fields(Policy)
                  if f.default is not dataclasses.MISSING and f.name != "name"}
    else:
        record = dataclasses.asdict(RECORDS[group])
    files = _shipped(group)
    assert files
    for name, data in files:
        restated = {k: v for k, v in data.items() if k in record and v == record[k]}
        assert not restated, f"conf/{group}/{name} restates defaults {restated}"


def test_the_default_experiment_is_the_record():
    record = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(Experiment()).items()}
    assert OmegaConf.to_container(composed().experiment) == record


# --- keys added with ++ are checked like every other key ------------------------------------------------
@pytest.mark.parametrize("override, place", [
    ("++experiment.replicatons=20", "experiment.replicatons"),
    ("++scenario.data_dri=/x", "scenario.data_dri"),
    ("++mdoe=summary", "mdoe"),
    ("++policy.dcotors.hospital=3", "policy.dcotors"),
    ("++optimizer.solvr=cbc", "optimizer.solvr"),
    ("++report.lnag=zh", "report.lnag"),
    ("++sensitivity.trajectoriez=3", "sensitivity.trajectoriez"),
])
def test_a_key_added_with_plus_plus_is_checked(override, place):
    with pytest.raises(InputError) as e:
        validate(plain(override), ROOT)
    (p,) = e.value.problems
    assert p.place == place and "known" in p.expected


def test_optimizer_problems_come_with_every_other_problem():
    with pytest.raises(InputError) as e:
        validate(plain("experiment.replications=0", "optimizer.gap=2", "++policy.boats.sijiao=-1"), ROOT)
    assert {p.place for p in e.value.problems} == {"experiment.replications", "optimizer.gap",
                                                   "policy.boats.sijiao"}


def test_validated_carries_the_optimizer_settings():
    from optimize.settings import OptimizerSettings

    v = validate(plain("optimizer.solver=cbc"), ROOT)
    assert v.optimizer == OptimizerSettings(solver="cbc")


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


def test_workers_zero_respects_a_scheduler_that_does_not_bind(monkeypatch):
    import os

    bound = len(os.sched_getaffinity(0))
    monkeypatch.delenv("SLURM_CPUS_PER_TASK", raising=False)
    assert available_cores() == bound
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "1")
    assert available_cores() == 1
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "999")
    assert available_cores() == bound  # never more than the process may use
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "garbage")
    assert available_cores() == bound
