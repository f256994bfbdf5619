"""GeoJSON (RFC 7946) as tagged msgspec Structs, after msgspec's own GeoJSON example.
Positions are [lon, lat]: the RFC's order and ours."""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt
import shapely
import shapely.geometry
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from leye_yiyang.spatial.datums import Datum, from_wgs84_array

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


def geometry_in(geom: BaseGeometry, crs: Datum) -> AnyGeometry:
    """A shapely geometry (WGS-84) as GeoJSON, its vertices moved to the client's datum."""

    def move(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if crs is not Datum.WGS84:
            xy = np.column_stack(from_wgs84_array(xy[:, 0], xy[:, 1], crs))
        # Rounding, not set_precision: that would snap and reorder vertices.
        return np.round(xy, 7)

    return geometry_from_mapping(shapely.geometry.mapping(shapely.transform(geom, move)))


def mapping_in(mapping: dict[str, Any], crs: Datum) -> AnyGeometry:
    """A stored GeoJSON geometry in the client's datum."""
    return geometry_in(shape(mapping), crs)
