"""A scenario folder's bibliography, and the check that every source key its tables cite is listed.

A table's ``source*`` cells cite documents by key in square brackets, e.g. ``[S4]`` or
``[CPC-BASIC]``. The folder lists those keys in ``SOURCES.md`` (a Markdown table whose first column
is the key, written plainly or as ``[KEY]``) or in ``sources.csv`` (a ``key`` column). Each key cited
in any CSV table of the folder must be listed there; an unknown key is a problem naming the table,
line and column, collected with all the loader's other problems.

A source cell must also stand alone inside the repository: a pointer to working notes kept
elsewhere (``facts EST``, ``clinical s3``, ``costs A1``, ``costs sheet B3``) is a problem naming the
table, line and column. Such a cell should cite a listed key or say ``estimate:`` with its reasoning
and range.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from scenarios.errors import ProblemLog
from scenarios.tables import Table

# A citation: a bracketed tag starting with a letter (letters, digits, '_', '-', '.').
CITE_RE = re.compile(r"\[([A-Za-z][A-Za-z0-9_.\-]*)\]")
KEY_CELL_RE = re.compile(r"^\[?([A-Za-z][A-Za-z0-9_.\-]*)\]?$")
FILES = ("SOURCES.md", "sources.csv")
# A pointer to notes outside the repository, searched after the [KEY] citations are removed: the
# words of the old research sheets ("facts", "clinical notes/ranges/s3", "costs A1", "costs sheet"),
# their bare section numbers (s1-s99, A1-A9, B1-B9) and their EST marker (cells say "estimate").
NOTE_RE = re.compile(
    r"(?i:\bfacts\b|\bclinical\s+(?:notes?|ranges?|s\d+)\b|\bcosts?[-\s]+(?:sheet|[ab]\d)\b"
    r"|\b(?:in|from|see)\s+(?:the\s+)?notes\b)"
    r"|(?<![\w.\-])(?:s\d{1,2}|[AB]\d)(?![\w.\-])|\bEST\b")
NOTE_EXPECTED = ("a source that stands alone in the repository: a [KEY] listed in the bibliography, "
                 "or 'estimate: reasoning; range low-high' (not a pointer to notes kept elsewhere)")


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    line: int
    cells: tuple[str, ...]


def cited_keys(text: str) -> list[str]:
    """Keys cited in one cell, in order (``"[S4] and [C7]"`` -> ``["S4", "C7"]``)."""
    return CITE_RE.findall(text or "")


def note_reference(text: str) -> str | None:
    """The first pointer to notes outside the repository in a source cell, or None
    (``"estimate (costs A1): 250k"`` -> ``"costs A1"``; ``"[A1] 250k"`` -> None)."""
    m = NOTE_RE.search(CITE_RE.sub(" ", text or ""))
    return m.group(0) if m else None


def bibliography_path(folder: Path) -> Path | None:
    for name in FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_bibliography(path: Path, log: ProblemLog, label: str) -> dict[str, Entry]:
    """Keys listed in ``SOURCES.md`` (first column of its tables) or ``sources.csv`` (``key``)."""
    text = path.read_text(encoding="utf-8-sig")
    rows: list[tuple[int, list[str]]] = []
    if path.suffix == ".md":
        for n, line in enumerate(text.splitlines(), start=1):
            s = line.strip()
            if not s.startswith("|"):
                continue
            cells = [c.strip() for c in s.strip("|").split("|")]
            if not cells or set(cells[0]) <= set("-: ") or cells[0].lower() in ("key", "`key`"):
                continue  # separator or header row
            rows.append((n, cells))
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader, [])]
        if "key" not in header:
            log.add(f"{label}:1", "key", ",".join(header), "a 'key' column")
            return {}
        k = header.index("key")
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells[k:]] + [c.strip() for c in cells[:k]]))
    out: dict[str, Entry] = {}
    for n, cells in rows:
        m = KEY_CELL_RE.match(cells[0].strip("`* "))
        if not m:
            log.add(f"{label}:{n}", "key", cells[0], "a source key: a letter, then letters, digits, _ - .")
            continue
        key = m.group(1)
        if key in out:
            log.add(f"{label}:{n}", "key", key, f"a key listed once (also on line {out[key].line})")
            continue
        out[key] = Entry(key, n, tuple(cells))
    return out


def check_citations(folder: Path, log: ProblemLog, label_root: Path | None = None) -> None:
    """Log every key cited in a ``source*`` cell of the folder's CSV tables but not listed in its
    bibliography (or, with no bibliography file, that the file is missing), and every source cell
    that points to notes outside the repository (:func:`note_reference`)."""
    folder = Path(folder)
    cites: list[tuple[str, str, str]] = []  # (place, column, key)
    scratch = ProblemLog()  # a table's own structure problems are its loader's business
    for path in sorted(folder.glob("*.csv")):
        if path.name in FILES:
            continue
        t = Table(folder, path.name, (), scratch, label_root=label_root, required=False)
        src_cols = [c for c in t.columns if c.startswith("source")]
        for r in t.rows:
            for c in src_cols:
                text = r.raw(c)
                cites += [(r.place, c, k) for k in cited_keys(text)]
                note = note_reference(text)
                if note:
                    log.add(r.place, c, note, NOTE_EXPECTED)
    if not cites:
        return
    bib = bibliography_path(folder)
    label = _label(folder, label_root)
    if bib is None:
        log.add(f"{label}/SOURCES.md", "", f"{len({k for _, _, k in cites})} keys cited",
                "a bibliography (SOURCES.md or sources.csv) listing every source key the tables cite")
        return
    listed = read_bibliography(bib, log, _label(bib, label_root))
    for place, col, key in cites:
        if key not in listed:
            log.add(place, col, f"[{key}]", f"a source key listed in {bib.name}")


def _label(path: Path, root: Path | None) -> str:
    try:
        return str(path.relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)
