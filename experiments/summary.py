"""Summaries over replications: means with 95% intervals, and paired differences between jobs.

Two kinds of interval (:data:`KINDS`), recorded in ``run.json`` (``interval``):

- ``ci`` (the default): a 95% confidence interval for the mean over replications; it covers the
  model's randomness only, as if every input were exact. A t-interval, except for shares (metrics
  in [0, 1] such as ``in_county_share``), whose interval is built on the logit scale around the mean
  (delta method: half-width ``t s / (sqrt(n) p (1 - p))``), so it stays inside [0, 1] and contains
  the mean.
- ``uncertainty`` (``experiment.parameter_uncertainty=true``: every replication ran with its own
  draw of the uncertain inputs): the 95% uncertainty interval of probabilistic sensitivity analysis,
  the 2.5th and 97.5th percentiles of the replications' values (of the paired differences in a
  comparison): where the value lies for 95% of the plausible input sets, simulation noise included.
  It does not shrink with more replications, because the inputs stay uncertain; it needs enough
  replications to show the tails (20 or more; with 5 it is about the range of the five).

``too_wide`` marks an interval that reaches further than half the mean from the mean (for a
difference: half the reference mean): the number is not known well enough to read.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as st
from scipy.special import expit, logit

KEYS = ["island", "condition", "metric"]
SUMMARY_COLUMNS = ["island", "condition", "metric", "mean", "ci_low", "ci_high", "n", "too_wide"]
KINDS = {
    "ci": "95% confidence interval of the mean over replications (simulation noise only; inputs taken as exact)",
    "uncertainty": "95% uncertainty interval over replications that each drew their own uncertain inputs "
                   "(input ranges and simulation noise)",
}
TOO_WIDE = 0.5  # an interval reaching further than this share of the mean from the mean is unreadable
SHARE_SUFFIXES = ("_share", "_compliance", "_utilization")


def is_share(metric: str) -> bool:
    """Whether a metric is a share or probability (bounded by 0 and 1)."""
    return metric.endswith(SHARE_SUFFIXES) or metric == "expected_survival"


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the non-missing values; the interval is NaN for n < 2."""
    return interval(values, level)


def interval(values: np.ndarray, level: float = 0.95, share: bool = False,
             kind: str = "ci") -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the non-missing values.

    Parameters
    ----------
    values : array
        One value per replication (NaN = missing).
    level : float
        Coverage of the interval.
    share : bool
        Values are shares in [0, 1]: the interval is built on the logit scale (stays inside [0, 1]).
        Ignored if some value lies outside [0, 1].
    kind : {"ci", "uncertainty"}
        Confidence interval of the mean, or the percentile interval of the replications (see module).
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(v.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    if kind == "uncertainty":
        lo, hi = np.percentile(v, [50 * (1 - level), 50 * (1 + level)])
        return mean, float(lo), float(hi), n
    sd = float(v.std(ddof=1))
    half = float(st.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    if share and v.min() >= 0.0 and v.max() <= 1.0:
        if sd == 0.0 or mean <= 0.0 or mean >= 1.0:  # every replication the same: nothing uncertain
            return mean, mean, mean, n
        h = half / (mean * (1.0 - mean))
        centre = float(logit(mean))
        return mean, float(expit(centre - h)), float(expit(centre + h)), n
    return mean, mean - half, mean + half, n


def too_wide(mean: float, low: float, high: float, reference: float | None = None) -> bool:
    """Whether the interval reaches further than ``TOO_WIDE`` x |mean| (or |reference|) from the mean."""
    if any(math.isnan(x) for x in (mean, low, high)):
        return False
    scale = abs(mean if reference is None or math.isnan(reference) else reference)
    reach = max(high - mean, mean - low)
    return bool(reach > TOO_WIDE * scale) if scale > 0 else bool(reach > 0)


def summarise(kpis: pd.DataFrame, level: float = 0.95, kind: str = "ci") -> pd.DataFrame:
    """One row per (island, condition, metric): mean over replications, its interval, ``too_wide``."""
    if kpis.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    # only the (island, condition, metric) keys that occur; a metric missing in a replication is NaN
    groups = kpis.sort_values("replication", kind="stable").groupby(KEYS, sort=True)["value"]
    keys, out = [], []
    for key, values in groups:
        keys.append(key)
        out.append(interval(values.to_numpy(dtype=float), level, is_share(key[2]), kind))
    df = pd.DataFrame(out, columns=["mean", "ci_low", "ci_high", "n"],
                      index=pd.MultiIndex.from_tuples(keys, names=KEYS)).reset_index()
    df["n"] = df["n"].astype(int)
    df["too_wide"] = [too_wide(m, lo, hi) for m, lo, hi in zip(df["mean"], df["ci_low"], df["ci_high"], strict=True)]
    return df[SUMMARY_COLUMNS]


def paired_difference(job: pd.DataFrame, reference: pd.DataFrame, level: float = 0.95,
                      kind: str = "ci") -> pd.DataFrame:
    """Mean of (job - reference) per metric over replications present in both, with an interval.

    Valid as a paired comparison because both runs used the same replication seeds (common random
    numbers) and, with parameter uncertainty, the same input draw per replication. ``mean`` and
    ``reference_mean`` are taken over the replications where both runs have a value (a mean wait is
    missing when nobody waited), so ``difference = mean - reference_mean``. ``significant`` is True
    when the interval excludes zero; ``too_wide`` when it reaches further than half the reference
    mean from the difference.
    """
    a = job.set_index(KEYS + ["replication"])["value"]
    b = reference.set_index(KEYS + ["replication"])["value"]
    joined = pd.concat({"job": a, "ref": b}, axis=1, join="inner").reset_index()
    joined["diff"] = joined["job"] - joined["ref"]
    rows = []
    for key, g in joined.groupby(KEYS, sort=True):
        mean, lo, hi, n = interval(g["diff"].to_numpy(), level, kind=kind)
        # means over the replications where both have a value, so that difference = mean - reference_mean
        both = g[g["job"].notna() & g["ref"].notna()]
        ref_mean = float(both["ref"].mean()) if len(both) else np.nan
        job_mean = float(both["job"].mean()) if len(both) else np.nan
        sig = bool(n >= 2 and not np.isnan(lo) and (lo > 0 or hi < 0))
        rows.append((*key, job_mean, ref_mean, mean, lo, hi, n, sig, too_wide(mean, lo, hi, ref_mean)))
    return pd.DataFrame(rows, columns=KEYS + ["mean", "reference_mean", "difference", "diff_ci_low", "diff_ci_high",
                                             "n", "significant", "too_wide"])
