"""Checks of a district's geography folder, on data already read: the district file and the
GeoJSON layers as decoded JSON. Each failure is a `Problem` naming the file, the feature and what
is wrong, so an adopter can fix their files without reading code. No file access here
(folder.py reads the folder), no framework, no database."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import msgspec
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from leye_yiyang.district import District

LAYERS = ("district.geojson", "subdistricts.geojson", "communities.geojson")
PLACES = "places.geojson"
LEVELS = {
    "district.geojson": ("district",),
    "subdistricts.geojson": ("subdistrict", "town"),
    "communities.geojson": ("community", "village"),
}
# RFC 7946 has no "crs" member; older files name WGS-84 explicitly, which is fine.
WGS84_NAMES = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
               "urn:ogc:def:crs:EPSG::4326")  # fmt: skip
# Mainland China with a margin: a point outside is swapped, projected or simply elsewhere.
CHINA = (73.0, 3.0, 136.0, 54.0)
# A child may stick out of its parent by rounding slivers: ~1 m (parents drop the vertices their
# children add on shared edges, so 6-decimal rounding leaves centimetre gaps).
INSIDE_TOLERANCE_DEG = 1e-5
COVER_TOLERANCE = 0.005  # children may leave at most 0.5 % of a parent's area uncovered
POPULATION_FIELDS = ("population", "population_60_plus", "population_0_3")
_CODE12 = re.compile(r"^[0-9]{12}$")


class Problem(msgspec.Struct, frozen=True):
    file: str
    feature: str  # "code name", "#index" or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.feature}" if self.feature else self.file
        return f"{where}: {self.message}"


class Area(msgspec.Struct, frozen=True):
    file: str
    code: str
    name: str
    level: str
    parent_code: str | None
    props: dict[str, Any]
    geometry: Any  # shapely geometry; Any keeps msgspec from inspecting it

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def label(index: int, props: Mapping[str, Any]) -> str:
    code, name = props.get("code"), props.get("name")
    return " ".join(str(x) for x in (code, name) if x) or f"#{index}"


def check_collection(file: str, data: Any) -> list[Problem]:
    """The file-level rules: a FeatureCollection in WGS-84."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem(file, "", "is not a GeoJSON FeatureCollection")]
    if not isinstance(data.get("features"), list):
        return [Problem(file, "", "has no list of features")]
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if name not in WGS84_NAMES:
            return [
                Problem(
                    file,
                    "",
                    f"declares CRS {name or crs!r}; coordinates must be WGS-84 lon/lat "
                    "(RFC 7946: no crs member, or CRS84 / EPSG:4326)",
                )
            ]
    return []


def _positions(coords: Any) -> Iterator[Sequence[float]]:
    if coords and isinstance(coords[0], int | float):
        yield coords
        return
    for part in coords or ():
        yield from _positions(part)


def check_coordinates(file: str, feature: str, geometry: Mapping[str, Any]) -> list[Problem]:
    for position in _positions(geometry.get("coordinates")):
        if len(position) < 2 or not all(isinstance(v, int | float) for v in position[:2]):
            return [Problem(file, feature, f"position {position!r} is not [lon, lat]")]
        lon, lat = float(position[0]), float(position[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return [Problem(file, feature, f"position [{lon}, {lat}] is not finite")]
        if not (CHINA[0] <= lon <= CHINA[2] and CHINA[1] <= lat <= CHINA[3]):
            hint = "swapped?" if CHINA[0] <= lat <= CHINA[2] else "projected, not WGS-84?"
            return [
                Problem(
                    file,
                    feature,
                    f"position [{lon}, {lat}] is outside China as WGS-84 lon/lat ({hint})",
                )
            ]
    return []


def check_polygon(file: str, feature: str, geometry: Mapping[str, Any]) -> list[Problem]:
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return [Problem(file, feature, f"geometry is {kind}, expected Polygon or MultiPolygon")]
    polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        for ring in polygon:
            if len(ring) < 4:
                return [Problem(file, feature, f"a ring has {len(ring)} positions, at least 4")]
            if list(ring[0]) != list(ring[-1]):
                return [
                    Problem(
                        file, feature, f"a ring is not closed: starts {ring[0]}, ends {ring[-1]}"
                    )
                ]
    geom = shape(geometry)
    if not geom.is_valid:
        why = shapely.is_valid_reason(geom)
        return [Problem(file, feature, f"invalid polygon: {why}")]
    return []


def read_areas(file: str, data: Any) -> tuple[list[Area], list[Problem]]:
    """The features of one area layer, and what is wrong with each on its own."""
    areas: list[Area] = []
    problems = check_collection(file, data)
    if problems:
        return areas, problems
    for index, feature in enumerate(data["features"]):
        props = feature.get("properties") or {} if isinstance(feature, dict) else {}
        where = label(index, props)
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            problems.append(Problem(file, where, "has no geometry"))
            continue
        found = check_coordinates(file, where, geometry) or check_polygon(file, where, geometry)
        found += check_properties(file, where, props)
        problems += found
        if not found:
            areas.append(
                Area(
                    file=file,
                    code=str(props["code"]),
                    name=str(props["name"]),
                    level=str(props["level"]),
                    parent_code=props.get("parent_code"),
                    props=dict(props),
                    geometry=shape(geometry),
                )
            )
    return areas, problems


def check_properties(file: str, where: str, props: Mapping[str, Any]) -> list[Problem]:
    problems = [
        Problem(file, where, f"property {key!r} is missing")
        for key in ("code", "name", "level", "population")
        if props.get(key) in (None, "")
    ]
    if problems:
        return problems
    if props["level"] not in LEVELS[file]:
        allowed = " or ".join(LEVELS[file])
        problems.append(Problem(file, where, f"level {props['level']!r}: expected {allowed}"))
    for key in POPULATION_FIELDS:
        value = props.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(Problem(file, where, f"{key} {value!r} is not a whole number"))
        elif value is not None and value < 0:
            problems.append(Problem(file, where, f"{key} {value} is negative"))
    return problems


def square_metres(geom: BaseGeometry) -> float:
    """Rough planar area in m² at the geometry's latitude: enough to say how big a problem is."""
    lat = math.radians(geom.centroid.y) if not geom.is_empty else 0.0
    return float(geom.area) * 111_320.0**2 * math.cos(lat)


def check_codes(district: District, layers: dict[str, list[Area]]) -> list[Problem]:
    """Code formats, uniqueness and parent links down the three layers."""
    problems: list[Problem] = []
    seen: dict[str, Area] = {}
    for area in (a for file in LAYERS for a in layers.get(file, [])):
        if area.code in seen:
            problems.append(Problem(area.file, area.label, f"code repeats {seen[area.code].label}"))
        seen[area.code] = area
    for area in layers.get("district.geojson", []):
        if area.code != district.code:
            problems.append(
                Problem(
                    area.file, area.label, f"code differs from district.json's {district.code!r}"
                )
            )
    parents = {a.code: a for a in layers.get("district.geojson", [])}
    for file in LAYERS[1:]:
        for area in layers.get(file, []):
            problems += _code_problems(area, district, parents)
        parents = {a.code: a for a in layers.get(file, [])}
    return problems


def _code_problems(area: Area, district: District, parents: dict[str, Area]) -> list[Problem]:
    if not _CODE12.match(area.code):
        return [Problem(area.file, area.label, "code must be 12 digits (statistical code)")]
    if not area.code.startswith(district.code):
        return [Problem(area.file, area.label, f"code must start with {district.code}")]
    parent = parents.get(str(area.parent_code))
    if parent is None:
        return [Problem(area.file, area.label, f"parent_code {area.parent_code!r} is unknown")]
    if area.file == "communities.geojson" and area.code[:9] != parent.code[:9]:
        return [
            Problem(area.file, area.label, f"code must start with its parent's {parent.code[:9]}")
        ]
    return []


def check_nesting(layers: dict[str, list[Area]]) -> list[Problem]:
    """Every child inside its parent; the children together cover it; populations add up."""
    problems: list[Problem] = []
    all_parents = {a.code: a for f in LAYERS[:2] for a in layers.get(f, [])}
    children: dict[str, list[Area]] = {}
    for area in (a for f in LAYERS[1:] for a in layers.get(f, [])):
        parent = all_parents.get(str(area.parent_code))
        if parent is None:
            continue
        children.setdefault(parent.code, []).append(area)
        outside = area.geometry.difference(parent.geometry.buffer(INSIDE_TOLERANCE_DEG))
        if not outside.is_empty and square_metres(outside) > 1.0:
            problems.append(
                Problem(
                    area.file,
                    area.label,
                    f"extends {square_metres(outside):,.0f} m² outside its parent {parent.label}",
                )
            )
    for code, kids in children.items():
        parent = all_parents[code]
        union = shapely.union_all([k.geometry for k in kids])
        missing = parent.geometry.area - union.intersection(parent.geometry).area
        if missing > COVER_TOLERANCE * parent.geometry.area:
            share = missing / parent.geometry.area
            problems.append(
                Problem(parent.file, parent.label, f"{share:.1%} of it is in none of its children")
            )
        problems += _population_problems(parent, kids)
    for parent in all_parents.values():
        if parent.code not in children:
            problems.append(Problem(parent.file, parent.label, "has no children"))
    return problems


def _population_problems(parent: Area, kids: list[Area]) -> list[Problem]:
    problems = []
    for key in POPULATION_FIELDS:
        values = [k.props.get(key) for k in kids]
        stated = parent.props.get(key)
        if stated is None or any(v is None for v in values):
            continue
        total = sum(int(v) for v in values if v is not None)
        if abs(total - int(stated)) > max(1, 0.001 * int(stated)):
            problems.append(
                Problem(
                    parent.file,
                    parent.label,
                    f"{key} is {stated:,} but its {len(kids)} children sum to {total:,}",
                )
            )
    return problems


def check_places(data: Any, communities: list[Area]) -> list[Problem]:
    problems = check_collection(PLACES, data)
    if problems:
        return problems
    by_code = {a.code: a for a in communities}
    for index, feature in enumerate(data["features"]):
        props = feature.get("properties") or {}
        where = str(props.get("name") or f"#{index}")
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            problems.append(Problem(PLACES, where, "geometry must be a Point"))
            continue
        found = check_coordinates(PLACES, where, geometry)
        if not found and not props.get("name"):
            found.append(Problem(PLACES, where, "property 'name' is missing"))
        area = by_code.get(str(props.get("area_code")))
        if not found and area is None:
            found.append(Problem(PLACES, where, f"area_code {props.get('area_code')!r} is unknown"))
        elif not found and area is not None:
            point = Point(geometry["coordinates"][:2])
            if area.geometry.distance(point) > INSIDE_TOLERANCE_DEG:
                found.append(Problem(PLACES, where, f"lies outside its area {area.label}"))
        problems += found
    return problems
