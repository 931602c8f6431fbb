"""One job's replications as the experiment asks: a fixed number or ``auto`` (until precise), each
replication on the scenario as given or on its own draw of the uncertain inputs.

``experiment.parameter_uncertainty=true``: replication ``r`` draws one quantile per factor of the
scenario's ranges from the named stream ``parameter_uncertainty/<factor>`` of its seed
(:func:`experiments.runner.parameter_draw`), and runs on the scenario loaded with those values, so
every policy of a comparison meets the same inputs in replication ``r`` and paired differences stay
paired. ``summary.csv`` then shows uncertainty intervals (``experiments.summary``), and ``run.json``
says which kind of interval it shows.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from experiments.summary import KINDS
from scenarios.errors import InputError, Problem

if TYPE_CHECKING:  # the simulation is imported only when a job runs (modes import this module)
    from experiments.runner import RunResult, Variants
    from scenarios.validate import Validated


def interval_kind(experiment) -> str:
    """``uncertainty`` with parameter uncertainty, else ``ci`` (see ``experiments.summary``)."""
    return "uncertainty" if experiment.parameter_uncertainty else "ci"


def interval_record(experiment) -> dict:
    """What ``run.json`` says about the intervals of ``summary.csv``."""
    kind = interval_kind(experiment)
    return {"kind": kind, "text": KINDS[kind]}


def run_job(v: Validated, plain: dict, cwd: Path | None, desc: str = "replications") -> tuple[RunResult, Validated]:
    """Run the job's replications; with ``replications=auto`` the returned record holds the number used."""
    from experiments.replications import Precision
    from experiments.runner import run_replications, run_until_precise
    from experiments.sensitivity import kpi_value
    from scenarios.sensitivity import Kpi

    e = v.experiment
    variants = parameter_variants(v, plain, cwd) if e.parameter_uncertainty else None
    if not e.auto_replications:
        return run_replications(v.scenario, v.policy, e, desc=desc, variants=variants), v
    precision = Precision(target=e.precision, kpis=tuple(e.precision_kpis), max_replications=e.max_replications)

    def value(kpis, name: str) -> float:
        return kpi_value(kpis, Kpi.parse(name), e.horizon_days, e.warmup_days)

    res = run_until_precise(v.scenario, v.policy, e, precision, value, desc, variants)
    return res, replace(v, experiment=replace(e, replications=res.assessment.n_used))


def parameter_variants(v: Validated, plain: dict, cwd: Path | None) -> Variants:
    """Replication -> its scenario and policy, loaded with that replication's draw of the inputs.

    The factors drawn are every factor of the ranges, or those ``sensitivity.parameters`` names."""
    from experiments.runner import parameter_draw
    from scenarios.validate import validate

    factors = list((plain.get("sensitivity") or {}).get("parameters") or v.uncertainty.names)
    base = {k: val for k, val in plain.items() if k != "sensitivity"}
    base["experiment"] = {**base.get("experiment", {}), "parameter_uncertainty": False, "replications": 1}

    def variant(r: int):
        quantiles = parameter_draw(v.experiment.seed, r, factors)
        try:
            drawn = validate(base, cwd, v.uncertainty.overrides(quantiles))
        except InputError as err:
            raise InputError([Problem(f"replication {r} (parameter draw)", p.column, p.value, f"{p.expected} "
                                      f"(at {p.place})") for p in err.problems], "parameter draw") from None
        return drawn.scenario, drawn.policy

    return variant


def assessment_json(res: RunResult) -> str | None:
    """``replications.json`` of a ``replications=auto`` run: how many replications it needed, and why."""
    a = res.assessment
    if a is None:
        return None
    return json.dumps({"solved": a.solved, "needed": a.needed, "used": a.n_used,
                       "kpis": [{"kpi": k.kpi, "needed": k.solution, "relative_half_width": k.deviation,
                                 "reason": k.reason} for k in a.kpis]}, indent=2, default=str)
