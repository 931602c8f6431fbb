"""Many-server queues with a waiting list that people leave (Erlang A, M/M/c+M), and the loss system.

Used by the optimiser for care homes: people needing a place arrive as a Poisson process (rate
``lam``), stay an exponential time (rate ``mu`` per bed), and whoever finds every usable bed taken
waits and leaves the list after an exponential time (rate ``theta``), as in the simulation's elderly
care module. With ``theta = inf`` (no waiting list) it is the Erlang loss system (Erlang B).

The stationary distribution of the birth-death chain (births ``lam``; deaths ``min(n, c) mu +
max(n - c, 0) theta``) is computed in log space and truncated where its tail is negligible (e.g.
Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures", 2007).

>>> r = erlang_a(10, 8.0, 1.0, math.inf)            # no waiting list: the loss system
>>> round(1 - r.served_share, 4)                      # = Erlang B(10, 8)
0.1217
>>> round(erlang_a(1, 0.5, 1.0, 1e-12).served_share, 6)  # nobody leaves: everyone is served
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln


@dataclass(frozen=True, slots=True)
class WaitlistResult:
    """Long-run measures of M/M/c+M; rates in the units of ``lam``."""

    served_share: float  # share of arrivals who get a place (sooner or later)
    abandon_share: float  # share who leave the waiting list (or are lost, without a list)
    mean_waiting: float  # mean number on the waiting list
    mean_busy: float  # mean occupied places
    wait_prob: float  # share of arrivals who find every place taken


def erlang_a(c: int, lam: float, mu: float, theta: float, tail: float = 1e-13) -> WaitlistResult:
    """M/M/c+M with ``c`` places, arrival rate ``lam``, service rate ``mu``, abandonment rate ``theta``.

    ``theta = math.inf`` gives the loss system (nobody waits). Requires ``lam >= 0``, ``mu > 0``,
    ``theta > 0``, ``c >= 0``.
    """
    if c < 0 or lam < 0 or mu <= 0 or not theta > 0:
        raise ValueError("need c >= 0, lam >= 0, mu > 0, theta > 0")
    if lam == 0:
        return WaitlistResult(1.0, 0.0, 0.0, 0.0, 0.0)
    loss = math.isinf(theta)
    # log p_n - log p_0 for n = 0..c (Poisson-like part)
    n = np.arange(c + 1)
    logs = n * math.log(lam / mu) - gammaln(n + 1.0)
    parts = [logs]
    if not loss:
        # beyond c: each step multiplies by lam / (c mu + k theta), k = 1, 2, ...; stop when negligible
        # relative to the largest term (the ratio falls below 1 once c mu + k theta > lam).
        k_max = int(max(0.0, (lam - c * mu) / theta)) + 1
        step = 256
        k0, last = 1, logs[-1]
        peak = float(logs.max())
        while True:
            k = np.arange(k0, k0 + step)
            incr = math.log(lam) - np.log(c * mu + k * theta)
            block = last + np.cumsum(incr)
            parts.append(block)
            peak = max(peak, float(block.max()))
            last = float(block[-1])
            k0 += step
            if k0 > k_max and last - peak < math.log(tail):
                break
            step *= 2
    logp = np.concatenate(parts)
    logp -= logp.max()
    p = np.exp(logp)
    p /= p.sum()
    states = np.arange(len(p))
    busy = np.minimum(states, c)
    waiting = np.maximum(states - c, 0)
    mean_busy = float(p @ busy)
    mean_waiting = float(p @ waiting)
    wait_prob = float(p[c:].sum())  # PASTA: arrivals see the stationary distribution
    served = mean_busy * mu / lam  # throughput of the places / arrival rate
    served = min(1.0, max(0.0, served))
    return WaitlistResult(served, 1.0 - served, mean_waiting, mean_busy, wait_prob)
