"""Correcting the program by the simulation: pure arithmetic on paired measurements.

Each calibration round simulates the program's plan and today with the same seeds and measures every
outcome's change (``islandcare.optimize_sim``). For an outcome the simulation flags, this module
refits its :class:`~optimize.pieces.Correction`:

- ``scale``: the least-squares factor through the origin between the program's modelled
  (uncorrected) change and the measured change, over every plan simulated so far,
  ``sum(M R) / sum(R^2)``, clipped to ``[0, calibration.max_scale]``. Pooling the rounds keeps the
  factor from swinging between plans. An outcome whose modelled change is zero in every plan cannot
  be rescaled: the simulation sees an effect the program's curves do not model. That change is then
  attributed to the resources the plan changed, in proportion to their yearly cost (operating plus
  capital over ``league.capital_life_years``), as a linear term per unit of each resource
  (``Correction.slopes``, refitted from the latest such plan); the note says so.
- ``offset``: today's level as simulated minus the program's (for outcomes whose levels mean the
  same in both), so that floors are stated against the simulated level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from optimize.pieces import Correction

TINY = 1e-9


@dataclass(frozen=True)
class Observation:
    """One outcome in one simulated plan: the program's uncorrected numbers and the measured ones."""

    outcome: str
    raw_baseline: float
    raw_change: float
    measured_baseline: float
    measured_change: float
    changes: tuple[tuple[str, int], ...] = ()  # resource -> county-total change of the plan
    costs: tuple[tuple[str, float], ...] = ()  # resource -> yearly cost of that change


def refit(observations: Iterable[Observation], current: Mapping[str, Correction], flagged: Iterable[str],
          max_scale: float, levels_differ: Iterable[str] = ()) -> tuple[dict[str, Correction], dict[str, str]]:
    """Refit the corrections of the flagged outcomes from every simulated plan.

    Parameters
    ----------
    observations : iterable of Observation
        Every outcome of every plan simulated so far.
    current : mapping
        Outcome -> the correction used in the round just simulated.
    flagged : iterable of str
        Outcomes the simulation disagreed with; the others keep their correction.
    max_scale : float
        Upper clip of a scale factor.
    levels_differ : iterable of str
        Outcomes whose levels mean different things in program and simulation (no offset).

    Returns
    -------
    corrections : dict
        Outcome -> :class:`Correction` for the next round.
    notes : dict
        Outcome -> what was refitted and why.
    """
    obs = list(observations)
    out, notes = dict(current), {}
    differ = set(levels_differ)
    for o in flagged:
        mine = [x for x in obs if x.outcome == o]
        if not mine:
            continue
        old = current.get(o, Correction())
        rr = sum(x.raw_change ** 2 for x in mine)
        if rr > TINY:
            scale = min(max_scale, max(0.0, sum(x.raw_change * x.measured_change for x in mine) / rr))
            notes[o] = f"scale {old.scale:.3g} -> {scale:.3g} from {len(mine)} simulated plan(s)"
        else:
            scale = old.scale
        slopes = old.slopes
        if rr <= TINY and any(abs(x.measured_change) > TINY for x in mine):
            slopes, why = attribute(mine[-1])
            notes[o] = ("the program's curves give no change for the plans simulated so far; the measured change "
                        "is an effect they do not model: " + why)
        offset = old.offset
        if o not in differ:
            offset = mine[-1].measured_baseline - mine[-1].raw_baseline
            if abs(offset - old.offset) > TINY:
                notes[o] = "; ".join(x for x in (notes.get(o, ""), f"level offset {old.offset:.4g} -> {offset:.4g}") if x)
        out[o] = Correction(scale, offset, slopes)
    return out, notes


def attribute(x: Observation) -> tuple[tuple[tuple[str, float], ...], str]:
    """Linear slopes per unit of each resource the plan changed, splitting ``x.measured_change`` in
    proportion to the resources' yearly cost."""
    changes = {r: n for r, n in x.changes if n != 0}
    costs = {r: abs(c) for r, c in x.costs if r in changes}
    total = sum(costs.values())
    if not changes or total <= 0:
        return (), "the plan changes no resource to attribute it to"
    slopes = tuple(sorted((r, x.measured_change * costs[r] / total / changes[r]) for r in changes if costs[r] > 0))
    return slopes, "attributed by yearly cost: " + ", ".join(f"{v:.4g} per {r[:-1] if r.endswith('s') else r}"
                                                             for r, v in slopes)
