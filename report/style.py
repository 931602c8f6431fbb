"""One look for every figure: sizes for a paper column or page, a colour-blind-safe palette, fonts
(a CJK font for the Chinese figures where one is installed) and fixed file metadata for identical output.

Figure functions run inside :func:`context` (the :func:`styled` decorator does it), so nothing here
changes matplotlib's global settings: importing the report never restyles someone else's plots.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import matplotlib as mpl

mpl.use("Agg")  # the report is written on servers and in CI: never a display

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

log = logging.getLogger(__name__)
logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetter logs every table at INFO

COLUMN_IN = 3.5  # one column of a two-column paper
FULL_IN = 7.0  # the full text width
DPI = 300
PALETTE = "colorblind"  # seaborn's colour-blind-safe qualitative palette (Okabe-Ito-like)
SEQUENTIAL = "viridis"  # perceptually uniform and readable in grey
DIVERGING = "vlag"  # blue-white-red, centred at zero
TARGET_COLOUR = "#b2182b"  # target lines: one dark red everywhere, always dashed

# PDF metadata that makes two saves of the same figure byte-identical: no software version, no
# creation date (matplotlib omits a key whose value is None). The PNG is that PDF rasterised.
PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Sans CJK JP")
LATIN_FAMILY = "DejaVu Sans"  # ships with matplotlib: the same everywhere


@functools.cache
def cjk_font() -> str | None:
    """Name of an installed font with Chinese glyphs, or None (then labels are English only)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for fam in CJK_FAMILIES:
        if fam in names:
            return fam
    # A font installed after matplotlib built its cache: register it once.
    for path in sorted(font_manager.findSystemFonts()):
        if "NotoSansCJK-Regular" in path or "NotoSansSC-Regular" in path:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):  # an unreadable file is not worth failing a report for
                continue
            names = {f.name for f in font_manager.fontManager.ttflist}
            for fam in CJK_FAMILIES:
                if fam in names:
                    return fam
    log.info("no CJK font found (Debian: apt-get install fonts-noto-cjk): figures in English")
    return None


@functools.cache
def rc(lang: str = "en") -> dict:
    """Matplotlib settings of the report style (seaborn 'ticks' with paper-sized fonts) for a language.

    English figures use DejaVu Sans only; Chinese ones DejaVu for Latin glyphs and digits (small, quick
    to subset into a PDF) with the CJK font behind it for every Chinese glyph. Built once per language.
    """
    cjk = cjk_font() if lang in ("zh", "both") else None
    # the small copies (report.fonts) first, the full fonts behind them for any glyph a copy lacks
    first = [f for f in (_COPIES.get("latin"), _COPIES.get("cjk") if cjk else None) if f]
    params = dict(sns.axes_style("ticks"))
    params.update(sns.plotting_context("paper"))
    params.update({
        "font.family": first + ([LATIN_FAMILY, cjk] if cjk else [LATIN_FAMILY]),
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7.5,
        "figure.titlesize": 10,
        "axes.titleweight": "normal",  # one font less to embed in every PDF
        "axes.spines.right": False,
        "axes.spines.top": False,
        "axes.prop_cycle": mpl.cycler(color=sns.color_palette(PALETTE)),
        "axes.unicode_minus": False,  # CJK fonts lack U+2212; a hyphen always renders
        "lines.linewidth": 1.2,
        "legend.frameon": False,
        "savefig.dpi": DPI,
        "figure.dpi": 100,
        "pdf.fonttype": 42,  # TrueType in PDFs: editable text, accepted by journals (no Type 3)
        "ps.fonttype": 42,
        "svg.hashsalt": "islandcare",  # fixed ids in SVG output
        "svg.fonttype": "none",
        "image.cmap": SEQUENTIAL,
    })
    return params


_COPIES: dict[str, str] = {}  # "latin" | "cjk" -> family of the small copy of that font (report.fonts)


def use_font_copies(texts) -> None:
    """Draw with small copies of the fonts holding the characters of ``texts`` (fast PDF embedding)."""
    from report.fonts import font_copy

    chars = set("".join(texts))
    copies = {"latin": font_copy(LATIN_FAMILY, chars), "cjk": font_copy(cjk_font(), chars) if cjk_font() else None}
    _COPIES.clear()
    _COPIES.update({k: v for k, v in copies.items() if v})
    rc.cache_clear()


_LANG: list[str] = []  # languages of the open contexts (the last is the current one)
BOTH_WIDEN = 1.3  # a column-wide figure with bilingual texts is this much wider (its labels are longer)


@contextmanager
def context(lang: str = "en"):
    """Apply the report style of ``lang`` within a ``with`` block only."""
    _LANG.append(lang)
    try:
        with plt.rc_context(rc(lang)):
            yield
    finally:
        _LANG.pop()


F = TypeVar("F", bound=Callable)


def styled(fn: F) -> F:
    """Decorator: build the figure inside :func:`context` of the language of its ``w`` (Words) argument
    (fonts and sizes are read when the artists are created)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from report.vocab import Words

        lang = next((a.lang for a in (*args, *kwargs.values()) if isinstance(a, Words)), "en")
        with context(lang):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def palette(n: int) -> list:
    return sns.color_palette(PALETTE, n)


def new_figure(width: float, height: float, layout: str | None = "constrained") -> Figure:
    """A Figure on an Agg canvas (no pyplot: nothing global to leak or close); a column-wide figure
    drawn with bilingual texts (``context('both')``) is :data:`BOTH_WIDEN` times wider."""
    if _LANG and _LANG[-1] == "both" and width < FULL_IN:
        width *= BOTH_WIDEN
    fig = Figure(figsize=(width, height), layout=layout)
    FigureCanvasAgg(fig)
    return fig
