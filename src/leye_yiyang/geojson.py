"""GeoJSON (RFC 7946) as tagged msgspec Structs, after msgspec's own GeoJSON example.
Positions are [lon, lat]: the RFC's order and ours."""

from __future__ import annotations

from typing import Any

import msgspec

Position = tuple[float, float]


class Geometry(msgspec.Struct, frozen=True, tag_field="type"):
    pass


class Point(Geometry, frozen=True, tag=True):
    coordinates: Position


class LineString(Geometry, frozen=True, tag=True):
    coordinates: list[Position]


class Polygon(Geometry, frozen=True, tag=True):
    coordinates: list[list[Position]]


class MultiPolygon(Geometry, frozen=True, tag=True):
    coordinates: list[list[list[Position]]]


AnyGeometry = Point | LineString | Polygon | MultiPolygon


class Feature(msgspec.Struct, frozen=True, tag=True, tag_field="type"):
    geometry: AnyGeometry | None
    properties: dict[str, Any] | None = None
    id: str | int | None = None


class FeatureCollection(msgspec.Struct, frozen=True, tag=True, tag_field="type"):
    features: list[Feature]


GEOJSON_MEDIA_TYPE = "application/geo+json"


def geometry_from_mapping(mapping: dict[str, Any]) -> AnyGeometry:
    geometry: AnyGeometry = msgspec.convert(mapping, type=AnyGeometry)
    return geometry
