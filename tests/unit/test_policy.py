"""Policy resolution: defaults are today's resources; every bad key names itself (``policy.<key>``)."""

from __future__ import annotations

import dataclasses

import pytest

from scenarios.errors import InputError
from scenarios.policy import baseline_policy, resolve_policy


def problems(scenario, cfg) -> list:
    with pytest.raises(InputError) as e:
        resolve_policy(scenario, cfg)
    return e.value.problems


def test_baseline_is_today(tiny):
    p = baseline_policy(tiny)
    assert dict(p.doctors) == {"hospital": 20, "near_clinic": 1}
    assert dict(p.night_doctors) == {"hospital": 2, "near_clinic": 0}
    assert dict(p.hospital_beds) == {"hospital": 50, "near_clinic": 0}
    assert dict(p.aeds) == {"main": 2, "near": 1, "far": 0}
    assert dict(p.boats) == {"main": 1}
    assert dict(p.care_beds) == {"main_home": 20} and dict(p.carers) == {"main_home": 4}
    assert [(v.island, v.team, v.visits_per_month, v.days_per_visit) for v in p.circuit] == [
        ("far", "main_team", 1.0, 1)]
    assert p.transfer_rule == "fastest" and p.helicopter is True
    # default helicopter conditions: urgent with an outcome curve or a target <= 60 min (conditions.csv):
    # cardiac_arrest (curve), major_trauma (60), obstetric (60); not chest_pain/other_urgent (120), stroke (270)
    assert p.helicopter_conditions == {"cardiac_arrest", "major_trauma", "obstetric"}


def test_shengsi_default_helicopter_conditions_are_the_time_critical_five(shengsi):
    assert baseline_policy(shengsi).helicopter_conditions == {"cardiac_arrest", "chest_pain", "stroke",
                                                              "major_trauma", "obstetric"}


def test_overrides_change_only_what_they_name(tiny):
    p = resolve_policy(tiny, {"name": "more", "doctors": {"near_clinic": 4}, "aeds": {"far": 2},
                              "boats": {"main": 0}, "transfer_rule": "boat_first",
                              "helicopter_conditions": ["stroke"], "circuit": {"near": {"team": "main_team",
                                                                                        "visits_per_month": 2}}})
    assert p.name == "more"
    assert dict(p.doctors) == {"hospital": 20, "near_clinic": 4}
    assert dict(p.aeds) == {"main": 2, "near": 1, "far": 2}
    assert p.boats["main"] == 0 and p.transfer_rule == "boat_first"
    assert p.helicopter_conditions == {"stroke"}
    assert {v.island: v.visits_per_month for v in p.circuit} == {"near": 2.0, "far": 1.0}
    assert p.doctors_on(tiny, "near") == 4


def test_night_doctors_never_exceed_day_doctors(tiny):
    # cutting the hospital's day doctors to 1 caps its default night doctors (2) at 1
    assert resolve_policy(tiny, {"doctors": {"hospital": 1}}).night_doctors["hospital"] == 1
    (p,) = problems(tiny, {"night_doctors": {"near_clinic": 2}})
    assert p.place == "policy.night_doctors.near_clinic"


def test_policy_is_immutable(tiny):
    p = baseline_policy(tiny)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.transfer_rule = "ferry_only"  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.doctors["hospital"] = 99  # type: ignore[index]


# --- one test per bad-input class ---------------------------------------------------------------------
def test_unknown_facility_in_doctors(tiny):
    (p,) = problems(tiny, {"doctors": {"hospitl": 3}})
    assert p.place == "policy.doctors.hospitl" and p.value == "3"
    assert "hospital" in p.expected and "near_clinic" in p.expected  # lists the valid facilities


def test_negative_count(tiny):
    (p,) = problems(tiny, {"doctors": {"hospital": -1}})
    assert p.place == "policy.doctors.hospital" and p.value == "-1" and "from 0 to" in p.expected


@pytest.mark.parametrize("key, item, most", [("boats", "main", 100), ("doctors", "hospital", 10_000),
                                             ("hospital_beds", "hospital", 10_000), ("aeds", "far", 100_000),
                                             ("care_beds", "main_home", 10_000), ("carers", "main_home", 10_000)])
def test_counts_have_the_tables_upper_limits(tiny, key, item, most):
    """A policy may not ask for more than a scenario table may hold (boats.csv: at most 100 a base)."""
    assert resolve_policy(tiny, {key: {item: most}})
    (p,) = problems(tiny, {key: {item: most + 1}})
    assert p.place == f"policy.{key}.{item}" and f"from 0 to {most:,}" in p.expected


@pytest.mark.parametrize("cfg, place", [({"aeds_per_10k": 1e9}, "policy.aeds_per_10k"),
                                        ({"carers_per_10k_elderly": 1e9}, "policy.carers_per_10k_elderly"),
                                        ({"care_conversion_cap": 51}, "policy.care_conversion_cap"),
                                        ({"circuit": {"far": {"days_per_visit": 32}}}, "policy.circuit.far.days_per_visit")])
def test_ratios_and_caps_have_upper_limits(tiny, cfg, place):
    (p,) = problems(tiny, cfg)
    assert p.place == place


def test_a_home_without_carers_is_named_by_its_table_line(tiny_copy_no_carers):
    scenario, line = tiny_copy_no_carers
    (p,) = problems(scenario, {})
    assert (p.place, p.column) == (f"tiny/care_homes.csv:{line}", "carers")


@pytest.fixture
def tiny_copy_no_carers(tmp_scenario):
    line = tmp_scenario.line_of("care_homes.csv", "home_id", "main_home")
    tmp_scenario.set_cell("care_homes.csv", line, "carers", "0")
    return tmp_scenario.load(), line  # the data load: a home may have no carers today


@pytest.mark.parametrize("value", [2.5, True, "3", None])
def test_count_that_is_not_a_whole_number(tiny, value):
    (p,) = problems(tiny, {"aeds": {"main": value}})
    assert p.place == "policy.aeds.main"


def test_unknown_island_boat_base_and_home(tiny):
    ps = problems(tiny, {"aeds": {"atlantis": 1}, "boats": {"far": 1}, "carers": {"no_home": 2}})
    assert [p.place for p in ps] == ["policy.aeds.atlantis", "policy.boats.far", "policy.carers.no_home"]


def test_unknown_policy_key(tiny):
    (p,) = problems(tiny, {"dcotors": {"hospital": 3}})
    assert p.place == "policy.dcotors" and "doctors" in p.expected


@pytest.mark.parametrize("rule", ["transfer_rule", "bed_full_rule", "placement_rule", "postpone_rule"])
def test_bad_rule_name(tiny, rule):
    (p,) = problems(tiny, {rule: "quickest"})
    assert p.place == f"policy.{rule}" and p.value == "quickest" and p.expected.startswith("one of ")


def test_unknown_condition_in_lists(tiny):
    ps = problems(tiny, {"helicopter_conditions": ["stroke", "sunburn"], "out_of_county_conditions": ["gout"]})
    assert [(p.place, p.value) for p in ps] == [("policy.helicopter_conditions[1]", "sunburn"),
                                               ("policy.out_of_county_conditions[0]", "gout")]


def test_condition_list_that_is_not_a_list(tiny):
    (p,) = problems(tiny, {"helicopter_conditions": "stroke"})
    assert p.place == "policy.helicopter_conditions"


def test_resource_map_that_is_not_a_mapping(tiny):
    (p,) = problems(tiny, {"doctors": [3, 4]})
    assert p.place == "policy.doctors"


@pytest.mark.parametrize("key, value", [("aeds_per_10k", -1), ("aeds_per_10k", float("nan")),
                                        ("carers_per_10k_elderly", -5), ("carers_per_10k_elderly", "many"),
                                        ("bystander_cpr_share", 1.5), ("bystander_cpr_share", -0.1),
                                        ("care_conversion_cap", -2), ("care_conversion_cap", 1.5)])
def test_bad_scalar(tiny, key, value):
    (p,) = problems(tiny, {key: value})
    assert p.place == f"policy.{key}"


def test_bad_circuit_visit(tiny):
    ps = problems(tiny, {"circuit": {"atlantis": {"team": "main_team"},
                                     "near": {"team": "ghost_team", "visits_per_month": 40, "days_per_visit": 0,
                                              "colour": "red"}}})
    assert {p.place for p in ps} == {"policy.circuit.atlantis", "policy.circuit.near.team",
                                     "policy.circuit.near.visits_per_month", "policy.circuit.near.days_per_visit",
                                     "policy.circuit.near.colour"}


def test_all_policy_problems_together(tiny):
    ps = problems(tiny, {"doctors": {"hospitl": 1, "hospital": -3}, "transfer_rule": "x", "colour": "red"})
    assert len(ps) == 4
