"""A ¥12 lunch under the tiered subsidy one Jiangsu county paid in 2023 (domain notes §2):
¥1 at 60–74; ¥5 at 75–84; ¥8 at 85–94 or 60+ 低保/残疾/优抚; ¥9 at 95+ or 特困.
Tiers do not add up: the largest that applies is paid."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leye_yiyang.rules.pricing import price_for
from leye_yiyang.rules.profiles import Person
from leye_yiyang.values import Price, Subsidy
from leye_yiyang.vocab import PersonStatus as S
from leye_yiyang.vocab import ServiceCode

ON = dt.date(2026, 6, 1)

COUNTY_TIERS = [
    Subsidy(label="60–74岁", amount_cny=1, min_age=60, max_age=74),
    Subsidy(label="75–84岁", amount_cny=5, min_age=75, max_age=84),
    Subsidy(label="85–94岁", amount_cny=8, min_age=85, max_age=94),
    Subsidy(
        label="60岁以上低保/残疾/优抚",
        amount_cny=8,
        min_age=60,
        any_of_statuses=[S.DIBAO, S.DISABILITY, S.MILITARY_FAMILY],
    ),
    Subsidy(label="95岁以上", amount_cny=9, min_age=95),
    Subsidy(label="分散特困", amount_cny=9, any_of_statuses=[S.EXTREME_POVERTY]),
]
LUNCH = Price(service=ServiceCode.LUNCH, unit="meal", price_cny=12, subsidies=COUNTY_TIERS)
DELIVERY = Price(service=ServiceCode.HOME_DELIVERY, unit="delivery", price_cny=2)


@pytest.mark.parametrize(
    ("age", "payable"),
    [(59, 12), (60, 11), (74, 11), (75, 7), (84, 7), (85, 4), (94, 4), (95, 3), (101, 3)],
)
def test_age_tiers_on_a_12_yuan_lunch(age: int, payable: float) -> None:
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=age, statuses=[]), ON)
    assert q is not None
    assert q.base_cny == 12
    assert q.payable_cny == payable
    assert q.subsidy_cny == 12 - payable
    assert not q.may_be_lower


def test_the_quote_reads_out_the_tier_and_what_is_paid() -> None:
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=80, statuses=[]), ON)
    assert q is not None
    assert q.subsidy_label == "75–84岁"
    assert q.reason.zh == "每餐12元，享受75至84岁补贴5元，自付7元"
    assert q.reason.en == "¥12 a meal; the subsidy for ages 75–84 of ¥5 applies, so you pay ¥7"


def test_tiers_do_not_add_up_the_largest_is_paid() -> None:
    # 70 with 低保: the ¥1 age tier and the ¥8 status tier both apply; only ¥8 is paid.
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=70, statuses=[S.DIBAO]), ON)
    assert q is not None
    assert (q.subsidy_cny, q.payable_cny) == (8, 4)
    assert q.subsidy_label == "60岁以上低保/残疾/优抚"


def test_extreme_poverty_gets_the_top_tier_at_any_age() -> None:
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=66, statuses=[S.EXTREME_POVERTY]), ON)
    assert q is not None
    assert q.payable_cny == 3


def test_a_status_tier_with_an_age_band_needs_the_age() -> None:
    # 低保 but no age: the 60+ 低保 tier cannot apply yet, and the quote says so.
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(statuses=[S.DIBAO]), ON)
    assert q is not None
    assert q.payable_cny == 12
    assert q.may_be_lower
    assert q.missing == ["age"]
    assert q.reason.zh.endswith("提供年龄后价格可能更低")
    assert q.reason.en.endswith("the price may be lower once the age is known")


def test_unknown_statuses_may_lower_the_price_of_a_known_age() -> None:
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=70), ON)
    assert q is not None
    assert (q.payable_cny, q.may_be_lower, q.missing) == (11, True, ["statuses"])


def test_nothing_larger_to_find_means_no_hint() -> None:
    # 96 already gets ¥9; 特困 would also be ¥9, so asking about statuses changes nothing.
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=96), ON)
    assert q is not None
    assert (q.payable_cny, q.may_be_lower) == (3, False)


def test_a_birth_date_is_aged_on_the_day_of_the_meal() -> None:
    p = Person(birth_date=dt.date(1951, 6, 2), statuses=[])
    eve = price_for([LUNCH], ServiceCode.LUNCH, p, dt.date(2026, 6, 1))
    day = price_for([LUNCH], ServiceCode.LUNCH, p, dt.date(2026, 6, 2))
    assert eve is not None
    assert day is not None
    assert (eve.payable_cny, day.payable_cny) == (11, 7)


def test_advanced_age_tier_applies_from_80() -> None:
    tier = Subsidy(label="高龄", amount_cny=3, any_of_statuses=[S.ADVANCED_AGE])
    price = Price(service=ServiceCode.LUNCH, unit="meal", price_cny=10, subsidies=[tier])
    q = price_for([price], ServiceCode.LUNCH, Person(age=80), ON)
    assert q is not None
    assert q.payable_cny == 7


def test_no_subsidy_and_a_subsidy_larger_than_the_price() -> None:
    q = price_for([LUNCH, DELIVERY], ServiceCode.HOME_DELIVERY, Person(age=90), ON)
    assert q is not None
    assert q.payable_cny == 2
    assert q.reason.zh == "每次送餐2元，没有适用的补贴"
    cheap = Price(service=ServiceCode.LUNCH, unit="meal", price_cny=6, subsidies=COUNTY_TIERS)
    q = price_for([cheap], ServiceCode.LUNCH, Person(age=99), ON)
    assert q is not None
    assert (q.payable_cny, q.subsidy_cny) == (0, 6)


def test_a_service_not_priced_gives_no_quote() -> None:
    assert price_for([LUNCH], ServiceCode.DINNER, Person(age=70), ON) is None


def test_fractional_prices_are_kept_to_the_fen() -> None:
    price = Price(
        service=ServiceCode.LUNCH,
        unit="meal",
        price_cny=12.5,
        subsidies=[Subsidy(label="x", amount_cny=0.3, min_age=60)],
    )
    q = price_for([price], ServiceCode.LUNCH, Person(age=60, statuses=[]), ON)
    assert q is not None
    assert q.payable_cny == 12.2
    assert "自付12.2元" in q.reason.zh


@given(
    age=st.integers(0, 120) | st.none(),
    statuses=st.lists(st.sampled_from(list(S)), max_size=3, unique=True) | st.none(),
)
def test_the_payable_is_the_base_less_one_tier_never_below_zero(
    age: int | None, statuses: list[S] | None
) -> None:
    q = price_for([LUNCH], ServiceCode.LUNCH, Person(age=age, statuses=statuses), ON)
    assert q is not None
    assert q.subsidy_cny in {0, 1, 5, 8, 9}
    assert q.payable_cny == 12 - q.subsidy_cny
