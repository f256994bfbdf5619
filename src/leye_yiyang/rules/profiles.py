"""Who is asking: the facts about a person that eligibility and prices are checked against.

The caller fills in what it knows; anything left out is an unknown fact, never a "no".
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from leye_yiyang.vocab import PersonStatus


class Person(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A resident (an elder, or a child for childcare).

    `birth_date` wins over `age` when both are given: it is exact on any day. For a child only
    the birth date gives the age in months. `statuses` is None when nobody has asked; an empty
    list means the person holds none. `residence_area_codes` is the person's community and all its
    ancestors, filled in by the caller from the area tree, so a rule naming a subdistrict matches
    a community in it without this module knowing the tree.
    """

    birth_date: dt.date | None = None
    age: Annotated[int, Meta(ge=0, le=130)] | None = None
    statuses: list[PersonStatus] | None = None
    residence_area_codes: list[str] = []


ADVANCED_AGE_YEARS = 80


def age_on(person: Person, day: dt.date) -> int | None:
    """Completed years on `day`; None when unknown (or the birth date is after `day`)."""
    if person.birth_date is not None:
        b = person.birth_date
        if b > day:
            return None
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
    return person.age


def age_months_on(person: Person, day: dt.date) -> int | None:
    """Completed months on `day`; None without a birth date (years are too coarse for the
    托育 bands)."""
    b = person.birth_date
    if b is None or b > day:
        return None
    months = (day.year - b.year) * 12 + (day.month - b.month)
    # Born on the 31st: the month is complete on the last day of a shorter month.
    month_end = calendar.monthrange(day.year, day.month)[1]
    if day.day < b.day and day.day != month_end:
        months -= 1
    return months


def statuses_held(
    person: Person, required: list[PersonStatus], day: dt.date
) -> list[PersonStatus] | None:
    """Which of `required` the person holds on `day`: a non-empty list settles "yes", an empty list
    "no", None "cannot tell".

    高龄 is a fact of age, so 80+ holds it even when nobody recorded it; and while the age is
    unknown a recorded list without 高龄 cannot rule it out.
    """
    age = age_on(person, day)
    listed = set(person.statuses or [])
    if age is not None and age >= ADVANCED_AGE_YEARS:
        listed.add(PersonStatus.ADVANCED_AGE)
    held = [s for s in required if s in listed]
    if held:
        return held
    age_could_settle = PersonStatus.ADVANCED_AGE in required and age is None
    if person.statuses is None or age_could_settle:
        return None
    return []
