"""How many replications: the replications algorithm of Hoad, Robinson and Davies (2010).

Hoad K, Robinson S, Davies R (2010). Automated selection of the number of replications for a
discrete-event simulation. Journal of the Operational Research Society 61(11):1632-1644. The same
algorithm as ``ReplicationsAlgorithm`` of Monks' sim-tools: after ``n`` replications the precision
of a KPI is the half-width of its 95% t-interval relative to its mean,
``d(n) = t(n-1) s(n) / (sqrt(n) |mean(n)|)``; the solution is the first ``n >= initial`` with
``d(m) <= target`` for ``m = n .. n + k(n)``, a look-ahead of ``k(n) = look_ahead`` replications
(``floor(look_ahead n / 100)`` beyond 100) that guards against precision reached by chance. With
several KPIs each needs its own solution; the run stops when all have one (``n_used`` replications
have then been run: the largest solution plus its look-ahead) or at ``max_replications``.

:func:`assess` is pure: it reads the per-replication values in replication order, so the answer
does not depend on how many replications were run at once (extra ones are not used).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as st


@dataclass(frozen=True)
class Precision:
    """What ``experiment.replications=auto`` aims for."""

    target: float  # relative half-width of the 95% interval, e.g. 0.05
    kpis: tuple[str, ...]  # names (metric[:condition]) of the KPIs that must reach it
    max_replications: int
    initial: int = 3
    look_ahead: int = 5
    level: float = 0.95


@dataclass(frozen=True)
class KpiOutcome:
    kpi: str
    solution: int | None  # replications needed (None: not reached)
    deviation: float  # relative half-width with every replication used
    reason: str


@dataclass(frozen=True)
class Assessment:
    done: bool  # nothing more to run (solved, or the maximum reached)
    solved: bool
    n_used: int  # replications whose results count (the rest of a batch is dropped)
    needed: int | None  # the largest solution (None if a KPI did not reach the target)
    kpis: tuple[KpiOutcome, ...]
    next_batch: int  # replications worth running next (0 when done)

    def explain(self) -> str:
        """One line per KPI, for the console and ``replications.json``."""
        return "\n".join(f"  {k.kpi}: {k.reason}" for k in self.kpis)


def look_ahead(n: int, k: int) -> int:
    return k if n <= 100 else int(math.floor(k * n / 100))


def deviations(values: Sequence[float], level: float = 0.95) -> list[float]:
    """``d(n)`` for n = 1 .. len(values) (NaN for n < 2; missing values are skipped)."""
    out, seen = [], []
    for x in values:
        if not (x is None or (isinstance(x, float) and math.isnan(x))):
            seen.append(float(x))
        n = len(seen)
        if n < 2:
            out.append(math.nan)
            continue
        v = np.asarray(seen)
        half = float(st.t.ppf(0.5 + level / 2, n - 1)) * float(v.std(ddof=1)) / math.sqrt(n)
        mean = abs(float(v.mean()))
        out.append(0.0 if half == 0 else (half / mean if mean > 0 else math.inf))
    return out


def _solution(dev: Sequence[float], p: Precision, available: int) -> int | None:
    """First n (1-based) meeting the target through its look-ahead within ``available`` values."""
    for n in range(max(p.initial, 2), available + 1):
        k = look_ahead(n, p.look_ahead)
        if n + k > available:
            return None
        if all(not math.isnan(d) and d <= p.target for d in dev[n - 1:n + k]):
            return n
    return None


def assess(values: Mapping[str, Sequence[float]], p: Precision, workers: int = 1) -> Assessment:
    """Apply the algorithm to the replications run so far (``values[kpi][r]``, replication order)."""
    available = min((len(v) for v in values.values()), default=0)
    outcomes, stops = [], []
    for kpi in p.kpis:
        dev = deviations(list(values.get(kpi, []))[:available], p.level)
        sol = _solution(dev, p, available)
        last = dev[available - 1] if available else math.nan
        if sol is not None:
            k = look_ahead(sol, p.look_ahead)
            stops.append(sol + k)
            reason = (f"{sol} replications: the interval is within ±{p.target:.1%} of the mean from then on "
                      f"(checked over {k} more)")
        elif available >= p.max_replications:
            reason = (f"not reached in the maximum of {p.max_replications} replications "
                      f"(±{last:.1%} of the mean with {available})")
        else:
            reason = f"±{last:.1%} after {available} replications"
        outcomes.append(KpiOutcome(kpi, sol, last, reason))
    solved = all(o.solution is not None for o in outcomes)
    if solved:
        n_used = max(stops, default=available)
        return Assessment(True, True, n_used, max((o.solution for o in outcomes), default=0),
                          tuple(outcomes), 0)
    if available >= p.max_replications:
        return Assessment(True, False, p.max_replications, None, tuple(outcomes), 0)
    want = max(p.initial - available, 1)
    batch = min(max(want, workers), p.max_replications - available)
    return Assessment(False, False, available, None, tuple(outcomes), batch)
