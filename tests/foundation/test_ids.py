"""National identifiers are checked by their check characters (GB 11643, GB 32100)."""

from __future__ import annotations

import pytest

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
