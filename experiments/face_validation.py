"""Face validation: the model's outputs next to independent public figures for the same population.

``face_validation(summary, scenario, reference, ...)`` is a pure function: the run's summary table
(``summary.csv``), the scenario and a reference table (``indicator, reference, low, high, source``,
e.g. ``scenarios/shengsi/face_validation.csv``) give one row per reference indicator with the model's
mean and 95% interval, the reference value and range, its source, whether the model's *mean* lies
inside the range (``within``) and whether its interval is too wide to read (``too_wide``, the rule of
``summary.csv``: :func:`experiments.summary.too_wide`). A model value that cannot be computed (the run
lacks the metric) is NaN and ``within`` is False.

``within`` tests the mean, not the interval: the interval is the simulation noise of the mean only
(it shrinks with more replications), so "the interval overlaps the range" would pass almost anything
in a short run and would depend on the number of replications. The interval is clipped at the
indicator's natural bounds (:func:`bounds`: counts and rates at 0, shares at 0 and 1, closure days at
0 and 365): a t-interval over two replications can otherwise reach below zero.

Indicators (the reference table chooses which ones are reported):

| indicator | model value |
|---|---|
| ``doctor_visits_per_person_year`` | routine arrivals (primary care + chronic follow-up) per person-year served |
| ``share_60_plus``, ``share_80_plus`` | residents in those age bands / residents (scenario input) |
| ``share_80_plus_of_60_plus`` | residents 80+ / residents 60+ (scenario input) |
| ``ohca_per_100k`` | cardiac arrests per 100,000 person-years served |
| ``ohca_survival_to_discharge`` | expected survivors / arrests |
| ``stroke_per_100k`` | strokes per 100,000 person-years |
| ``acs_per_100k`` | acute coronary syndromes (``chest_pain`` and ``nste_acs`` if present) per 100,000 person-years |
| ``bed_occupancy_share`` | mean occupied hospital beds / beds (county) |
| ``mean_length_of_stay_days`` | admission-weighted mean stay of the conditions, weights = simulated arrivals x admit share |
| ``closure_days_<mode>_<area>`` | hours a year the mode cannot sail in the area (``monthly.parquet``) / 24 |
| ``in_county_share`` | share of patients given care whose definitive care was in the county |
| ``care_residents_per_1000_elderly`` | mean care-home residents per 1,000 residents aged 60+ |

"Person-years served" = residents + tourists present (``tourists_summer`` x each month's factor),
since the simulated arrivals include tourists.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.summary import too_wide
from scenarios.model import ELDERLY_BANDS, Scenario
from scenarios.units import MONTH_DAYS

COLUMNS = ["indicator", "model_mean", "model_ci_low", "model_ci_high", "reference", "reference_low",
           "reference_high", "source", "within", "too_wide"]
REFERENCE_COLUMNS = ["indicator", "reference", "low", "high", "source"]
REFERENCE_FILE = "face_validation.csv"

Triple = tuple[float, float, float]
NAN3: Triple = (math.nan, math.nan, math.nan)


def face_validation(summary: pd.DataFrame, scenario: Scenario, reference: pd.DataFrame,
                    measured_days: float, monthly: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per reference indicator: model mean and 95% interval against the reference range.

    ``summary``: ``island, condition, metric, mean, ci_low, ci_high, n`` (counts over
    ``measured_days`` simulated days after the warm-up); ``monthly``: ``replication, month, island,
    metric, value`` with ``closed_hours_<mode>`` rows by weather area (needed for closure days)."""
    missing = [c for c in REFERENCE_COLUMNS if c not in reference.columns]
    if missing:
        raise ValueError(f"reference table lacks columns {missing}")
    ctx = _Context(summary, scenario, measured_days, monthly)
    rows = []
    for ref in reference.itertuples(index=False):
        mean, lo, hi = ctx.value(str(ref.indicator))
        b_lo, b_hi = bounds(str(ref.indicator))
        lo, hi = (lo if math.isnan(lo) else max(lo, b_lo)), (hi if math.isnan(hi) else min(hi, b_hi))
        r_lo, r_hi = float(ref.low), float(ref.high)
        within = bool(not math.isnan(mean) and r_lo <= mean <= r_hi)
        rows.append({"indicator": ref.indicator, "model_mean": mean, "model_ci_low": lo, "model_ci_high": hi,
                     "reference": float(ref.reference), "reference_low": r_lo, "reference_high": r_hi,
                     "source": ref.source, "within": within, "too_wide": too_wide(mean, lo, hi)})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out[["within", "too_wide"]] = out[["within", "too_wide"]].astype(bool)
    return out


def bounds(indicator: str) -> tuple[float, float]:
    """The natural bounds of an indicator's value: shares and survival in [0, 1], closure days in
    [0, 365], every other indicator (counts, rates, stays) at least 0."""
    if "share" in indicator or indicator.endswith("_survival_to_discharge"):
        return 0.0, 1.0
    if indicator.startswith("closure_days_"):
        return 0.0, 365.0
    return 0.0, math.inf


def read_reference(folder: Path | str) -> pd.DataFrame | None:
    """The scenario folder's reference table, or None when it has none."""
    path = Path(folder) / REFERENCE_FILE
    if not path.is_file():
        return None
    lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines() if ln.strip() and not ln.startswith("#")]
    from io import StringIO

    return pd.read_csv(StringIO("\n".join(lines)))


def face_validation_for_run(summary: pd.DataFrame, scenario: Scenario, monthly: pd.DataFrame | None,
                            horizon_days: float, warmup_days: float) -> pd.DataFrame | None:
    """The table for a finished run, if the scenario's folder has a reference table (else None)."""
    folder = scenario.sources.get("folder") if scenario.sources else None
    ref = read_reference(folder) if folder else None
    if ref is None:
        return None
    return face_validation(summary, scenario, ref, horizon_days - warmup_days, monthly)


class _Context:
    def __init__(self, summary, scenario: Scenario, measured_days: float, monthly):
        self.s, self.sc, self.days, self.monthly = summary, scenario, float(measured_days), monthly
        tourist_years = sum(i.tourists_summer for i in scenario.islands) * sum(
            m.tourist_factor * d for m, d in zip(scenario.months, MONTH_DAYS, strict=True)) / 365.0
        self.person_years = scenario.population + tourist_years
        self.year_factor = 365.0 / self.days if self.days > 0 else math.nan
        self.fixed: dict[str, Callable[[], Triple]] = {
            "doctor_visits_per_person_year": lambda: self._rate(("primary_care", "chronic_followup"), 1.0),
            "share_60_plus": lambda: _const(self._band_share(ELDERLY_BANDS)),
            "share_80_plus": lambda: _const(self._band_share(("80_plus",))),
            "share_80_plus_of_60_plus": lambda: _const(self._band_share(("80_plus",)) / self._band_share(ELDERLY_BANDS)),
            "ohca_per_100k": lambda: self._rate(("cardiac_arrest",), 1e5),
            "ohca_survival_to_discharge": self._ohca_survival,
            "stroke_per_100k": lambda: self._rate(("stroke",), 1e5),
            "acs_per_100k": lambda: self._rate(("chest_pain", "nste_acs"), 1e5),
            "bed_occupancy_share": lambda: self._metric("all", "all", "bed_occupancy_share"),
            "mean_length_of_stay_days": self._los,
            "in_county_share": lambda: self._metric("all", "all", "in_county_share"),
            "care_residents_per_1000_elderly": lambda: _scale(
                self._metric("all", "all", "care_occupancy_mean"), 1000.0 / max(scenario.elderly, 1e-9)),
        }

    def value(self, indicator: str) -> Triple:
        if indicator in self.fixed:
            return self.fixed[indicator]()
        if indicator.startswith("closure_days_"):
            return self._closure(indicator[len("closure_days_"):])
        return NAN3

    # --- pieces ---------------------------------------------------------------------------------
    def _metric(self, island: str, condition: str, metric: str) -> Triple:
        s = self.s
        row = s[(s.island == island) & (s.condition == condition) & (s.metric == metric)]
        if not len(row):
            return NAN3
        r = row.iloc[0]
        mean = float(r["mean"])
        lo = float(r["ci_low"]) if pd.notna(r["ci_low"]) else math.nan
        hi = float(r["ci_high"]) if pd.notna(r["ci_high"]) else math.nan
        return mean, lo, hi

    def _rate(self, conditions: tuple[str, ...], per: float) -> Triple:
        present = [self._metric("all", c, "arrivals") for c in conditions if c in self.sc.condition_ids]
        if not present or any(math.isnan(p[0]) for p in present):
            return NAN3
        k = per * self.year_factor / self.person_years
        # Sum of means; the interval adds the half-widths (conservative when classes co-vary).
        mean = sum(p[0] for p in present)
        half = sum((p[2] - p[1]) / 2 for p in present if not math.isnan(p[1]))
        lo, hi = (mean - half, mean + half) if any(not math.isnan(p[1]) for p in present) else (math.nan, math.nan)
        return mean * k, lo * k, hi * k

    def _band_share(self, bands) -> float:
        pop = self.sc.population
        return sum(i.band_population(b) for i in self.sc.islands for b in bands) / pop if pop else math.nan

    def _ohca_survival(self) -> Triple:
        n = self._metric("all", "cardiac_arrest", "ohca_count")[0]
        surv = self._metric("all", "cardiac_arrest", "ohca_expected_survivors")
        if math.isnan(n) or n <= 0:
            return NAN3
        return _scale(surv, 1.0 / n)

    def _los(self) -> Triple:
        num = den = 0.0
        for c in self.sc.conditions:
            n = self._metric("all", c.id, "arrivals")[0]
            if math.isnan(n):
                continue
            w = n * c.admit_share
            num, den = num + w * c.los_days, den + w
        return _const(num / den) if den > 0 else NAN3

    def _closure(self, rest: str) -> Triple:
        m = self.monthly
        if m is None or not len(m):
            return NAN3
        mode, _, area = rest.rpartition("_")
        for known in ("small_ferry", "fast_boat", "ambulance_boat", "ferry"):
            if rest.startswith(known + "_"):
                mode, area = known, rest[len(known) + 1:]
                break
        sel = m[(m.metric == f"closed_hours_{mode}") & (m.island == area)]
        if not len(sel):
            return NAN3
        per_rep = sel.groupby("replication")["value"].sum() / 24.0 * self.year_factor
        return _mean_ci(per_rep.to_numpy(dtype=float))


def _const(x: float) -> Triple:
    return float(x), math.nan, math.nan


def _scale(t: Triple, k: float) -> Triple:
    return t[0] * k, t[1] * k, t[2] * k


def _mean_ci(x: np.ndarray) -> Triple:
    n = len(x)
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan
    from scipy import stats

    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half
