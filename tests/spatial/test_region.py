"""The service region: the outline plus a margin measured in metres on the ground."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box, shape

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import GEOD
from leye_yiyang.spatial.region import ServiceRegion

OUTLINE = box(119.98, 33.16, 120.55, 33.81)


def _east_of_edge(metres: float) -> LonLat:
    lon, lat, _ = GEOD.fwd(120.55, 33.5, 90.0, metres)
    return LonLat(lon, lat)


def test_inside_and_margin() -> None:
    region = ServiceRegion(OUTLINE)
    assert region.margin_m == 2_000.0
    assert region.contains(LonLat(120.131, 33.385))
    assert region.contains(_east_of_edge(1_900.0))
    assert not region.contains(_east_of_edge(2_100.0))
    lon, lat, _ = GEOD.fwd(119.98, 33.16, 225.0, 1_900.0)  # around a corner, diagonally
    assert region.contains(LonLat(lon, lat))
    lon, lat, _ = GEOD.fwd(119.98, 33.16, 225.0, 2_100.0)
    assert not region.contains(LonLat(lon, lat))


def test_zero_margin_and_multipolygons() -> None:
    pieces = MultiPolygon([box(120.0, 33.2, 120.3, 33.6), box(120.41, 33.75, 120.47, 33.81)])
    region = ServiceRegion(pieces, margin_m=0.0)
    assert region.contains(LonLat(120.44, 33.78))
    assert not region.contains(LonLat(120.35, 33.7))
    many = region.contains_many([120.44, 120.35], [33.78, 33.7])
    assert many.tolist() == [True, False]


def test_bad_regions() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        ServiceRegion(MultiPolygon())
    with pytest.raises(ValueError, match="margin"):
        ServiceRegion(OUTLINE, margin_m=-1.0)


DISTRICT = ServiceRegion(
    shape(
        json.loads((Path(__file__).parents[2] / "geo" / "district.geojson").read_text())[
            "features"
        ][0]["geometry"]
    )
)


@settings(max_examples=500, deadline=None)
@given(st.floats(119.9, 120.7), st.floats(33.1, 33.9))
def test_the_cell_shortcut_answers_exactly_as_the_outline_test(lon: float, lat: float) -> None:
    """Most points are decided by a grid of cells known to be inside or outside; the answer must
    be the exact point-in-polygon one everywhere, edge cells and cell borders included."""
    exact = bool(shapely.intersects_xy(DISTRICT.area, lon, lat))
    assert DISTRICT.contains(LonLat(lon, lat)) == exact


def test_points_on_the_grid_lines_and_the_outline_itself_are_exact() -> None:
    lon0, lat0, lon1, lat1 = DISTRICT.area.bounds
    ring = shapely.get_coordinates(DISTRICT.area)[::7]
    grid = [
        (lon0 + (lon1 - lon0) * i / 128, lat0 + (lat1 - lat0) * j / 128)
        for i in range(0, 129, 8)
        for j in range(0, 129, 8)
    ]
    for lon, lat in [*map(tuple, ring), *grid]:
        exact = bool(shapely.intersects_xy(DISTRICT.area, lon, lat))
        assert DISTRICT.contains(LonLat(lon, lat)) == exact
