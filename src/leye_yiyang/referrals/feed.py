"""The live feed of referral events for a facility, a worker or human resources, as Server-Sent
Events: each event's id is its row id, so a client that reconnects with `Last-Event-ID` is sent
what it missed and nothing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import anyio
import anyio.to_thread
import msgspec
from sqlalchemy import ColumnElement, select

from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.db import Database
from leye_yiyang.errors import Forbidden
from leye_yiyang.models_casework import ReferralEvent
from leye_yiyang.referrals.views import event_out

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0


def _scope(who: Principal) -> list[ColumnElement[bool]]:
    if who.role is Role.SOCIAL_WORKER:
        return [ReferralEvent.worker_account_id == who.account_id]
    if who.role is Role.PROVIDER_STAFF and who.facility_id is not None:
        return [
            ReferralEvent.facility_id == who.facility_id,
            ReferralEvent.target_type == "facility",
            ReferralEvent.to_state != "draft",
        ]
    if who.role is Role.HRSS:
        return [
            ReferralEvent.target_type.in_(("vacancy", "course")),
            ReferralEvent.to_state != "draft",
        ]
    raise Forbidden(
        "该账号没有转介动态", "This account has no referral feed", code="role_forbidden"
    )


def check(who: Principal) -> None:
    _scope(who)


def fetch(db: Database, who: Principal, after: int, limit: int = 200) -> list[ReferralEvent]:
    with db.transaction() as session:
        return list(
            session.scalars(
                select(ReferralEvent)
                .where(*_scope(who), ReferralEvent.id > after)
                .order_by(ReferralEvent.id)
                .limit(limit)
            )
        )


async def stream(
    db: Database, who: Principal, after: int, seconds: float
) -> AsyncIterator[tuple[int | None, str]]:
    """(event id, JSON) for each event after `after` as it happens, and (None, a timestamp) as
    a keep-alive comment, for `seconds` (then the client reconnects with Last-Event-ID, as
    EventSource does on its own)."""
    deadline = anyio.current_time() + seconds
    quiet_since = anyio.current_time()
    while True:
        events = await anyio.to_thread.run_sync(fetch, db, who, after)
        for e in events:
            after = e.id
            quiet_since = anyio.current_time()
            yield e.id, msgspec.json.encode(event_out(e)).decode()
        if anyio.current_time() >= deadline:
            return
        if not events:
            if anyio.current_time() - quiet_since >= KEEPALIVE_SECONDS:
                # Proxies close idle streams; a comment line keeps this one open.
                quiet_since = anyio.current_time()
                yield None, dt.datetime.now(dt.UTC).isoformat()
            await anyio.sleep(POLL_SECONDS)
