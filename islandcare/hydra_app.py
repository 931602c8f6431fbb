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

MODES = ("run", "summary", "optimize", "frontier", "evaluate", "calibrate", "report")  # see islandcare.modes
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
    """Entry of every job: pick the mode, turn bad input into one clear message and exit status."""
    plain = OmegaConf.to_container(cfg, resolve=True)
    out = output_dir()
    try:
        if cfg.mode not in MODES:
            raise InputError([_problem("mode", cfg.mode, "one of " + ", ".join(MODES))], "configuration")
        from islandcare import modes

        modes.dispatch(cfg.mode, plain, out, original_cwd(), cfg)
    except InputError as e:
        print(e.render(), file=sys.stderr)
        sys.exit(EXIT_INPUT_ERROR)


def _problem(key, value, expected):
    from scenarios.errors import Problem

    return Problem(key, "", str(value), expected)
