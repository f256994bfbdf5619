"""Eligibility: every rule a facility sets is checked and explained; a missing fact is "unknown",
never a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from leye_yiyang.rules.eligibility import evaluate
from leye_yiyang.rules.profiles import Person
from leye_yiyang.values import Eligibility
from leye_yiyang.vocab import PersonStatus

D = dt.date
ON = D(2026, 6, 1)

# Illustrative codes for the tree 亭湖区 > 五星街道 > 万户新村社区.
TINGHU, WUXING, WANHU = "320902", "320902001", "320902001003"
OTHER_STREET = "320902004"
NAMES = {TINGHU: "亭湖区", WUXING: "五星街道", WANHU: "万户新村社区", OTHER_STREET: "新洋街道"}
WANHU_RESIDENT = [WANHU, WUXING, TINGHU]


def test_an_age_over_the_minimum_is_read_out_plainly() -> None:
    v = evaluate(Eligibility(min_age=60), Person(age=82), ON)
    assert v.outcome == "eligible"
    [r] = v.results
    assert (r.rule, r.outcome) == ("age", "eligible")
    assert r.reason.zh == "年龄82岁，满足60岁以上的要求"
    assert r.reason.en == "Age 82 meets the minimum of 60"


@pytest.mark.parametrize(
    ("on", "outcome"),
    [(D(2026, 5, 31), "not_eligible"), (D(2026, 6, 1), "eligible")],
)
def test_the_minimum_age_is_reached_on_the_birthday(on: dt.date, outcome: str) -> None:
    v = evaluate(Eligibility(min_age=60), Person(birth_date=D(1966, 6, 1)), on)
    assert v.outcome == outcome


@pytest.mark.parametrize(
    ("age", "outcome"),
    [(59, "not_eligible"), (60, "eligible"), (79, "eligible"), (80, "not_eligible")],
)
def test_both_age_bounds_are_inclusive(age: int, outcome: str) -> None:
    assert evaluate(Eligibility(min_age=60, max_age=79), Person(age=age), ON).outcome == outcome


def test_too_young_and_too_old_say_which() -> None:
    rules = Eligibility(min_age=60, max_age=79)
    young = evaluate(rules, Person(age=55), ON).results[0].reason
    old = evaluate(rules, Person(age=85), ON).results[0].reason
    assert young.code == "age.too_young"
    assert young.zh == "年龄55岁，低于60至79岁的要求"
    assert old.code == "age.too_old"
    assert old.zh == "年龄85岁，高于60至79岁的要求"
    assert old.en == "Age 85 is above the required 60 to 79"


def test_a_maximum_alone_reads_as_a_ceiling() -> None:
    r = evaluate(Eligibility(max_age=75), Person(age=80), ON).results[0].reason
    assert r.zh == "年龄80岁，超过75岁的上限"
    assert r.en == "Age 80 is above the maximum of 75"


def test_an_unknown_age_is_unknown_not_a_refusal() -> None:
    v = evaluate(Eligibility(min_age=60), Person(), ON)
    assert v.outcome == "unknown"
    assert v.results[0].reason.zh == "未提供年龄，无法核对60岁以上的要求"
    assert v.reason.zh.startswith("还需核实")


@pytest.mark.parametrize(
    ("on", "outcome"),
    [
        (D(2025, 6, 14), "not_eligible"),
        (D(2025, 6, 15), "eligible"),
        (D(2026, 6, 15), "eligible"),
        (D(2026, 7, 15), "not_eligible"),
    ],
)
def test_a_toddler_class_takes_12_to_24_months(on: dt.date, outcome: str) -> None:
    rules = Eligibility(child_min_months=12, child_max_months=24)
    v = evaluate(rules, Person(birth_date=D(2024, 6, 15)), on)
    assert v.outcome == outcome
    assert v.results[0].rule == "child_months"


def test_months_need_a_birth_date() -> None:
    v = evaluate(Eligibility(child_max_months=36), Person(age=2), ON)
    assert v.outcome == "unknown"
    assert "出生日期" in v.results[0].reason.zh


def test_month_reasons_name_the_unit() -> None:
    v = evaluate(Eligibility(child_min_months=6), Person(birth_date=D(2025, 10, 1)), ON)
    assert v.results[0].reason.zh == "月龄8个月，满足6个月以上的要求"
    assert v.results[0].reason.en == "Age 8 months meets the minimum of 6 months"


POOR = Eligibility(any_of_statuses=[PersonStatus.DIBAO, PersonStatus.EXTREME_POVERTY])


def test_holding_one_listed_status_is_enough() -> None:
    v = evaluate(POOR, Person(statuses=[PersonStatus.LIVING_ALONE, PersonStatus.DIBAO]), ON)
    assert v.outcome == "eligible"
    assert v.results[0].reason.zh == "属于低保，是服务对象（低保、特困）之一"


def test_statuses_recorded_as_none_refuse_and_never_asked_stays_unknown() -> None:
    assert evaluate(POOR, Person(statuses=[]), ON).outcome == "not_eligible"
    assert evaluate(POOR, Person(), ON).outcome == "unknown"


def test_advanced_age_counts_from_80_without_being_recorded() -> None:
    rules = Eligibility(any_of_statuses=[PersonStatus.ADVANCED_AGE, PersonStatus.LIVING_ALONE])
    v = evaluate(rules, Person(age=85), ON)
    assert v.outcome == "eligible"
    assert v.results[0].reason.zh.startswith("年龄85岁，属于高龄")
    assert evaluate(rules, Person(age=79, statuses=[]), ON).outcome == "not_eligible"


def test_residence_matches_the_community_or_any_area_above_it() -> None:
    rules = Eligibility(residence_area_codes=[WUXING])
    v = evaluate(rules, Person(residence_area_codes=WANHU_RESIDENT), ON, area_names=NAMES)
    assert v.outcome == "eligible"
    assert v.results[0].reason.zh == "居住在五星街道，在服务范围内"


def test_residence_elsewhere_or_not_given() -> None:
    rules = Eligibility(residence_area_codes=[OTHER_STREET])
    outside = evaluate(rules, Person(residence_area_codes=WANHU_RESIDENT), ON, area_names=NAMES)
    assert outside.outcome == "not_eligible"
    assert outside.results[0].reason.en == "Lives outside the service area (新洋街道)"
    assert evaluate(rules, Person(), ON).outcome == "unknown"


def test_without_names_the_codes_are_shown() -> None:
    v = evaluate(
        Eligibility(residence_area_codes=[WUXING]), Person(residence_area_codes=[WUXING]), ON
    )
    assert WUXING in v.results[0].reason.zh


def test_no_rules_means_open_to_all() -> None:
    v = evaluate(Eligibility(), Person(), ON)
    assert v.outcome == "eligible"
    assert v.results == []
    assert v.reason.code == "open_to_all"
    assert v.reason.en == "Open to everyone: the facility sets no conditions"


def test_one_result_per_rule_and_a_refusal_outweighs_an_unknown() -> None:
    rules = Eligibility(
        min_age=60,
        any_of_statuses=[PersonStatus.DIBAO],
        residence_area_codes=[WUXING],
        note="仅限本街道低保老人",
    )
    v = evaluate(rules, Person(age=58), ON)
    assert [r.rule for r in v.results] == ["age", "statuses", "residence"]
    assert [r.outcome for r in v.results] == ["not_eligible", "unknown", "unknown"]
    assert v.outcome == "not_eligible"
    assert v.reason.zh == "不符合条件：年龄58岁，未达到60岁以上的要求"
    assert v.note == "仅限本街道低保老人"


def test_an_unknown_outweighs_eligible() -> None:
    rules = Eligibility(min_age=60, residence_area_codes=[WUXING])
    assert evaluate(rules, Person(age=70), ON).outcome == "unknown"
    full = Person(age=70, residence_area_codes=WANHU_RESIDENT)
    v = evaluate(rules, full, ON)
    assert v.outcome == "eligible"
    assert v.reason.zh.startswith("符合全部条件：年龄70岁")
