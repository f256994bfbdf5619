"""Referrals: a social worker hands a resident to a facility, a vacancy or a course; the place is
held while the receiving side answers, taken when it accepts, and given back when it declines, the
worker cancels or the hold lapses. Every move is an event (the live feed) and an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.caseload import audit
from leye_yiyang.caseload.protect import Keyring
from leye_yiyang.caseload.service import active_scopes, caseload_key
from leye_yiyang.caseload.service import load as load_resident
from leye_yiyang.caseload.views import age_on, sensitive_part
from leye_yiyang.db import after_commit, bump_directory_version
from leye_yiyang.errors import Conflict, Forbidden, InvalidInput, NotFound
from leye_yiyang.models import Area
from leye_yiyang.models_casework import Referral, ReferralEvent, Resident
from leye_yiyang.referrals import places
from leye_yiyang.referrals import schemas as s
from leye_yiyang.rules.referral_states import (
    CLOSED,
    Move,
    Side,
    State,
    needs_reason,
    next_moves,
    side_of,
)
from leye_yiyang.rules.referral_states import target as next_state
from leye_yiyang.rules.workdays import add_working_days


@dataclass(frozen=True, slots=True)
class Casework:
    """What referral operations need from the deployment."""

    keys: Keyring
    answer_days: int
    close_days: int
    # The in-process snapshot refresh after commit (jobs=True: vacancies and courses changed).
    refresh: Callable[[bool], None] | None = None


def _subdistrict(session: Session, area_code: str) -> str:
    parent = session.scalar(select(Area.parent_code).where(Area.code == area_code))
    return parent or area_code


def create(
    session: Session, cw: Casework, who: Principal, data: s.ReferralIn, now: dt.datetime
) -> Referral:
    resident = load_resident(session, who, data.resident_id)
    target = places.find(session, data.target.type, data.target.id)
    row = Referral(
        resident_id=resident.id,
        organisation=resident.organisation,
        worker_account_id=who.account_id,
        target_type=target.type,
        target_id=target.id,
        facility_id=target.facility_id,
        kind=target.kind,
        area_code=resident.area_code,
        subdistrict_code=_subdistrict(session, resident.area_code),
        state=State.DRAFT.value,
        reasons=[{"zh": r.zh, "en": r.en} for r in data.reasons],
        note=data.note,
        shared={},
        created_at=now,
        version=1,
    )
    session.add(row)
    session.flush()
    _event(session, row, who.account_id, "create", None, State.DRAFT, "", now)
    return row


def from_match(
    session: Session, cw: Casework, who: Principal, data: s.FromMatchIn, now: dt.datetime
) -> list[Referral]:
    seen: set[tuple[str, int]] = set()
    rows = []
    for option in data.options:
        key = (option.target.type, option.target.id)
        if key in seen:
            raise InvalidInput("同一对象只能转介一次", "Each option once", field="options")
        seen.add(key)
        one = s.ReferralIn(
            resident_id=data.resident_id,
            target=option.target,
            note=data.note or f"{data.match} match",
            reasons=option.reasons,
        )
        rows.append(create(session, cw, who, one, now))
    return rows


def _side_allowed(who: Principal, row: Referral, side: Side) -> bool:
    if side is Side.WORKER:
        return who.role is Role.SOCIAL_WORKER and caseload_key(who) == row.organisation
    if side is Side.RECEIVER:
        if row.target_type == "facility":
            return who.role is Role.PROVIDER_STAFF and who.facility_id == row.facility_id
        return who.role is Role.HRSS
    return False


def visible_side(who: Principal, row: Referral) -> Side | None:
    if _side_allowed(who, row, Side.WORKER):
        return Side.WORKER
    if row.state != State.DRAFT.value and _side_allowed(who, row, Side.RECEIVER):
        return Side.RECEIVER
    return None


def load(session: Session, who: Principal, referral_id: int, *, lock: bool = False) -> Referral:
    stmt = select(Referral).where(Referral.id == referral_id)
    row = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if row is None or visible_side(who, row) is None:
        raise NotFound("没有这个转介", "No such referral", code="referral_not_found")
    return row


def move(
    session: Session,
    cw: Casework,
    who: Principal,
    referral_id: int,
    step: Move,
    reason: str,
    now: dt.datetime,
) -> Referral:
    row = load(session, who, referral_id, lock=True)
    state = State(row.state)
    if state is State.SENT and row.answer_due is not None and row.answer_due <= now:
        raise Conflict(
            "转介的名额保留已过期",
            "The referral's hold has lapsed",
            code="referral_expired",
            extra={"state": State.EXPIRED.value, "allowed": []},
        )
    if not _side_allowed(who, row, side_of(step)):
        raise Forbidden(
            "此操作应由另一方执行",
            f"{step.value} is for the {side_of(step).value} side of this referral",
            code="wrong_side",
        )
    new = next_state(state, step)
    if new is None:
        raise Conflict(
            f"转介处于“{state.value}”状态，不能执行“{step.value}”",
            f"A {state.value} referral cannot {step.value}",
            code="illegal_transition",
            extra={"state": state.value, "allowed": [m.value for m in next_moves(state)]},
        )
    if needs_reason(step) and not reason.strip():
        raise InvalidInput(
            "请说明原因", f"{step.value} needs a reason", code="reason_required", field="reason"
        )
    moved_places = _apply_places(session, row, state, new, now)
    if step is Move.SEND:
        resident = session.get(Resident, row.resident_id)
        assert resident is not None
        row.shared = shared_with_receiver(session, cw.keys, resident, now)
        row.sent_at = now
        row.answer_due = add_working_days(now, cw.answer_days)
        row.close_due = add_working_days(now, cw.close_days)
    if step in (Move.ACCEPT, Move.DECLINE):
        row.answered_at = now
    if new in CLOSED:
        row.closed_at = now
    row.state = new.value
    row.version += 1
    _event(session, row, who.account_id, step.value, state, new, reason, now)
    if moved_places:
        # Places free show in nearby and matching: the snapshots re-read them.
        _changed(session, cw, jobs=row.target_type != "facility")
    return row


def _apply_places(
    session: Session, row: Referral, old: State, new: State, now: dt.datetime
) -> bool:
    """Hold, take or give back the referral's place for this move; whether any changed."""
    target = places.Target(row.target_type, row.target_id, "", row.kind, row.facility_id)
    if new is State.SENT:
        target = places.find(session, row.target_type, row.target_id)
        expire_lapsed(session, None, target_of=row, now=now)
        places.hold(session, target)
    elif old is State.SENT and new in (State.DECLINED, State.CANCELLED, State.EXPIRED):
        places.release(session, target, taken=False)
    elif new is State.ACCEPTED:
        places.take(session, target)
    elif new is State.FAILED or (new is State.COMPLETED and row.target_type == "facility"):
        # A finished stay frees its place; a filled job or a used course seat stays used.
        places.release(session, target, taken=True)
    else:
        return False
    return True


def _changed(session: Session, cw: Casework | None, *, jobs: bool) -> None:
    bump_directory_version(session)
    if cw is not None and cw.refresh is not None:
        refresh = cw.refresh
        after_commit(session, lambda: refresh(jobs))


def expire_lapsed(
    session: Session,
    cw: Casework | None,
    *,
    now: dt.datetime | None,
    target_of: Referral | None = None,
    limit: int = 500,
) -> int:
    """Lapse every sent referral whose answer is overdue (of one target, or all), giving back
    its place. Runs before each send for that target and periodically for everything."""
    at = now or dt.datetime.now(dt.UTC)
    stmt = select(Referral).where(Referral.state == State.SENT.value, Referral.answer_due <= at)
    if target_of is not None:
        stmt = stmt.where(
            Referral.target_type == target_of.target_type,
            Referral.target_id == target_of.target_id,
            Referral.id != target_of.id,
        )
    rows = list(
        session.scalars(stmt.order_by(Referral.id).limit(limit).with_for_update(skip_locked=True))
    )
    for row in rows:
        target = places.Target(row.target_type, row.target_id, "", row.kind, row.facility_id)
        places.release(session, target, taken=False)
        row.state = State.EXPIRED.value
        row.closed_at = at
        row.version += 1
        _event(session, row, None, Move.EXPIRE.value, State.SENT, State.EXPIRED, "hold lapsed", at)
    if rows:
        _changed(session, cw, jobs=any(r.target_type != "facility" for r in rows))
    return len(rows)


def shared_with_receiver(
    session: Session, keys: Keyring, resident: Resident, now: dt.datetime
) -> dict[str, object]:
    """What the receiving side may see: with consent to share, the name, age, needs and statuses
    (sensitive ones only under the sensitive consent too); without it, only the age band and
    needs. Never the ID number; the phone only masked."""
    scopes = active_scopes(session, resident.id)
    age = age_on(resident.birth_date, now.date())
    base: dict[str, object] = {
        "needs": list(resident.needs),
        "community": resident.area_code,
        "consent_to_share": "share" in scopes,
    }
    if "share" not in scopes:
        return {**base, "age_band": f"{age // 10 * 10}-{age // 10 * 10 + 9}"}
    statuses = list(resident.statuses)
    if "sensitive" in scopes:
        part = sensitive_part(keys, resident)
        if part is not None:
            statuses += [str(x) for x in part.get("statuses", [])]  # type: ignore[attr-defined]
    return {
        **base,
        "name": resident.name,
        "age": age,
        "phone": resident.phone_mask,
        "statuses": statuses,
    }


def _event(
    session: Session,
    row: Referral,
    account_id: int | None,
    step: str,
    old: State | None,
    new: State,
    reason: str,
    now: dt.datetime,
) -> None:
    session.add(
        ReferralEvent(
            referral_id=row.id,
            at=now,
            account_id=account_id,
            move=step,
            from_state=old.value if old else None,
            to_state=new.value,
            reason=reason,
            facility_id=row.facility_id,
            worker_account_id=row.worker_account_id,
            target_type=row.target_type,
        )
    )
    audit.record(
        session,
        now,
        account_id,
        f"referral_{step}",
        resident_id=row.resident_id,
        referral_id=row.id,
        before=old.value if old else None,
        after=new.value,
        reason=reason,
        target=f"{row.target_type}:{row.target_id}",
    )
