"""Benefit curves and the formulas behind them: concave envelopes, the vectorised OHCA survival (equal
to the simulation's scalar formula) and the Erlang A waiting list (against a hand-built chain)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from analytic.ohca import expected_survival
from analytic.ohca_batch import expected_survival_by_aeds
from analytic.queues import erlang_b
from analytic.waitlist import erlang_a
from optimize.curves import Curve
from scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_hull_of_a_concave_curve_is_the_curve():
    c = Curve.from_function(range(0, 8), lambda x: 10 * (1 - 0.6 ** x))
    assert c.is_concave()
    assert c.hull_points()[0] == c.xs
    for x in c.xs:
        assert min(s * x + b for s, b in c.segments()) == pytest.approx(c.value(x))


def test_hull_of_an_s_curve_bridges_the_convex_start():
    ys = (0.0, 0.1, 0.5, 2.0, 3.0, 3.5, 3.6)  # convex, then concave
    c = Curve(tuple(float(x) for x in range(7)), ys)
    hx, hy = c.hull_points()
    assert hx == (0.0, 4.0, 5.0, 6.0)  # (3, 2) lies below the chord from (0, 0) to (4, 3)
    assert not c.is_concave()
    assert c.hull_value(1) == pytest.approx(0.75)
    assert c.value(1) == 0.1


@given(hs.lists(hs.floats(-100, 100, allow_nan=False), min_size=1, max_size=12))
def test_hull_lies_on_or_above_every_point_and_is_concave(ys):
    c = Curve(tuple(float(x) for x in range(len(ys))), tuple(ys))
    segs = c.segments()
    for x, y in zip(c.xs, c.ys, strict=True):
        h = min(s * x + b for s, b in segs)
        assert h >= y - 1e-9 * max(1, abs(y))
        assert h == pytest.approx(c.hull_value(x), abs=1e-9 * max(1, abs(y)))
    slopes = [s for s, _ in segs]
    assert all(a >= b - 1e-12 for a, b in zip(slopes, slopes[1:], strict=False))


@pytest.mark.parametrize("clinician", [6.0, 19.0, 45.0, math.inf])
def test_vectorised_survival_equals_the_simulations_formula(clinician):
    s = load_scenario(ROOT / "scenarios" / "shengsi")
    prm = s.parameters
    kw = dict(settled_km2=1.3, clinician_min=clinician, p_home=prm.ohca.share_at_home,
              p_home_access=prm.ohca.aed_home_access_share, p_cpr=prm.ohca.bystander_cpr_share,
              p_shockable=prm.ohca.shockable_share, nonshockable_survival=prm.ohca.nonshockable_survival,
              collapse_to_call=prm.ohca.collapse_to_call_min, walk_m_per_min=prm.ohca.walk_speed_m_per_min,
              analysis_min=prm.ohca.aed_analysis_min)
    cpr, no = s.curves[prm.ohca.curve_cpr], s.curves[prm.ohca.curve_no_cpr]
    counts = [0, 1, 2, 7, 30]
    fast = expected_survival_by_aeds(cpr, no, n_aeds=counts, **kw)
    slow = [expected_survival(cpr, no, n_aeds=n, **kw) for n in counts]
    assert fast == pytest.approx(slow, abs=1e-12)
    assert all(b >= a for a, b in zip(fast, fast[1:], strict=False))  # more AEDs never hurt


def _chain(c, lam, mu, theta, states=400):
    """M/M/c+M by brute force: unnormalised probabilities of 0..states-1 people."""
    p = [1.0]
    for n in range(1, states):
        p.append(p[-1] * lam / (min(n, c) * mu + max(n - c, 0) * theta))
    p = np.array(p) / sum(p)
    busy = sum(pn * min(n, c) for n, pn in enumerate(p))
    waiting = sum(pn * max(n - c, 0) for n, pn in enumerate(p))
    return busy * mu / lam, waiting


@pytest.mark.parametrize("c,lam,mu,theta", [(1, 0.5, 1.0, 0.2), (5, 7.0, 1.0, 0.5), (20, 15.0, 1.0, 3.0),
                                            (3, 0.01, 0.001, 0.003)])
def test_erlang_a_matches_the_birth_death_chain(c, lam, mu, theta):
    served, waiting = _chain(c, lam, mu, theta)
    r = erlang_a(c, lam, mu, theta)
    assert r.served_share == pytest.approx(served, rel=1e-9)
    assert r.mean_waiting == pytest.approx(waiting, rel=1e-9)


def test_erlang_a_without_a_list_is_erlang_b_and_more_places_serve_more():
    assert 1 - erlang_a(30, 25.0, 1.0, math.inf).served_share == pytest.approx(erlang_b(30, 25.0), rel=1e-12)
    shares = [erlang_a(c, 10.0, 1.0, 0.5).served_share for c in range(0, 20)]
    assert shares[0] == 0.0
    assert all(b > a for a, b in zip(shares, shares[1:], strict=False))
