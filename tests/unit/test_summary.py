"""The scenario summary and the county's resource ratios, checked against hand arithmetic.

The tiny fixture (tests/data/tiny) in numbers:
  islands  main 10,000 people (shares 0.1/0.6/0.2/0.1), 2 AEDs
           near  1,000 people (0.1/0.5/0.3/0.1),        1 AED
           far     100 people (0.0/0.4/0.4/0.2),        0 AEDs
  doctors  hospital (main) 20, near_clinic (near) 1
  carers   main_home (main) 4, 20 care beds
  targets  4.2 doctors per 1,000; 5 AEDs per 10k; 25 carers per 10k elderly; 90% in county
"""

from __future__ import annotations

import pytest

from scenarios.policy import baseline_policy, resolve_policy
from scenarios.summary import island_table, ratio_table

POPULATION = 10_000 + 1_000 + 100  # 11,100
ELDERLY = 10_000 * (0.2 + 0.1) + 1_000 * (0.3 + 0.1) + 100 * (0.4 + 0.2)  # 3,000 + 400 + 60 = 3,460


def ratios(scenario, policy) -> dict[str, dict]:
    return {r["ratio"]: r for r in ratio_table(scenario, policy).to_dict("records")}


def test_baseline_ratios_by_hand(tiny):
    r = ratios(tiny, baseline_policy(tiny))
    assert r["doctors_per_1000"]["value"] == pytest.approx(21 / 11_100 * 1_000)  # 1.8919
    assert r["aeds_per_10k"]["value"] == pytest.approx(3 / 11_100 * 10_000)  # 2.7027
    assert r["carers_per_10k_elderly"]["value"] == pytest.approx(4 / 3_460 * 10_000)  # 11.561
    assert r["doctors_per_1000"]["target_2025"] == 4.2
    assert r["aeds_per_10k"]["target_2025"] == 5
    assert r["carers_per_10k_elderly"]["target_2025"] == 25
    assert r["doctors_per_1000"]["gap"] == pytest.approx(4.2 - 21 / 11.1)
    assert not r["doctors_per_1000"]["meets_target"]


def test_static_in_county_share_by_hand(tiny):
    """Episodes per year = sum over islands and bands of people x incidence / 1,000; the share kept in
    the county weights each condition by (1 - out_of_county_share)."""
    bands = {"0_14": 10_000 * 0.1 + 1_000 * 0.1 + 100 * 0.0,  # 1,100
             "15_59": 10_000 * 0.6 + 1_000 * 0.5 + 100 * 0.4,  # 6,540
             "60_79": 10_000 * 0.2 + 1_000 * 0.3 + 100 * 0.4,  # 2,340
             "80_plus": 10_000 * 0.1 + 1_000 * 0.1 + 100 * 0.2}  # 1,120
    # conditions.csv: incidence per 1,000 by band, out_of_county_share
    table = {"cardiac_arrest": ((0, 1, 2, 5), 0.5), "chest_pain": ((0, 1, 2, 5), 0.3),
             "stroke": ((0, 1, 10, 20), 0.1), "major_trauma": ((1, 1, 1, 2), 0.3),
             "obstetric": ((0, 1, 0, 0), 0.2), "other_urgent": ((10, 10, 30, 50), 0.0),
             "primary_care": ((5000, 5000, 10000, 10000), 0.0),
             "chronic_followup": ((0, 0, 2000, 2000), 0.0)}
    total = kept = 0.0
    for inc, out in table.values():
        n = sum(people * i / 1000 for people, i in zip(bands.values(), inc, strict=True))
        total += n
        kept += n * (1 - out)
    r = ratios(tiny, baseline_policy(tiny))
    assert r["in_county_share"]["value"] == pytest.approx(kept / total)
    assert r["in_county_share"]["meets_target"]
    assert r["in_county_share"]["gap"] == 0.0


def test_simulated_in_county_share_overrides_the_static_one(tiny):
    table = ratio_table(tiny, baseline_policy(tiny), in_county_share=0.85)
    row = table.set_index("ratio").loc["in_county_share"]
    assert row["value"] == 0.85 and not row["meets_target"] and row["gap"] == pytest.approx(0.05)


def test_aed_density_override_by_hand(tiny):
    """aeds_per_10k=5: each island gets ceil(pop x 5 / 10,000), never fewer than today."""
    p = resolve_policy(tiny, {"aeds_per_10k": 5})
    # main ceil(5.0)=5; near ceil(0.5)=1 (today 1); far ceil(0.05)=1 (today 0)
    assert dict(p.aeds) == {"main": 5, "near": 1, "far": 1}
    assert ratios(tiny, p)["aeds_per_10k"]["value"] == pytest.approx(7 / 11_100 * 10_000)
    assert ratios(tiny, p)["aeds_per_10k"]["meets_target"]


def test_aed_density_keeps_more_than_the_density(tiny):
    p = resolve_policy(tiny, {"aeds": {"main": 9}, "aeds_per_10k": 5})
    assert p.aeds["main"] == 9  # 9 > ceil(5.0): never below what the policy states


def test_carer_ratio_override_by_hand(tiny):
    """carers_per_10k_elderly=25: ceil(3,460 x 25 / 10,000) = ceil(8.65) = 9 carers in the county."""
    p = resolve_policy(tiny, {"carers_per_10k_elderly": 25})
    assert dict(p.carers) == {"main_home": 9}
    assert ratios(tiny, p)["carers_per_10k_elderly"]["value"] == pytest.approx(9 / 3_460 * 10_000)


def test_carer_ratio_never_below_today(tiny):
    # ceil(3,460 x 1 / 10,000) = 1 < today's 4
    assert dict(resolve_policy(tiny, {"carers_per_10k_elderly": 1}).carers) == {"main_home": 4}
    assert dict(resolve_policy(tiny, {"carers_per_10k_elderly": 0}).carers) == {"main_home": 4}


def test_carer_ratio_with_no_care_beds_still_reaches_the_ratio(tiny):
    """Bug fixed: with every care bed set to 0 the extra carers were shared by zero weights and lost."""
    p = resolve_policy(tiny, {"care_beds": {"main_home": 0}, "carers_per_10k_elderly": 25})
    assert dict(p.carers) == {"main_home": 9}


def test_carer_ratio_is_shared_by_beds(shengsi):
    """Shengsi: 22,850.71 elderly x 30 / 10,000 = 68.55 -> 69 carers, 13 more than today's 56,
    spread over the homes by beds (280, 90, 65, 50, 35 of 520), largest remainders first."""
    p = resolve_policy(shengsi, {"carers_per_10k_elderly": 30})
    assert sum(p.carers.values()) == 69
    today = {h.id: h.carers for h in shengsi.care_homes}
    added = {h: p.carers[h] - today[h] for h in today}
    # 13 x beds/520: 7.00, 2.25, 1.63, 1.25, 0.88 -> floors 7,2,1,1,0 (11), remainders to huaniao, dayangshan
    assert added == {"sijiao_home": 7, "shengshan_gouqi_home": 2, "dayangshan_home": 2, "huanglong_home": 1,
                     "huaniao_home": 1}


def test_island_table_by_hand(tiny):
    t = island_table(tiny, baseline_policy(tiny)).set_index("island")
    assert list(t.index) == ["main", "near", "far", "all"]
    assert t.loc["main", "population"] == 10_000 and t.loc["all", "population"] == POPULATION
    assert t.loc["near", "elderly_share"] == pytest.approx(0.4)
    assert t.loc["all", "elderly_share"] == pytest.approx(ELDERLY / POPULATION)
    assert t.loc["main", "doctors"] == 20 and t.loc["near", "doctors"] == 1 and t.loc["far", "doctors"] == 0
    assert t.loc["all", "doctors"] == 21
    assert t.loc["all", "aeds"] == 3 and t.loc["main", "carers"] == 4 and t.loc["all", "care_beds"] == 20
    assert t.loc["main", "hospital_beds"] == 50 and t.loc["main", "boats"] == 1
    assert t.loc["far", "circuit_visits_per_month"] == 1.0
    assert t.loc["all", "facilities"] == 2 and t.loc["all", "care_homes"] == 1


def test_island_table_follows_the_policy(tiny):
    p = resolve_policy(tiny, {"doctors": {"near_clinic": 3}, "boats": {"main": 2}})
    t = island_table(tiny, p).set_index("island")
    assert t.loc["near", "doctors"] == 3 and t.loc["all", "doctors"] == 23 and t.loc["all", "boats"] == 2
    assert ratios(tiny, p)["doctors_per_1000"]["value"] == pytest.approx(23 / 11_100 * 1_000)


def test_shengsi_summary_has_every_island_and_the_county(shengsi):
    t = island_table(shengsi, baseline_policy(shengsi))
    assert len(t) == 12 and t["island"].iloc[-1] == "all"
    assert t.set_index("island").loc["all", "population"] == 64_000
    r = ratios(shengsi, baseline_policy(shengsi))
    assert r["doctors_per_1000"]["value"] == pytest.approx(203 / 64_000 * 1_000)  # 3.17
    assert r["aeds_per_10k"]["value"] == pytest.approx(11 / 64_000 * 10_000)  # islands.csv aeds: 6+1+1+1+1+1
