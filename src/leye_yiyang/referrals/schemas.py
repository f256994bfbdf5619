"""What a referral looks like to the worker who made it and to the side that receives it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from leye_yiyang.rules.referral_states import Move, State
from leye_yiyang.values import RecordId

TargetType = Literal["facility", "vacancy", "course"]
Reason = Annotated[str, Meta(max_length=500)]


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class TargetIn(Input, kw_only=True):
    type: TargetType
    id: RecordId


class ShownReason(Input, kw_only=True):
    """A reason as the match showed it, kept with the referral."""

    zh: Annotated[str, Meta(max_length=500)] = ""
    en: Annotated[str, Meta(max_length=500)] = ""


class ReferralIn(Input, kw_only=True):
    resident_id: RecordId
    target: TargetIn
    note: Annotated[str, Meta(max_length=500)] = ""
    reasons: Annotated[list[ShownReason], Meta(max_length=20)] = []


class MoveIn(Input, kw_only=True):
    reason: Reason = ""


class MatchOption(Input, kw_only=True):
    target: TargetIn
    reasons: Annotated[list[ShownReason], Meta(max_length=20)] = []


class FromMatchIn(Input, kw_only=True):
    """Options picked from a services, jobs or household match answer, with their reasons."""

    resident_id: RecordId
    match: Literal["services", "jobs", "household"]
    options: Annotated[list[MatchOption], Meta(min_length=1, max_length=20)]
    note: Annotated[str, Meta(max_length=500)] = ""


class TargetOut(msgspec.Struct, frozen=True, kw_only=True):
    type: TargetType
    id: int
    name: str
    kind: str
    facility_id: int | None


class EventOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    referral_id: int
    at: dt.datetime
    account_id: int | None
    move: str
    from_state: State | None
    to_state: State
    reason: str


class ReferralOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    state: State
    fhir_status: str
    resident_id: int | None  # None for the receiving side: it sees only `shared`
    target: TargetOut
    reasons: list[dict[str, str]]
    note: str
    shared: dict[str, object]
    created_at: dt.datetime
    sent_at: dt.datetime | None
    answer_due: dt.datetime | None
    answered_at: dt.datetime | None
    close_due: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    next_moves: list[Move]
    events: list[EventOut]
    version: int


class ReferralPage(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    items: list[ReferralOut]


class Drafts(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ReferralOut]


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    """A worker's caseload at a glance."""

    open_by_state: dict[str, int]
    overdue: int
    outcomes_this_month: dict[str, int]
    month: str


class OverdueGroup(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    overdue: int


class Overdue(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    by_worker: list[OverdueGroup]
    by_facility: list[OverdueGroup]
    items: list[ReferralOut]


class ReportRow(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    sent: int
    answered: int
    answered_on_time: int
    answered_on_time_share: float | None
    closed: int
    closed_on_time: int
    closed_on_time_share: float | None


class Report(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    by: Literal["facility", "kind", "subdistrict"]
    rows: list[ReportRow]
    total: ReportRow
