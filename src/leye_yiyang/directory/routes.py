"""HTTP for reading the directory: parse, call the service, shape the response. Nothing else."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.openapi.spec import Example
from litestar.params import Parameter
from sqlalchemy.orm import Session

from leye_yiyang.directory import schemas as s
from leye_yiyang.directory import service
from leye_yiyang.directory.bbox import PATTERN as BBOX_PATTERN
from leye_yiyang.directory.bbox import parse_bbox
from leye_yiyang.directory.in_view import active_points_in_box
from leye_yiyang.errors import InvalidInput, NotFound
from leye_yiyang.geojson import GEOJSON_MEDIA_TYPE, Feature, FeatureCollection, Point
from leye_yiyang.openapi import Id, representations
from leye_yiyang.problems import problem_responses
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.vocab import AreaLevel, FacilityKind, FacilityStatus

Limit = Annotated[int, Parameter(ge=1, le=200, description="page size (1–200)")]
# schema_extra: litestar leaves a zero `ge` out of the document.
Offset = Annotated[int, Parameter(ge=0, le=1_000_000, schema_extra={"minimum": 0})]
Crs = Annotated[
    Datum,
    Parameter(
        description="datum of coordinates in the response: wgs84, gcj02 (Amap, Tencent) or bd09 (Baidu)"
    ),
]
Text = Annotated[str | None, Parameter(max_length=100)]
MAX_PAGE = 200
MAX_COMPACT = 5000  # a map view's markers; past this the page asks the user to zoom in


def check_page_size(limit: int) -> None:
    if limit > MAX_PAGE:
        raise InvalidInput(
            f"limit 须在 1 到 {MAX_PAGE} 之间（format=compact 时可到 {MAX_COMPACT}）",
            f"limit must be between 1 and {MAX_PAGE} (up to {MAX_COMPACT} with format=compact)",
            code="limit_out_of_range",
            field="limit",
        )


class AreaList(msgspec.Struct, frozen=True):
    items: list[s.AreaSummary]


class FacilityPage(s.Page, frozen=True, kw_only=True):
    items: list[s.FacilityOut]


class EmployerPage(s.Page, frozen=True, kw_only=True):
    items: list[s.EmployerOut]


class VacancyPage(s.Page, frozen=True, kw_only=True):
    items: list[s.VacancyOut]


class CoursePage(s.Page, frozen=True, kw_only=True):
    items: list[s.CourseOut]


def wants_geojson(request: Request[Any, Any, Any], fmt: str | None) -> bool:
    return fmt == "geojson" or GEOJSON_MEDIA_TYPE in request.headers.get("accept", "")


def facilities_geojson(items: list[s.FacilityOut]) -> FeatureCollection:
    return FeatureCollection(
        features=[
            Feature(
                id=f.id,
                geometry=Point(coordinates=(f.lon, f.lat)),
                properties={
                    "name": f.name,
                    "kind": f.kind.value,
                    "kind_label": f.kind_label,
                    "address": f.address,
                    "status": f.status.value,
                    "area_code": f.area_code,
                    "places_free": f.places_free,
                    "phone": f.phone,
                    "crs": f.crs,
                },
            )
            for f in items
        ]
    )


def written_as_parsed(request: Request[Any, Any, Any], value: int) -> None:
    """An int path segment is parsed with int(), which also takes full-width and other Unicode
    digits ("/facilities/１２"), a sign or spaces. Only the ASCII spelling is a facility path; any
    other is answered as "/facilities/abc" is: no such route."""
    if request.scope["path"].rstrip("/").rsplit("/", 1)[-1] != str(value):
        raise NotFound("没有这个地址", "No such route", code="route_not_found")


class AreaController(Controller):
    path = "/v1/areas"
    tags = ["directory"]

    @get(
        "/",
        sync_to_thread=True,
        summary="Areas: district, subdistricts/towns, communities/villages; their boundaries as GeoJSON with ?format=geojson",
        opt=representations(MediaType.JSON, GEOJSON_MEDIA_TYPE),
    )
    def list_areas(
        self,
        request: Request[Any, Any, Any],
        db_session: Session,
        level: AreaLevel | None = None,
        parent: Text = None,
        crs: Crs = Datum.WGS84,
        format: Literal["json", "geojson"] | None = None,
    ) -> Response[AreaList | FeatureCollection]:
        if wants_geojson(request, format):
            features = service.area_features(db_session, level, parent, crs)
            return Response(features, media_type=GEOJSON_MEDIA_TYPE)
        return Response(AreaList(items=service.list_areas(db_session, level, parent, crs)))

    @get(
        "/{code:str}",
        sync_to_thread=True,
        summary="One area with its polygon (GeoJSON)",
        responses=problem_responses(404),
    )
    def get_area(self, db_session: Session, code: str, crs: Crs = Datum.WGS84) -> s.AreaDetail:
        return service.get_area(db_session, code, crs)


class FacilityController(Controller):
    path = "/v1/facilities"
    tags = ["directory"]

    @get(
        "/",
        sync_to_thread=True,
        summary="Facilities, filtered and paged; GeoJSON with ?format=geojson or Accept: application/geo+json",
        responses=problem_responses(404),
        opt=representations(MediaType.JSON, GEOJSON_MEDIA_TYPE, MediaType.JSON),
    )
    def list_facilities(
        self,
        request: Request[Any, Any, Any],
        db_session: Session,
        geo: GeoContext,
        kind: FacilityKind | None = None,
        area: Text = None,
        status: FacilityStatus | None = None,
        q: Text = None,
        limit: Annotated[
            int,
            Parameter(
                ge=1,
                le=MAX_COMPACT,
                description="page size (1–200; with format=compact up to 5000)",
            ),
        ] = 50,
        offset: Offset = 0,
        crs: Crs = Datum.WGS84,
        format: Literal["json", "geojson", "compact"] | None = None,
        bbox: Annotated[
            str | None,
            Parameter(
                max_length=120,
                schema_extra={"pattern": BBOX_PATTERN},  # the document only: parse_bbox says why
                description="min_lon,min_lat,max_lon,max_lat in `crs`: only facilities in this box",
                examples=[Example(value="120.10,33.33,120.22,33.42")],
            ),
        ] = None,
    ) -> Response[FacilityPage | FeatureCollection | s.FacilityPoints]:
        box = None if bbox is None else parse_bbox(bbox, crs)
        flt = service.FacilityFilter(kind=kind, area_code=area, status=status, q=q, bbox=box)
        if format == "compact" and status is FacilityStatus.ACTIVE and area is None and not q:
            points = active_points_in_box(geo.snapshot, kind, box, limit, offset, crs)
            return Response(points)
        if format == "compact":
            return Response(service.facility_points(db_session, flt, limit, offset, crs))
        check_page_size(limit)
        items, total = service.list_facilities(db_session, flt, limit, offset, crs)
        if wants_geojson(request, format):
            return Response(facilities_geojson(items), media_type=GEOJSON_MEDIA_TYPE)
        return Response(FacilityPage(total=total, limit=limit, offset=offset, items=items))

    @get(
        "/{facility_id:int}",
        sync_to_thread=True,
        summary="One facility, with its ETag",
        responses=problem_responses(404),
    )
    def get_facility(
        self,
        request: Request[Any, Any, Any],
        db_session: Session,
        facility_id: Id,
        crs: Crs = Datum.WGS84,
    ) -> Response[s.FacilityOut]:
        written_as_parsed(request, facility_id)
        out = service.get_facility(db_session, facility_id, crs)
        # The validator a change must send back in If-Match (editing routes).
        return Response(out, headers={"ETag": service.record_etag("facility", out.id, out.version)})


class JobsController(Controller):
    path = "/v1"
    tags = ["jobs"]

    @get("/employers", sync_to_thread=True, summary="Employers", responses=problem_responses(404))
    def list_employers(
        self,
        db_session: Session,
        q: Text = None,
        area: Text = None,
        limit: Limit = 50,
        offset: Offset = 0,
        crs: Crs = Datum.WGS84,
    ) -> EmployerPage:
        items, total = service.list_employers(db_session, q, area, limit, offset, crs)
        return EmployerPage(total=total, limit=limit, offset=offset, items=items)

    @get(
        "/vacancies",
        sync_to_thread=True,
        summary="Vacancies (open ones by default)",
        responses=problem_responses(404),
    )
    def list_vacancies(
        self,
        db_session: Session,
        occupation: Annotated[str | None, Parameter(pattern=r"^[1-8](-[0-9]{2}){0,3}$")] = None,
        wage_min: Annotated[
            int | None, Parameter(ge=0, le=1_000_000, schema_extra={"minimum": 0})
        ] = None,
        area: Text = None,
        open: bool = True,
        q: Text = None,
        limit: Limit = 50,
        offset: Offset = 0,
        crs: Crs = Datum.WGS84,
    ) -> VacancyPage:
        flt = service.VacancyFilter(
            occupation_code=occupation, wage_at_least=wage_min, area_code=area, open_only=open, q=q
        )
        items, total = service.list_vacancies(db_session, flt, limit, offset, crs)
        return VacancyPage(total=total, limit=limit, offset=offset, items=items)

    @get("/training-courses", sync_to_thread=True, summary="Training courses")
    def list_courses(
        self,
        db_session: Session,
        occupation: Annotated[str | None, Parameter(pattern=r"^[1-8](-[0-9]{2}){2,3}$")] = None,
        subsidised: bool | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
        crs: Crs = Datum.WGS84,
    ) -> CoursePage:
        items, total = service.list_courses(db_session, occupation, subsidised, limit, offset, crs)
        return CoursePage(total=total, limit=limit, offset=offset, items=items)
