"""The simulation against queueing theory (cases with known answers, ../shared/research/des_anchors.md).

Each case runs its replications through the ordinary route (``scenarios.validate.validate`` on a
composed config, then ``experiments.runner.run_replications``) and requires the closed-form answer to
lie inside the replications' 95% t-interval, with an interval narrow enough to catch a real error
(``max_rel_halfwidth``). Seeds are fixed, so the outcome is reproducible. Heavier cases are marked
``slow`` (``make validate``); every case has a fast version in the default suite.

Run with ``-s`` to see the figures each case produced.
"""

from __future__ import annotations

import math

import pytest
from sim_helpers import assert_in_ci, run, synthetic, values

from analytic.queues import (
    erlang_b,
    erlang_c,
    mmc_utilization,
    mmc_wait_exceeds,
    mmc_wq,
    priority_mm1_sojourn,
)

# --- the formulas themselves reproduce the published anchors ------------------------------------------


def test_formulas_reproduce_the_anchors():
    assert mmc_wq(5, 8, 1) == pytest.approx(0.2083, abs=1e-4)
    assert mmc_wq(0.2, 0.1, 3) == pytest.approx(4.444, abs=1e-3)
    assert erlang_b(20, 15) == pytest.approx(0.0456, abs=1e-4)
    assert erlang_b(10, 8) == pytest.approx(0.1217, abs=1e-4)
    assert erlang_b(30, 25) == pytest.approx(0.0526, abs=1e-4)
    assert priority_mm1_sojourn([0.2, 0.6], 1.0) == pytest.approx([2.0, 6.0])
    # M/M/1: probability of waiting = rho, Wq = rho / (mu - lambda)
    assert erlang_c(1, 0.6) == pytest.approx(0.6)
    assert mmc_wait_exceeds(0.6, 1.0, 1, 2.0) == pytest.approx(0.6 * math.exp(-0.8))


# --- M/M/c against Erlang C -----------------------------------------------------------------------------

# (servers, arrivals per hour, mean service min, horizon days, warm-up days, replications, max rel half-width)
MMC_FAST = [
    pytest.param(1, 5.0, 7.5, 50, 1, 8, 0.10, id="M/M/1 rho=0.625 (anchor Wq=0.2083 h)"),
    pytest.param(3, 12.0, 10.0, 40, 1, 8, 0.10, id="M/M/3 rho=0.667 (anchor Wq=4.444 min)"),
    pytest.param(2, 7.2, 15.0, 120, 10, 8, 0.20, id="M/M/2 rho=0.90"),
]
MMC_SLOW = [
    pytest.param(2, 7.6, 15.0, 500, 60, 10, 0.12, id="M/M/2 rho=0.95"),
    pytest.param(5, 19.0, 15.0, 300, 60, 10, 0.12, id="M/M/5 rho=0.95"),
    pytest.param(1, 3.92, 15.0, 1500, 200, 10, 0.20, id="M/M/1 rho=0.98"),
]


def _check_mmc(servers, lam_h, service_min, horizon, warmup, reps, rel):
    v = synthetic("mmc", horizon_days=horizon, warmup_days=warmup, replications=reps, seed=101,
                  servers=servers, arrival_rate_per_hour=lam_h, mean_service_min=service_min, service_cv=1.0)
    kpis = run(v)
    lam, mu = lam_h / 60.0, 1.0 / service_min
    rho = mmc_utilization(lam, mu, servers)
    assert_in_ci(values(kpis, "wait_min_mean"), mmc_wq(lam, mu, servers), f"Wq (min), c={servers} rho={rho:.3f}",
                 max_rel_halfwidth=rel)
    assert_in_ci(values(kpis, "doctor_utilization"), rho, "utilisation", max_rel_halfwidth=0.03)
    # The wait distribution too. P(Wq > t) = C exp(-(c mu - lam) t), so the 90th percentile is
    # ln(C / 0.1) / (c mu - lam) (p90 comes from 1-minute bins, upper edge: 1 minute of slack) and the
    # share within the 60-minute target is 1 - P(Wq > 60) (checked when that tail is not negligible).
    c_wait = erlang_c(servers, lam / mu)
    if c_wait > 0.15:
        p90 = math.log(c_wait / 0.1) / (servers * mu - lam)
        assert_in_ci(values(kpis, "time_to_definitive_care_min_p90"), p90, "p90 of the wait (min)",
                     max_rel_halfwidth=rel, slack=1.0)
    target = v.scenario.conditions[0].target_min
    tail = mmc_wait_exceeds(lam, mu, servers, target)
    if tail > 0.02:
        assert_in_ci(values(kpis, "within_target_share"), 1 - tail, f"P(Wq <= {target:g} min)",
                     max_rel_halfwidth=max(0.05, rel))
    # Nothing leaks: every arrival is either done or still in the clinic at the end.
    assert (values(kpis, "arrivals") == values(kpis, "completed") + values(kpis, "in_system_end")).all()


@pytest.mark.parametrize(("servers", "lam_h", "service_min", "horizon", "warmup", "reps", "rel"), MMC_FAST)
def test_mmc_matches_erlang_c(servers, lam_h, service_min, horizon, warmup, reps, rel):
    _check_mmc(servers, lam_h, service_min, horizon, warmup, reps, rel)


@pytest.mark.slow
@pytest.mark.parametrize(("servers", "lam_h", "service_min", "horizon", "warmup", "reps", "rel"), MMC_SLOW)
def test_mmc_matches_erlang_c_heavy_load(servers, lam_h, service_min, horizon, warmup, reps, rel):
    _check_mmc(servers, lam_h, service_min, horizon, warmup, reps, rel)


def test_mmc_deterministic_service_is_not_exponential():
    """Power check: with fixed service times the wait halves (M/D/1 Wq = 0.5 at rho 0.5, mean service 1),
    and the model must see the difference from the M/M/1 answer (1.0)."""
    v = synthetic("mmc", horizon_days=12, warmup_days=0.5, replications=8, seed=7, servers=1,
                  arrival_rate_per_hour=30.0, mean_service_min=1.0, service_cv=0.0)
    assert_in_ci(values(run(v), "wait_min_mean"), 0.5, "M/D/1 Wq (min)", max_rel_halfwidth=0.08)


# --- two-class non-pre-emptive priority M/M/1 ------------------------------------------------------------

def _check_priority(horizon, reps, rel):
    # Textbook case per minute: urgent 0.2, routine 0.6, service rate 1 -> W_high 2.0, W_low 6.0.
    v = synthetic("priority", horizon_days=horizon, warmup_days=0.25, replications=reps, seed=202, servers=1,
                  arrival_rate_per_hour=36.0, urgent_rate_per_hour=12.0, mean_service_min=1.0, service_cv=1.0)
    kpis = run(v)
    w_high, w_low = priority_mm1_sojourn([0.2, 0.6], 1.0)
    service = 1.0
    # wait_min_mean is arrival to the start of the first service: time in system = wait + mean service.
    assert_in_ci(values(kpis, "wait_min_mean", "island", "urgent") + service, w_high, "W urgent (min)",
                 max_rel_halfwidth=rel)
    assert_in_ci(values(kpis, "wait_min_mean", "island", "patient") + service, w_low, "W routine (min)",
                 max_rel_halfwidth=rel)
    assert_in_ci(values(kpis, "doctor_utilization"), 0.8, "utilisation", max_rel_halfwidth=0.03)


def test_priority_mm1_two_classes():
    _check_priority(horizon=6, reps=8, rel=0.10)


@pytest.mark.slow
def test_priority_mm1_two_classes_long():
    _check_priority(horizon=20, reps=10, rel=0.06)


# --- a ward without a queue: Erlang B; Little's law for beds ----------------------------------------------

def _ward(beds, load, stay_days, horizon, reps, rule, seed=303):
    lam_h = load / (stay_days * 24.0)
    v = synthetic("ward", horizon_days=horizon, warmup_days=5, replications=reps, seed=seed, beds=beds,
                  arrival_rate_per_hour=lam_h, mean_stay_days=stay_days, mean_service_min=1.0,
                  policy={"bed_full_rule": rule})
    return run(v)


# (beds, offered load, mean stay days, horizon days, replications, max rel half-width of the blocking)
WARD_FAST = [pytest.param(10, 8.0, 0.25, 300, 8, 0.06, id="c=10 a=8 (B=0.1217)")]
WARD_SLOW = [
    pytest.param(20, 15.0, 0.25, 600, 10, 0.06, id="c=20 a=15 (B=0.0456)"),
    pytest.param(30, 25.0, 0.25, 400, 10, 0.06, id="c=30 a=25 (B=0.0526)"),
    pytest.param(20, 15.0, 5.0, 3650, 10, 0.10, id="c=20 a=15, 5-day stays"),
]


def _check_erlang_b(beds, load, stay, horizon, reps, rel):
    kpis = _ward(beds, load, stay, horizon, reps, "out_of_county")
    blocked, arrivals = values(kpis, "bed_blocked_count", "island"), values(kpis, "arrivals")
    b = erlang_b(beds, load)
    assert_in_ci(blocked / arrivals, b, f"blocked share, {beds} beds, load {load}", max_rel_halfwidth=rel)
    # Little's law: mean occupied beds = admission rate x mean stay = a (1 - B)
    assert_in_ci(values(kpis, "bed_occupancy_mean", "island"), load * (1 - b), "mean occupied beds",
                 max_rel_halfwidth=0.02)
    # Blocked patients leave the county (the ward case has a road to the mainland) and nobody is stuck.
    assert (values(kpis, "transfers_out_of_county") == blocked).all()
    assert (values(kpis, "in_county_share") < 1).all()
    assert (values(kpis, "arrivals") == values(kpis, "completed") + values(kpis, "in_system_end")).all()
    assert values(kpis, "in_system_end").max() <= 1


@pytest.mark.parametrize(("beds", "load", "stay", "horizon", "reps", "rel"), WARD_FAST)
def test_ward_blocking_matches_erlang_b(beds, load, stay, horizon, reps, rel):
    _check_erlang_b(beds, load, stay, horizon, reps, rel)


@pytest.mark.slow
@pytest.mark.parametrize(("beds", "load", "stay", "horizon", "reps", "rel"), WARD_SLOW)
def test_ward_blocking_matches_erlang_b_more_loads(beds, load, stay, horizon, reps, rel):
    _check_erlang_b(beds, load, stay, horizon, reps, rel)


def test_ward_with_boarding_is_erlang_c():
    """With the 'board' rule nobody leaves: the ward is M/M/c, the share finding it full is Erlang C
    (arrivals see time averages) and every offered bed-day is carried (occupancy = a)."""
    beds, load = 10, 8.0
    kpis = _ward(beds, load, 0.25, 300, 8, "board", seed=304)
    share = values(kpis, "bed_blocked_count", "island") / values(kpis, "arrivals")
    assert_in_ci(share, erlang_c(beds, load), "share boarding (Erlang C)", max_rel_halfwidth=0.06)
    assert_in_ci(values(kpis, "bed_occupancy_mean", "island"), load, "mean occupied beds", max_rel_halfwidth=0.02)
    assert (values(kpis, "transfers_out_of_county") == 0).all()


# --- a ferry computable by hand ----------------------------------------------------------------------------

def _hand_ferry_wait(headway: float) -> float:
    """Mean wait for the next departure, arrivals uniform over the day, departures k*H within the day."""
    deps = [k * headway for k in range(int(1440 // headway) + 1) if k * headway < 1440] + [1440.0]
    gaps = [b - a for a, b in zip(deps, deps[1:], strict=False)]
    return sum(g * g / 2 for g in gaps) / 1440.0


@pytest.mark.parametrize("headway", [120.0, 45.0, 100.0])
def test_ferry_wait_is_half_the_headway(headway):
    v = synthetic("ferry", horizon_days=20, warmup_days=1, replications=6, seed=404, headway_min=headway,
                  arrival_rate_per_hour=2.0, servers=50, mean_service_min=1.0)
    kpis = run(v)
    expected = _hand_ferry_wait(headway)
    if 1440 % headway == 0:
        assert expected == pytest.approx(headway / 2)
    waits = values(kpis, "ferry_wait_min_mean", "outer", "patient")
    assert_in_ci(waits, expected, f"ferry wait (min), H={headway:g}", max_rel_halfwidth=0.03)
    # Every transfer went by ferry, never delayed by weather; care starts on landing (crossing 30 min).
    ferry = values(kpis, "transfers_ferry", "outer", "patient")
    assert (values(kpis, "completed", "outer", "patient") <= ferry).all()
    assert (ferry <= values(kpis, "arrivals", "outer", "patient")).all()
    assert (values(kpis, "transfers_boat") + values(kpis, "transfers_helicopter") == 0).all()
    assert (values(kpis, "weather_delay_min_mean", "outer", "patient") == 0).all()
    ttd = values(kpis, "time_to_definitive_care_min_mean", "outer", "patient")
    assert ttd == pytest.approx(waits + 30.0, abs=0.01)
