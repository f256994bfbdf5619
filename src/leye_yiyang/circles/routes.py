"""HTTP for the geo engine: nearby, circles, coverage (JSON, GeoJSON, CSV), suggestions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Annotated, Any, Literal

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import Parameter

from leye_yiyang.circles import schemas as c
from leye_yiyang.circles import service
from leye_yiyang.circles.suggest import suggest
from leye_yiyang.district import District
from leye_yiyang.errors import InvalidInput, NotFound, Unprocessable
from leye_yiyang.geocode.points import Located, resolve_point
from leye_yiyang.geojson import GEOJSON_MEDIA_TYPE, Feature, FeatureCollection, geometry_in
from leye_yiyang.openapi import place_parameters, representations
from leye_yiyang.problems import problem_responses
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.spatial.travel import TravelMode
from leye_yiyang.vocab import FacilityKind

Coord = Annotated[float | None, Parameter(description="WGS-84/GCJ-02/BD-09 degrees, per `crs`")]
Address = Annotated[
    str | None,
    Parameter(
        max_length=200,
        description="an address or place name instead of lon/lat",
        schema_extra={"minLength": 1},  # an empty address is no address: 400 point_required
    ),
]
Crs = Annotated[Datum, Parameter(description="datum of the coordinates sent and returned")]
Mode = Annotated[TravelMode, Parameter(description="travel profile")]
# Documented, not validated by the framework: check_minutes answers with its own code.
Minutes = Annotated[
    float | None,
    Parameter(
        description="travel minutes (0–180]",
        schema_extra={"exclusiveMinimum": 0, "maximum": 180},
    ),
]
# An address may be unknown (404), ambiguous or outside the service region (422), or the
# online geocoder, when one is configured, may not answer (503).
PLACE_PROBLEMS = problem_responses(404, 422, 503)


def check_minutes(minutes: float | None, default: float | None) -> float | None:
    if minutes is None:
        return default
    if not math.isfinite(minutes) or minutes <= 0 or minutes > 180:
        raise InvalidInput(
            "minutes 须大于 0 且不超过 180",
            "minutes must be greater than 0 and at most 180",
            code="minutes_out_of_range",
            field="minutes",
        )
    return minutes


class GeoController(Controller):
    path = "/v1"
    tags = ["geo"]

    @get(
        "/facilities/nearby",
        sync_to_thread=False,
        summary="Nearest facilities by travel time",
        responses=PLACE_PROBLEMS,
        opt=place_parameters(),
    )
    def nearby(
        self,
        geo: GeoContext,
        lon: Coord = None,
        lat: Coord = None,
        crs: Crs = Datum.WGS84,
        address: Address = None,
        kind: FacilityKind | None = None,
        mode: Mode = TravelMode.WALK,
        minutes: Minutes = None,
        limit: Annotated[int, Parameter(ge=1, le=service.MAX_LIMIT)] = 10,
        open_at: dt.datetime | None = None,
    ) -> Response[c.NearbyResult]:
        origin = geo.snapshot.places.locate(lon, lat, crs, address)
        body = service.nearby(
            geo.snapshot,
            geo.travel,
            origin,
            kind,
            mode,
            check_minutes(minutes, None),
            limit,
            open_at,
        )
        # Already the JSON of a NearbyResult (service.nearby says why); the annotation is what
        # the OpenAPI document shows, and litestar sends bytes as they are.
        return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]

    @get(
        "/circles",
        sync_to_thread=False,
        summary="The service circle of a place",
        responses=PLACE_PROBLEMS,
        opt=place_parameters("area"),
    )
    def circle(
        self,
        geo: GeoContext,
        lon: Coord = None,
        lat: Coord = None,
        crs: Crs = Datum.WGS84,
        address: Address = None,
        area: Annotated[str | None, Parameter(max_length=20)] = None,
        mode: Mode = TravelMode.WALK,
        minutes: Minutes = None,
    ) -> c.CircleResult:
        if area is not None:
            origin = area_origin(geo.snapshot, area, crs)
        else:
            origin = geo.snapshot.places.locate(lon, lat, crs, address)
        return service.circle(
            geo.snapshot, geo.travel, origin, mode, check_minutes(minutes, 15) or 15
        )

    @get(
        "/coverage",
        sync_to_thread=True,
        summary="Population within reach, per community; GeoJSON or CSV by `format` or Accept",
        opt=representations(MediaType.JSON, GEOJSON_MEDIA_TYPE, "text/csv"),
    )
    def coverage(
        self,
        request: Request[Any, Any, Any],
        geo: GeoContext,
        kind: FacilityKind,
        mode: Mode = TravelMode.WALK,
        minutes: Minutes = None,
        format: Literal["json", "geojson", "csv"] | None = None,
        crs: Crs = Datum.WGS84,
    ) -> Response[c.CoverageResult | FeatureCollection | str]:
        snapshot = geo.snapshot
        result = service.coverage(
            snapshot, geo.travel, kind, mode, check_minutes(minutes, 15) or 15
        )
        accept = request.headers.get("accept", "")
        if format == "csv" or (format is None and "text/csv" in accept):
            return Response(
                coverage_csv(result, snapshot.geography.district),
                media_type="text/csv; charset=utf-8",
            )
        if format == "geojson" or (format is None and GEOJSON_MEDIA_TYPE in accept):
            return Response(coverage_geojson(snapshot, result, crs), media_type=GEOJSON_MEDIA_TYPE)
        return Response(result)

    @post(
        "/coverage/suggest",
        sync_to_thread=True,
        status_code=200,
        summary="Where to build next",
        responses=problem_responses(422),
    )
    def suggest(self, geo: GeoContext, data: c.SuggestRequest) -> c.SuggestResult:
        return suggest(geo.snapshot, geo.travel, data)


def area_origin(snap: DirectorySnapshot, code: str, crs: Datum) -> Located:
    view = snap.geography.areas.get(code)
    if view is None:
        raise NotFound(
            f"没有编码为 {code} 的区域",
            f"No area with code {code}",
            code="area_not_found",
            field="area",
        )
    if not view.is_leaf:
        raise Unprocessable(
            "area 须为社区或村",
            "area must be a community or village",
            code="area_not_community",
            field="area",
        )
    located = resolve_point(
        lon=view.centroid.lon,
        lat=view.centroid.lat,
        crs=Datum.WGS84,
        address=None,
        region=snap.geography.region,
        region_name=snap.geography.district_name,
        geocoder=snap.places.geocoder,
    )
    converted = for_client(LonLat(*located.wgs84), crs)
    return Located(
        lon=converted.lon,
        lat=converted.lat,
        crs=crs,
        wgs84=located.wgs84,
        source="area",
        matched=view.name,
    )


def coverage_csv(result: c.CoverageResult, district: District) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "社区编码 code",
            "名称 name",
            "上级 parent",
            "人口 population",
            "覆盖人口 covered",
            "覆盖率 share",
            "最近设施距离米 nearest_m",
        ]
    )
    for row in result.communities:
        writer.writerow(
            [
                row.code,
                row.name,
                row.parent_code or "",
                row.population,
                row.covered_population,
                f"{row.share:.4f}",
                "" if row.nearest_facility_m is None else f"{row.nearest_facility_m:.1f}",
            ]
        )
    writer.writerow(
        [
            district.code,
            district.coverage_total_label,
            "",
            result.population,
            result.covered_population,
            f"{result.share:.4f}",
            "",
        ]
    )
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 CSV correctly only with it


def coverage_geojson(
    snap: DirectorySnapshot, result: c.CoverageResult, crs: Datum
) -> FeatureCollection:
    areas = snap.geography.areas
    return FeatureCollection(
        features=[
            Feature(
                id=row.code,
                geometry=geometry_in(areas[row.code].geometry, crs),
                properties={
                    "name": row.name,
                    "population": row.population,
                    "covered_population": row.covered_population,
                    "share": row.share,
                    "nearest_facility_m": row.nearest_facility_m,
                    "kind": result.kind.value,
                },
            )
            for row in result.communities
        ]
    )
