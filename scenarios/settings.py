"""The ``scenario`` config group as a checked, immutable record: which place (a data folder) or which
synthetic validation case, the census year and the weather mode.

:class:`ScenarioSettings` is the single source of the defaults (``islandcare.config.ScenarioConfig`` is
derived from it). The synthetic cases' numbers are checked by ``scenarios.synthetic`` when one is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from scenarios.errors import ProblemLog
from scenarios.synthetic import KINDS

WEATHER_MODES = ("climate", "calm", "closed")
SCENARIO_KINDS = ("data", *KINDS)


@dataclass(frozen=True)
class ScenarioSettings:
    """Where the place data comes from (``kind=data``), or a synthetic validation case."""

    name: str | None = None  # label of the runs; None: the data folder's name
    kind: str = "data"  # data | mmc | priority | ferry | ward | care
    data_dir: str = "scenarios/shengsi"
    year: int = 2024  # census year: islands.csv column pop_<year>
    weather: str = "climate"  # climate | calm (always calm) | closed (sea always closed)
    # Synthetic cases (kind != data); see scenarios/synthetic.py
    arrival_rate_per_hour: float = 1.0
    servers: int = 1
    mean_service_min: float = 30.0
    service_cv: float = 1.0
    urgent_rate_per_hour: float = 0.0
    headway_min: float = 60.0
    beds: int = 10
    mean_stay_days: float = 5.0
    lang: str = "en"  # the report's default language for this place: en | zh | both (report.lang overrides)

    def as_mapping(self) -> dict[str, Any]:
        return asdict(self)


SCENARIO_KEYS = tuple(f.name for f in fields(ScenarioSettings))
_DEFAULT = ScenarioSettings()


def resolve_scenario_settings(cfg: Mapping[str, Any], key: str = "scenario") -> ScenarioSettings:
    """Check the ``scenario`` keys and fill the missing ones from :class:`ScenarioSettings`.

    Parameters
    ----------
    cfg : mapping
        The ``scenario`` config group (plain values).
    key : str
        Config prefix used in problem messages.

    Raises
    ------
    InputError
        Listing every unknown key and bad value, each named ``scenario.<key>``.
    """
    log = ProblemLog()
    for k in cfg:
        if k not in SCENARIO_KEYS:
            log.add(f"{key}.{k}", "", cfg[k], "a known scenario key: " + ", ".join(SCENARIO_KEYS))
    v = {k: cfg.get(k, getattr(_DEFAULT, k)) for k in SCENARIO_KEYS}
    if v["name"] is not None and (not isinstance(v["name"], str) or not v["name"]):
        log.add(f"{key}.name", "", v["name"], "a non-empty name")
    if v["kind"] not in SCENARIO_KINDS:
        log.add(f"{key}.kind", "", v["kind"], "one of " + ", ".join(SCENARIO_KINDS))
    if not isinstance(v["data_dir"], str) or not v["data_dir"]:
        log.add(f"{key}.data_dir", "", v["data_dir"], "a folder of scenario tables")
    if not isinstance(v["year"], int) or isinstance(v["year"], bool) or not 1900 <= v["year"] <= 2100:
        log.add(f"{key}.year", "", v["year"], "a census year from 1900 to 2100 (islands.csv has pop_<year>)")
    if v["weather"] not in WEATHER_MODES:
        log.add(f"{key}.weather", "", v["weather"], "one of " + ", ".join(WEATHER_MODES))
    log.raise_if_any("scenario settings")
    return ScenarioSettings(**v)
