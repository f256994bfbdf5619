"""HTTP for keeping the directory: create, PATCH, suspend/close/reopen, verify, history, stale.
Every route here needs a bearer token (`require_token`); reads of single records carry an ETag
and every change needs If-Match with it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import HeaderParameter, Parameter
from sqlalchemy.orm import Session

from leye_yiyang.accounts.guard import BEARER, require_token
from leye_yiyang.accounts.policy import Action, Principal, RecordType
from leye_yiyang.directory import schemas as d
from leye_yiyang.editing import facilities, history, jobs
from leye_yiyang.editing import schemas as s
from leye_yiyang.editing.records import Channel, Edit, etag
from leye_yiyang.openapi import Id
from leye_yiyang.problems import AUTH_READ, UPDATE, WRITE, problem_responses
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.values import MAX_ID

if TYPE_CHECKING:
    # Per record type in `_record_controllers` (litestar reads them from signature_namespace).
    Out: TypeAlias = Any
    Body: TypeAlias = Any

IfMatch = Annotated[
    str | None,
    HeaderParameter(name="If-Match", description="the ETag of the version you read (required)"),
]
Limit = Annotated[int, Parameter(ge=1, le=200)]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000)]
Crs = Annotated[Datum, Parameter(description="datum of coordinates in the response")]
STATUS_ACTIONS = {
    "suspend": Action.SUSPEND,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
    "verify": Action.VERIFY,
}
StatusAction = Annotated[
    str,
    Parameter(
        pattern="^(suspend|close|reopen|verify)$", description="suspend, close, reopen or verify"
    ),
]
PLURALS = {
    RecordType.FACILITY: "facilities",
    RecordType.EMPLOYER: "employers",
    RecordType.VACANCY: "vacancies",
    RecordType.COURSE: "training-courses",
}


# Every route here but the single reads: behind the token guard. No tags of their own: they
# join the directory's / jobs' groups (a second tag would list each operation twice).
GUARDED: dict[str, Any] = {"guards": [require_token], "security": BEARER}


def edit_context(request: Request[Any, Any, Any], principal: Principal) -> Edit:
    holder = request.app.state["snapshots"]
    return Edit(principal, Channel.API, dt.datetime.now(dt.UTC), on_commit=holder.after_write)


def _tagged(out: Any, kind: RecordType, status_code: int = 200) -> Response[Any]:
    headers = {"ETag": etag(kind, out.id, out.version)}
    if status_code == 201:
        headers["Location"] = f"/v1/{PLURALS[kind]}/{out.id}"
    return Response(out, status_code=status_code, headers=headers)


class FacilityEditController(Controller):
    """Merged by app.py with the directory's FacilityController (same path)."""

    path = "/v1/facilities"

    @post(
        "/",
        sync_to_thread=True,
        summary="Add a facility (its department, or the admin)",
        responses=problem_responses(*WRITE),
        status_code=201,
        **GUARDED,
    )
    def create(
        self, db_session: Session, edit: Edit, geo: GeoContext, data: s.FacilityCreate
    ) -> Response[s.FacilitySaved]:
        out = facilities.create(db_session, edit, geo.snapshot, data)
        return _tagged(out, RecordType.FACILITY, 201)

    @patch(
        "/{facility_id:int}",
        sync_to_thread=True,
        responses=problem_responses(*UPDATE),
        summary="Change some fields of a facility (If-Match required)",
        **GUARDED,
    )
    def update(
        self,
        db_session: Session,
        edit: Edit,
        geo: GeoContext,
        facility_id: Id,
        data: s.FacilityPatch,
        if_match: IfMatch = None,
    ) -> Response[s.FacilitySaved]:
        out = facilities.update(db_session, edit, geo.snapshot, facility_id, if_match, data)
        return _tagged(out, RecordType.FACILITY)

    @post(
        "/{facility_id:int}/{action:str}",
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(*UPDATE),
        summary="Suspend (temporarily close), close, reopen or verify a facility (If-Match required)",
        **GUARDED,
    )
    def change_status(
        self,
        db_session: Session,
        edit: Edit,
        facility_id: Id,
        action: StatusAction,
        if_match: IfMatch = None,
    ) -> Response[s.FacilitySaved]:
        act = STATUS_ACTIONS[action]
        if act is Action.VERIFY:
            out = facilities.verify(db_session, edit, facility_id, if_match)
        else:
            out = facilities.set_status(db_session, edit, facility_id, if_match, act)
        return _tagged(out, RecordType.FACILITY)

    @get(
        "/{facility_id:int}/history",
        sync_to_thread=True,
        responses=problem_responses(*AUTH_READ),
        summary="A facility's changes, newest first",
        **GUARDED,
    )
    def facility_history(
        self,
        db_session: Session,
        principal: Principal,
        facility_id: Id,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.ChangePage:
        return history.record_history(
            db_session, principal, RecordType.FACILITY, facility_id, limit, offset
        )


class JobsEditController(Controller):
    """Merged by app.py with the directory's JobsController (same path)."""

    path = "/v1"

    @post(
        "/employers",
        sync_to_thread=True,
        status_code=201,
        responses=problem_responses(*WRITE),
        summary="Add an employer (human resources, or the admin)",
        **GUARDED,
    )
    def create_employer(
        self, db_session: Session, edit: Edit, geo: GeoContext, data: s.EmployerCreate
    ) -> Response[d.EmployerOut]:
        out = jobs.create_employer(db_session, edit, geo.snapshot, data)
        return _tagged(out, RecordType.EMPLOYER, 201)

    @post(
        "/vacancies",
        sync_to_thread=True,
        status_code=201,
        responses=problem_responses(*WRITE),
        summary="Add a vacancy (its text passes the fairness check)",
        **GUARDED,
    )
    def create_vacancy(
        self, db_session: Session, edit: Edit, geo: GeoContext, data: s.VacancyCreate
    ) -> Response[d.VacancyOut]:
        out = jobs.create_vacancy(db_session, edit, geo.snapshot, data)
        return _tagged(out, RecordType.VACANCY, 201)

    @post(
        "/training-courses",
        sync_to_thread=True,
        status_code=201,
        responses=problem_responses(*WRITE),
        summary="Add a training course",
        **GUARDED,
    )
    def create_course(
        self, db_session: Session, edit: Edit, data: s.CourseCreate
    ) -> Response[d.CourseOut]:
        out = jobs.create_course(db_session, edit, data)
        return _tagged(out, RecordType.COURSE, 201)


class AuditController(Controller):
    """History across records and freshness: who changed what, and what nobody has checked."""

    path = "/v1"
    tags = ["editing"]

    @get(
        "/changes",
        sync_to_thread=True,
        responses=problem_responses(*AUTH_READ),
        summary="Every change, newest first, by account and date (district admin)",
        **GUARDED,
    )
    def all_changes(
        self,
        db_session: Session,
        principal: Principal,
        account: Annotated[int | None, Parameter(ge=1, le=MAX_ID)] = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.ChangePage:
        return history.all_changes(db_session, principal, account, since, until, limit, offset)

    @get(
        "/stale",
        sync_to_thread=True,
        responses=problem_responses(*AUTH_READ),
        summary="The caller's department's records not verified for `days` days, with counts",
        **GUARDED,
    )
    def stale(
        self,
        db_session: Session,
        principal: Principal,
        days: Annotated[int, Parameter(ge=1, le=3650)] = 180,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> s.StaleReport:
        now = dt.datetime.now(dt.UTC)
        return history.stale(db_session, principal, days, now, limit, offset)


def _record_controllers(
    kind: RecordType, plural: str, out: type[Any], body: type[Any], label: str
) -> type[Controller]:
    """The public single read and the protected edits of one job-side record type. Built per
    type so each gets its own literal paths and typed bodies in the OpenAPI document."""
    names = {"Out": out, "Body": body}

    class Records(Controller):
        path = f"/v1/{plural}"
        tags = ["jobs"]
        signature_namespace = names

        @get(
            "/{record_id:int}",
            sync_to_thread=True,
            summary=f"One {label}, with its ETag",
            responses=problem_responses(400, 404, 429),
            operation_id=f"get_{kind.value}",
        )
        def read(self, db_session: Session, record_id: Id, crs: Crs = Datum.WGS84) -> Response[Out]:
            return _tagged(jobs.read(db_session, kind, record_id, crs), kind)

        @patch(
            "/{record_id:int}",
            sync_to_thread=True,
            responses=problem_responses(*UPDATE),
            summary=f"Change some fields of a {label} (If-Match required)",
            operation_id=f"update_{kind.value}",
            **GUARDED,
        )
        def update(
            self,
            db_session: Session,
            edit: Edit,
            geo: GeoContext,
            record_id: Id,
            data: Body,
            if_match: IfMatch = None,
        ) -> Response[Out]:
            found = jobs.update(db_session, edit, geo.snapshot, kind, record_id, if_match, data)
            return _tagged(found, kind)

        @post(
            "/{record_id:int}/{action:str}",
            sync_to_thread=True,
            status_code=200,
            responses=problem_responses(*UPDATE),
            operation_id=f"set_{kind.value}_status",
            summary=f"Suspend, close, reopen or verify a {label} (If-Match required)",
            **GUARDED,
        )
        def change_status(
            self,
            db_session: Session,
            edit: Edit,
            record_id: Id,
            action: StatusAction,
            if_match: IfMatch = None,
        ) -> Response[Out]:
            act = STATUS_ACTIONS[action]
            return _tagged(jobs.set_status(db_session, edit, kind, record_id, if_match, act), kind)

        @get(
            "/{record_id:int}/history",
            sync_to_thread=True,
            responses=problem_responses(*AUTH_READ),
            operation_id=f"{kind.value}_history",
            summary=f"A {label}'s changes, newest first",
            **GUARDED,
        )
        def record_history(
            self,
            db_session: Session,
            principal: Principal,
            record_id: Id,
            limit: Limit = 50,
            offset: Offset = 0,
        ) -> s.ChangePage:
            return history.record_history(db_session, principal, kind, record_id, limit, offset)

    Records.__name__ = f"{kind.value.title().replace('_', '')}Records"
    return Records


RECORD_CONTROLLERS: list[type[Controller]] = [
    AuditController,
    *(
        _record_controllers(*spec)
        for spec in (
            (RecordType.EMPLOYER, "employers", d.EmployerOut, s.EmployerPatch, "employer"),
            (RecordType.VACANCY, "vacancies", d.VacancyOut, s.VacancyPatch, "vacancy"),
            (RecordType.COURSE, "training-courses", d.CourseOut, s.CoursePatch, "training course"),
        )
    ),
]
