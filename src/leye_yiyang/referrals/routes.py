"""HTTP for referrals. Thin: the rules are in service.py, the follow-up in queries.py; every
POST that creates or moves a referral takes an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.params import HeaderParameter, Parameter, QueryParameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from sqlalchemy.orm import Session

from leye_yiyang.accounts.guard import BEARER, require_token
from leye_yiyang.accounts.policy import Principal
from leye_yiyang.accounts.service import now
from leye_yiyang.db import Database
from leye_yiyang.openapi import Id
from leye_yiyang.problems import AUTH_READ, WRITE, problem_responses
from leye_yiyang.referrals import feed, idempotency, queries, service
from leye_yiyang.referrals import schemas as s
from leye_yiyang.referrals.views import referral_out
from leye_yiyang.rules.referral_states import Move, Side, State
from leye_yiyang.settings import Settings
from leye_yiyang.values import MAX_ID

IdemKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        max_length=257,
        description="Retry safely: the same key and body give the first answer again",
    ),
]
JSON = "application/json"


def casework(request: Request[Any, Any, Any]) -> service.Casework:
    settings: Settings = request.app.state["settings"]
    holder = request.app.state["snapshots"]
    return service.Casework(
        keys=request.app.state["keyring"],
        answer_days=settings.referral_answer_working_days,
        close_days=settings.referral_close_working_days,
        refresh=holder.after_write,
    )


def _answer(
    request: Request[Any, Any, Any],
    principal: Principal,
    key: str | None,
    data: msgspec.Struct | None,
    status: int,
    work: Callable[[Session, dt.datetime], msgspec.Struct],
) -> Response[Any]:
    db: Database = request.app.state["db"]
    at = now()
    body = msgspec.json.encode(data) if data is not None else b""
    print_ = idempotency.fingerprint(request.method, request.url.path, body)

    def run(session: Session) -> tuple[int, bytes]:
        return status, msgspec.json.encode(work(session, at))

    code, content, replayed = idempotency.run(
        db, principal.account_id, idempotency.parse(key), print_, at, run
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(content=content, status_code=code, media_type=JSON, headers=headers)


async def _messages(
    events: AsyncIterator[tuple[int | None, str]],
) -> AsyncIterator[ServerSentEventMessage]:
    async for ident, text in events:
        if ident is None:
            yield ServerSentEventMessage(comment=text)
        else:
            yield ServerSentEventMessage(data=text, event="referral", id=ident)


class ReferralController(Controller):
    path = "/v1/referrals"
    tags = ["referrals"]
    security = BEARER
    guards = [require_token]
    dependencies = {"cw": Provide(casework, sync_to_thread=False)}

    @post(
        "/",
        status_code=201,
        sync_to_thread=True,
        summary="Draft a referral of a resident to a facility, vacancy or course",
        responses=problem_responses(*WRITE),
    )
    def create(
        self,
        request: Request[Any, Any, Any],
        cw: service.Casework,
        principal: Principal,
        data: s.ReferralIn,
        idempotency_key: IdemKey = None,
    ) -> Response[s.ReferralOut]:
        def work(session: Session, at: dt.datetime) -> msgspec.Struct:
            row = service.create(session, cw, principal, data, at)
            return referral_out(session, row, Side.WORKER, at)

        return _answer(request, principal, idempotency_key, data, 201, work)

    @post(
        "/from-match",
        status_code=201,
        sync_to_thread=True,
        summary="Turn picked options of a services, jobs or household match into draft referrals",
        responses=problem_responses(*WRITE),
    )
    def from_match(
        self,
        request: Request[Any, Any, Any],
        cw: service.Casework,
        principal: Principal,
        data: s.FromMatchIn,
        idempotency_key: IdemKey = None,
    ) -> Response[s.Drafts]:
        def work(session: Session, at: dt.datetime) -> msgspec.Struct:
            rows = service.from_match(session, cw, principal, data, at)
            return s.Drafts(items=[referral_out(session, r, Side.WORKER, at) for r in rows])

        return _answer(request, principal, idempotency_key, data, 201, work)

    @post(
        "/{referral_id:int}/{move:str}",
        status_code=200,
        sync_to_thread=True,
        summary="Move a referral: send, cancel, accept, decline, start, hold, resume, complete, fail",
        responses=problem_responses(*WRITE),
    )
    def move(
        self,
        request: Request[Any, Any, Any],
        cw: service.Casework,
        principal: Principal,
        referral_id: Id,
        move: Move,
        data: s.MoveIn,
        idempotency_key: IdemKey = None,
    ) -> Response[s.ReferralOut]:
        def work(session: Session, at: dt.datetime) -> msgspec.Struct:
            row = service.move(session, cw, principal, referral_id, move, data.reason, at)
            side = service.visible_side(principal, row)
            assert side is not None
            return referral_out(session, row, side, at)

        return _answer(request, principal, idempotency_key, data, 200, work)

    @get(
        "/",
        sync_to_thread=True,
        summary="The caller's referrals: a worker's organisation's, a facility's incoming queue",
        responses=problem_responses(*AUTH_READ),
    )
    def listing(
        self,
        db_session: Session,
        principal: Principal,
        state_is: Annotated[State | None, QueryParameter(name="state")] = None,
        overdue: bool = False,
        resident_id: Annotated[int | None, Parameter(ge=1, le=MAX_ID)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=1_000_000)] = 0,
    ) -> s.ReferralPage:
        return queries.listing(
            db_session,
            principal,
            now(),
            state=state_is,
            overdue=overdue,
            limit=limit,
            offset=offset,
            resident_id=resident_id,
        )

    @get(
        "/overdue",
        sync_to_thread=True,
        summary="Overdue referrals in the caller's scope, per worker and per facility",
        responses=problem_responses(*AUTH_READ),
    )
    def overdue(self, db_session: Session, principal: Principal) -> s.Overdue:
        return queries.overdue(db_session, principal, now())

    @get(
        "/summary",
        sync_to_thread=True,
        summary="A social worker's caseload summary: open by state, overdue, this month's outcomes",
        responses=problem_responses(*AUTH_READ),
    )
    def summary(
        self,
        db_session: Session,
        principal: Principal,
        month: Annotated[str | None, Parameter(pattern=r"^\d{4}-\d{2}$")] = None,
    ) -> s.Summary:
        return queries.summary(db_session, principal, now(), month)

    @get(
        "/report",
        sync_to_thread=True,
        summary="Answered and closed within the deadline, per facility, kind or subdistrict, by month",
        responses=problem_responses(*AUTH_READ),
    )
    def report(
        self,
        db_session: Session,
        principal: Principal,
        month: Annotated[str | None, Parameter(pattern=r"^\d{4}-\d{2}$")] = None,
        by: Literal["facility", "kind", "subdistrict"] = "facility",
    ) -> s.Report:
        return queries.report(db_session, principal, now(), month, by)

    @get(
        "/events",
        summary="Live referral events (Server-Sent Events), resumable with Last-Event-ID",
        responses=problem_responses(*AUTH_READ),
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        principal: Principal,
        last_event_id: Annotated[
            int | None, HeaderParameter(name="Last-Event-ID", required=False, ge=0, le=MAX_ID)
        ] = None,
        seconds: Annotated[float, Parameter(ge=0.1, le=300)] = 300,
    ) -> ServerSentEvent:
        feed.check(principal)
        db: Database = request.app.state["db"]
        return ServerSentEvent(_messages(feed.stream(db, principal, last_event_id or 0, seconds)))

    @get(
        "/{referral_id:int}",
        sync_to_thread=True,
        summary="One referral as the asking side may see it",
        responses=problem_responses(*AUTH_READ),
    )
    def get_one(self, db_session: Session, principal: Principal, referral_id: Id) -> s.ReferralOut:
        at = now()
        row = service.load(db_session, principal, referral_id)
        side = service.visible_side(principal, row)
        assert side is not None
        return referral_out(db_session, row, side, at)
