"""Run the replications of one job, in parallel worker processes, and gather their tables.

Replication ``r`` always uses the streams of ``SeedSequence(seed).spawn(...)[r]`` (see
``sim.streams``), whichever worker runs it, so results do not depend on the number of workers.
With parameter uncertainty, replication ``r`` also runs on its own scenario (the inputs drawn for
it, :func:`parameter_draw`), again the same whatever the policy or the worker count.

:func:`run_tasks` is the one process pool: replications of a job, and the design points of a
sensitivity analysis, go through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from experiments.replications import Assessment, Precision, assess
from scenarios.experiment import Experiment
from scenarios.model import Scenario
from scenarios.policy import Policy
from sim.model import SimResult, simulate
from sim.streams import Streams

PARAMETER_STREAM = "parameter_uncertainty"  # sim.streams name prefix of the input draws

Variants = Callable[[int], tuple[Scenario, Policy]]  # replication -> its scenario and policy


@dataclass(frozen=True)
class RunResult:
    """All replications of one job, concatenated in replication order."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    monthly: pd.DataFrame
    by_sea_state: pd.DataFrame
    events: pd.DataFrame | None
    assessment: Assessment | None = None  # replications=auto: how many were needed, and why


def run_tasks(fn: Callable[[Any], Any], tasks: Mapping[Any, Any], workers: int, desc: str = "",
              progress: bool = False, unit: str = "task") -> Iterator[tuple[Any, Any]]:
    """Yield ``(key, fn(task))`` as tasks finish, in ``workers`` processes (1: in this process)."""
    workers = max(1, min(workers, len(tasks)))
    bar = tqdm(total=len(tasks), desc=desc, unit=unit, disable=not progress, leave=False)
    try:
        if workers == 1:
            for key, task in tasks.items():
                yield key, fn(task)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(fn, task): key for key, task in tasks.items()}
                for fut in as_completed(futures):
                    yield futures[fut], fut.result()
                    bar.update()
    finally:
        bar.close()


def _one(args) -> SimResult:
    scenario, policy, experiment, r = args
    return simulate(scenario, policy, experiment, r)


def run_replications(scenario: Scenario, policy: Policy, experiment: Experiment,
                     replications: Iterable[int] | None = None, desc: str = "replications",
                     variants: Variants | None = None) -> RunResult:
    """Simulate every replication (or those listed), with a progress bar when asked for.

    ``variants(r)`` gives replication ``r`` its own scenario and policy (parameter uncertainty)."""
    reps = list(range(int(experiment.replications))) if replications is None else list(replications)
    results = _simulate(scenario, policy, experiment, reps, desc, variants)
    return _gather([results[r] for r in sorted(results)])


def _simulate(scenario, policy, experiment, reps: Sequence[int], desc: str, variants) -> dict[int, SimResult]:
    tasks = {r: (*(variants(r) if variants else (scenario, policy)), experiment, r) for r in reps}
    return dict(run_tasks(_one, tasks, experiment.workers, desc, experiment.progress, "rep"))


def run_until_precise(scenario: Scenario, policy: Policy, experiment: Experiment, precision: Precision,
                      value: Callable[[pd.DataFrame, str], float], desc: str = "replications",
                      variants: Variants | None = None) -> RunResult:
    """``replications=auto``: add replications until every KPI of ``precision`` meets its target
    (:mod:`experiments.replications`) or the maximum is reached; ``value(kpis, name)`` is a KPI's
    value in one replication's table."""
    results: dict[int, SimResult] = {}
    while True:
        ordered = [results[r] for r in sorted(results)]
        values = {k: [value(x.kpis, k) for x in ordered] for k in precision.kpis}
        a = assess(values, precision, experiment.workers)
        if a.done:
            break
        start = len(results)
        results.update(_simulate(scenario, policy, experiment, range(start, start + a.next_batch), desc, variants))
    return replace(_gather([results[r] for r in range(a.n_used)]), assessment=a)


def parameter_draw(seed: int, replication: int, factors: Sequence[str]) -> dict[str, float]:
    """The quantile of every factor for one replication: one uniform number per factor from the
    named stream ``parameter_uncertainty/<factor>`` (so a factor's draw does not depend on the others,
    the policy or the worker count)."""
    streams = Streams(seed, replication)
    return {f: float(streams.fresh(f"{PARAMETER_STREAM}/{f}").random()) for f in factors}


def _gather(ordered: list[SimResult]) -> RunResult:
    events = [x.events for x in ordered if x.events is not None]
    return RunResult(
        kpis=pd.concat([x.kpis for x in ordered], ignore_index=True),
        daily=pd.concat([x.daily for x in ordered], ignore_index=True),
        monthly=pd.concat([x.monthly for x in ordered], ignore_index=True),
        by_sea_state=pd.concat([x.by_sea_state for x in ordered], ignore_index=True),
        events=pd.concat(events, ignore_index=True) if events else None,
    )
