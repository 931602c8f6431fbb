"""Which sources each table of a scenario folder cites (for the report's data-sources section).

Reads only the ``source*`` columns of the folder's CSV tables; the values themselves are the
loader's business. A citation key is a bracketed tag such as ``[S4]`` or ``[CPC-BASIC]``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

KEY_RE = re.compile(r"\[([A-Za-z][A-Za-z0-9_\-]*)\]")
COLUMNS = ["table", "rows", "cited", "derived_rows", "estimate_rows", "not_found_rows"]


def _data_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def sources_table(folder: Path | str) -> pd.DataFrame:
    """One row per CSV table: data rows, the citation keys found in its source columns (sorted),
    and how many rows are derived (``DER:``), estimated (``estimate``) or marked ``NOT FOUND``."""
    folder = Path(folder)
    rows = []
    for path in sorted(folder.glob("*.csv")):
        data = _data_rows(path)
        keys: set[str] = set()
        der = est = missing = 0
        for r in data:
            text = " ".join(v or "" for k, v in r.items() if k and k.startswith("source"))
            keys.update(KEY_RE.findall(text))
            der += "DER" in text
            est += "estimate" in text.lower()
            missing += "NOT FOUND" in text
        rows.append({"table": path.name, "rows": len(data), "cited": ", ".join(sorted(keys)),
                     "derived_rows": der, "estimate_rows": est, "not_found_rows": missing})
    return pd.DataFrame(rows, columns=COLUMNS)
