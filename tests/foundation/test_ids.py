"""National identifiers are checked by their check characters (GB 11643, GB 32100)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leye_yiyang.ids import (
    birth_date_from_id,
    id_check_char,
    id_number_problem,
    uscc_check_char,
    uscc_problem,
)


def test_a_valid_resident_id_number_passes_and_yields_its_birth_date() -> None:
    assert id_number_problem("11010519491231002X") is None
    assert birth_date_from_id("11010519491231002X").isoformat() == "1949-12-31"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("110105194912310021", "checksum"),
        ("11010519491231002", "length"),
        ("1101051949123100AX", "characters"),
        ("110105194902300020", "birth_date"),
    ],
)
def test_an_invalid_resident_id_number_says_what_is_wrong(value: str, problem: str) -> None:
    assert id_number_problem(value) == problem


def test_the_id_check_character_can_be_x() -> None:
    assert id_check_char("11010519491231002") == "X"


def test_a_valid_unified_social_credit_code_passes() -> None:
    assert uscc_problem("91350100M000100Y43") is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("91350100M000100Y44", "checksum"),
        ("91350100M000100Y4", "length"),
        ("91350100I000100Y43", "characters"),  # I, O, Z, S, V are not in the alphabet
    ],
)
def test_an_invalid_unified_social_credit_code_says_what_is_wrong(value: str, problem: str) -> None:
    assert uscc_problem(value) == problem


def test_the_uscc_check_character_is_computed_mod_31() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "value",
    [
        "１１０１０５１９４９１２３１００２X",  # full-width digits: str.isdigit says yes
        "1101051949123100²X",  # a superscript two: int() would raise
        "11010519491231002X\u3000",  # an ideographic space is not trimmed, it is refused
    ],
)
def test_a_resident_id_number_with_non_ascii_digits_is_refused_for_its_characters(
    value: str,
) -> None:
    assert id_number_problem(value) == "characters"


@pytest.mark.parametrize(
    "value",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # the valid code above, full-width
        "91350100M000100Y4³",
        "91350100M000100Yﬀ",  # upper-cases to "FF", two characters, and would reach 18
    ],
)
def test_a_credit_code_with_non_ascii_characters_is_refused_for_its_characters(value: str) -> None:
    assert uscc_problem(value) == "characters"


# Splice at least one non-ASCII character into an otherwise valid identifier, anywhere.
NON_ASCII = st.characters(min_codepoint=0x80)


@given(st.data())
def test_any_resident_id_number_holding_a_non_ascii_character_is_refused(
    data: st.DataObject,
) -> None:
    valid = "11010519491231002X"
    at = data.draw(st.integers(0, len(valid)))
    cut = data.draw(st.integers(0, 1))
    value = valid[:at] + data.draw(st.text(NON_ASCII, min_size=1, max_size=3)) + valid[at + cut :]
    assert id_number_problem(value) == "characters"


@given(st.data())
def test_any_credit_code_holding_a_non_ascii_character_is_refused(data: st.DataObject) -> None:
    valid = "91350100M000100Y43"
    at = data.draw(st.integers(0, len(valid)))
    cut = data.draw(st.integers(0, 1))
    value = valid[:at] + data.draw(st.text(NON_ASCII, min_size=1, max_size=3)) + valid[at + cut :]
    assert uscc_problem(value) == "characters"


@given(st.text(max_size=30))
def test_no_text_at_all_makes_the_checks_raise(value: str) -> None:
    assert id_number_problem(value) in {None, "length", "characters", "birth_date", "checksum"}
    assert uscc_problem(value) in {None, "length", "characters", "checksum"}
