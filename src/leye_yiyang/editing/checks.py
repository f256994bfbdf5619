"""Rules an edit must satisfy beyond what the stored-record checks (directory/validation.py)
already enforce: phone formats, opening hours that make sense, subsidy tiers that parse.
Pure functions over the value types; each failure names the field."""

from __future__ import annotations

import itertools
import re

from leye_yiyang.errors import InvalidInput
from leye_yiyang.values import OpeningHours, Price, TimeRange

# Mainland numbers: mobile 1[3-9]xxxxxxxxx; landline area code 0xx(x) + 7-8 digits, optional
# extension; 400/800 service numbers; the 5-digit government and public-service hotlines.
_PHONE = re.compile(
    r"^(?:\+?86[- ]?)?(?:"
    r"1[3-9]\d{9}"
    r"|0\d{2,3}[- ]?\d{7,8}(?:[- ]?(?:转|ext\.?|x)?\d{1,6})?"
    r"|[48]00[- ]?\d{3}[- ]?\d{4}"
    r"|1\d{4}"
    r")$"
)


def check_phone(value: str, field: str = "phone") -> None:
    if value and not _PHONE.match(value.strip()):
        raise InvalidInput(
            f"电话号码 {value} 格式无效（手机 11 位，座机如 0515-88886666）",
            f"Phone number {value!r} is not a mainland mobile (11 digits) or landline "
            "(area code + number, e.g. 0515-88886666)",
            code="invalid_phone",
            field=field,
        )


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _day(ranges: list[TimeRange], field: str) -> None:
    spans = sorted(
        ((_minutes(r.opens), _minutes(r.closes), r) for r in ranges), key=lambda t: t[:2]
    )
    for (_, end, first), (start, _, second) in itertools.pairwise(spans):
        if start < end:
            raise InvalidInput(
                f"开放时间 {first.opens}–{first.closes} 与 {second.opens}–{second.closes} 重叠",
                f"Opening ranges {first.opens}-{first.closes} and {second.opens}-{second.closes} "
                "overlap",
                code="overlapping_opening_hours",
                field=field,
            )
    for opens, closes, r in spans:
        if opens >= closes:
            raise InvalidInput(
                f"开放时间 {r.opens}–{r.closes} 无效：开门须早于关门",
                f"Opening range {r.opens}-{r.closes} must open before it closes",
                code="invalid_opening_hours",
                field=field,
            )


def check_hours(hours: OpeningHours, field: str = "opening_hours") -> None:
    for day, ranges in hours.weekly.items():
        _day(ranges, f"{field}.weekly.{day}")
    seen: set[str] = set()
    for i, exc in enumerate(hours.exceptions):
        where = f"{field}.exceptions[{i}]"
        key = exc.date.isoformat()
        if key in seen:
            raise InvalidInput(
                f"例外日期 {key} 重复",
                f"Exception date {key} is given twice",
                code="duplicate_exception_date",
                field=where,
            )
        seen.add(key)
        if exc.closed and exc.hours:
            raise InvalidInput(
                f"{key} 既标为闭馆又给了开放时间",
                f"Exception {key} is marked closed but lists opening hours",
                code="invalid_opening_hours",
                field=where,
            )
        _day(exc.hours, f"{where}.hours")


def check_prices(prices: list[Price], field: str = "prices") -> None:
    for i, price in enumerate(prices):
        for j, tier in enumerate(price.subsidies):
            where = f"{field}[{i}].subsidies[{j}]"
            if (
                tier.min_age is not None
                and tier.max_age is not None
                and tier.min_age > tier.max_age
            ):
                raise InvalidInput(
                    f"补贴档次「{tier.label}」年龄下限大于上限",
                    f"Subsidy tier {tier.label!r}: min_age exceeds max_age",
                    code="invalid_range",
                    field=where,
                )
            if tier.amount_cny > price.price_cny:
                raise InvalidInput(
                    f"补贴档次「{tier.label}」补贴 {tier.amount_cny} 元超过价格 {price.price_cny} 元",
                    f"Subsidy tier {tier.label!r} ({tier.amount_cny} CNY) exceeds the price "
                    f"({price.price_cny} CNY)",
                    code="subsidy_exceeds_price",
                    field=where,
                )
