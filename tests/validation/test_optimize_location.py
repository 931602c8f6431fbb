"""Location models on instances with known optima.

- OR-Library ``pmed1`` (file ``data/pmed1.txt``, source in its header): p-median optimum 5819, and
  its p-center optimum 127 used to check a time-limited solve's bound and plan.
- Maximal covering against brute-force enumeration of every set of ``p`` sites on generated data.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from optimize.location import max_covering, p_center, p_median, shortest_paths
from optimize.settings import OptimizerSettings
from optimize.solve import solve

DATA = Path(__file__).resolve().parent / "data" / "pmed1.txt"
PMED1_MEDIAN, PMED1_CENTER = 5819, 127  # OR-Library pmedopt; Pullan (2008) for the p-center value


def read_pmed(path: Path):
    rows = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    n, m, p = map(int, rows[0])
    edges = [(int(a) - 1, int(b) - 1, float(c)) for a, b, c in rows[1:]]
    assert len(edges) == m
    return n, p, edges


@pytest.fixture(scope="module")
def pmed1():
    n, p, edges = read_pmed(DATA)
    return shortest_paths(n, edges), p


def _opened(y) -> list[int]:
    return [j for j, v in enumerate(y) if v.varValue > 0.5]


def test_shortest_paths_use_the_last_cost_of_a_repeated_edge():
    d = shortest_paths(3, [(0, 1, 10.0), (1, 2, 1.0), (0, 1, 4.0)])
    assert d[0, 1] == 4 and d[0, 2] == 5 and d[2, 0] == 5


def _check_median(d, p, solver):
    prob, y = p_median(d, p)
    r = solve(prob, OptimizerSettings(solver=solver, gap=0.0, time_limit_s=120))
    assert r.ok, r
    assert r.objective == pytest.approx(PMED1_MEDIAN)
    sites = _opened(y)
    assert len(sites) == p
    assert d[:, sites].min(axis=1).sum() == pytest.approx(PMED1_MEDIAN)  # the plan itself costs 5819


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_pmed1_p_median(pmed1, solver):
    _check_median(*pmed1, solver)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_time_limited_solve_reports_its_status_bound_and_best_plan(pmed1, solver):
    """The textbook p-center model of pmed1 cannot be proven optimal in a second."""
    d, p = pmed1
    prob, y = p_center(d, p)
    r = solve(prob, OptimizerSettings(solver=solver, gap=0.0, time_limit_s=1.0))
    assert r.status == "time_limit"
    if r.has_solution:  # the best plan found is a real plan, no better than the optimum
        sites = _opened(y)
        assert len(sites) == p
        assert r.objective >= PMED1_CENTER - 1e-6
        assert d[:, sites].min(axis=1).max() <= r.objective + 1e-6
        assert r.bound is not None and r.bound <= PMED1_CENTER + 1e-6
        assert r.gap is not None and r.gap > 0


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_max_covering_equals_enumeration(seed, solver):
    rng = np.random.default_rng(seed)
    n, m, p = 25, 7, 3
    demand = rng.uniform(0, 10, (n, 2))
    sites = rng.uniform(0, 10, (m, 2))
    cost = np.linalg.norm(demand[:, None, :] - sites[None, :, :], axis=2)
    w = rng.integers(1, 20, n)
    radius = 3.0
    best = max(sum(w[i] for i in range(n) if cost[i, list(c)].min() <= radius)
               for c in itertools.combinations(range(m), p))
    prob, y = max_covering(cost, p, radius, w)
    r = solve(prob, OptimizerSettings(solver=solver, gap=0.0))
    assert r.ok
    assert r.objective == pytest.approx(best)
    chosen = _opened(y)
    assert sum(w[i] for i in range(n) if cost[i, chosen].min() <= radius) == best
