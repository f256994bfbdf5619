"""What every edit does, whatever the record: authorise, check If-Match, record each field's old
and new value, stamp the directory version. Framework-free; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, TypeVar

import msgspec
from sqlalchemy import update
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Action, Principal, RecordType, Target, write_denial
from leye_yiyang.db import after_commit, bump_directory_version
from leye_yiyang.directory.service import record_etag
from leye_yiyang.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
)
from leye_yiyang.models import Change, DirectoryState

log = logging.getLogger("leye_yiyang.editing")


class Channel(StrEnum):
    API = "api"
    IMPORT = "import"
    CLI = "cli"


class Edit:
    """Who is editing, through which channel, at what time, and what to run once it is committed:
    the in-process snapshot refresh, so the next read sees the change (called with True when
    the job catalogue must be fresh too). A plain class: litestar would convert a Struct
    dependency field by field."""

    __slots__ = ("at", "channel", "on_commit", "who")

    def __init__(
        self,
        who: Principal,
        channel: Channel,
        at: dt.datetime,
        on_commit: Callable[[bool], None] | None = None,
    ) -> None:
        self.who = who
        self.channel = channel
        self.at = at
        self.on_commit = on_commit


def etag(record_type: RecordType, record_id: int, version: int) -> str:
    return record_etag(record_type.value, record_id, version)


def require_version(
    if_match: str | None, record_type: RecordType, record_id: int, current: int
) -> None:
    """RFC 9110 §13.1.1: the update applies only if one of the listed tags is current."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "修改须带上 If-Match（读取时得到的 ETag），以免覆盖他人的修改",
            "This update needs If-Match with the ETag you read, so nobody's edit is overwritten",
            extra={
                "current_version": current,
                "current_etag": etag(record_type, record_id, current),
            },
        )
    wanted = etag(record_type, record_id, current)
    for raw in if_match.split(","):
        tag = raw.strip()
        # Strong comparison: a weak tag never matches (§13.1.1); "*" is no version at all.
        if tag == wanted:
            return
    failed = PreconditionFailed(
        f"记录已被修改：当前版本为 {current}，请重新读取后再改",
        f"The record has changed: the current version is {current}; read it again and retry",
        extra={"current_version": current, "current_etag": wanted},
    )
    failed.headers["ETag"] = wanted
    raise failed


def authorise(edit: Edit, action: Action, target: Target, fields: Iterable[str] = ()) -> None:
    denial = write_denial(edit.who, action, target, fields)
    if denial is not None:
        raise Forbidden(denial.zh, denial.en, code=denial.code, field=denial.field)


def begin_write(session: Session) -> None:
    """Take SQLite's write lock before reading what we change. A deferred SQLite transaction
    that reads, lets another writer commit, then writes fails with SQLITE_BUSY_SNAPSHOT;
    writing first makes it wait its turn (busy_timeout) on a fresh snapshot. PostgreSQL
    needs nothing: the version column refuses a lost update there."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(
            update(DirectoryState).where(DirectoryState.id == 1).values(id=DirectoryState.id)
        )


def plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), after.get(k)]
        for k in after.keys() | before.keys()
        if before.get(k) != after.get(k)
    }


def change_row(
    *,
    at: dt.datetime,
    account_id: int | None,
    channel: str,
    record_type: str,
    record_id: int,
    action: str,
    version: int,
    fields: dict[str, list[Any]],
) -> dict[str, Any]:
    """One history row's values, as the editing API, the import and the CLI all write them."""
    return {
        "at": at,
        "account_id": account_id,
        "channel": channel,
        "record_type": record_type,
        "record_id": record_id,
        "action": action,
        "version": version,
        "fields": dict(sorted(fields.items())),
    }


def record(
    session: Session,
    edit: Edit,
    action: Action,
    record_type: RecordType,
    record_id: int,
    version: int,
    fields: dict[str, list[Any]],
) -> None:
    """One history row, and the directory stamp that makes every process re-read it."""
    log.info(
        "%s %s %s v%s by account %s via %s",
        action.value,
        record_type.value,
        record_id,
        version,
        edit.who.account_id,
        edit.channel.value,
    )
    session.add(
        Change(
            **change_row(
                at=edit.at,
                account_id=edit.who.account_id,
                channel=edit.channel.value,
                record_type=record_type.value,
                record_id=record_id,
                action=action.value,
                version=version,
                fields=fields,
            )
        )
    )
    bump_directory_version(session)
    if edit.on_commit is not None:
        jobs = record_type is not RecordType.FACILITY
        after_commit(session, functools.partial(edit.on_commit, jobs))


def fix_field(exc: DomainError) -> DomainError:
    """The shared record checks name fields as `<where>.<field>`; an API body has no prefix."""
    if exc.field is not None and exc.field.startswith("."):
        exc.field = exc.field[1:]
    return exc


T = TypeVar("T")


def convert(values: dict[str, Any], kind: type[T]) -> T:
    """A stored record with the sent fields merged in, as its checked type; a combination the
    type refuses is a 400 naming the field, not a 500."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = message.rsplit("at `$.", 1)[1].rstrip("`") if "at `$." in message else None
        raise InvalidInput(
            f"修改后的记录无效：{message}",
            f"The record would be invalid: {message}",
            code="invalid_record",
            field=field,
        ) from None
