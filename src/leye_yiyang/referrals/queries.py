"""Following referrals up: a caller's referrals and incoming queue, what is overdue, a worker's
caseload summary, and the on-time report for departments and the district (as the 12345
hotline is judged: the share answered and closed within the deadline)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import FACILITY_KINDS, Principal, Role
from leye_yiyang.caseload.service import caseload_key
from leye_yiyang.errors import Forbidden, InvalidInput
from leye_yiyang.models import Area, Facility
from leye_yiyang.models_casework import Referral
from leye_yiyang.referrals import schemas as s
from leye_yiyang.referrals.service import visible_side
from leye_yiyang.referrals.views import referral_out
from leye_yiyang.rules.referral_states import CLOSED, State
from leye_yiyang.rules.workdays import TZ

_CLOSED = [x.value for x in CLOSED]


def scope(who: Principal) -> list[ColumnElement[bool]]:
    """The referrals a caller may list: their organisation's, their facility's incoming, or
    (human resources) the vacancy and course referrals; never another's drafts."""
    if (org := caseload_key(who)) is not None:
        return [Referral.organisation == org]
    if who.role is Role.PROVIDER_STAFF and who.facility_id is not None:
        return [
            Referral.target_type == "facility",
            Referral.facility_id == who.facility_id,
            Referral.state != State.DRAFT.value,
        ]
    if who.role is Role.HRSS:
        return [Referral.target_type.in_(("vacancy", "course")), Referral.state != "draft"]
    raise Forbidden(
        "该账号没有转介可看", "This account has no referrals to follow", code="role_forbidden"
    )


def listing(
    session: Session,
    who: Principal,
    now: dt.datetime,
    *,
    state: State | None,
    overdue: bool,
    limit: int,
    offset: int,
    resident_id: int | None = None,
) -> s.ReferralPage:
    where = scope(who)
    if resident_id is not None:
        where.append(Referral.resident_id == resident_id)
    if state is not None:
        where.append(Referral.state == state.value)
    if overdue:
        where.append(_overdue(now))
    total = session.scalar(select(func.count()).select_from(Referral).where(*where)) or 0
    rows = session.scalars(
        select(Referral)
        .where(*where)
        .order_by(Referral.answer_due.is_(None), Referral.answer_due, Referral.id)
        .limit(limit)
        .offset(offset)
    )
    items = []
    for row in rows:
        side = visible_side(who, row)
        assert side is not None
        items.append(referral_out(session, row, side, now))
    return s.ReferralPage(total=total, items=items)


def _overdue(now: dt.datetime) -> ColumnElement[bool]:
    from sqlalchemy import and_, or_

    return or_(
        and_(Referral.state == State.SENT.value, Referral.answer_due <= now),
        and_(
            Referral.state.not_in([*_CLOSED, State.SENT.value, State.DRAFT.value]),
            Referral.close_due <= now,
        ),
    )


def overdue(session: Session, who: Principal, now: dt.datetime) -> s.Overdue:
    page = listing(session, who, now, state=None, overdue=True, limit=200, offset=0)
    rows = list(session.scalars(select(Referral).where(*scope(who), _overdue(now))))
    by_worker = Counter(str(r.worker_account_id) for r in rows)
    by_facility = Counter(str(r.facility_id) for r in rows if r.facility_id is not None)
    names = dict(
        session.execute(
            select(Facility.id, Facility.name).where(Facility.id.in_([int(k) for k in by_facility]))
        ).all()
    )
    return s.Overdue(
        total=len(rows),
        by_worker=[s.OverdueGroup(key=k, name="", overdue=n) for k, n in by_worker.most_common()],
        by_facility=[
            s.OverdueGroup(key=k, name=names.get(int(k), ""), overdue=n)
            for k, n in by_facility.most_common()
        ],
        items=page.items,
    )


def month_bounds(month: str | None, now: dt.datetime) -> tuple[str, dt.datetime, dt.datetime]:
    local = now.astimezone(TZ)
    if month is None:
        year, mon = local.year, local.month
    else:
        try:
            year, mon = (int(p) for p in month.split("-"))
            dt.date(year, mon, 1)
        except ValueError:
            raise InvalidInput(
                "month 须为 YYYY-MM", "month must be YYYY-MM", code="invalid_month", field="month"
            ) from None
    start = dt.datetime(year, mon, 1, tzinfo=TZ)
    end = dt.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=TZ)
    return f"{year:04d}-{mon:02d}", start, end


def summary(session: Session, who: Principal, now: dt.datetime, month: str | None) -> s.Summary:
    if who.role is not Role.SOCIAL_WORKER:
        raise Forbidden(
            "只有社工有个案汇总",
            "Only social workers have a caseload summary",
            code="role_forbidden",
        )
    label, start, end = month_bounds(month, now)
    where = [*scope(who), Referral.worker_account_id == who.account_id]
    open_rows = session.execute(
        select(Referral.state, func.count())
        .where(*where, Referral.state.not_in(_CLOSED))
        .group_by(Referral.state)
    ).all()
    late = session.scalar(select(func.count()).select_from(Referral).where(*where, _overdue(now)))
    outcomes = session.execute(
        select(Referral.state, func.count())
        .where(*where, Referral.closed_at >= start, Referral.closed_at < end)
        .group_by(Referral.state)
    ).all()
    return s.Summary(
        open_by_state={k: int(n) for k, n in open_rows},
        overdue=int(late or 0),
        outcomes_this_month={k: int(n) for k, n in outcomes},
        month=label,
    )


def _report_scope(who: Principal) -> list[ColumnElement[bool]]:
    if who.role is Role.DISTRICT_ADMIN:
        return []
    if who.role in FACILITY_KINDS:
        kinds = [k.value for k in FACILITY_KINDS[who.role]]
        if who.role is Role.HRSS:
            kinds += ["vacancy", "course"]
        return [Referral.kind.in_(kinds)]
    raise Forbidden(
        "只有区和部门可以查看报表",
        "Only the district and departments see reports",
        code="role_forbidden",
    )


def report(
    session: Session,
    who: Principal,
    now: dt.datetime,
    month: str | None,
    by: Literal["facility", "kind", "subdistrict"],
) -> s.Report:
    label, start, end = month_bounds(month, now)
    rows = session.scalars(
        select(Referral).where(
            *_report_scope(who), Referral.sent_at >= start, Referral.sent_at < end
        )
    ).all()
    groups: dict[str, list[Referral]] = {}
    for r in rows:
        key = {
            "facility": f"{r.target_type}:{r.target_id}",
            "kind": r.kind,
            "subdistrict": r.subdistrict_code,
        }[by]
        groups.setdefault(key, []).append(r)
    names = _names(session, by, groups)
    out = [_row(k, names.get(k, k), g) for k, g in sorted(groups.items())]
    return s.Report(month=label, by=by, rows=out, total=_row("total", "合计 total", list(rows)))


def _names(session: Session, by: str, groups: dict[str, list[Referral]]) -> dict[str, str]:
    if by == "subdistrict":
        return dict(
            session.execute(select(Area.code, Area.name).where(Area.code.in_(groups))).all()
        )
    if by == "facility":
        ids = [int(k.split(":")[1]) for k in groups if k.startswith("facility:")]
        found = session.execute(select(Facility.id, Facility.name).where(Facility.id.in_(ids)))
        return {f"facility:{i}": n for i, n in found.all()}
    return {}


def _row(key: str, name: str, group: list[Any]) -> s.ReportRow:
    answered = [r for r in group if r.answered_at is not None]
    on_time = [r for r in answered if r.answer_due is None or r.answered_at <= r.answer_due]
    closed = [r for r in group if r.closed_at is not None]
    closed_on_time = [r for r in closed if r.close_due is None or r.closed_at <= r.close_due]
    return s.ReportRow(
        key=key,
        name=name,
        sent=len(group),
        answered=len(answered),
        answered_on_time=len(on_time),
        answered_on_time_share=round(len(on_time) / len(group), 3) if group else None,
        closed=len(closed),
        closed_on_time=len(closed_on_time),
        closed_on_time_share=round(len(closed_on_time) / len(group), 3) if group else None,
    )
