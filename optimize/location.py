"""Standard facility-location models as small PuLP builders (spopt-style), for checks on public
instances with known optima and for reuse.

- :func:`p_median`: ``p`` sites minimising the weighted distance of each demand to its site;
- :func:`p_center`: ``p`` sites minimising the largest distance (textbook model, weak bound);
- :func:`max_covering`: ``p`` sites maximising the weighted demand within ``radius`` (MCLP).

The ambulance-boat block of the planning program (``optimize.blocks.add_boats``) is MEXCLP, the
expected-coverage generalisation of MCLP (several units per site, each busy with probability ``q``);
with ``q = 0`` and one unit it reduces to :func:`max_covering`. Each builder returns the problem and
its site variables; solve with ``optimize.solve.solve`` and read values only after the status check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pulp


def shortest_paths(n: int, edges: Sequence[tuple[int, int, float]]) -> np.ndarray:
    """All-pairs shortest path lengths of an undirected graph on vertices 0..n-1 (Floyd-Warshall).

    When an edge appears twice, the last cost counts (the OR-Library p-median convention)."""
    d = np.full((n, n), np.inf)
    np.fill_diagonal(d, 0.0)
    for i, j, c in edges:
        if i != j:
            d[i, j] = d[j, i] = c
    for k in range(n):
        d = np.minimum(d, d[:, [k]] + d[[k], :])
    return d


def _sites(problem: pulp.LpProblem, m: int) -> list[pulp.LpVariable]:
    return [problem.add_variable(f"open_{j}", 0, 1, pulp.LpBinary) for j in range(m)]


def p_median(cost: np.ndarray, p: int, weights: Sequence[float] | None = None):
    """``cost[i, j]``: cost of serving demand ``i`` from site ``j``. Returns (problem, site variables)."""
    n, m = cost.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    prob = pulp.LpProblem("p_median", pulp.LpMinimize)
    y = _sites(prob, m)
    x = [[prob.add_variable(f"assign_{i}_{j}", 0, 1) for j in range(m)] for i in range(n)]
    prob += pulp.lpSum(w[i] * cost[i, j] * x[i][j] for i in range(n) for j in range(m))
    prob += pulp.lpSum(y) == p, "site_count"
    for i in range(n):
        prob += pulp.lpSum(x[i]) == 1, f"assigned_{i}"
        for j in range(m):
            prob += x[i][j] - y[j] <= 0, f"open_only_{i}_{j}"
    return prob, y


def p_center(cost: np.ndarray, p: int):
    """Minimise the largest assignment cost with ``p`` sites (the textbook model: assignments and
    ``z >= sum_j cost[i,j] x_ij``). Its LP bound is weak, so larger instances end at the time limit
    with a gap; the tests use it for exactly that. Returns (problem, site variables)."""
    n, m = cost.shape
    prob = pulp.LpProblem("p_center", pulp.LpMinimize)
    y = _sites(prob, m)
    x = [[prob.add_variable(f"assign_{i}_{j}", 0, 1) for j in range(m)] for i in range(n)]
    z = prob.add_variable("largest", 0)
    prob += z
    prob += pulp.lpSum(y) == p, "site_count"
    for i in range(n):
        prob += pulp.lpSum(x[i]) == 1, f"assigned_{i}"
        prob += pulp.lpSum(cost[i, j] * x[i][j] for j in range(m)) - z <= 0, f"largest_{i}"
        for j in range(m):
            prob += x[i][j] - y[j] <= 0, f"open_only_{i}_{j}"
    return prob, y


def max_covering(cost: np.ndarray, p: int, radius: float, weights: Sequence[float] | None = None):
    """MCLP: ``p`` sites, maximise the weight of demands within ``radius`` of an open site."""
    n, m = cost.shape
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    prob = pulp.LpProblem("max_covering", pulp.LpMaximize)
    y = _sites(prob, m)
    covered = [prob.add_variable(f"covered_{i}", 0, 1) for i in range(n)]
    prob += pulp.lpSum(w[i] * covered[i] for i in range(n))
    prob += pulp.lpSum(y) == p, "site_count"
    for i in range(n):
        near = [y[j] for j in range(m) if cost[i, j] <= radius]
        prob += covered[i] - pulp.lpSum(near) <= 0, f"cover_{i}"
    return prob, y
