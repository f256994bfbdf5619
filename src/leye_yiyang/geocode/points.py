"""Turning what a client sent (lon/lat in some datum, or an address) into one checked WGS-84 point.

Every endpoint that takes a point goes through `resolve_point`, so the checks and their error codes
are the same everywhere."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

import msgspec

from leye_yiyang.errors import InvalidInput, NotFound, Unprocessable
from leye_yiyang.geocode.geocoder import MAX_CANDIDATES, Match, Resolution
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client, to_wgs84
from leye_yiyang.spatial.region import ServiceRegion


class Located(msgspec.Struct, frozen=True, kw_only=True):
    """The point a query was answered for, shown back so a person can check it."""

    lon: float
    lat: float
    crs: Datum
    wgs84: tuple[float, float]
    source: str  # "coordinates" | "address" | "area"
    matched: str | None = None
    address_match: dict[str, Any] | None = None


class Resolver(Protocol):
    def resolve(self, query: str) -> Any: ...


def _finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise InvalidInput(
            f"{name} 必须是有限数值",
            f"{name} must be a finite number",
            code="invalid_coordinate",
            field=name,
        )


def check_coordinates(lon: float, lat: float) -> None:
    _finite("lon", lon)
    _finite("lat", lat)
    if not -90 <= lat <= 90 and -90 <= lon <= 90 and -180 <= lat <= 180:
        raise InvalidInput(
            f"经纬度可能写反了：纬度 {lat} 超出 ±90，而经度 {lon} 像是纬度（应为 lon=经度, lat=纬度）",
            f"Longitude and latitude look swapped: lat {lat} is beyond ±90 while lon {lon} looks "
            "like a latitude (send lon=longitude, lat=latitude)",
            code="coordinates_swapped",
            field="lat",
        )
    if not -180 <= lon <= 180:
        raise InvalidInput(
            f"经度 {lon} 超出 −180…180",
            f"Longitude {lon} is outside -180..180",
            code="coordinate_out_of_range",
            field="lon",
        )
    if not -90 <= lat <= 90:
        raise InvalidInput(
            f"纬度 {lat} 超出 −90…90",
            f"Latitude {lat} is outside -90..90",
            code="coordinate_out_of_range",
            field="lat",
        )


def check_in_region(point: LonLat, region: ServiceRegion, region_name: str) -> None:
    if not region.contains(point):
        raise Unprocessable(
            f"该位置不在服务范围内：{region_name}（行政区边界外扩 {region.margin_m / 1000:g} 公里）",
            f"The point is outside the service region: {region_name} "
            f"(the district boundary plus {region.margin_m / 1000:g} km)",
            code="outside_service_region",
            field="lon",
            extra={"region": region_name, "wgs84": [point.lon, point.lat]},
        )


def resolve_point(
    *,
    lon: float | None,
    lat: float | None,
    crs: Datum,
    address: str | None,
    region: ServiceRegion,
    region_name: str,
    geocoder: Resolver,
) -> Located:
    if lon is not None or lat is not None:
        if lon is None or lat is None:
            missing = "lat" if lat is None else "lon"
            raise InvalidInput(
                "经度和纬度须同时提供",
                "Both lon and lat are required",
                code="point_incomplete",
                field=missing,
            )
        check_coordinates(lon, lat)
        wgs = to_wgs84(LonLat(lon, lat), crs)
        check_in_region(wgs, region, region_name)
        return _located(wgs, crs, "coordinates")
    if address:
        return _from_address(address, crs, region, region_name, geocoder)
    raise InvalidInput(
        "请提供位置：lon 和 lat，或 address",
        "Give a place: lon and lat, or address",
        code="point_required",
        field="lon",
    )


def best_match(
    result: Resolution, query: str, field: str, candidate: Callable[[Match], object]
) -> Match:
    """The answer of a resolved address, or the problem every address-taking endpoint gives:
    404 when nothing matches, 422 with the candidates (as `candidate` shows them) when several
    places fit equally well."""
    if result.status == "ambiguous":
        raise Unprocessable(
            f"地址「{query}」有多个可能的位置，请写得更具体",
            f"Address {query!r} is ambiguous; please be more specific",
            code="address_ambiguous",
            field=field,
            extra={"candidates": [candidate(c) for c in result.candidates[:MAX_CANDIDATES]]},
        )
    if result.best is None:
        raise NotFound(
            f"找不到地址「{query}」",
            f"Address not found: {query!r}",
            code="address_not_found",
            field=field,
        )
    return result.best


def _from_address(
    address: str, crs: Datum, region: ServiceRegion, region_name: str, geocoder: Resolver
) -> Located:
    result = geocoder.resolve(address)
    best = best_match(result, address, "address", msgspec.to_builtins)
    wgs = LonLat(*best.point)
    check_in_region(wgs, region, region_name)
    return _located(wgs, crs, "address", best.matched, msgspec.to_builtins(best))


def _located(
    wgs: LonLat,
    crs: Datum,
    source: str,
    matched: str | None = None,
    match: dict[str, Any] | None = None,
) -> Located:
    out = for_client(wgs, crs)
    return Located(
        lon=out.lon,
        lat=out.lat,
        crs=crs,
        wgs84=(round(wgs.lon, 7), round(wgs.lat, 7)),
        source=source,
        matched=matched,
        address_match=match,
    )


class Places:
    """What resolving a point needs, from one snapshot: the service region, the district's name,
    the geocoder and area names. Built once per snapshot; a plain class because litestar passes
    dependency values through msgspec, which would convert a dataclass field by field."""

    __slots__ = ("area_names", "geocoder", "region", "region_name")

    def __init__(
        self,
        region: ServiceRegion,
        region_name: str,
        geocoder: Resolver,
        area_names: dict[str, str],
    ) -> None:
        self.region = region
        self.region_name = region_name
        self.geocoder = geocoder
        self.area_names = area_names

    def with_geocoder(self, geocoder: Resolver) -> Places:
        return Places(self.region, self.region_name, geocoder, self.area_names)

    def locate(
        self, lon: float | None, lat: float | None, crs: Datum, address: str | None
    ) -> Located:
        return resolve_point(
            lon=lon,
            lat=lat,
            crs=crs,
            address=address,
            region=self.region,
            region_name=self.region_name,
            geocoder=self.geocoder,
        )
