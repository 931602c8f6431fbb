"""Speed and memory of the simulation core (``make bench``; figures recorded in benchmarks/README.md).

In one process run it measures
  (a) the ``mmc`` validation case through ``sim.model.simulate``: patients per second;
  (b) a bare SimPy M/M/c loop (a process per patient, ``simpy.Resource``) fed with exactly the same
      arrivals and service times (the same ``sim.demand.Demand`` stream): patients per second, and the
      ratio (a)/(b); both must give the same mean wait, a check that they did the same work;
  (c) one simulated year of the default Shengsi scenario (one replication): patients per second, and
      its ratio to (b) (target >= 2.5);
  (d) peak memory of a 1-year and a 10-year Shengsi replication, each in a fresh subprocess
      (target: flat with the horizon);
  (e) the start-up cost of ``python run.py`` for a 1-day horizon (one replication, no report): the
      whole command's wall time, and inside one process the imports, validation, simulation and
      writing of the results.

(a), (b) and (c) are measured in ``--rounds`` alternating rounds and the best round of each is kept,
in CPU seconds of this process (``time.process_time``) as well as wall seconds: on a shared machine
other work slows every measurement, and the fastest of several is the least disturbed. The ratios
compare measurements of the same run.

Usage: python benchmarks/bench_sim.py [--quick] [--rounds 5] [--profile] [--years-long 10]
``--profile`` adds a cProfile of the Shengsi year (where the time goes).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import simpy  # noqa: E402

from islandcare.config import ScenarioConfig  # noqa: E402
from scenarios.validate import Validated, validate  # noqa: E402
from sim.calendar import Calendar  # noqa: E402
from sim.demand import Demand  # noqa: E402
from sim.model import simulate  # noqa: E402
from sim.streams import Streams  # noqa: E402

SEED = 20241
MMC = {"name": "mmc", "kind": "mmc", "arrival_rate_per_hour": 10.0, "servers": 3, "mean_service_min": 15.0,
       "service_cv": 1.0, "weather": "calm"}


def _validated(scenario: dict, days: float, policy: dict | None = None) -> Validated:
    sc = dataclasses.asdict(ScenarioConfig())
    sc.update(scenario)
    return validate({"scenario": sc, "policy": policy or {},
                     "experiment": {"horizon_days": float(days), "warmup_days": 0.0, "replications": 1,
                                    "seed": SEED, "workers": 1, "progress": False}}, ROOT)


def _kpi(kpis, metric: str, island: str = "all", condition: str = "all") -> float:
    row = kpis[(kpis.island == island) & (kpis.condition == condition) & (kpis.metric == metric)]
    return float(row.value.iloc[0])


# --- (a) and (b): the M/M/c case -----------------------------------------------------------------------------

def _timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def model_mmc(days: float) -> dict:
    v = _validated(MMC, days)
    res, wall, cpu = _timed(lambda: simulate(v.scenario, v.policy, v.experiment, 0))
    n = _kpi(res.kpis, "arrivals")
    return {"patients": n, "seconds": wall, "cpu": cpu, "per_second": n / wall, "per_cpu_second": n / cpu,
            "mean_wait": _kpi(res.kpis, "wait_min_mean")}


def bare_simpy_mmc(days: float) -> dict:
    """The textbook SimPy M/M/c loop on the very same patients (arrival times, service times)."""
    v = _validated(MMC, days)
    horizon = v.experiment.horizon_min
    t0, c0 = time.perf_counter(), time.process_time()
    env = simpy.Environment()
    doctors = simpy.Resource(env, capacity=MMC["servers"])
    demand = Demand(v.scenario, Streams(SEED, 0), Calendar(v.scenario))
    acc = {"wait": 0.0, "waited": 0, "arrivals": 0}

    def patient(arrived: float, service: float):
        with doctors.request() as req:
            yield req
            acc["wait"] += env.now - arrived
            acc["waited"] += 1
            yield env.timeout(service)

    def arrivals():
        month = 0
        while Calendar.month_start(month) < horizon:
            batch = demand.month(month)
            for t, s in zip(batch.time.tolist(), batch.service_min.tolist(), strict=True):
                if t >= horizon:
                    return
                yield env.timeout(t - env.now)
                acc["arrivals"] += 1
                env.process(patient(t, s))
            month += 1

    env.process(arrivals())
    env.run(until=horizon)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = acc["arrivals"]
    return {"patients": n, "seconds": wall, "cpu": cpu, "per_second": n / wall, "per_cpu_second": n / cpu,
            "mean_wait": acc["wait"] / acc["waited"]}


# --- (c) and (d): the Shengsi scenario ---------------------------------------------------------------------

def shengsi(days: float) -> dict:
    v = _validated({}, days)
    res, wall, cpu = _timed(lambda: simulate(v.scenario, v.policy, v.experiment, 0))
    n = _kpi(res.kpis, "arrivals")
    return {"patients": n, "seconds": wall, "cpu": cpu, "per_second": n / wall, "per_cpu_second": n / cpu}


def best_of(rounds: int, mmc_days: float, year_days: float) -> tuple[dict, dict, dict, list[float]]:
    """(a), (b), (c) in alternating rounds: the fastest of each, and the Shengsi/bare ratio of every round."""
    best: dict[str, dict] = {}
    ratios = []
    for _ in range(rounds):
        round_ = {"a": model_mmc(mmc_days), "b": bare_simpy_mmc(mmc_days), "c": shengsi(year_days)}
        ratios.append(round_["c"]["per_cpu_second"] / round_["b"]["per_cpu_second"])
        for k, r in round_.items():
            if k not in best or r["cpu"] < best[k]["cpu"]:
                best[k] = r
    return best["a"], best["b"], best["c"], ratios


def startup_child() -> dict:
    """In a fresh process: imports, validation, a 1-day simulation and writing its results."""
    import tempfile

    t0 = time.perf_counter()
    import islandcare.modes  # noqa: F401  (what run.py imports for mode=run)
    from experiments.runner import run_replications
    from experiments.summary import summarise
    t_imports = time.perf_counter() - t0
    cfg = {"scenario": {"kind": "data", "data_dir": str(ROOT / "scenarios" / "shengsi")},
           "policy": {"name": "baseline"},
           "experiment": {"horizon_days": 1.0, "warmup_days": 0.0, "replications": 1, "workers": 1,
                          "progress": False, "report": False}}
    t1 = time.perf_counter()
    v = validate(cfg, ROOT)
    t_validate = time.perf_counter() - t1
    t2 = time.perf_counter()
    res = run_replications(v.scenario, v.policy, v.experiment)
    t_sim = time.perf_counter() - t2
    t3 = time.perf_counter()
    from experiments.io import write_table
    with tempfile.TemporaryDirectory() as d:
        summary = summarise(res.kpis)
        for name, df in (("kpis.parquet", res.kpis), ("kpis.csv", res.kpis), ("summary.csv", summary),
                         ("daily.parquet", res.daily), ("monthly.parquet", res.monthly),
                         ("by_sea_state.parquet", res.by_sea_state)):
            write_table(df, Path(d) / name)
    t_write = time.perf_counter() - t3
    return {"imports": t_imports, "validate": t_validate, "simulate": t_sim, "write": t_write}


def startup() -> dict:
    """(e): the whole ``python run.py`` command for one day, and its parts in a fresh process."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        cmd = [sys.executable, "run.py", "experiment.horizon_days=1", "experiment.warmup_days=0",
               "experiment.replications=1", "experiment.workers=1", "experiment.report=false",
               "experiment.progress=false", f"hydra.run.dir={d}/run"]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
        whole = time.perf_counter() - t0
    out = subprocess.run([sys.executable, __file__, "--child-startup"], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return {"command": whole, **json.loads(out.stdout.strip().splitlines()[-1])}


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return float(line.split()[1]) / 1024
    raise KeyError(field)


def memory_child(years: float) -> dict:
    """Run in a fresh process: resident memory after imports and loading, and its peak during the run (MB).

    The peak of the run alone: the kernel's high-water mark (VmHWM) is reset after loading (Linux
    ``/proc/self/clear_refs``), since importing pandas and friends peaks higher than a short run does.
    """
    v = _validated({}, 365 * years)
    simulate(v.scenario, v.policy, dataclasses.replace(v.experiment, horizon_days=2.0), 0)  # warm imports
    before = _status_mb("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")
        how = "VmHWM reset after loading"
    except OSError:
        how = "ru_maxrss (includes imports)"
    t0 = time.perf_counter()
    kpis = simulate(v.scenario, v.policy, v.experiment, 0).kpis
    wall = time.perf_counter() - t0
    try:
        peak = _status_mb("VmHWM")
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"years": years, "rss_before_mb": before, "peak_rss_mb": peak, "seconds": wall, "how": how,
            "patients": _kpi(kpis, "arrivals")}


def memory(years: float) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child-memory", str(years)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def profile_shengsi(days: float, top: int = 25) -> str:
    v = _validated({}, days)
    prof = cProfile.Profile()
    prof.enable()
    simulate(v.scenario, v.policy, v.experiment, 0)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).sort_stats("tottime")
    stats.print_stats(top)
    return buf.getvalue()


# --- report ------------------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="short horizons (a smoke run, not the recorded figures)")
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds of (a), (b), (c); the best is kept")
    ap.add_argument("--profile", action="store_true", help="cProfile the Shengsi year")
    ap.add_argument("--years-long", type=float, default=10.0, help="horizon of the long memory case")
    ap.add_argument("--child-memory", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--child-startup", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_memory is not None:
        print(json.dumps(memory_child(args.child_memory)))
        return
    if args.child_startup:
        print(json.dumps(startup_child()))
        return

    mmc_days = 60 if args.quick else 730
    year_days = 60 if args.quick else 365
    long_years = 0.5 if args.quick else args.years_long
    rounds = 1 if args.quick else args.rounds
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f} (other work skews the timings)")
    model_mmc(5)  # warm caches and imports before timing
    a, b, c, ratios = best_of(rounds, mmc_days, year_days)
    d1, d10 = memory(year_days / 365), memory(long_years)
    up = startup()
    ratio_a = a["per_cpu_second"] / b["per_cpu_second"]
    ratio_c = c["per_cpu_second"] / b["per_cpu_second"]

    def speed(r: dict) -> str:
        return f"{r['cpu']:.2f} s CPU ({r['seconds']:.2f} s wall)"

    rows = [
        ("(a) mmc through simulate", f"{a['patients']:,.0f} patients", speed(a),
         f"{a['per_cpu_second']:,.0f} patients/CPU s", f"mean wait {a['mean_wait']:.3f} min"),
        ("(b) bare SimPy M/M/c", f"{b['patients']:,.0f} patients", speed(b),
         f"{b['per_cpu_second']:,.0f} patients/CPU s", f"mean wait {b['mean_wait']:.3f} min"),
        ("(a)/(b) throughput", "", "", f"{ratio_a:.2f}", "target >= 0.5: " + ("met" if ratio_a >= 0.5 else "MISSED")),
        (f"(c) Shengsi {year_days} days, 1 rep", f"{c['patients']:,.0f} patients", speed(c),
         f"{c['per_cpu_second']:,.0f} patients/CPU s", ""),
        ("(c)/(b) throughput", "", "", f"{ratio_c:.2f}",
         ("target >= 2.5: " + ("met" if ratio_c >= 2.5 else "MISSED")) if not args.quick else "(quick)"),
        ("    ratio in each round", "", "", " ".join(f"{x:.2f}" for x in ratios), f"{rounds} rounds"),
        (f"(d) Shengsi {d1['years'] * 365:.0f} days peak RSS", f"{d1['patients']:,.0f} patients", f"{d1['seconds']:.1f} s",
         f"{d1['peak_rss_mb']:.0f} MB", f"after load {d1['rss_before_mb']:.0f} MB"),
        (f"(d) Shengsi {d10['years'] * 365:.0f} days peak RSS", f"{d10['patients']:,.0f} patients", f"{d10['seconds']:.1f} s",
         f"{d10['peak_rss_mb']:.0f} MB", f"after load {d10['rss_before_mb']:.0f} MB"),
    ]
    growth = (d10["peak_rss_mb"] - d10["rss_before_mb"]) / max(d1["peak_rss_mb"] - d1["rss_before_mb"], 1e-9)
    rows.append(("(d) growth of the run's memory", "", "", f"x{growth:.2f}",
                 f"for x{d10['years'] / d1['years']:.3g} the horizon ({d10['how']})"))
    rows.append(("(e) python run.py, 1 day", "", f"{up['command']:.2f} s wall", "",
                 f"imports {up['imports']:.2f} s, validation {up['validate']:.2f} s, simulation "
                 f"{up['simulate']:.2f} s, writing {up['write']:.2f} s"))
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    print()
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    if abs(a["mean_wait"] - b["mean_wait"]) > 1e-6 * max(1.0, b["mean_wait"]) or a["patients"] != b["patients"]:
        print("\nWARNING: the model and the bare loop did not see the same patients / waits")
    if args.profile:
        print(f"\ncProfile of the Shengsi scenario, {year_days} days (top functions by own time):")
        print(profile_shengsi(year_days))


if __name__ == "__main__":
    main()
