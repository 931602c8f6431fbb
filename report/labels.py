"""Place text labels next to points without overlapping each other or the markers (greedy, deterministic).

Each label tries positions around its point, nearest first (right, left, above, below, diagonals),
then the same directions farther out with a leader line. The first position whose box overlaps no
placed label, no obstacle and stays inside the axes wins; if none is free, the least-overlapping
one. Boxes are measured with the figure's renderer, so call this after the layout is final.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

# (dx, dy) unit directions in the order tried; alignment follows the direction
DIRECTIONS: tuple[tuple[float, float], ...] = (
    (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1),
)
RINGS_PT: tuple[float, ...] = (3.0, 12.0, 24.0, 38.0)  # gap beyond the marker radius, in points


@dataclass(frozen=True)
class LabelSpec:
    x: float  # data coordinates
    y: float
    text: str
    radius_pt: float = 3.0  # marker radius: labels start outside it


def _align(dx: float, dy: float) -> tuple[str, str]:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ha, va


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Bbox, frame: Bbox) -> float:
    inner = Bbox.intersection(box, frame)
    full = box.width * box.height
    return full - (inner.width * inner.height if inner is not None else 0.0)


def place_labels(ax: Axes, specs: Sequence[LabelSpec], obstacles: Sequence[Bbox] = (), **text_kw) -> list[Annotation]:
    """Add one annotation per spec at a free position; returns them in the order of ``specs``."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72.0
    placed: list[Bbox] = []
    obstacles = list(obstacles)
    out: list[Annotation] = []
    pad_px = 1.5 * px_per_pt
    for spec in specs:
        best = None
        for ring, gap in enumerate(RINGS_PT):
            for dx, dy in DIRECTIONS:
                norm = math.hypot(dx, dy)
                dist = spec.radius_pt + gap
                off = (dx / norm * dist, dy / norm * dist)
                ha, va = _align(dx, dy)
                ann = ax.annotate(spec.text, (spec.x, spec.y), xytext=off, textcoords="offset points",
                                  ha=ha, va=va, **text_kw)
                box = ann.get_window_extent(renderer).padded(pad_px)
                ann.remove()
                cost = sum(_overlap(box, b) for b in placed) + sum(_overlap(box, b) for b in obstacles)
                cost += 4 * _outside(box, frame)
                if best is None or cost < best[0]:
                    best = (cost, off, ha, va, box, ring)
                if cost == 0:
                    break
            if best[0] == 0:
                break
        _, off, ha, va, box, ring = best
        arrow = {"arrowstyle": "-", "lw": 0.5, "color": "0.35", "shrinkA": 0, "shrinkB": spec.radius_pt}
        ann = ax.annotate(spec.text, (spec.x, spec.y), xytext=off, textcoords="offset points", ha=ha, va=va,
                          arrowprops=arrow if ring > 0 else None, **text_kw)
        placed.append(box)
        out.append(ann)
    return out


def text_box(text: Text, renderer) -> Bbox:
    """The box of the text alone (an Annotation's own extent also covers its leader line)."""
    if isinstance(text, Annotation):
        text.update_positions(renderer)  # place the offset text before measuring it
    return Text.get_window_extent(text, renderer)


def overlaps(boxes: Sequence[Bbox]) -> list[tuple[int, int]]:
    """Pairs of indices of boxes that overlap (for tests and checks)."""
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if _overlap(boxes[i], boxes[j]) > 0]
