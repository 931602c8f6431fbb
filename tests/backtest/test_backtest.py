"""Back-test: a short default run must reproduce the stored summary, so that any change in the
numbers is noticed. If a change is meant to alter them, regenerate with backtest_case.py and say
why in the commit."""

from __future__ import annotations

import numpy as np
import pandas as pd
from backtest_case import EXPECTED, run_case


def test_short_default_run_reproduces_stored_summary():
    expected = pd.read_csv(EXPECTED)
    got = run_case()
    keys = ["island", "condition", "metric"]
    merged = expected.merge(got, on=keys, how="outer", suffixes=("_expected", "_got"), indicator=True)
    only = merged[merged["_merge"] != "both"]
    assert only.empty, f"metrics added or lost:\n{only[keys + ['_merge']].to_string()}"
    for col in ("mean", "ci_low", "ci_high"):
        a, b = merged[f"{col}_expected"].to_numpy(float), merged[f"{col}_got"].to_numpy(float)
        same = np.isclose(a, b, rtol=1e-9, atol=1e-9) | (np.isnan(a) & np.isnan(b))
        assert same.all(), f"{col} changed:\n{merged.loc[~same, keys + [f'{col}_expected', f'{col}_got']].head(20)}"
    assert (merged["n_expected"] == merged["n_got"]).all()
