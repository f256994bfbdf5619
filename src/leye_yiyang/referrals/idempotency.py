"""Safe retries (IETF httpapi Idempotency-Key draft): the same key and body give the first
answer again; a different body under the same key is 422; a retry while the first is still
running is 409. Keys are scoped to the account and kept at least 24 hours.

The key is claimed in a transaction of its own, committed at once, so a concurrent retry sees it;
the answer is stored in the request's transaction with the change it describes, so either both
are kept or neither (a failed request gives its key back)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leye_yiyang.db import Database
from leye_yiyang.errors import Conflict, InvalidInput, Unprocessable
from leye_yiyang.models_casework import IdempotencyKey

KEEP = dt.timedelta(hours=24)
_KEY = re.compile(r'^"?[\x21\x23-\x7e]{1,255}"?$')


class Replay:
    __slots__ = ("body", "status")

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body


def parse(header: str | None) -> str | None:
    if header is None:
        return None
    if not _KEY.match(header):
        raise InvalidInput(
            "Idempotency-Key 须为 1 至 255 个可见 ASCII 字符",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
            code="invalid_idempotency_key",
            field="Idempotency-Key",
        )
    return header.strip('"')


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join((method.encode(), path.encode(), body))).hexdigest()


def claim(db: Database, account_id: int, key: str, print_: str, now: dt.datetime) -> Replay | None:
    """None: the caller goes ahead (the key is now running). A Replay: answer that again."""
    with db.write_transaction() as session:
        row = session.get(IdempotencyKey, (account_id, key))
        if row is not None and row.created_at < now - KEEP:
            session.delete(row)
            session.flush()
            row = None
        if row is None:
            session.add(
                IdempotencyKey(
                    account_id=account_id,
                    key=key,
                    fingerprint=print_,
                    state="running",
                    created_at=now,
                )
            )
            try:
                session.flush()
            except IntegrityError:  # claimed a moment ago by a concurrent retry
                raise _running() from None
            return None
        if row.fingerprint != print_:
            raise Unprocessable(
                "同一个 Idempotency-Key 已用于另一个请求",
                "This Idempotency-Key was used for a different request",
                code="idempotency_key_reused",
                field="Idempotency-Key",
            )
        if row.state == "running" or row.body is None or row.status_code is None:
            raise _running()
        return Replay(row.status_code, row.body.encode())


def _running() -> Conflict:
    return Conflict(
        "同一请求仍在处理中，请稍后再试",
        "The first request with this Idempotency-Key is still being processed",
        code="idempotency_in_progress",
        field="Idempotency-Key",
    )


def finish(session: Session, account_id: int, key: str, status: int, body: bytes) -> None:
    row = session.get(IdempotencyKey, (account_id, key))
    if row is not None:
        row.state = "done"
        row.status_code = status
        row.body = body.decode()


def give_back(db: Database, account_id: int, key: str) -> None:
    with db.write_transaction() as session:
        session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.account_id == account_id,
                IdempotencyKey.key == key,
                IdempotencyKey.state == "running",
            )
        )


def purge(session: Session, now: dt.datetime) -> int:
    old = select(IdempotencyKey.key).where(IdempotencyKey.created_at < now - KEEP).limit(1)
    if session.scalar(old) is None:
        return 0
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - KEEP))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def run(
    db: Database,
    account_id: int,
    key: str | None,
    print_: str,
    now: dt.datetime,
    work: Callable[[Session], tuple[int, bytes]],
) -> tuple[int, bytes, bool]:
    """(status, JSON body, replayed): `work` runs in the request's one write transaction, its
    answer stored under the key in that same transaction."""
    if key is not None:
        replay = claim(db, account_id, key, print_, now)
        if replay is not None:
            return replay.status, replay.body, True
    try:
        with db.write_transaction() as session:
            status, body = work(session)
            if key is not None:
                finish(session, account_id, key, status, body)
    except BaseException:
        if key is not None:
            give_back(db, account_id, key)
        raise
    return status, body, False
