"""The one validation step: composed config (a plain mapping) -> Scenario, Policy, Experiment.

Problems from the scenario tables, the policy and the experiment keys are reported together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scenarios.errors import InputError, Problem
from scenarios.experiment import Experiment, resolve_experiment
from scenarios.loader import load_scenario, resolve_data_dir
from scenarios.model import Scenario
from scenarios.policy import Policy, resolve_policy
from scenarios.report_settings import check_report_settings
from scenarios.synthetic import build_synthetic


@dataclass(frozen=True)
class Validated:
    scenario: Scenario
    policy: Policy
    experiment: Experiment


WEATHER_MODES = ("climate", "calm", "closed")


def load_from_config(scenario_cfg: Mapping[str, Any], cwd: Path | None = None) -> Scenario:
    weather = scenario_cfg.get("weather", "climate")
    if weather not in WEATHER_MODES:
        raise InputError([Problem("scenario.weather", "", str(weather), "one of " + ", ".join(WEATHER_MODES))],
                         "scenario settings")
    if scenario_cfg.get("kind", "data") == "data":
        folder = resolve_data_dir(scenario_cfg.get("data_dir", "scenarios/shengsi"), cwd)
        s = load_scenario(folder, year=int(scenario_cfg.get("year", 2024)), name=scenario_cfg.get("name"))
    else:
        s = build_synthetic(scenario_cfg)
    return replace(s, weather_mode=weather)


def validate(cfg: Mapping[str, Any], cwd: Path | None = None) -> Validated:
    """Check everything; raise one InputError carrying every problem found."""
    problems = []
    experiment = scenario = policy = None
    try:
        experiment = resolve_experiment(cfg.get("experiment", {}))
    except InputError as e:
        problems += e.problems
    try:
        scenario = load_from_config(cfg.get("scenario", {}), cwd)
    except InputError as e:
        problems += e.problems
    if scenario is not None:
        try:
            policy = resolve_policy(scenario, cfg.get("policy", {}))
        except InputError as e:
            problems += e.problems
    problems += check_report_settings(cfg)  # the report's keys (report.lang, ...), checked before any run
    if problems:
        raise InputError(problems, "configuration")
    return Validated(scenario, policy, experiment)
