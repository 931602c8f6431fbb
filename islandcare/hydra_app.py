"""The Hydra wiring: config store, the task function and its modes. Only this module and run.py
know Hydra; everything below them takes validated objects."""

from __future__ import annotations

import sys
from pathlib import Path

from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.utils import get_original_cwd
from omegaconf import DictConfig, OmegaConf

from islandcare.config import AppConfig
from scenarios.errors import InputError

MODES = ("run", "summary", "optimize", "frontier", "evaluate", "calibrate", "report", "sensitivity")  # see islandcare.modes
EXIT_INPUT_ERROR = 1
EXIT_INFEASIBLE = 2

ConfigStore.instance().store(name="base_config", node=AppConfig)


def output_dir() -> Path:
    try:
        return Path(HydraConfig.get().runtime.output_dir)
    except ValueError:  # called outside a Hydra run (tests)
        return Path.cwd()


def original_cwd() -> Path:
    try:
        return Path(get_original_cwd())
    except ValueError:
        return Path.cwd()


def task(cfg: DictConfig) -> None:
    """Entry of every job: pick the mode; bad input, a bad config file or a fault of the machine (a full
    disk, a folder that cannot be written, a folder another run holds) becomes one clear message and
    exit status 1, never a traceback.

    In a sweep (``-m``) a job that stops so records why (``FAILED.json``) and returns, so the other jobs
    run and the sweep's summary (``islandcare.callbacks``) reports it and exits non-zero.
    """
    from experiments.resume import FAILED
    from islandcare.faults import explain

    _show_input_warnings()
    out = output_dir()
    multirun = _multirun()
    if multirun:
        (out / FAILED).unlink(missing_ok=True)
    try:
        plain = OmegaConf.to_container(cfg, resolve=True)
        if cfg.mode not in MODES:
            _invalid_mode(plain, cfg.mode)
        from islandcare import modes

        modes.dispatch(cfg.mode, plain, out, original_cwd(), cfg)
    except Exception as e:  # noqa: BLE001 - explain() keeps what it cannot name (a bug) for the traceback
        message = explain(e)
        if message is None:
            raise
        print(message, file=sys.stderr)
        if not multirun:
            sys.exit(EXIT_INPUT_ERROR)
        _record_failure(out, message)


def _invalid_mode(plain: dict, mode) -> None:
    """An unknown mode, reported with every other problem of the configuration."""
    from scenarios.validate import validate

    problems = [_problem("mode", mode, "one of " + ", ".join(MODES))]
    try:
        validate(plain, original_cwd())
    except InputError as e:
        problems += e.problems
    raise InputError(problems, "configuration")


def _multirun() -> bool:
    try:
        from hydra.types import RunMode

        return HydraConfig.get().mode == RunMode.MULTIRUN
    except ValueError:  # outside a Hydra run (tests)
        return False


def _record_failure(out: Path, message: str) -> None:
    """Best effort: the folder may be the very thing that cannot be written."""
    import json

    from experiments.resume import FAILED

    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / FAILED).write_text(json.dumps({"message": message}), encoding="utf-8")
    except OSError:
        pass


def _show_input_warnings() -> None:
    """Print an input warning (e.g. an ignored ``note`` column) as one line, every time it occurs."""
    import warnings

    from scenarios.errors import InputWarning

    if getattr(warnings.showwarning, "islandcare", False):
        return
    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputWarning):
            print(f"Note: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    show.islandcare = True
    warnings.showwarning = show
    warnings.simplefilter("always", InputWarning)


def _problem(key, value, expected):
    from scenarios.errors import Problem

    return Problem(key, "", str(value), expected)
