"""A person's age is counted in completed years (or months for a child) on the day asked about."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from leye_yiyang.rules.profiles import Person, age_months_on, age_on, statuses_held
from leye_yiyang.vocab import PersonStatus

D = dt.date


def test_a_birthday_completes_the_year_on_the_day_itself() -> None:
    p = Person(birth_date=D(1944, 3, 15))
    assert age_on(p, D(2026, 3, 14)) == 81
    assert age_on(p, D(2026, 3, 15)) == 82


def test_born_on_29_february_turns_a_year_older_on_1_march_in_common_years() -> None:
    p = Person(birth_date=D(1948, 2, 29))
    assert age_on(p, D(2026, 2, 28)) == 77
    assert age_on(p, D(2026, 3, 1)) == 78


def test_a_stated_age_is_used_when_there_is_no_birth_date() -> None:
    assert age_on(Person(age=72), D(2026, 1, 1)) == 72


def test_the_birth_date_wins_over_a_stated_age() -> None:
    assert age_on(Person(birth_date=D(1950, 1, 1), age=70), D(2026, 6, 1)) == 76


def test_nothing_known_or_a_birth_date_in_the_future_gives_no_age() -> None:
    assert age_on(Person(), D(2026, 1, 1)) is None
    assert age_on(Person(birth_date=D(2027, 1, 1)), D(2026, 1, 1)) is None
    assert age_months_on(Person(birth_date=D(2027, 1, 1)), D(2026, 1, 1)) is None


def test_months_are_completed_months() -> None:
    child = Person(birth_date=D(2024, 5, 10))
    assert age_months_on(child, D(2026, 5, 9)) == 23
    assert age_months_on(child, D(2026, 5, 10)) == 24


def test_a_month_born_on_the_31st_is_complete_at_the_end_of_a_shorter_month() -> None:
    child = Person(birth_date=D(2024, 1, 31))
    assert age_months_on(child, D(2024, 2, 28)) == 0
    assert age_months_on(child, D(2024, 2, 29)) == 1


def test_years_alone_do_not_give_months() -> None:
    assert age_months_on(Person(age=2), D(2026, 1, 1)) is None


def test_80_and_over_holds_advanced_age_even_when_not_recorded() -> None:
    required = [PersonStatus.ADVANCED_AGE]
    assert statuses_held(Person(age=80), required, D(2026, 1, 1)) == required
    assert statuses_held(Person(age=79, statuses=[]), required, D(2026, 1, 1)) == []
    # Recorded statuses cannot rule 高龄 out while the age is unknown.
    assert statuses_held(Person(statuses=[]), required, D(2026, 1, 1)) is None


def test_statuses_never_asked_are_unknown_but_an_empty_list_is_a_no() -> None:
    required = [PersonStatus.DIBAO]
    assert statuses_held(Person(age=70), required, D(2026, 1, 1)) is None
    assert statuses_held(Person(age=70, statuses=[]), required, D(2026, 1, 1)) == []


def test_person_input_is_strict() -> None:
    raw = b'{"birth_date": "1944-03-15", "statuses": ["dibao"], "residence_area_codes": ["x"]}'
    p = msgspec.json.decode(raw, type=Person)
    assert p.statuses == [PersonStatus.DIBAO]
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"age": 70, "sex": "f"}', type=Person)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"age": 131}', type=Person)
