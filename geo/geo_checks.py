"""Invariants build_geo.py asserts on the files it has just written (read back from disk)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from geo_data import TOTAL_POPULATION
from geo_shapes import geodesic_km2
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

Feature = dict[str, Any]
POP_KEYS = ("population", "population_60_plus", "population_0_3")
URBAN = ("五星街道", "文峰街道", "先锋街道", "毓龙街道", "新洋街道", "大洋街道")


def load(geo_dir: Path, name: str) -> list[Feature]:
    features: list[Feature] = json.loads((geo_dir / name).read_text("utf-8"))["features"]
    return features


def check_geometry(feat: Feature, max_vertices: int = 60) -> BaseGeometry:
    geom = shape(feat["geometry"])
    name = feat["properties"]["name"]
    assert geom.is_valid, f"{name}: invalid geometry"
    for poly in shapely.get_parts(geom):
        assert poly.exterior.is_ccw, f"{name}: exterior must be counter-clockwise (RFC 7946)"
        assert all(not ring.is_ccw for ring in poly.interiors), f"{name}: holes must be clockwise"
        assert len(poly.exterior.coords) - 1 <= max_vertices, f"{name}: too many vertices"
    assert geodesic_km2(geom) > 0
    return geom


def check_tiling(parent: BaseGeometry, children: list[BaseGeometry], label: str) -> None:
    """Children cover the parent (area within 0.1%) and do not overlap. Where a child has a
    vertex on the parent's edge that the parent lacks, the 6-decimal rounding leaves a sliver
    at most a few centimetres wide: the outer boundaries must agree to 2e-6 degrees (~0.2 m)."""
    union = shapely.orient_polygons(shapely.union_all(children))
    parent_km2 = geodesic_km2(parent)
    assert abs(geodesic_km2(union) - parent_km2) <= 0.001 * parent_km2, f"{label}: union area"
    assert shapely.symmetric_difference(union, parent).area <= 1e-4 * parent.area, f"{label}: gap"
    assert shapely.hausdorff_distance(union.boundary, parent.boundary) < 2e-6, f"{label}: edge"
    overlap = 0.0
    tree = shapely.STRtree(children)
    for i, j in zip(*tree.query(children, predicate="intersects"), strict=True):
        if i < j:
            overlap += shapely.intersection(children[i], children[j]).area
    assert overlap <= 1e-9 * parent.area, f"{label}: children overlap"
    assert bool(shapely.coverage_is_valid(children)), f"{label}: not a clean coverage"


def check_populations(parent: Feature, children: list[Feature]) -> None:
    for key in POP_KEYS:
        total = sum(c["properties"][key] for c in children)
        assert parent["properties"][key] == total, f"{parent['properties']['name']}: {key} sum"


def check_communities(comms: list[Feature]) -> None:
    codes = [c["properties"]["code"] for c in comms]
    assert len(set(codes)) == len(codes), "community codes must be unique"
    names = [c["properties"]["name"] for c in comms]
    assert len(set(names)) == len(names), "community names must be unique in the district"
    for c in comms:
        p = c["properties"]
        geom = shape(c["geometry"])
        assert geom.geom_type == "Polygon", p["name"]
        assert geom.contains(geom.representative_point()), p["name"]
        assert p["code"].startswith(p["parent_code"][:9]), p["name"]
        assert p["code"] != p["parent_code"], p["name"]
        low, high = (3_000, 15_000) if p["level"] == "community" else (1_000, 4_000)
        assert low <= p["population"] <= high, f"{p['name']}: population {p['population']}"
        assert 0.2 <= p["population_60_plus"] / p["population"] <= 0.35
        assert 0.01 <= p["population_0_3"] / p["population"] <= 0.035


def check_places(places: list[Feature], comms: list[Feature], district: BaseGeometry) -> None:
    by_code = {c["properties"]["code"]: shape(c["geometry"]) for c in comms}
    assert len(places) >= 40
    assert len({p["properties"]["name"] for p in places}) == len(places), "place names repeat"
    for place in places:
        pt = shape(place["geometry"])
        assert isinstance(pt, Point), place["properties"]["name"]
        assert district.contains(pt), place["properties"]["name"]
        assert by_code[place["properties"]["area_code"]].contains(pt), place["properties"]["name"]


def run_checks(geo_dir: Path) -> None:
    [district] = load(geo_dir, "district.geojson")
    subs = load(geo_dir, "subdistricts.geojson")
    comms = load(geo_dir, "communities.geojson")
    places = load(geo_dir, "places.geojson")
    d_geom = shape(district["geometry"])
    assert d_geom.geom_type == "MultiPolygon"
    assert len(d_geom.geoms) == 2
    assert 760 <= geodesic_km2(d_geom) <= 840
    assert district["properties"]["population"] == TOTAL_POPULATION
    check_geometry(district)
    sub_geoms = [check_geometry(s) for s in subs]
    check_tiling(d_geom, sub_geoms, "district")
    check_populations(district, subs)
    check_communities(comms)
    for sub, s_geom in zip(subs, sub_geoms, strict=True):
        kids = [c for c in comms if c["properties"]["parent_code"] == sub["properties"]["code"]]
        check_tiling(s_geom, [check_geometry(k) for k in kids], sub["properties"]["name"])
        check_populations(sub, kids)
    urban_codes = {s["properties"]["code"] for s in subs if s["properties"]["name"] in URBAN}
    assert sum(c["properties"]["parent_code"] in urban_codes for c in comms) == 67
    assert bool(shapely.coverage_is_valid([shape(c["geometry"]) for c in comms]))
    check_places(places, comms, d_geom)
    size = sum(
        (geo_dir / n).stat().st_size
        for n in (
            "district.geojson",
            "subdistricts.geojson",
            "communities.geojson",
            "places.geojson",
        )
    )
    assert size < 3_000_000
    print(
        f"ok: {len(subs)} divisions, {len(comms)} communities/villages, {len(places)} places, "
        f"{geodesic_km2(d_geom):.1f} km², {size / 1e3:.0f} kB"
    )
