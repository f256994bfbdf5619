"""Pure rules behind referrals: working-day deadlines on the national calendar, the lifecycle,
sealing and masking."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from leye_yiyang.caseload.protect import Keyring, ProtectionError, mask_id_number, mask_phone
from leye_yiyang.rules.referral_states import FHIR_STATUS, Move, State, next_moves, target
from leye_yiyang.rules.workdays import TZ, add_working_days, is_working_day

KEY_A = base64.urlsafe_b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()
LOOKUP = base64.urlsafe_b64encode(b"l" * 32).decode()


def test_three_working_days_from_a_friday_end_on_wednesday() -> None:
    friday = dt.datetime(2026, 11, 27, 15, 30, tzinfo=TZ)
    assert add_working_days(friday, 3) == dt.datetime(2026, 12, 2, 15, 30, tzinfo=TZ)


def test_the_national_day_holiday_does_not_count_and_a_make_up_saturday_does() -> None:
    # 2026: 1–7 October off (国庆/中秋), Saturday 10 October a make-up working day (调休),
    # per the State Council's notice as chinese-calendar carries it.
    assert not is_working_day(dt.date(2026, 10, 5))
    assert is_working_day(dt.date(2026, 10, 10))
    before = dt.datetime(2026, 9, 30, 10, 0, tzinfo=TZ)
    assert add_working_days(before, 2) == dt.datetime(2026, 10, 9, 10, 0, tzinfo=TZ)


def test_every_state_maps_to_a_fhir_task_status() -> None:
    assert set(FHIR_STATUS) == set(State)
    assert FHIR_STATUS[State.DECLINED] == "rejected"


def test_only_the_lifecycle_moves_are_allowed() -> None:
    assert target(State.DRAFT, Move.SEND) is State.SENT
    assert target(State.DRAFT, Move.ACCEPT) is None
    assert target(State.ON_HOLD, Move.RESUME) is State.IN_SERVICE
    assert next_moves(State.SENT) == [Move.CANCEL, Move.ACCEPT, Move.DECLINE]
    assert next_moves(State.COMPLETED) == []


def test_a_sealed_value_opens_under_its_own_key_after_rotation() -> None:
    old = Keyring(f"k1:{KEY_A}", LOOKUP)
    sealed = old.seal("32090219450715002X", "resident.id_number")
    assert sealed.startswith("v1.k1.")
    rotated = Keyring(f"k2:{KEY_B},k1:{KEY_A}", LOOKUP)
    assert rotated.open(sealed, "resident.id_number") == "32090219450715002X"
    assert rotated.seal("x", "c").startswith("v1.k2.")
    assert rotated.lookup_hash("32090219450715002x") == old.lookup_hash("32090219450715002X")


def test_a_sealed_value_refuses_another_column_or_a_changed_byte() -> None:
    keys = Keyring(f"k1:{KEY_A}", LOOKUP)
    sealed = keys.seal("13851234567", "resident.phone")
    with pytest.raises(ProtectionError):
        keys.open(sealed, "resident.id_number")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(ProtectionError):
        keys.open(tampered, "resident.phone")


@pytest.mark.parametrize(
    ("setting", "message"),
    [("", "no key"), ("k1", "<key id>:"), (f"k1:{KEY_A[:-8]}", "32 bytes"), ("k1:%%%", "base64")],
)
def test_a_malformed_key_setting_is_refused(setting: str, message: str) -> None:
    with pytest.raises(ProtectionError, match=message):
        Keyring(setting, LOOKUP)


def test_masks_keep_only_what_identifies_nobody() -> None:
    assert mask_id_number("32090219450715002X") == "320902**********2X"
    assert mask_phone("13851234567") == "138****4567"
    assert mask_phone("0515-88886666") == "0515-****6666"
