"""A stored referral as the asking side is shown it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.models import Facility, TrainingCourse, Vacancy
from leye_yiyang.models_casework import Referral, ReferralEvent
from leye_yiyang.referrals import schemas as s
from leye_yiyang.rules.referral_states import (
    CLOSED,
    FHIR_STATUS,
    MOVES,
    Move,
    Side,
    State,
)


def target_name(session: Session, row: Referral) -> str:
    if row.target_type == "facility":
        stmt = select(Facility.name).where(Facility.id == row.target_id)
    elif row.target_type == "vacancy":
        stmt = select(Vacancy.title).where(Vacancy.id == row.target_id)
    else:
        stmt = select(TrainingCourse.title).where(TrainingCourse.id == row.target_id)
    return session.scalar(stmt) or ""


def is_overdue(row: Referral, now: dt.datetime) -> bool:
    state = State(row.state)
    if state is State.SENT and row.answer_due is not None:
        return row.answer_due <= now
    return state not in CLOSED and row.close_due is not None and row.close_due <= now


def event_out(e: ReferralEvent) -> s.EventOut:
    return s.EventOut(
        id=e.id,
        referral_id=e.referral_id,
        at=e.at,
        account_id=e.account_id,
        move=e.move,
        from_state=State(e.from_state) if e.from_state else None,
        to_state=State(e.to_state),
        reason=e.reason,
    )


def referral_out(session: Session, row: Referral, side: Side, now: dt.datetime) -> s.ReferralOut:
    state = State(row.state)
    events = session.scalars(
        select(ReferralEvent).where(ReferralEvent.referral_id == row.id).order_by(ReferralEvent.id)
    )
    moves: list[Move] = [
        m
        for m, (src, _, who, _) in MOVES.items()
        if state in src and who is side and m is not Move.EXPIRE
    ]
    return s.ReferralOut(
        id=row.id,
        state=state,
        fhir_status=FHIR_STATUS[state],
        resident_id=row.resident_id if side is Side.WORKER else None,
        target=s.TargetOut(
            type=row.target_type,  # type: ignore[arg-type]
            id=row.target_id,
            name=target_name(session, row),
            kind=row.kind,
            facility_id=row.facility_id,
        ),
        reasons=list(row.reasons),
        note=row.note if side is Side.WORKER else "",
        shared=dict(row.shared),
        created_at=row.created_at,
        sent_at=row.sent_at,
        answer_due=row.answer_due,
        answered_at=row.answered_at,
        close_due=row.close_due,
        closed_at=row.closed_at,
        overdue=is_overdue(row, now),
        next_moves=moves,
        events=[event_out(e) for e in events],
        version=row.version,
    )
