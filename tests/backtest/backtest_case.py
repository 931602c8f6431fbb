"""The back-test case: a short default Shengsi run whose summary is stored in expected_summary.csv.

Regenerate (only after a change meant to alter the numbers, and say why in the commit):
    .venv/bin/python tests/backtest/backtest_case.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXPECTED = HERE / "expected_summary.csv"
CONFIG = {
    "scenario": {"kind": "data", "data_dir": str(ROOT / "scenarios" / "shengsi"), "year": 2024},
    "policy": {"name": "baseline"},
    "experiment": {"horizon_days": 40.0, "warmup_days": 5.0, "replications": 2, "seed": 777, "workers": 1,
                   "progress": False},
}


def run_case() -> pd.DataFrame:
    from experiments.runner import run_replications
    from experiments.summary import summarise
    from scenarios.validate import validate

    v = validate(CONFIG, ROOT)
    return summarise(run_replications(v.scenario, v.policy, v.experiment).kpis)


if __name__ == "__main__":
    run_case().to_csv(EXPECTED, index=False, float_format="%.12g", lineterminator="\n")
    print(f"written {EXPECTED}")
