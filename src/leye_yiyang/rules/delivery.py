"""How a meal must reach the person: eaten in the hall, or brought home (送餐上门).

A person who cannot go out (卧床或不能出门), or a need that says "delivered", must have the meal
brought home: a hall that only serves in the hall is of no use, however near. A 失能 elder may
still get to a hall with help, so halls that deliver come first but the others are not ruled out.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from leye_yiyang.rules.pricing import price_for
from leye_yiyang.rules.profiles import Person
from leye_yiyang.rules.reasons import Reason, money
from leye_yiyang.values import Price
from leye_yiyang.vocab import PersonStatus, ServiceCode


class Delivery(IntEnum):
    ANY = 0  # in the hall or delivered, whichever is nearer
    PREFERRED = 1  # halls that deliver before halls that do not
    REQUIRED = 2  # only halls that deliver


def meal_delivery(person: Person, asked_delivered: bool) -> Delivery:
    held = set(person.statuses or [])
    if asked_delivered or PersonStatus.HOUSEBOUND in held:
        return Delivery.REQUIRED
    if PersonStatus.DISABLED_ADL in held:
        return Delivery.PREFERRED
    return Delivery.ANY


NOT_DELIVERED = Reason(
    code="delivery.none",
    zh="不提供送餐上门，只能到堂就餐",
    en="Does not deliver meals: they are served in the hall only",
)


def delivered_text(distance_m: float) -> tuple[str, str]:
    """The summary's travel part when the meal comes to the person, not the person to the hall."""
    d = f"{distance_m / 1000:.1f}公里" if distance_m >= 1000 else f"{round(distance_m)}米"
    d_en = f"{distance_m / 1000:.1f} km" if distance_m >= 1000 else f"{round(distance_m)} m"
    return f"送餐上门（食堂距家{d}）", f"delivered to the door (the hall is {d_en} away)"


def delivery_fee_text(prices: list[Price], person: Person, on: dt.date) -> tuple[str, str] | None:
    """The delivery fee on top of the meal (a separate price, often waived for 失能 elders)."""
    fee = price_for(prices, ServiceCode.HOME_DELIVERY, person, on)
    if fee is None:
        return None
    if fee.payable_cny == 0:
        return "免送餐费", "no delivery fee"
    return f"送餐费自付{money(fee.payable_cny)}元", f"delivery fee ¥{money(fee.payable_cny)}"
