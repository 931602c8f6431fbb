"""Queueing formulas with known answers (see ../shared/research/des_anchors.md).

>>> round(mmc_wq(5, 8, 1), 4)          # M/M/1, lambda 5, mu 8
0.2083
>>> round(mmc_wq(0.2, 0.1, 3), 3)      # M/M/3
4.444
>>> round(erlang_b(20, 15), 4), round(erlang_b(10, 8), 4), round(erlang_b(30, 25), 4)
(0.0456, 0.1217, 0.0526)
>>> priority_mm1_sojourn([0.2, 0.6], 1.0)   # two classes, non-pre-emptive
[2.0, 6.0]
"""

from __future__ import annotations

import math


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of an M/G/c/c loss system with offered load ``a`` (Erlangs)."""
    if c < 0 or a < 0:
        raise ValueError("c and a must be >= 0")
    b = 1.0
    for k in range(1, c + 1):  # stable recursion
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability of waiting in M/M/c with offered load ``a`` (requires a < c)."""
    if a >= c:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1 - b))


def mmc_wq(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c (inf when unstable)."""
    a = lam / mu
    if a >= c:
        return math.inf
    return erlang_c(c, a) / (c * mu - lam)


def mmc_utilization(lam: float, mu: float, c: int) -> float:
    return lam / (c * mu)


def mmc_wait_exceeds(lam: float, mu: float, c: int, t: float) -> float:
    """P(wait in queue > t) for M/M/c."""
    a = lam / mu
    if a >= c:
        return 1.0
    return erlang_c(c, a) * math.exp(-(c * mu - lam) * t)


def priority_mm1_sojourn(lams: list[float], mu: float) -> list[float]:
    """Mean time in system per class, non-pre-emptive priority M/M/1 (class 0 highest; exponential service)."""
    w0 = sum(lam / mu**2 * 2 / 2 for lam in lams)  # residual work: sum lam_k E[S^2]/2 with E[S^2] = 2/mu^2
    out, sigma_prev = [], 0.0
    for lam in lams:
        sigma = sigma_prev + lam / mu
        wq = w0 / ((1 - sigma_prev) * (1 - sigma))
        out.append(round(wq + 1 / mu, 10))
        sigma_prev = sigma
    return out
