"""The one validation step: composed config (a plain mapping) -> Scenario, Policy, Experiment and the
optimiser's settings.

Problems from the top-level keys, the scenario settings and tables, the policy, the experiment and the
optimizer group are reported together in one :class:`~scenarios.errors.InputError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenarios.errors import InputError, Problem
from scenarios.experiment import Experiment, resolve_experiment
from scenarios.loader import load_scenario, resolve_data_dir
from scenarios.model import Scenario
from scenarios.policy import Policy, resolve_policy
from scenarios.reachability import check_reachability
from scenarios.report_settings import check_report_settings
from scenarios.settings import WEATHER_MODES, resolve_scenario_settings
from scenarios.synthetic import build_synthetic

if TYPE_CHECKING:
    from optimize.settings import OptimizerSettings

__all__ = ["SECTIONS", "WEATHER_MODES", "Validated", "load_from_config", "validate", "validate_many"]

# Top-level keys of a composed config (islandcare.config.AppConfig has exactly these fields).
SECTIONS = ("mode", "input", "scenario", "policy", "experiment", "optimizer", "report")


@dataclass(frozen=True)
class Validated:
    scenario: Scenario
    policy: Policy
    experiment: Experiment
    optimizer: OptimizerSettings | None = None  # always set by validate(); None only in hand-built records


def load_from_config(scenario_cfg: Mapping[str, Any], cwd: Path | None = None) -> Scenario:
    """The scenario a ``scenario`` config group names: its data folder loaded, or a synthetic case."""
    st = resolve_scenario_settings(scenario_cfg)
    if st.kind == "data":
        folder = resolve_data_dir(st.data_dir, cwd)
        s = load_scenario(folder, year=st.year, name=st.name)
    else:
        s = build_synthetic(st.as_mapping())
    return replace(s, weather_mode=st.weather)


def validate(cfg: Mapping[str, Any], cwd: Path | None = None) -> Validated:
    """Check everything; raise one InputError carrying every problem found.

    Parameters
    ----------
    cfg : mapping
        The composed configuration as plain values (``OmegaConf.to_container(cfg, resolve=True)``).
    cwd : Path, optional
        Where run.py was started (relative ``scenario.data_dir`` is looked up there first).

    Notes
    -----
    Nothing hides anything else: a scenario with bad cells still has its cross-table references
    checked (by the loader), and the policy is checked against the rows that could be read, so one
    run reports the table, reference, policy, experiment and optimizer problems together. Only when
    scenario and policy are both sound is every urgent patient's way to definitive care checked
    (``scenarios.reachability``).
    """
    return _validate(cfg, cwd, load_from_config)


def validate_many(configs: Sequence[Mapping[str, Any]], cwd: Path | None = None) -> list[list[Problem]]:
    """The problems of each configuration (a sweep's jobs); a scenario shared by jobs is loaded once."""
    cache: dict[str, tuple[Scenario | None, InputError | None]] = {}

    def load(scenario_cfg: Mapping[str, Any], cwd: Path | None) -> Scenario:
        key = json.dumps(scenario_cfg, sort_keys=True, default=str)
        if key not in cache:
            try:
                cache[key] = (load_from_config(scenario_cfg, cwd), None)
            except InputError as e:
                cache[key] = (None, e)
        scenario, error = cache[key]
        if error is not None:
            raise error
        return scenario

    out = []
    for cfg in configs:
        try:
            _validate(cfg, cwd, load)
            out.append([])
        except InputError as e:
            out.append(e.problems)
    return out


def _validate(cfg: Mapping[str, Any], cwd: Path | None, load) -> Validated:
    from optimize.settings import resolve_optimizer  # here: importing optimize loads the solver libraries

    problems: list[Problem] = []
    for k in cfg:
        if k not in SECTIONS:
            problems.append(Problem(k, "", str(cfg[k]), "a known top-level key: " + ", ".join(SECTIONS)))

    def group(name: str) -> Mapping[str, Any]:
        g = cfg.get(name)
        if g is None:
            return {}
        if not isinstance(g, Mapping):
            problems.append(Problem(name, "", str(g), f"a mapping of {name} settings (conf/{name}/)"))
            return {}
        return g

    def collect(fn, *args):
        try:
            return fn(*args), True
        except InputError as e:
            problems.extend(e.problems)
            return e.partial, False  # what could be read despite the problems (or None)

    experiment, _ = collect(resolve_experiment, group("experiment"))
    scenario, scenario_ok = collect(load, group("scenario"), cwd)
    policy, policy_ok = collect(resolve_policy, scenario, group("policy")) if scenario is not None else (None, False)
    optimizer, _ = collect(resolve_optimizer, group("optimizer"))
    group("report")  # its values: check_report_settings
    problems.extend(check_report_settings(cfg))  # the report's keys (report.lang, ...), checked before any run
    if scenario_ok and policy_ok:
        problems.extend(check_reachability(scenario, policy))
    if problems:
        raise InputError(problems, "configuration")
    return Validated(scenario, policy, experiment, optimizer)
