"""Reading the change history and the freshness of what departments keep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from leye_yiyang.accounts.policy import (
    Action,
    Principal,
    RecordType,
    Role,
    Target,
    may_read_history,
    stale_scope,
)
from leye_yiyang.editing import schemas as s
from leye_yiyang.editing.jobs import load
from leye_yiyang.errors import Forbidden, NotFound
from leye_yiyang.models import Account, Change, Employer, Facility, TrainingCourse, Vacancy
from leye_yiyang.vocab import FacilityKind


def _page(session: Session, stmt: Select[Change, str], limit: int, offset: int) -> s.ChangePage:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.execute(stmt.order_by(Change.id.desc()).limit(limit).offset(offset))
    return s.ChangePage(
        total=int(total),
        limit=limit,
        offset=offset,
        items=[
            s.ChangeOut(
                id=c.id,
                at=c.at,
                account_id=c.account_id,
                account_name=name,
                channel=c.channel,
                record_type=RecordType(c.record_type),
                record_id=c.record_id,
                action=Action(c.action),
                version=c.version,
                fields=c.fields,
            )
            for c, name in rows
        ],
    )


def _changes() -> Select[Change, str]:
    return select(Change, Account.name).outerjoin(Account, Account.id == Change.account_id)


def record_history(
    session: Session, who: Principal, kind: RecordType, record_id: int, limit: int, offset: int
) -> s.ChangePage:
    if kind is RecordType.FACILITY:
        f = session.get(Facility, record_id)
        if f is None:
            raise NotFound(
                f"没有编号为 {record_id} 的服务设施",
                f"No facility with id {record_id}",
                code="facility_not_found",
            )
        target = Target(type=kind, kinds=(FacilityKind(f.kind),), facility_id=f.id)
    else:
        load(session, kind, record_id)
        target = Target(type=kind)
    if not may_read_history(who, target):
        raise Forbidden(
            "无权查看该记录的修改历史",
            "This account may not read the history of this record",
            code="not_your_record",
        )
    stmt = _changes().where(Change.record_type == kind.value, Change.record_id == record_id)
    return _page(session, stmt, limit, offset)


def all_changes(
    session: Session,
    who: Principal,
    account_id: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
) -> s.ChangePage:
    if who.role is not Role.DISTRICT_ADMIN:
        raise Forbidden(
            "只有区级管理员可以查看全部修改记录",
            "Only the district administrator may list all changes",
            code="admin_only",
        )
    stmt = _changes()
    if account_id is not None:
        stmt = stmt.where(Change.account_id == account_id)
    if since is not None:
        stmt = stmt.where(Change.at >= since)
    if until is not None:
        stmt = stmt.where(Change.at < until)
    return _page(session, stmt, limit, offset)


_JOB_MODELS: dict[RecordType, Any] = {
    RecordType.EMPLOYER: (Employer, Employer.name),
    RecordType.VACANCY: (Vacancy, Vacancy.title),
    RecordType.COURSE: (TrainingCourse, TrainingCourse.title),
}


def stale(
    session: Session, who: Principal, days: int, now: dt.datetime, limit: int, offset: int
) -> s.StaleReport:
    """The caller's department's records nobody has confirmed for `days` days (or ever),
    oldest first; closed records are not listed."""
    kinds, types = stale_scope(who.role)
    if not kinds and not types:
        raise Forbidden(
            "该角色不负责核实服务目录",
            "This role keeps no part of the directory",
            code="role_not_allowed",
        )
    cutoff = now - dt.timedelta(days=days)
    found: list[s.StaleItem] = []
    counts: dict[str, int] = {}
    if kinds:
        rows = session.execute(
            select(Facility.id, Facility.name, Facility.kind, Facility.verified_at).where(
                Facility.kind.in_([k.value for k in kinds]),
                Facility.status != "closed",
                or_(Facility.verified_at.is_(None), Facility.verified_at < cutoff),
            )
        )
        for fid, name, kind, at in rows:
            found.append(_item(RecordType.FACILITY, fid, name, kind, at, now))
            counts[kind] = counts.get(kind, 0) + 1
    for rtype in sorted(types):
        model, name_col = _JOB_MODELS[rtype]
        job_rows = session.execute(
            select(model.id, name_col, model.verified_at).where(
                model.status != "closed",
                or_(model.verified_at.is_(None), model.verified_at < cutoff),
            )
        )
        for rid, name, at in job_rows:
            found.append(_item(rtype, rid, name, None, at, now))
            counts[rtype.value] = counts.get(rtype.value, 0) + 1
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    found.sort(key=lambda i: (i.verified_at or epoch, i.record_type.value, i.id))
    return s.StaleReport(
        days=days,
        as_of=now,
        counts=dict(sorted(counts.items())),
        total=len(found),
        limit=limit,
        offset=offset,
        items=found[offset : offset + limit],
    )


def _item(
    rtype: RecordType,
    rid: int,
    name: str,
    kind: str | None,
    at: dt.datetime | None,
    now: dt.datetime,
) -> s.StaleItem:
    return s.StaleItem(
        record_type=rtype,
        id=rid,
        name=name,
        kind=kind,
        verified_at=at,
        days_since=None if at is None else (now - at).days,
    )
