"""Small copies of the report's fonts, holding only the characters its texts can use.

Why: a PDF embeds the glyphs it uses, and matplotlib cuts them out of the font file for every PDF it
writes; cutting from the 19 MB Noto Sans CJK collection took about 0.6 s a PDF, half of all the
report's time. Cut once from a copy of a few hundred glyphs, the same step is instant. The copies are
made with fontTools (as matplotlib does), cached in the user's cache folder under a key of the source
font and the characters (so a second report of the same place reuses them), and registered under
their own family names. Every figure lists the full fonts after the copies, so a character a copy
lacks is still drawn (from the full font) and never becomes a box.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from matplotlib import font_manager

log = logging.getLogger(__name__)

SUFFIX = " islandcare"  # family name of a copy: "<family> islandcare"
VERSION = "2"  # part of the cache key: change it when the way copies are made changes
# Every printable ASCII and Latin-1 character, general punctuation, arrows, the maths and shapes the
# figures use, CJK punctuation and full-width forms: whatever a number, a name or a unit may need.
BASE_CHARS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]
    + [chr(c) for c in range(0x2010, 0x2060)] + [chr(c) for c in range(0x2190, 0x21A0)]
    + list("≤≥×∝−±≈∞Δ°·…✓✗") + [chr(c) for c in range(0x3000, 0x3020)] + [chr(c) for c in range(0xFF01, 0xFF5F)])
_registered: dict[str, str] = {}  # copy path -> family


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for folder in (Path(base) / "islandcare" / "fonts", Path(tempfile.gettempdir()) / f"islandcare-fonts-{os.getuid()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    raise OSError("no writable folder for the report's font copies")


def _source(family: str) -> tuple[str, int] | None:
    """(file, face number) of an installed family; the face is found by name in a collection (.ttc)."""
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    if not path.lower().endswith((".ttc", ".otc")):
        return path, 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as coll:
        for k, face in enumerate(coll.fonts):
            if face["name"].getDebugName(1) == family:
                return path, k
    return path, 0


def _make_copy(src: str, face: int, chars: frozenset[str], family: str, dest: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(src, fontNumber=face, lazy=False)
    cmap = font.getBestCmap() or {}
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = []  # no ligatures or kerning tables: the figures set plain labels
    options.hinting = False  # matplotlib renders with FreeType's autohinter (text.hinting) anyway
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars if ord(c) in cmap])
    sub.subset(font)
    name = font["name"]
    for rec in name.names:  # a family of its own; the PostScript name (what a PDF shows) stays
        if rec.nameID in (1, 4, 16):
            rec.string = family if rec.nameID != 4 else family + " Regular"
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    font.save(tmp)
    os.replace(tmp, dest)


def font_copy(family: str, chars: Iterable[str]) -> str | None:
    """The family name of a copy of ``family`` with ``chars`` (and :data:`BASE_CHARS`), made or found in
    the cache and registered with matplotlib; None if the family is not installed or no copy can be made."""
    src = _source(family)
    if src is None:
        return None
    path, face = src
    wanted = frozenset(chars) | BASE_CHARS
    stat = os.stat(path)
    key = hashlib.sha256("\0".join([VERSION, path, str(face), str(stat.st_size), str(stat.st_mtime_ns),
                                    "".join(sorted(wanted))]).encode()).hexdigest()[:20]
    copy_family = family + SUFFIX
    try:
        dest = cache_dir() / f"{key}.{'otf' if _is_cff(path, face) else 'ttf'}"
        if not dest.exists():
            _make_copy(path, face, wanted, copy_family, dest)
        if str(dest) not in _registered:
            font_manager.fontManager.addfont(str(dest))
            _registered[str(dest)] = copy_family
    except Exception as e:  # noqa: BLE001 - without a copy the full font is used: slower, same figures
        log.warning("could not make a small copy of the font %s (%s: %s): using the full font", family,
                    type(e).__name__, e)
        return None
    return copy_family


def _is_cff(path: str, face: int) -> bool:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=face, lazy=True) as f:
        return "CFF " in f or "CFF2" in f
