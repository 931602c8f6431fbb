"""Sensitivity designs and their analysis, with SALib (Morris screening, Sobol' indices).

A design varies *factors* (``scenarios.uncertainty``): each factor is a quantile ``q`` in ``[0, 1]``
that its rows map to their own ranges, so SALib samples the unit cube and every row keeps its own
distribution. The same quantile grid serves grouped and single rows.

- Morris: ``trajectories`` x (factors + 1) points on a ``levels`` grid
  (``SALib.sample.morris.sample``); ``SALib.analyze.morris.analyze`` gives, per KPI and factor,
  ``mu_star`` (mean absolute elementary effect: how much the KPI moves, in its own unit, when the
  factor goes across its whole range), its bootstrap interval ``mu_star_ci`` (half-width), and
  ``sigma`` (spread of the effects: interactions or non-linearity).
- Sobol: ``samples`` x (factors + 2) points (``SALib.sample.sobol.sample``, first and total
  order); ``SALib.analyze.sobol.analyze`` gives ``S1`` and ``ST`` with their intervals.

Every design point runs the same replication seeds (common random numbers): a factor the model does
not use gives exactly the same outputs at every level, so its effects are exactly zero. A factor that
changes which patients arrive (an incidence, a population) also reshuffles the random numbers that
follow, so part of its effect can be noise. The *noise floor* of a KPI bounds that part: the mu* of an
input whose only effect were to draw two independent replications,
``E|y1 - y2| / delta = 2 s / (sqrt(pi) delta)`` with ``s`` the KPI's run-to-run standard deviation
(measured at the table's values, ``sensitivity.noise_replications``) and ``delta = levels / (2 (levels
- 1))`` the grid step. ``above_noise``: the lower end of mu*'s interval is above it.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scenarios.sensitivity import Kpi, Sensitivity, per_year_factor
from scenarios.units import ALL

MORRIS_COLUMNS = ["parameter", "kpi", "mu_star", "mu_star_ci", "sigma", "rank", "mu", "mu_star_norm", "noise_floor",
                  "above_noise"]
SOBOL_COLUMNS = ["parameter", "kpi", "S1", "S1_ci", "ST", "ST_ci", "rank"]


@dataclass(frozen=True)
class Design:
    """The points of a design: one row of factor quantiles per point."""

    method: str
    factors: tuple[str, ...]
    quantiles: np.ndarray  # (points, factors), in [0, 1]
    levels: int

    @property
    def problem(self) -> dict:
        """The SALib problem: every factor a quantile in [0, 1]."""
        return {"num_vars": len(self.factors), "names": list(self.factors), "bounds": [[0.0, 1.0]] * len(self.factors)}

    @property
    def points(self) -> int:
        return int(self.quantiles.shape[0])

    def point(self, i: int) -> dict[str, float]:
        return {f: float(q) for f, q in zip(self.factors, self.quantiles[i], strict=True)}

    def table(self) -> pd.DataFrame:
        df = pd.DataFrame(self.quantiles, columns=list(self.factors))
        df.insert(0, "point", np.arange(self.points))
        return df

    def fingerprint(self) -> str:
        blob = json.dumps({"method": self.method, "factors": self.factors, "q": self.quantiles.round(12).tolist()})
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def make_design(s: Sensitivity, factors: Sequence[str] | None = None) -> Design:
    """The design of ``s`` (``factors`` replaces ``s.factors``, e.g. the top ones of a screening)."""
    names = tuple(factors or s.factors)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    if s.method == "morris":
        from SALib.sample import morris

        x = morris.sample(problem, s.trajectories, num_levels=s.levels, seed=s.seed)
    else:
        from SALib.sample import sobol

        x = sobol.sample(problem, s.samples, calc_second_order=False, seed=s.seed)
    return Design(s.method, names, np.asarray(x, dtype=float), s.levels)


def kpi_value(kpis: pd.DataFrame, kpi: Kpi, horizon_days: float, warmup_days: float) -> float:
    """The county-wide mean over replications of one KPI (counts per year)."""
    rows = kpis[(kpis.island == ALL) & (kpis.condition == kpi.condition) & (kpis.metric == kpi.metric)]
    if not len(rows):
        return float("nan")
    value = float(rows["value"].mean())
    return value * per_year_factor(horizon_days, warmup_days) if kpi.per_year else value


def point_values(kpis: pd.DataFrame, wanted: Sequence[Kpi], horizon_days: float, warmup_days: float) -> dict[str, float]:
    return {k.name: kpi_value(kpis, k, horizon_days, warmup_days) for k in wanted}


def noise_floor(spread: float, levels: int) -> float:
    """The mu* of pure noise: ``2 s / (sqrt(pi) delta)`` (see the module docstring)."""
    delta = levels / (2.0 * (levels - 1))
    return 2.0 * spread / (np.sqrt(np.pi) * delta)


def analyse(design: Design, outputs: pd.DataFrame, s: Sensitivity,
            spread: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Indices per factor and KPI from the design and ``outputs`` (one row per point, a column per KPI);
    ``spread``: each KPI's run-to-run standard deviation (for the noise floor; NaN without it).

    A KPI with a missing value at some point (e.g. no weather delay because no transfer happened) or
    the same value at every point gets NaN indices for every factor (nothing to rank)."""
    frames = []
    for kpi in s.kpis:
        y = outputs[kpi.name].to_numpy(dtype=float)
        df = _one_kpi(design, y, kpi.name, s)
        if design.method == "morris":
            sd = (spread or {}).get(kpi.name, np.nan)
            df["noise_floor"] = noise_floor(sd, design.levels) if np.isfinite(sd) else np.nan
            # without a measured spread, an effect clears the noise when its interval clears zero
            floor = df["noise_floor"].fillna(0.0)
            df["above_noise"] = (df["mu_star"] - df["mu_star_ci"] > floor) & (df["mu_star"] > 0)
        frames.append(df)
    cols = MORRIS_COLUMNS if design.method == "morris" else SOBOL_COLUMNS
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def _one_kpi(design: Design, y: np.ndarray, name: str, s: Sensitivity) -> pd.DataFrame:
    k = len(design.factors)
    ok = bool(np.isfinite(y).all())
    if design.method == "morris":
        res = {"mu_star": [np.nan] * k, "mu_star_conf": [np.nan] * k, "sigma": [np.nan] * k, "mu": [np.nan] * k}
        if ok:
            from SALib.analyze import morris

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = morris.analyze(design.problem, design.quantiles, y, num_resamples=s.resamples,
                                     conf_level=s.conf_level, num_levels=design.levels, seed=s.seed)
        df = pd.DataFrame({"parameter": design.factors, "kpi": name, "mu_star": _arr(res["mu_star"]),
                           "mu_star_ci": _arr(res["mu_star_conf"]), "sigma": _arr(res["sigma"]), "mu": _arr(res["mu"])})
        top = df["mu_star"].max()
        df["mu_star_norm"] = df["mu_star"] / top if top and np.isfinite(top) and top > 0 else 0.0
        df.loc[df["mu_star"].isna(), "mu_star_norm"] = np.nan
        score = df["mu_star"]
    else:
        res = {"S1": [np.nan] * k, "S1_conf": [np.nan] * k, "ST": [np.nan] * k, "ST_conf": [np.nan] * k}
        if ok and np.ptp(y) > 0:
            from SALib.analyze import sobol

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = sobol.analyze(design.problem, y, calc_second_order=False, num_resamples=s.resamples,
                                    conf_level=s.conf_level, seed=s.seed)
        df = pd.DataFrame({"parameter": design.factors, "kpi": name, "S1": _arr(res["S1"]),
                           "S1_ci": _arr(res["S1_conf"]), "ST": _arr(res["ST"]), "ST_ci": _arr(res["ST_conf"])})
        score = df["ST"]
    # rank 1 = the factor that matters most; a factor without any effect has no rank
    df["rank"] = score.where(score > 0).rank(ascending=False, method="min", na_option="keep").astype("Int64")
    return df


def _arr(x) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(x, dtype=float), np.nan)


def top_factors(table: pd.DataFrame, n: int) -> list[str]:
    """The ``n`` factors that matter most over all KPIs of a Morris table (highest normalised mu* on
    any KPI, ties by the mean over KPIs)."""
    t = table.dropna(subset=["mu_star_norm"])
    score = t.groupby("parameter")["mu_star_norm"].agg(["max", "mean"]).sort_values(["max", "mean"], ascending=False)
    return list(score.index[:n])


def headline(table: pd.DataFrame, labels: Mapping[str, str] | None = None, top: int = 3) -> dict[str, list[str]]:
    """Per KPI, the factors that matter most (rank order, those with an effect only)."""
    labels = labels or {}
    col = "mu_star" if "mu_star" in table else "ST"
    out = {}
    for kpi, g in table.groupby("kpi", sort=False):
        g = g[g[col] > 0].sort_values(col, ascending=False)
        out[kpi] = [labels.get(p, p) for p in g["parameter"].head(top)]
    return out
