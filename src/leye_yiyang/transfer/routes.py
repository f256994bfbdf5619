"""HTTP for spreadsheet imports, templates and exports: parse, call the service, answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, Parameter
from sqlalchemy.orm import Session

from leye_yiyang.accounts.guard import BEARER, require_token
from leye_yiyang.accounts.policy import Principal
from leye_yiyang.db import after_commit
from leye_yiyang.directory.loading import community_locator
from leye_yiyang.openapi import files
from leye_yiyang.problems import problem_responses
from leye_yiyang.settings import Settings
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import access, jobsheets, jobwriting, service, writing
from leye_yiyang.transfer.reading import Limits
from leye_yiyang.transfer.schemas import ImportReport, SheetKind
from leye_yiyang.vocab import FacilityKind

# The body cap of this one route; the import's own limit (settings) is checked with a clear 413.
BODY_CAP = 64 * 1024 * 1024
_WHY = {
    400: "Invalid input: empty file, missing sheet choice, bad parameter",
    401: "No token, or a malformed, expired or revoked one",
    403: "The account's role may not import",
    404: "No such sheet or kind",
    413: "File or row count over the limit",
    415: "Not the file type its name claims, an unknown encoding, or a suspicious archive",
    422: "Unreadable sheet (header row missing, merged cells, formulas) or rows that cannot be imported (apply)",
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    return problem_responses(*codes, meanings=_WHY)


@dataclass
class ImportForm:
    file: UploadFile
    kind: SheetKind = SheetKind.FACILITY
    dry_run: bool = True
    crs: Datum = Datum.WGS84
    sheet: str | None = None


KindParam = Annotated[
    SheetKind,
    Parameter(
        description="a facility kind (facility: any, the 类型 column says), or employer, vacancy, course"
    ),
]
ExportKind = Annotated[
    SheetKind,
    Parameter(description="a facility kind, facility for all, or employer, vacancy, course"),
]


class TransferController(Controller):
    path = "/v1"
    tags = ["imports"]

    @post(
        "/imports",
        sync_to_thread=True,
        status_code=200,
        request_max_body_size=BODY_CAP,
        guards=[require_token],
        security=BEARER,
        summary="Import a sheet (.xlsx, .csv, GeoJSON): a row-by-row dry run, or apply all or nothing",
        responses=problems(400, 401, 403, 413, 415, 422),
    )
    def create_import(
        self,
        request: Request[Any, Any, Any],
        db_session: Session,
        geo: GeoContext,
        principal: Principal,
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportReport:
        settings: Settings = request.app.state["settings"]
        access.check_may_import(principal)
        content = data.file.file.read(settings.import_max_bytes + 1)
        limits = Limits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)
        record_type = data.kind.record_type()
        if record_type is not None:
            report = jobsheets.run_import(
                db_session,
                content,
                data.file.filename or "",
                jobsheets.Options(
                    kind=record_type, datum=data.crs, sheet=data.sheet, dry_run=data.dry_run
                ),
                limits,
                jobsheets.Context(
                    locator=community_locator(db_session),
                    geocode=geo.snapshot.geocoder.resolve,
                    deny=access.job_denier(principal),
                    account_id=principal.account_id,
                ),
            )
            if report.applied:  # matching sees new vacancies and courses when the answer leaves
                after_commit(db_session, partial(request.app.state["snapshots"].after_write, True))
            return report
        options = service.Options(
            kind=data.kind.facility_kind(), datum=data.crs, sheet=data.sheet, dry_run=data.dry_run
        )
        ctx = service.Context(
            locator=community_locator(db_session),
            geocode=geo.snapshot.geocoder.resolve,
            deny=access.denier(principal),
            account_id=principal.account_id,
            channel="import",
        )
        report = service.run_import(
            db_session, content, data.file.filename or "", options, limits, ctx
        )
        if report.applied:
            # Refresh this process's snapshot once committed: the answer leaves when nearby sees it.
            after_commit(db_session, request.app.state["snapshots"].after_write)
        return report

    @get(
        "/imports/template",
        sync_to_thread=True,
        summary="An empty .xlsx for a kind: the headers, one example row and a notes sheet (说明)",
        responses=problems(400),
        opt=files(writing.MEDIA_TYPES["xlsx"]),
    )
    def template(self, kind: KindParam) -> Response[bytes]:
        record_type = kind.record_type()
        if record_type is not None:
            body = jobwriting.template(record_type)
        else:
            body = writing.template(kind.facility_kind() or FacilityKind.MEAL_HALL)
        return Response(
            body,
            media_type=writing.MEDIA_TYPES["xlsx"],
            headers={"content-disposition": f'attachment; filename="template-{kind.value}.xlsx"'},
        )

    @get(
        "/exports",
        sync_to_thread=True,
        summary="The directory in the shape the import takes (.xlsx, .csv or GeoJSON); GeoJSON "
        "places an employer at its first workplace and a course at its school",
        responses=problems(400),
        opt=files(*(mt.split(";")[0] for mt in writing.MEDIA_TYPES.values())),
    )
    def export(
        self,
        db_session: Session,
        kind: ExportKind = SheetKind.FACILITY,
        format: Literal["xlsx", "csv", "geojson"] = "xlsx",
    ) -> Response[bytes]:
        record_type = kind.record_type()
        if record_type is not None:
            body = jobwriting.export(db_session, record_type, format)
            name = f"{kind.value}s.{format}"
        else:
            body = writing.export(db_session, kind.facility_kind(), format)
            name = f"facilities-{kind.value}.{format}"
        return Response(
            body,
            media_type=writing.MEDIA_TYPES[format],
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
