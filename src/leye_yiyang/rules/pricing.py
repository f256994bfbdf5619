"""What a person pays for a service: the listed price less the one subsidy tier that applies.

Tiers do not add up; the largest applicable one is paid (as the county rules in the domain notes
work). A tier that might apply once a missing fact is known does not apply yet, but the quote says
the price may fall, so a social worker knows to ask.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from leye_yiyang.rules.profiles import Person, age_on, statuses_held
from leye_yiyang.rules.reasons import Reason, money, statuses_en, statuses_zh
from leye_yiyang.values import Price, Subsidy
from leye_yiyang.vocab import ServiceCode

Missing = Literal["age", "statuses"]

_UNIT: dict[str, tuple[str, str]] = {
    "meal": ("每餐", "a meal"),
    "delivery": ("每次送餐", "a delivery"),
    "day": ("每天", "a day"),
    "half_day": ("每半天", "a half day"),
    "hour": ("每小时", "an hour"),
    "month": ("每月", "a month"),
    "course": ("每期", "a course"),
    "visit": ("每次", "a visit"),
}


class Quote(msgspec.Struct, frozen=True, kw_only=True):
    service: ServiceCode
    unit: str
    base_cny: float
    subsidy_cny: float
    payable_cny: float
    subsidy_label: str | None  # the stored label of the tier applied
    may_be_lower: bool  # a larger tier could apply once a missing fact is known
    missing: list[Missing]  # the facts that would settle it
    reason: Reason


def tier_text(tier: Subsidy) -> tuple[str, str]:
    """Who a tier is for, built from its fields so both languages say the same thing."""
    zh: list[str] = []
    en: list[str] = []
    lo, hi = tier.min_age, tier.max_age
    if lo is not None and hi is not None:
        zh.append(f"{lo}至{hi}岁")
        en.append(f"ages {lo}–{hi}")
    elif lo is not None:
        zh.append(f"{lo}岁以上")
        en.append(f"ages {lo}+")
    elif hi is not None:
        zh.append(f"{hi}岁以下")
        en.append(f"ages up to {hi}")
    if tier.any_of_statuses:
        zh.append(statuses_zh(list(tier.any_of_statuses)))
        en.append(statuses_en(list(tier.any_of_statuses)))
    if not zh:
        return "所有人", "everyone"
    return "".join(zh), " with ".join(en)


def _tier_applies(tier: Subsidy, person: Person, on: dt.date) -> bool | list[Missing]:
    """True / False, or the facts whose absence leaves it open."""
    missing: list[Missing] = []
    if tier.min_age is not None or tier.max_age is not None:
        age = age_on(person, on)
        if age is None:
            missing.append("age")
        elif (tier.min_age is not None and age < tier.min_age) or (
            tier.max_age is not None and age > tier.max_age
        ):
            return False
    if tier.any_of_statuses:
        held = statuses_held(person, list(tier.any_of_statuses), on)
        if held is None:
            missing.append("statuses")
        elif not held:
            return False
    return missing or True


def price_for(
    prices: list[Price], service: ServiceCode, person: Person, on: dt.date
) -> Quote | None:
    """The first listed price for `service` (None if the facility lists none) as this person
    would pay it on `on`."""
    price = next((p for p in prices if p.service == service), None)
    if price is None:
        return None
    best: Subsidy | None = None
    open_tiers: list[tuple[Subsidy, list[Missing]]] = []
    for tier in price.subsidies:
        verdict = _tier_applies(tier, person, on)
        if verdict is True:
            if best is None or tier.amount_cny > best.amount_cny:
                best = tier
        elif verdict is not False:
            open_tiers.append((tier, verdict))
    subsidy = best.amount_cny if best is not None else 0.0
    payable = round(max(0.0, price.price_cny - subsidy), 2)
    # Only a tier larger than the one paid could lower the price; ask only for what it needs.
    missing: list[Missing] = []
    for tier, needs in open_tiers:
        if tier.amount_cny > subsidy and payable > 0:
            missing.extend(m for m in needs if m not in missing)
    reason = _explain(price, best, payable, missing)
    return Quote(
        service=price.service,
        unit=price.unit,
        base_cny=price.price_cny,
        subsidy_cny=round(min(subsidy, price.price_cny), 2),
        payable_cny=payable,
        subsidy_label=best.label if best is not None else None,
        may_be_lower=bool(missing),
        missing=missing,
        reason=reason,
    )


def _explain(price: Price, best: Subsidy | None, payable: float, missing: list[Missing]) -> Reason:
    unit_zh, unit_en = _UNIT[price.unit]
    base = money(price.price_cny)
    zh = f"{unit_zh}{base}元"
    en = f"¥{base} {unit_en}"
    if best is None:
        zh += "，没有适用的补贴"
        en += "; no subsidy applies"
        code = "price.no_subsidy"
    else:
        who_zh, who_en = tier_text(best)
        zh += f"，享受{who_zh}补贴{money(best.amount_cny)}元，自付{money(payable)}元"
        en += f"; the subsidy for {who_en} of ¥{money(best.amount_cny)} applies"
        en += f", so you pay ¥{money(payable)}"
        code = "price.subsidised"
    if missing:
        facts_zh = "和".join({"age": "年龄", "statuses": "身份信息"}[m] for m in missing)
        facts_en = " and ".join({"age": "the age", "statuses": "the status"}[m] for m in missing)
        zh += f"；提供{facts_zh}后价格可能更低"
        verb = "are" if len(missing) > 1 else "is"
        en += f"; the price may be lower once {facts_en} {verb} known"
    return Reason(code=code, zh=zh, en=en)
