"""Summaries over replications: means with 95% t-intervals, and paired differences between jobs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

KEYS = ["island", "condition", "metric"]
SUMMARY_COLUMNS = ["island", "condition", "metric", "mean", "ci_low", "ci_high", "n"]


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, int]:
    """(mean, low, high, n) of the non-missing values; the interval is NaN for n < 2."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(v.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    sd = float(v.std(ddof=1))
    half = float(st.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return mean, mean - half, mean + half, n


def summarise(kpis: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """One row per (island, condition, metric): mean over replications and its t-interval."""
    if kpis.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    # only the (island, condition, metric) keys that occur; a metric missing in a replication is NaN
    groups = kpis.sort_values("replication", kind="stable").groupby(KEYS, sort=True)["value"]
    keys, out = [], []
    for key, values in groups:
        keys.append(key)
        out.append(t_interval(values.to_numpy(dtype=float), level))
    df = pd.DataFrame(out, columns=["mean", "ci_low", "ci_high", "n"],
                      index=pd.MultiIndex.from_tuples(keys, names=KEYS)).reset_index()
    df["n"] = df["n"].astype(int)
    return df[SUMMARY_COLUMNS]


def paired_difference(job: pd.DataFrame, reference: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean of (job - reference) per metric over replications present in both, with a t-interval.

    Valid as a paired comparison because both runs used the same replication seeds (common random
    numbers). ``mean`` and ``reference_mean`` are taken over the replications where both runs have a
    value (a mean wait is missing when nobody waited), so ``difference = mean - reference_mean``.
    ``significant`` is True when the interval excludes zero.
    """
    a = job.set_index(KEYS + ["replication"])["value"]
    b = reference.set_index(KEYS + ["replication"])["value"]
    joined = pd.concat({"job": a, "ref": b}, axis=1, join="inner").reset_index()
    joined["diff"] = joined["job"] - joined["ref"]
    rows = []
    for key, g in joined.groupby(KEYS, sort=True):
        mean, lo, hi, n = t_interval(g["diff"].to_numpy(), level)
        # means over the replications where both have a value, so that difference = mean - reference_mean
        both = g[g["job"].notna() & g["ref"].notna()]
        ref_mean = float(both["ref"].mean()) if len(both) else np.nan
        job_mean = float(both["job"].mean()) if len(both) else np.nan
        sig = bool(n >= 2 and not np.isnan(lo) and (lo > 0 or hi < 0))
        rows.append((*key, job_mean, ref_mean, mean, lo, hi, n, sig))
    return pd.DataFrame(rows, columns=KEYS + ["mean", "reference_mean", "difference", "diff_ci_low", "diff_ci_high",
                                             "n", "significant"])
