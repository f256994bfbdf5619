"""The append-only audit of casework: every change and every reveal, who and when, with the
before and after of what changed but never an identifier in the clear (masks only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.caseload import schemas as s
from leye_yiyang.errors import Forbidden
from leye_yiyang.models_casework import AuditEvent


def record(
    session: Session,
    at: dt.datetime,
    account_id: int | None,
    action: str,
    *,
    resident_id: int | None = None,
    referral_id: int | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            account_id=account_id,
            action=action,
            resident_id=resident_id,
            referral_id=referral_id,
            detail=detail,
        )
    )


def page(
    session: Session,
    who: Principal,
    *,
    resident_id: int | None,
    account_id: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
) -> s.AuditPage:
    if who.role is not Role.DISTRICT_ADMIN:
        raise Forbidden(
            "只有区管理员可以查看审计记录",
            "Only the district administrator reads the audit",
            code="role_forbidden",
        )
    where = []
    if resident_id is not None:
        where.append(AuditEvent.resident_id == resident_id)
    if account_id is not None:
        where.append(AuditEvent.account_id == account_id)
    if since is not None:
        where.append(AuditEvent.at >= since)
    if until is not None:
        where.append(AuditEvent.at < until)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.scalars(
        select(AuditEvent).where(*where).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    )
    return s.AuditPage(
        total=total,
        items=[
            s.AuditOut(
                id=r.id,
                at=r.at,
                account_id=r.account_id,
                action=r.action,
                resident_id=r.resident_id,
                referral_id=r.referral_id,
                detail=dict(r.detail),
            )
            for r in rows
        ],
    )
