"""The report's view of ``run_meta.json`` (written by :mod:`experiments.run_meta` when a run ends).

:class:`Meta` answers the questions pages and figures ask about the place: names in a language,
targets, the order of conditions, the time-critical ones, where each site is, what the map shows.
A folder without the file (a run older than the file, or another mode) gets :data:`EMPTY`: ids in
place of names, no targets, no map; the page says why once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

META_FILE = "run_meta.json"


@dataclass(frozen=True)
class Meta:
    """Names, places and targets of one run (the parsed ``run_meta.json``)."""

    data: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.data)

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    @property
    def islands(self) -> list[dict]:
        return list(self.data.get("islands", []))

    @property
    def conditions(self) -> list[str]:
        return [c["id"] for c in self.data.get("conditions", [])]

    @property
    def time_critical(self) -> list[str]:
        return list(self.data.get("time_critical", []))

    @property
    def lang(self) -> str:
        return str(self.data.get("lang", "en"))

    @property
    def has_map(self) -> bool:
        return bool(self.data.get("scenario", {}).get("geography")) and bool(self.islands)

    def targets_min(self) -> dict[str, float]:
        return {c["id"]: float(c["target_min"]) for c in self.data.get("conditions", [])}

    def island_names(self, lang: str = "en") -> dict[str, str]:
        """island id -> its name in ``lang`` (ordered as the scenario lists the islands)."""
        return {i["id"]: name_in(i, lang) for i in self.islands}

    def site_islands(self) -> dict[str, str]:
        """Any site id (island, facility, care home, circuit team) -> the island it is on."""
        out = {i["id"]: i["id"] for i in self.islands}
        out.update({f["id"]: f["island"] for f in self.data.get("facilities", [])})
        out.update({h["id"]: h["island"] for h in self.data.get("care_homes", [])})
        out.update({t["id"]: t["base"] for t in self.data.get("circuit_teams", [])})
        return out


EMPTY = Meta()


def name_in(record: dict, lang: str) -> str:
    """A record's name in ``lang`` ('zh' -> name_zh, else name_en), falling back to the other, then the id;
    'both': Chinese, then English (:class:`report.vocab.Both`)."""
    if lang == "both":
        from report.vocab_both import Both

        return Both.of(name_in(record, "zh"), name_in(record, "en"), sep=" ")
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    return str(record.get(first) or record.get(second) or record.get("id", ""))


def read_meta(folder: Path) -> tuple[Meta, str | None]:
    """(the folder's Meta, a note for the page if it is missing or unreadable)."""
    path = Path(folder) / META_FILE
    if not path.exists():
        return EMPTY, (f"{META_FILE} not found (a run written before the report kept its own metadata): "
                       "ids shown instead of names, no map, no targets. Re-run to get them.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("could not read %s: %s", path, e)
        return EMPTY, f"{META_FILE} could not be read ({type(e).__name__}): ids shown instead of names."
    if not isinstance(data, dict):
        return EMPTY, f"{META_FILE} is not a JSON object: ids shown instead of names."
    return Meta(data), None
