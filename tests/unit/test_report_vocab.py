"""The report's vocabulary (both languages for every text), its figure specs and run_meta.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from experiments.run_meta import run_meta, run_meta_json
from report.specs import RUN_FIGURES, SWEEP_FIGURES, Context
from report.vocab import AREAS, CONDITIONS, METRICS, MODES, SEA_STATES, TEXT, UNITS, Words
from report.vocab_both import BothWords
from report.vocab_sensitivity import GROUPS
from report.vocab_text import LONG_TEXT
from scenarios.experiment import Experiment
from scenarios.policy import baseline_policy
from scenarios.validate import Validated

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")
SAME_IN_BOTH = {"%", "", "Python", "n"}  # texts written alike in both languages


@pytest.mark.parametrize("table", [TEXT, LONG_TEXT, CONDITIONS, MODES, SEA_STATES, UNITS, AREAS, GROUPS])
def test_every_text_has_english_and_chinese(table):
    for key, entry in table.items():
        en, zh = entry[:2]
        assert en or key == "", key
        words = re.sub(r"{\w+}", "", zh)  # a template of fields only ('{what}，{where}') has no words to translate
        assert CJK.search(zh) or zh in SAME_IN_BOTH or zh == en or not re.search("[A-Za-z]", words), \
            f"{key}: no Chinese in {zh!r}"
        # the same fields in both languages
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), key


def test_every_uncertainty_group_of_shengsi_has_a_name():
    groups = set(pd.read_csv(ROOT / "scenarios" / "shengsi" / "uncertainty.csv")["group"].dropna())
    assert groups <= set(GROUPS), groups - set(GROUPS)


def test_every_metric_has_both_names_and_a_unit():
    for metric, (en, zh, unit, scale) in METRICS.items():
        assert en and CJK.search(zh) and unit in UNITS and scale in (1, 100), metric


def test_words_in_each_language():
    en, zh = Words("en", {"main": "Main"}), Words("zh", {"main": "主岛"})
    assert en.metric("within_target_share") == "share within target time (%)"
    assert zh.metric("within_target_share") == "目标时间内得到治疗的比例（%）"
    assert (en.island("all"), zh.island("all"), zh.island("main"), zh.island("elsewhere")) == \
        ("County", "全县", "主岛", "elsewhere")
    assert (en.month(0), zh.month(11)) == ("Jan", "12月")
    assert (en.money(2_840_000), zh.money(2_840_000), zh.money(500)) == ("2.84 M yuan", "284万元", "500元")
    assert zh("cond_target", cond="脑卒中", t="270") == "脑卒中（目标270分钟）"
    assert en("cond_target") == "? (target ? min)"  # a missing field is shown, never an error


def test_bilingual_words_chinese_then_english_each_field_in_its_language():
    w = BothWords(Words("zh", {"main": "主岛"}), Words("en", {"main": "Main"}))
    assert (w.lang, w.html_lang) == ("both", "zh-CN")
    assert w.island("main") == "主岛 Main" and w.month(0) == "1月\nJan"
    cond = w.condition("stroke")
    assert cond == "脑卒中 stroke"
    # a bilingual field fills each language's template with its own part; long texts go on two lines
    assert w("cond_target", cond=cond, t="270") == "脑卒中（目标270分钟）\nstroke (target 270 min)"
    assert w("target") == "目标 target" and w("mean") == "均值 mean"
    assert w("ratio_of_both", v=1, t=2) == "1 / 2"  # the same in both languages: said once
    assert w.metric("within_target_share").zh == "目标时间内得到治疗的比例（%）"
    assert w.join([w("aed_1"), w("boat_1")]) == "AED 1台，急救艇1艘\n1 AED, 1 boat"


@pytest.mark.parametrize("spec", RUN_FIGURES + SWEEP_FIGURES, ids=lambda s: s.name)
def test_every_figure_spec_takes_known_entries_and_has_words(spec):
    known = {"w", *Context.TABLES, *Context.DERIVED}
    variant_args = {"x", "y", "metric", "condition", "per_year"} if spec.variants else set()
    for p in spec.parameters():
        assert p in known or p in variant_args, f"{spec.name}: parameter {p} is no context entry"
    for need in spec.needs:
        assert need in known, need
    for key in (f"title_{spec.name}", f"cap_{spec.name}"):
        assert key in LONG_TEXT, key


def test_run_meta_carries_names_places_targets(tiny):
    policy = baseline_policy(tiny)
    meta = run_meta(tiny, policy, Experiment(), {"scenario": {"kind": "data", "lang": "both"}})
    assert meta["lang"] == "both"
    assert [i["name_zh"] for i in meta["islands"]] == [i.name_zh for i in tiny.islands]
    assert {c["id"]: c["target_min"] for c in meta["conditions"]} == {c.id: c.target_min for c in tiny.conditions}
    isl = meta["islands"][0]
    assert (isl["lat"], isl["lon"], isl["aeds"]) == (tiny.islands[0].lat, tiny.islands[0].lon,
                                                      policy.aeds[tiny.islands[0].id])
    assert run_meta(tiny, policy, Experiment(), {"scenario": {"lang": "both"}, "report": {"lang": "en"}})["lang"] == "en"
    text = run_meta_json(Validated(tiny, policy, Experiment()), {"scenario": {"kind": "data",
                                                                            "data_dir": "tests/data/tiny"}})
    data = json.loads(text)
    assert data["sources"] and data["sources"][0]["table"].endswith(".csv")
    assert text == run_meta_json(Validated(tiny, policy, Experiment()), {"scenario": {"kind": "data",
                                                                                     "data_dir": "tests/data/tiny"}})
