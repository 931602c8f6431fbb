"""Expected OHCA survival for many AED counts at once: :func:`analytic.ohca.expected_survival`,
vectorised.

The optimiser needs the survival curve of every island at every AED count it may choose (hundreds
of evaluations); the scalar function calls the outcome curve once per grid point. This function
computes the same numbers with NumPy, for outcome curves that are piecewise linear and flat beyond
their ends (``scenarios.model.OutcomeCurve``: exactly ``numpy.interp`` on its points). A unit test
checks that both functions agree, so the optimiser and the simulation use one model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analytic.ohca import time_to_aed_min


def _interp(curve, t: np.ndarray) -> np.ndarray:
    return np.interp(t, np.asarray(curve.delays_min, float), np.asarray(curve.probabilities, float))


def expected_survival_by_aeds(curve_cpr, curve_no_cpr, *, n_aeds: Sequence[int], settled_km2: float,
                              clinician_min: float, p_home: float, p_home_access: float, p_cpr: float,
                              p_shockable: float, nonshockable_survival: float, collapse_to_call: float,
                              walk_m_per_min: float, analysis_min: float, grid: int = 400) -> np.ndarray:
    """Expected survival of one arrest for each AED count in ``n_aeds`` (same model and grid as
    :func:`analytic.ohca.expected_survival`)."""
    u = (np.arange(grid) + 0.5) / grid
    out = np.empty(len(n_aeds))
    p_aed = (1 - p_home) + p_home * p_home_access
    without = {cpr: float(_interp(curve, np.array([clinician_min]))[0])
               for cpr, curve in ((True, curve_cpr), (False, curve_no_cpr))}
    for k, n in enumerate(n_aeds):
        t_aed = np.asarray(time_to_aed_min(u, int(n), settled_km2, collapse_to_call, walk_m_per_min, analysis_min),
                           dtype=float)
        t_with = np.minimum(t_aed, clinician_min)
        shock = {}
        for cpr, curve in ((True, curve_cpr), (False, curve_no_cpr)):
            with_aed = float(_interp(curve, t_with).mean())
            shock[cpr] = p_aed * with_aed + (1 - p_aed) * without[cpr]
        shockable = p_cpr * shock[True] + (1 - p_cpr) * shock[False]
        out[k] = p_shockable * shockable + (1 - p_shockable) * nonshockable_survival
    return out
