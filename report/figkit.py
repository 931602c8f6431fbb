"""What every figure function shares: the 'no data' signal, island order, intervals, month ticks, saving.

A figure function takes tidy tables (the columns a run writes, README 'Outputs') and a
:class:`report.vocab.Words` (every text in the reader's language), and returns a matplotlib Figure;
it raises :class:`NoData` when what it needs is absent, and the report notes the figure as skipped.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.io import atomic_write_bytes
from experiments.summary import t_interval
from report import style
from scenarios.units import ALL, DAYS_PER_YEAR, MONTH_DAYS


class NoData(ValueError):
    """The data a figure needs are not in this run (an older run, a mode that does not write them), or
    there is nothing to draw. The message is shown as the reason; a vocabulary key (``why_...``) is
    shown in the page's language."""


def need(df: pd.DataFrame | None, what: str) -> pd.DataFrame:
    if df is None or df.empty:
        raise NoData(f"no {what}")
    return df


def island_order(islands: Sequence[str], labels: Mapping[str, str] | None, county_first: bool = True) -> list[str]:
    """Islands in the scenario's order (that of ``labels``), unknown ones sorted after, the county first."""
    present = set(islands)
    known = [i for i in (labels or {}) if i in present]
    rest = sorted(i for i in present if i not in known and i != ALL)
    return ([ALL] if county_first and ALL in present else []) + known + rest


def rep_stats(values: pd.Series) -> tuple[float, float, float]:
    """(mean, low, high) of the 95% t-interval over replications."""
    mean, lo, hi, _ = t_interval(values.to_numpy(dtype=float))
    return mean, lo, hi


def err(m, lo, hi, floor: float | None = 0.0, ceil: float | None = None) -> list[np.ndarray]:
    """Error-bar lengths for an interval clipped to the values the quantity can take (counts and
    shares are never negative; shares never above 100%); a missing interval draws no bar."""
    m, lo, hi = (np.asarray(v, dtype=float) for v in (m, lo, hi))
    lo = np.clip(lo, floor, None) if floor is not None else lo
    hi = np.clip(hi, None, ceil) if ceil is not None else hi
    return [np.nan_to_num(np.clip(m - lo, 0, None)), np.nan_to_num(np.clip(hi - m, 0, None))]


def month_start(month: int) -> int:
    """Day of the model year on which model month ``month`` (0-based, counting on over years) starts."""
    year, m = divmod(month, 12)
    return year * DAYS_PER_YEAR + sum(MONTH_DAYS[:m])


def month_ticks(ax, first_day: float, last_day: float, w) -> None:
    """Month names on a day axis (a run shorter than two months keeps day numbers)."""
    ticks, names = [], []
    for month in range(int(first_day // DAYS_PER_YEAR) * 12, (int(last_day // DAYS_PER_YEAR) + 1) * 12):
        day = month_start(month)
        if first_day - 1 <= day <= last_day + 1:
            ticks.append(day)
            names.append(w.month(month % 12))
    if len(ticks) >= 2:
        ax.set_xticks(ticks, names)
    ax.set_xlim(first_day, last_day)


def observed_hours(month: int, warmup_days: float, horizon_days: float) -> float:
    """Hours of model month ``month`` inside the observed window (warm-up to horizon)."""
    start = month_start(month)
    end = start + MONTH_DAYS[month % 12]
    return max(0.0, min(end, horizon_days) - max(start, warmup_days)) * 24.0


def as_number_order(values) -> list:
    """Values sorted as numbers where they are numbers ('2' before '10'), the others after by text."""
    def key(v):
        try:
            return (0, float(v), "")
        except (TypeError, ValueError):
            return (1, 0.0, str(v))

    return sorted(set(values), key=key)


def render(fig: Figure, lang: str = "en") -> dict[str, bytes]:
    """PNG (300 dpi) and PDF bytes of a figure, identical on every call for the same figure.

    The layout is computed once, at 300 dpi, then the layout engine is removed (``savefig`` with an
    engine draws the whole figure once more without output to lay it out). matplotlib draws the
    figure once, as the PDF; the PNG is that PDF rasterised by PDFium (:func:`png_of_pdf`), which
    costs half of drawing the figure again with Agg, and makes the two formats show the same picture.
    """
    with style.context(lang):
        fig.set_dpi(style.DPI)
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
        fig.set_layout_engine(None)
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", dpi=style.DPI, metadata=style.PDF_METADATA)
    pdf = buf.getvalue()
    return {"png": png_of_pdf(pdf), "pdf": pdf}


def png_of_pdf(pdf: bytes, dpi: int = style.DPI) -> bytes:
    """The first page of ``pdf`` as an RGB PNG at ``dpi`` (PDFium; same bytes for the same PDF).

    The PNG records its resolution (``pHYs``) and nothing else: no software, no date.
    """
    import pypdfium2 as pdfium  # imported here: only drawing needs it

    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=dpi / 72, draw_annots=False).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="png", dpi=(dpi, dpi))
    return out.getvalue()


def save(fig: Figure, directory: Path | str, name: str, lang: str = "en") -> list[Path]:
    """Write ``name.png`` (300 dpi) and ``name.pdf`` into ``directory``; identical bytes on every call."""
    paths = []
    for ext, data in render(fig, lang).items():
        path = Path(directory) / f"{name}.{ext}"
        atomic_write_bytes(path, data)
        paths.append(path)
    return paths
