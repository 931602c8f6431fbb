"""Time to first shock and survival after an out-of-hospital cardiac arrest (OHCA).

Model (used by the simulation per arrest and by the optimiser in expectation):

- Public AEDs lie like a Poisson field over the island's settled area ``A`` (km^2) with ``n`` AEDs;
  the distance to the nearest is then ``D`` with ``P(D > d) = exp(-pi * (n / A) * d^2)``, i.e.
  ``D = sqrt(-ln(1 - u) * A / (pi * n))`` for a uniform ``u`` (the same ``u`` for every policy, so
  more AEDs never lengthen the walk). This is the nearest-neighbour distance of a spatial Poisson
  process (e.g. Chiu, Stoyan, Kendall & Mecke, *Stochastic Geometry*, sec. 2.3).
- A bystander fetches it and comes back: ``t_aed = collapse_to_call + 2 D / walk_speed + analysis``.
  At home, an AED is fetched only with probability ``aed_home_access_share``.
- A clinician with a defibrillator arrives at ``collapse_to_call + dispatch + road`` (islands with a
  doctor) or by boat (islands without one).
- Shock at ``min(t_aed, t_clinician)``; survival of a shockable rhythm from the with-CPR or
  no-CPR curve; a non-shockable rhythm survives with a fixed probability.
"""

from __future__ import annotations

import math

import numpy as np


def aed_distance_km(u: float | np.ndarray, n_aeds: int, settled_km2: float):
    """Distance to the nearest of ``n_aeds`` AEDs for uniform draw(s) ``u`` (inf with no AED)."""
    if n_aeds <= 0:
        return np.full_like(np.asarray(u, dtype=float), np.inf) if np.ndim(u) else math.inf
    return np.sqrt(-np.log1p(-np.asarray(u, dtype=float)) * settled_km2 / (math.pi * n_aeds))


def time_to_aed_min(u, n_aeds: int, settled_km2: float, collapse_to_call: float, walk_m_per_min: float,
                    analysis_min: float):
    d = aed_distance_km(u, n_aeds, settled_km2)
    return collapse_to_call + 2.0 * d * 1000.0 / walk_m_per_min + analysis_min


def expected_survival(curve_cpr, curve_no_cpr, *, n_aeds: int, settled_km2: float, clinician_min: float,
                      p_home: float, p_home_access: float, p_cpr: float, p_shockable: float,
                      nonshockable_survival: float, collapse_to_call: float, walk_m_per_min: float,
                      analysis_min: float, grid: int = 400) -> float:
    """Expected survival of one arrest on an island (integrated over the AED distance)."""
    u = (np.arange(grid) + 0.5) / grid
    t_aed = time_to_aed_min(u, n_aeds, settled_km2, collapse_to_call, walk_m_per_min, analysis_min)
    t_with = np.minimum(t_aed, clinician_min)
    t_without = np.full(grid, clinician_min)
    p_aed = (1 - p_home) + p_home * p_home_access  # an AED is fetched at all
    shock = {}
    for cpr, curve in ((True, curve_cpr), (False, curve_no_cpr)):
        with_aed = float(np.mean([curve(t) for t in t_with]))
        without = float(np.mean([curve(t) for t in t_without]))
        shock[cpr] = p_aed * with_aed + (1 - p_aed) * without
    shockable = p_cpr * shock[True] + (1 - p_cpr) * shock[False]
    return p_shockable * shockable + (1 - p_shockable) * nonshockable_survival
