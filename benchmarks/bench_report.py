"""Speed of the report against the simulation (issue 18 point 3; results in benchmarks/README.md).

In one process run it measures
  (a) one replication-year of the default Shengsi scenario (365 days, no warm-up, one process):
      wall seconds, the unit the report is compared with;
  (b) the report of a one-year run folder (2 replications, default experiment): every figure as PNG
      (300 dpi) and PDF, and ``report.html``, in every language the run asks for (Shengsi: Chinese
      and English, both counted), timed as a planner waits for it: a fresh ``python`` process that
      imports the report and writes it (imports included), ``--repeat`` times, median;
  (c) the ratio (b) / (a) (target <= 0.8), in wall time, and in CPU time (all processes): on a machine
      shared with other work the wall ratio penalises the report, which draws on every core, while
      the simulation uses one.

Usage: python benchmarks/bench_report.py [--run DIR] [--repeat 3] [--lang en|zh|both] [--profile] [--code CHECKOUT]
Without ``--run`` a one-year run (2 replications, report off) is simulated into a temporary folder first.
``--profile`` adds a cProfile of one in-process report (where the time goes).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_sim import machine, shengsi  # noqa: E402

# What a planner waits for at the end of `python run.py`: the report's own imports (matplotlib, seaborn)
# and its work; pandas, numpy and scipy are already imported by the run (untimed here too).
CHILD = """
import resource, sys, time
import numpy, pandas, scipy.stats
def cpu():
    return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
t0, c0 = time.perf_counter(), cpu()
from report import write_report
write_report(sys.argv[1], *sys.argv[2:])  # [lang]: older checkouts take no language
print(time.perf_counter() - t0, cpu() - c0)
"""


def make_run(folder: Path) -> None:
    """A one-year Shengsi run (2 replications) without its report: the input of (b)."""
    subprocess.run([sys.executable, "run.py", "experiment.replications=2", "experiment.report=false",
                    "experiment.progress=false", f"hydra.run.dir={folder}"], cwd=ROOT, check=True,
                   capture_output=True, text=True)


def clean(folder: Path) -> None:
    shutil.rmtree(folder / "figures", ignore_errors=True)
    for p in folder.glob("report*.html"):
        p.unlink()


def report_seconds(folder: Path, code: Path = ROOT, lang: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of a fresh process that imports the report (of the checkout ``code``) and
    writes it; CPU counts the drawing processes too."""
    clean(folder)
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), *([lang] if lang else [])], cwd=code, check=True, capture_output=True,
                         text=True)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def sim_seconds() -> tuple[float, float]:
    """(wall, CPU) seconds of one replication-year of Shengsi in this process."""
    c0 = time.process_time()
    wall = shengsi(365)["seconds"]
    return wall, time.process_time() - c0


def profile_report(folder: Path, top: int = 30) -> str:
    from report import write_report

    clean(folder)
    prof = cProfile.Profile()
    prof.enable()
    write_report(folder)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, help="a one-year run folder (copied; default: simulate one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--lang", choices=("en", "zh", "both"), help="default: the run's own (Shengsi: both)")
    ap.add_argument("--code", type=Path, default=ROOT,
                    help="the checkout whose report is timed (e.g. a worktree of the commit before a change)")
    args = ap.parse_args(argv)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f} (other work skews the timings)")
    with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
        folder = Path(tmp) / "run"
        if args.run:
            shutil.copytree(args.run, folder)
        else:
            make_run(folder)
        shengsi(5)  # imports and caches warm before timing
        sims, reports = [], []
        for _ in range(args.repeat):  # interleaved, so that a change in the machine's load hits both
            sims.append(sim_seconds())
            reports.append(report_seconds(folder, args.code, args.lang))
        figures = sorted((folder / "figures").glob("*.png"))
        print(f"{len(figures)} PNG + PDF and report.html; load average now {os.getloadavg()[0]:.2f}")
        for k, what in ((0, "wall"), (1, "CPU")):
            sim, rep = statistics.median(s[k] for s in sims), statistics.median(r[k] for r in reports)
            print(f"{what}: (a) one replication-year {sim:.2f} s (runs {', '.join(f'{s[k]:.2f}' for s in sims)}); "
                  f"(b) report {rep:.2f} s (runs {', '.join(f'{r[k]:.2f}' for r in reports)}); "
                  f"(c) ratio {rep / sim:.2f}" + (" (target <= 0.8: " + ("met)" if rep / sim <= 0.8 else "MISSED)")
                                                  if k == 0 else ""))
        if args.profile:
            print(profile_report(folder))


if __name__ == "__main__":
    main()
