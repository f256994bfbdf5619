"""How a meal must reach the person: asked for, implied by being housebound, or preferred for 失能."""

from __future__ import annotations

import pytest

from leye_yiyang.rules.delivery import Delivery, meal_delivery
from leye_yiyang.rules.profiles import Person
from leye_yiyang.vocab import PersonStatus as P


@pytest.mark.parametrize(
    ("statuses", "asked", "expected"),
    [
        (None, False, Delivery.ANY),
        ([], False, Delivery.ANY),
        ([P.LIVING_ALONE], False, Delivery.ANY),
        (None, True, Delivery.REQUIRED),
        ([P.HOUSEBOUND], False, Delivery.REQUIRED),
        ([P.HOUSEBOUND, P.DISABLED_ADL], False, Delivery.REQUIRED),
        ([P.DISABLED_ADL], False, Delivery.PREFERRED),
        ([P.DISABLED_ADL], True, Delivery.REQUIRED),
    ],
)
def test_how_a_meal_must_reach_the_person(
    statuses: list[P] | None, asked: bool, expected: Delivery
) -> None:
    assert meal_delivery(Person(age=80, statuses=statuses), asked) is expected
