"""Edge types of accounts and tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from leye_yiyang.accounts.policy import Role
from leye_yiyang.values import RecordId

Days = Annotated[int, Meta(ge=1, le=3650, description="days until the token expires")]


class AccountIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Role
    area_code: Annotated[str, Meta(max_length=20)] | None = None  # social_worker: subdistrict/town
    organisation: Annotated[str, Meta(max_length=200)] | None = None  # social_worker
    facility_id: RecordId | None = None  # provider_staff
    days: Days = 90


class TokenIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    days: Days = 90


class TokenOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    account_id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class AccountOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    role: Role
    area_code: str | None
    organisation: str | None
    facility_id: int | None
    active: bool
    created_at: dt.datetime
    tokens: list[TokenOut]


class IssuedToken(msgspec.Struct, frozen=True, kw_only=True):
    """The secret is in this answer only; it is stored as a hash and cannot be shown again."""

    token: str
    token_id: int
    expires_at: dt.datetime
    account: AccountOut


class AccountList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AccountOut]


class Me(msgspec.Struct, frozen=True, kw_only=True):
    account_id: int
    token_id: int
    name: str
    role: Role
    area_code: str | None
    organisation: str | None
    facility_id: int | None
