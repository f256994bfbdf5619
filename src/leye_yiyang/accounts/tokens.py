"""Bearer tokens: the one place a token is made, hashed and checked.

A token is 256 random bits (`secrets.token_urlsafe(32)`) behind a short prefix, shown once and
stored only as its SHA-256. Tokens are high-entropy, so a fast unsalted hash is enough (no
password stretching needed), and looking one up by its hash reveals nothing about other tokens.
A deployment with single sign-on can replace `authenticate` and keep everything behind it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.errors import Unauthenticated
from leye_yiyang.models import AccessToken, Account

PREFIX = "lyy_"
_SHAPE = re.compile(r"^lyy_[A-Za-z0-9_-]{43}$")
# last_used_at is written at most this often per token: a write per request would make every
# authenticated read a write and serialise them on SQLite.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)
# Compared against when the presented token matches no row, so a miss costs what a hit costs.
_DUMMY_HASH = hashlib.sha256(b"no such token").hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _refuse(code: str, zh: str, en: str) -> Unauthenticated:
    return Unauthenticated(zh, en, code=code)


def bearer(header: str | None) -> str:
    """The token in an `Authorization: Bearer <token>` header."""
    if not header:
        raise _refuse(
            "token_missing", "需要登录：缺少访问令牌", "Authentication required: no token"
        )
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not _SHAPE.match(token):
        raise _refuse("token_malformed", "访问令牌格式无效", "Malformed bearer token")
    return token


def authenticate(session: Session, header: str | None, now: dt.datetime) -> Principal:
    token = bearer(header)
    digest = hash_token(token)
    row = session.execute(
        select(AccessToken, Account)
        .join(Account, Account.id == AccessToken.account_id)
        .where(AccessToken.token_hash == digest)
    ).first()
    stored = row[0].token_hash if row is not None else _DUMMY_HASH
    if row is None or not hmac.compare_digest(stored, digest):
        raise _refuse("token_invalid", "访问令牌无效或已撤销", "Invalid or revoked token")
    access, account = row[0], row[1]
    if access.revoked_at is not None or not account.active:
        raise _refuse("token_invalid", "访问令牌无效或已撤销", "Invalid or revoked token")
    if access.expires_at <= now:
        raise _refuse("token_expired", "访问令牌已过期", "The token has expired")
    if access.last_used_at is None or now - access.last_used_at >= LAST_USED_RESOLUTION:
        access.last_used_at = now
    return Principal(
        account_id=account.id,
        token_id=access.id,
        name=account.name,
        role=Role(account.role),
        area_code=account.area_code,
        organisation=account.organisation,
        facility_id=account.facility_id,
    )


def issue(
    session: Session, account: Account, now: dt.datetime, days: int
) -> tuple[str, AccessToken]:
    """A new token for `account`: the secret (to show once) and its stored row."""
    secret = new_secret()
    row = AccessToken(
        account_id=account.id,
        token_hash=hash_token(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return secret, row
