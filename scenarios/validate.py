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

from scenarios.errors import InputError, Problem, ProblemLog
from scenarios.experiment import Experiment, resolve_experiment
from scenarios.loader import load_scenario, resolve_data_dir
from scenarios.model import Scenario
from scenarios.policy import Policy, resolve_policy
from scenarios.reachability import check_reachability
from scenarios.report_settings import check_report_settings
from scenarios.sensitivity import (
    Sensitivity,
    check_kpis,
    check_sensitivity_keys,
    resolve_ranges,
    resolve_sensitivity,
)
from scenarios.settings import WEATHER_MODES, resolve_scenario_settings
from scenarios.synthetic import build_synthetic
from scenarios.uncertainty import Uncertainty

if TYPE_CHECKING:
    from optimize.settings import OptimizerSettings

__all__ = ["SECTIONS", "WEATHER_MODES", "Validated", "load_from_config", "validate", "validate_many"]

# Top-level keys of a composed config (islandcare.config.AppConfig has exactly these fields).
SECTIONS = ("mode", "input", "scenario", "policy", "experiment", "optimizer", "report", "sensitivity")


@dataclass(frozen=True)
class Validated:
    scenario: Scenario
    policy: Policy
    experiment: Experiment
    optimizer: OptimizerSettings | None = None  # always set by validate(); None only in hand-built records
    uncertainty: Uncertainty | None = None  # the ranges, when a sensitivity run or parameter uncertainty needs them
    sensitivity: Sensitivity | None = None  # mode=sensitivity


def load_from_config(scenario_cfg: Mapping[str, Any], cwd: Path | None = None,
                     overrides: Mapping[tuple[str, str, str], float] | None = None) -> Scenario:
    """The scenario a ``scenario`` config group names: its data folder loaded, or a synthetic case.

    ``overrides`` ``{(table, key, column): value}`` replace cells before the loader's checks (a
    sensitivity design point, a parameter draw: ``scenarios.uncertainty``); for a synthetic case the
    table is ``scenario`` and the key one of its settings."""
    st = resolve_scenario_settings(scenario_cfg)
    if st.kind == "data":
        folder = resolve_data_dir(st.data_dir, cwd)
        s = load_scenario(folder, year=st.year, name=st.name, overrides=overrides)
    else:
        s = build_synthetic(synthetic_with(st.as_mapping(), overrides))
    return replace(s, weather_mode=st.weather)


def synthetic_with(settings: Mapping[str, Any], overrides) -> Mapping[str, Any]:
    """A synthetic case's settings with ``("scenario", key, "value")`` overrides (whole numbers rounded)."""
    out = dict(settings)
    for (_, key, _), value in (overrides or {}).items():
        out[key] = round(value) if isinstance(out.get(key), int) and not isinstance(out.get(key), bool) else value
    return out


def validate(cfg: Mapping[str, Any], cwd: Path | None = None,
             overrides: Mapping[tuple[str, str, str], float] | None = None) -> Validated:
    """Check everything; raise one InputError carrying every problem found.

    Parameters
    ----------
    cfg : mapping
        The composed configuration as plain values (``OmegaConf.to_container(cfg, resolve=True)``).
    cwd : Path, optional
        Where run.py was started (relative ``scenario.data_dir`` is looked up there first).
    overrides : mapping, optional
        Scenario cells to replace before the checks (a design point's values). Without them, a
        sensitivity run or ``experiment.parameter_uncertainty`` also reads and checks the ranges
        (``uncertainty.csv``) and the ``sensitivity`` keys.

    Notes
    -----
    Nothing hides anything else: a scenario with bad cells still has its cross-table references
    checked (by the loader), and the policy is checked against the rows that could be read, so one
    run reports the table, reference, policy, experiment and optimizer problems together. Only when
    scenario and policy are both sound is every urgent patient's way to definitive care checked
    (``scenarios.reachability``).
    """
    if overrides is None:
        return _validate(cfg, cwd, load_from_config)
    return _validate(cfg, cwd, lambda sc, where: load_from_config(sc, where, overrides), ranges=False)


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


def _validate(cfg: Mapping[str, Any], cwd: Path | None, load, ranges: bool = True) -> Validated:
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
    problems.extend(check_sensitivity_keys(cfg))  # in every mode (its values: only for mode=sensitivity)
    if scenario_ok and policy_ok:
        problems.extend(check_reachability(scenario, policy))
    uncertainty = sensitivity = None
    if scenario_ok and experiment is not None and experiment.auto_replications:
        log = ProblemLog()
        check_kpis(list(experiment.precision_kpis), scenario, log, "experiment.precision_kpis")
        problems.extend(log.problems)
    wants_ranges = cfg.get("mode") == "sensitivity" or bool(experiment and experiment.parameter_uncertainty)
    if scenario_ok and ranges and wants_ranges:  # the ranges, checked at both ends (scenarios.sensitivity)
        log = ProblemLog()
        plain = {k: v for k, v in cfg.items() if k not in ("mode", "sensitivity")}
        plain["experiment"] = {**group("experiment"), "parameter_uncertainty": False, "replications": 1}
        uncertainty = resolve_ranges(group("scenario"), group("sensitivity"), cwd,  # every check, policy too
                                     lambda o: validate(plain, cwd, o), log)
        if cfg.get("mode") == "sensitivity":
            sensitivity = resolve_sensitivity(group("sensitivity"), uncertainty, scenario, log=log)
        elif not uncertainty.factors:
            log.add("experiment.parameter_uncertainty", "", "true", "ranges to draw from (the scenario folder's "
                    "uncertainty.csv, sensitivity.uncertainty or sensitivity.ranges), or false")
        problems.extend(log.problems)
    if problems:
        raise InputError(problems, "configuration")
    return Validated(scenario, policy, experiment, optimizer, uncertainty, sensitivity)
