"""Run the replications of one job, in parallel worker processes, and gather their tables.

Replication ``r`` always uses the streams of ``SeedSequence(seed).spawn(...)[r]`` (see
``sim.streams``), whichever worker runs it, so results do not depend on the number of workers.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd
from tqdm.auto import tqdm

from scenarios.experiment import Experiment
from scenarios.model import Scenario
from scenarios.policy import Policy
from sim.model import SimResult, simulate


@dataclass(frozen=True)
class RunResult:
    """All replications of one job, concatenated in replication order."""

    kpis: pd.DataFrame
    daily: pd.DataFrame
    monthly: pd.DataFrame
    by_sea_state: pd.DataFrame
    events: pd.DataFrame | None


def _one(args) -> tuple[int, SimResult]:
    scenario, policy, experiment, r = args
    return r, simulate(scenario, policy, experiment, r)


def run_replications(scenario: Scenario, policy: Policy, experiment: Experiment,
                     replications: list[int] | None = None, desc: str = "replications") -> RunResult:
    """Simulate every replication (or those listed), with a progress bar when asked for."""
    reps = list(range(experiment.replications)) if replications is None else list(replications)
    workers = max(1, min(experiment.workers, len(reps)))
    results: dict[int, SimResult] = {}
    bar = tqdm(total=len(reps), desc=desc, unit="rep", disable=not experiment.progress, leave=False)
    try:
        if workers == 1:
            for r in reps:
                results[r] = simulate(scenario, policy, experiment, r)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(_one, (scenario, policy, experiment, r)) for r in reps]
                for fut in as_completed(futures):
                    r, res = fut.result()
                    results[r] = res
                    bar.update()
    finally:
        bar.close()
    ordered = [results[r] for r in sorted(results)]
    events = [x.events for x in ordered if x.events is not None]
    return RunResult(
        kpis=pd.concat([x.kpis for x in ordered], ignore_index=True),
        daily=pd.concat([x.daily for x in ordered], ignore_index=True),
        monthly=pd.concat([x.monthly for x in ordered], ignore_index=True),
        by_sea_state=pd.concat([x.by_sea_state for x in ordered], ignore_index=True),
        events=pd.concat(events, ignore_index=True) if events else None,
    )
