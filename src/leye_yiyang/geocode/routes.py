"""HTTP for the geocoder: resolve an address or place name to a point a person can check."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from leye_yiyang.geocode.geocoder import Match
from leye_yiyang.geocode.points import Places, best_match
from leye_yiyang.problems import problem_responses
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client


class Place(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: str
    lon: float
    lat: float
    crs: Datum
    area_code: str | None
    area_name: str | None
    matched: str
    unresolved: str
    score: float


class GeocodeResult(msgspec.Struct, frozen=True, kw_only=True):
    query: str
    normalized: str
    best: Place
    alternatives: list[Place]


def place(match: Match, crs: Datum, area_names: dict[str, str]) -> Place:
    p = for_client(LonLat(*match.point), crs)
    return Place(
        name=match.name,
        kind=match.kind,
        lon=p.lon,
        lat=p.lat,
        crs=crs,
        area_code=match.area_code,
        area_name=area_names.get(match.area_code or ""),
        matched=match.matched,
        unresolved=match.unresolved,
        score=round(match.score, 3),
    )


class GeocodeController(Controller):
    path = "/v1/geocode"
    tags = ["geo"]

    @get(
        "/",
        sync_to_thread=False,
        summary="Resolve an address or place name (offline gazetteer)",
        responses=problem_responses(404, 422, 503),
    )
    def geocode(
        self,
        places: Places,
        q: Annotated[str, Parameter(min_length=1, max_length=200, description="地址或地名")],
        crs: Datum = Datum.WGS84,
    ) -> GeocodeResult:
        names = places.area_names
        result = places.geocoder.resolve(q)
        best = best_match(result, q, "q", lambda c: msgspec.to_builtins(place(c, crs, names)))
        return GeocodeResult(
            query=result.query,
            normalized=result.normalized,
            best=place(best, crs, names),
            alternatives=[place(c, crs, names) for c in result.candidates[1:]],
        )
