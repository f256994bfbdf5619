"""HTTP for the Open Referral HSDS 3.0 read API under /hsds: parse, call the service, answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.response import Stream
from sqlalchemy.orm import Session

from leye_yiyang.errors import InvalidInput
from leye_yiyang.hsds import schemas as h
from leye_yiyang.hsds import service
from leye_yiyang.problems import problem_responses

PageNumber = Annotated[int, Parameter(ge=1, le=1_000_000, description="page number, from 1")]
PerPage = Annotated[int, Parameter(ge=1, le=1000, description="items per page (1–1000)")]
Search = Annotated[
    str | None, Parameter(max_length=100, description="text in name, address or description")
]
# A string read as RFC 3339 here: litestar would also read a bare number as a Unix time, which
# the document (format date-time) does not promise.
ModifiedAfter = Annotated[
    str | None,
    Parameter(
        max_length=40,
        description="only records modified at or after this time (RFC 3339, with offset)",
        schema_extra={"format": "date-time"},
    ),
]
Id = Annotated[str, Parameter(max_length=64, description="HSDS UUID")]


_WHY = {400: "Invalid parameter", 404: "No such record", 422: "Impossible request"}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    return problem_responses(*codes, meanings=_WHY)


def _query(page: int, per_page: int, search: str | None, raw_after: str | None) -> service.Query:
    modified_after = None
    if raw_after is not None:
        try:
            modified_after = msgspec.convert(raw_after, dt.datetime)
        except msgspec.ValidationError:
            raise InvalidInput(
                "modified_after 须为 RFC 3339 时间，如 2026-12-01T08:00:00+08:00",
                "modified_after must be an RFC 3339 time, e.g. 2026-12-01T08:00:00+08:00",
                code="invalid_datetime",
                field="modified_after",
            ) from None
        if modified_after.tzinfo is None:
            modified_after = modified_after.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return service.Query(page=page, per_page=per_page, search=search, modified_after=modified_after)


class HsdsController(Controller):
    path = "/hsds"
    tags = ["hsds"]

    @get("/", sync_to_thread=False, summary="HSDS API information (version, profile, OpenAPI)")
    def info(self, request: Request[Any, Any, Any]) -> h.ApiInfo:
        return service.api_info(str(request.base_url).rstrip("/"))

    @get("/services", sync_to_thread=True, summary="Services (HSDS Page)", responses=problems(400))
    def list_services(
        self,
        db_session: Session,
        page: PageNumber = 1,
        per_page: PerPage = 50,
        search: Search = None,
        modified_after: ModifiedAfter = None,
    ) -> h.ServicePage:
        return service.list_services(db_session, _query(page, per_page, search, modified_after))

    @get(
        "/services/{id:str}",
        sync_to_thread=True,
        summary="One service, fully nested",
        responses=problems(400, 404),
    )
    def get_service(self, db_session: Session, id: Id) -> h.Service:
        return service.get_service(db_session, id)

    @get(
        "/organizations",
        sync_to_thread=True,
        summary="Organizations (HSDS Page)",
        responses=problems(400),
    )
    def list_organizations(
        self,
        db_session: Session,
        page: PageNumber = 1,
        per_page: PerPage = 50,
        search: Search = None,
    ) -> h.OrganizationPage:
        return service.list_organizations(db_session, _query(page, per_page, search, None))

    @get(
        "/organizations/{id:str}",
        sync_to_thread=True,
        summary="One organization",
        responses=problems(400, 404),
    )
    def get_organization(self, db_session: Session, id: Id) -> h.Organization:
        return service.get_organization(db_session, id)

    @get(
        "/service_at_locations",
        sync_to_thread=True,
        summary="Services at locations (HSDS Page)",
        responses=problems(400),
    )
    def list_service_at_locations(
        self,
        db_session: Session,
        page: PageNumber = 1,
        per_page: PerPage = 50,
        search: Search = None,
        modified_after: ModifiedAfter = None,
    ) -> h.ServiceAtLocationPage:
        return service.list_service_at_locations(
            db_session, _query(page, per_page, search, modified_after)
        )

    @get(
        "/service_at_locations/{id:str}",
        sync_to_thread=True,
        summary="One service at a location, with its location",
        responses=problems(400, 404),
    )
    def get_service_at_location(self, db_session: Session, id: Id) -> h.ServiceAtLocation:
        return service.get_service_at_location(db_session, id)

    @get(
        "/export",
        sync_to_thread=False,
        summary="Every service, fully nested, as one streamed JSON array",
    )
    def export(self, request: Request[Any, Any, Any]) -> Stream:
        db = request.app.state["db"]

        def chunks() -> Any:
            with db.sessions() as session:
                yield from service.export_services(session)

        return Stream(chunks(), media_type="application/json")
