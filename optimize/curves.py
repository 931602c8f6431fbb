"""Benefit curves: the value of a term at each whole number of a resource, and its concave envelope.

The program models diminishing returns with the smallest concave piecewise-linear function above the
exact values (the upper concave envelope, or "hull"): with a positive weight in a maximisation, a
variable ``y <= intercept_k + slope_k * x`` for every hull segment ``k`` equals the hull at ``x``. At
the hull's vertices the hull is exact; between them it may over-state an S-shaped curve (few AEDs on
a large island do little until there are enough). :meth:`Curve.value` gives the exact value, which
the plan reports next to the program's (hull) value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Curve:
    """Exact values ``ys`` at increasing whole numbers ``xs`` (a resource level); ``unit`` of ``ys``."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    unit: str = ""

    def __post_init__(self) -> None:
        if len(self.xs) != len(self.ys) or not self.xs:
            raise ValueError("a curve needs as many values as points, at least one")
        if any(b <= a for a, b in zip(self.xs, self.xs[1:], strict=False)):
            raise ValueError("curve points must increase")

    @classmethod
    def from_function(cls, xs: Sequence[float], f, unit: str = "") -> Curve:
        return cls(tuple(float(x) for x in xs), tuple(float(f(x)) for x in xs), unit)

    def value(self, x: float) -> float:
        """The exact value (linear between points, flat beyond the ends)."""
        return float(np.interp(x, self.xs, self.ys))

    def hull_points(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Vertices of the upper concave envelope (monotone chain)."""
        hx: list[float] = []
        hy: list[float] = []
        for x, y in zip(self.xs, self.ys, strict=True):
            while len(hx) >= 2 and _cross(hx[-2], hy[-2], hx[-1], hy[-1], x, y) >= -1e-12 * max(1.0, abs(y)):
                hx.pop()
                hy.pop()
            hx.append(x)
            hy.append(y)
        return tuple(hx), tuple(hy)

    def hull_value(self, x: float) -> float:
        hx, hy = self.hull_points()
        return float(np.interp(x, hx, hy))

    def segments(self) -> list[tuple[float, float]]:
        """(slope, intercept) of each hull segment; one flat piece for a single point."""
        hx, hy = self.hull_points()
        if len(hx) == 1:
            return [(0.0, hy[0])]
        out = []
        for (x0, y0), (x1, y1) in zip(zip(hx, hy, strict=True), zip(hx[1:], hy[1:], strict=True), strict=False):
            slope = (y1 - y0) / (x1 - x0)
            out.append((slope, y0 - slope * x0))
        return out

    def is_concave(self, tol: float = 1e-9) -> bool:
        return all(abs(self.hull_value(x) - y) <= tol * max(1.0, abs(y)) for x, y in zip(self.xs, self.ys, strict=True))

    @property
    def lo(self) -> float:
        return self.xs[0]

    @property
    def hi(self) -> float:
        return self.xs[-1]


def _cross(x0, y0, x1, y1, x2, y2) -> float:
    """> 0 when (x1, y1) lies below the chord from (x0, y0) to (x2, y2) (not a hull vertex)."""
    return (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0)
