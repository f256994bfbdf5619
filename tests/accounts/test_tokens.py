"""Bearer tokens: high-entropy, stored as a hash only, refused when missing, malformed,
unknown, expired or revoked (accounts/tokens.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from leye_yiyang.accounts import schemas as s
from leye_yiyang.accounts import service, tokens
from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from leye_yiyang.errors import Unauthenticated
from leye_yiyang.models import AccessToken


def test_a_token_carries_256_random_bits_and_is_stored_only_as_its_hash(edit_db: Database) -> None:
    with edit_db.transaction() as session:
        rec = s.AccountIn(name="卫健委", role=Role.HEALTH)
        issued = service.create_account(session, rec, service.now())
        stored = session.scalars(select(AccessToken.token_hash)).all()
    assert len(issued.token) == len(tokens.PREFIX) + 43  # 32 bytes, base64url
    assert issued.token not in stored
    assert tokens.hash_token(issued.token) in stored


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "token_missing"),
        ("", "token_missing"),
        ("Bearer", "token_malformed"),
        ("Token lyy_x", "token_malformed"),
        ("Bearer lyy_short", "token_malformed"),
    ],
)
def test_a_header_without_a_well_formed_bearer_token_is_refused(
    header: str | None, code: str
) -> None:
    with pytest.raises(Unauthenticated) as caught:
        tokens.bearer(header)
    assert caught.value.code == code


def test_an_expired_token_is_refused_and_a_fresh_one_is_accepted(edit_db: Database) -> None:
    at = service.now()
    with edit_db.transaction() as session:
        rec = s.AccountIn(name="人社局", role=Role.HRSS, days=1)
        old = service.create_account(session, rec, at - dt.timedelta(days=2)).token
        fresh = service.create_account(session, rec, at).token
    with edit_db.transaction() as session, pytest.raises(Unauthenticated) as caught:
        tokens.authenticate(session, f"Bearer {old}", at)
    assert caught.value.code == "token_expired"
    with edit_db.transaction() as session:
        who = tokens.authenticate(session, f"Bearer {fresh}", at)
    assert who.role is Role.HRSS


def test_a_revoked_token_is_refused(edit_db: Database) -> None:
    at = service.now()
    with edit_db.transaction() as session:
        issued = service.create_account(
            session, s.AccountIn(name="民政局", role=Role.CIVIL_AFFAIRS), at
        )
        service.revoke_token(session, issued.token_id, at)
    with edit_db.transaction() as session, pytest.raises(Unauthenticated) as caught:
        tokens.authenticate(session, f"Bearer {issued.token}", at)
    assert caught.value.code == "token_invalid"


def test_use_is_recorded_as_last_used(edit_db: Database) -> None:
    at = service.now()
    with edit_db.transaction() as session:
        issued = service.create_account(
            session, s.AccountIn(name="区管理员", role=Role.DISTRICT_ADMIN), at
        )
    with edit_db.transaction() as session:
        tokens.authenticate(session, f"Bearer {issued.token}", at)
    with edit_db.sessions() as session:
        row = session.get(AccessToken, issued.token_id)
        assert row is not None
        assert row.last_used_at == at
