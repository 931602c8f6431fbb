"""Sensitivity figures and page texts: planner names with units, one sentence per KPI, both languages."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from report import style
from report.figkit import NoData
from report.figures_sensitivity import (
    effects_chart,
    factor_label,
    kpi_label,
    sensitivity_heatmap,
    sobol_chart,
)
from report.sensitivity_page import FIGURES, SensitivityContext, sentences
from report.vocab import Words
from report.vocab_text import LONG_TEXT

META = {
    "method": "morris", "points": 40,
    "kpis": [{"name": "in_county_share", "metric": "in_county_share", "condition": "all", "per_year": False},
             {"name": "time_to_definitive_care_min_mean:stroke", "metric": "time_to_definitive_care_min_mean",
              "condition": "stroke", "per_year": False},
             {"name": "ohca_expected_survivors:cardiac_arrest", "metric": "ohca_expected_survivors",
              "condition": "cardiac_arrest", "per_year": True}],
    "factors": [
        {"name": "boat.dispatch_min", "rows": [{"table": "parameters", "key": "boat.dispatch_min", "column": "value",
                                                "low": 10, "high": 45, "value": 20, "unit": "min", "meaning": "",
                                                "distribution": "triangular", "source": "estimate"}]},
        {"name": "gale_hours", "rows": [{"table": "weather_months", "key": str(m), "column": c, "low": 0.75 * 10,
                                         "high": 1.25 * 10, "value": 10, "unit": "", "meaning": "",
                                         "distribution": "triangular", "source": "estimate"}
                                        for m in range(1, 13) for c in ("hours_f8", "hours_f9")]},
        {"name": "stroke_incidence", "rows": [{"table": "conditions", "key": "stroke", "column": f"incidence_{b}",
                                               "low": 0.7, "high": 1.3, "value": 1.0, "unit": "", "meaning": "",
                                               "distribution": "triangular", "source": "estimate"}
                                              for b in ("15_59", "60_79", "80_plus")]},
        {"name": "headway", "rows": [{"table": "scenario", "key": "headway_min", "column": "value", "low": 30,
                                      "high": 120, "value": 60, "unit": "", "meaning": "", "distribution": "uniform",
                                      "source": "test"}]},
    ],
}


def table() -> pd.DataFrame:
    rows = []
    for kpi, effects in (("in_county_share", (0.01, 0.004, 0.002, 0.0)),
                         ("time_to_definitive_care_min_mean:stroke", (20.0, 60.0, 5.0, 0.0)),
                         ("ohca_expected_survivors:cardiac_arrest", (0.0, 0.0, 0.0, 0.0))):
        top = max(effects) or 1.0
        for (name, mu) in zip(("boat.dispatch_min", "gale_hours", "stroke_incidence", "headway"), effects, strict=True):
            rows.append({"parameter": name, "kpi": kpi, "mu_star": mu, "mu_star_ci": mu / 3, "sigma": mu / 2,
                         "rank": None, "mu": -mu, "mu_star_norm": mu / top})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_draw_in_both_languages(lang):
    if lang == "zh" and style.cjk_font() is None:
        pytest.skip("no CJK font")
    w = Words(lang)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        for fig in (effects_chart(table(), META, "time_to_definitive_care_min_mean:stroke", w=w),
                    sensitivity_heatmap(table(), META, w=w)):
            with style.context(lang):
                fig.canvas.draw()
    with pytest.raises(NoData):
        effects_chart(table(), META, "ohca_expected_survivors:cardiac_arrest", w=w)  # nothing moves it
    with pytest.raises(NoData):
        sobol_chart(table(), META, "in_county_share", w=w)  # a Morris table


def test_inputs_are_named_with_their_range_and_unit():
    en = Words("en")
    labels = {f["name"]: factor_label(f, en) for f in META["factors"]}
    assert labels["boat.dispatch_min"] == "ambulance-boat crew dispatch (10–45 min)"
    assert labels["gale_hours"] == "gale hours: hours of force-8/9 wind (24 cells, ×0.75–1.25)"
    assert labels["stroke_incidence"] == "stroke: incidence (3 age bands, ×0.7–1.3)"
    assert labels["headway"] == "time between sailings (30–120 min)"
    assert kpi_label(META["kpis"][2], en) == "cardiac arrest survivors, expected per year, cardiac arrest (people)"


def test_one_sentence_per_kpi():
    en = sentences(table(), META, Words("en"))
    assert len(en) == 3
    assert en[1].startswith("time to definitive care, mean, stroke (min): depends most on gale hours")
    assert "then ambulance-boat crew dispatch (10–45 min) (μ* 20.0 min)" in en[1]
    assert en[2] == "cardiac arrest survivors, expected per year, cardiac arrest (people): no input range changes it."
    zh = sentences(table(), META, Words("zh"))
    assert "最主要取决于" in zh[0]


def test_specs_take_known_entries_and_have_words():
    known = {"w", *SensitivityContext.TABLES, *SensitivityContext.DERIVED, "kpi"}
    for specs in FIGURES.values():
        for spec in specs:
            assert set(spec.parameters()) <= known, spec.name
            assert f"title_{spec.name}" in LONG_TEXT and f"cap_{spec.name}" in LONG_TEXT


def test_sensitivity_texts_take_no_key_of_the_other_texts():
    from report.vocab import TEXT
    from report.vocab_sensitivity import SENSITIVITY_TEXT

    assert not set(SENSITIVITY_TEXT) & set(TEXT)
