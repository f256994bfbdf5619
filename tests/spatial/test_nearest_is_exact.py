"""PointIndex answers exactly what a brute-force geodesic scan over every point answers.

Reference distances come from geopy, not from the pyproj code the index uses. Directories are
random, 0–300 points in the district box, with exact duplicates, points at the origin and
mirror-image pairs thrown in to make ties.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import GEOD, distance_m, distances_m
from leye_yiyang.spatial.index import (
    SCAN_BELOW,
    PointIndex,
    _lower_weights,
    _search_box,
    _upper_weights,
)

from .brute import DISTRICT_LAT, DISTRICT_LON, check_ranking, geopy_truth


@dataclass
class Directory:
    ids: np.ndarray
    lons: np.ndarray
    lats: np.ndarray


@st.composite
def directories(draw: st.DrawFn, max_points: int = 300) -> tuple[Directory, LonLat]:
    n = draw(st.integers(0, max_points))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # Sometimes spread over the whole district, sometimes crowded into one neighbourhood.
    spread = draw(st.sampled_from([1.0, 0.05, 0.002]))
    lon_c, lat_c = rng.uniform(*DISTRICT_LON), rng.uniform(*DISTRICT_LAT)
    lons = np.clip(lon_c + rng.normal(0, spread * 0.3, n), *DISTRICT_LON)
    lats = np.clip(lat_c + rng.normal(0, spread * 0.3, n), *DISTRICT_LAT)
    if draw(st.booleans()):  # a town in the fields: dense and sparse parts in one directory
        lons[: n // 2] = rng.uniform(*DISTRICT_LON, n // 2)
        lats[: n // 2] = rng.uniform(*DISTRICT_LAT, n // 2)
    origin = LonLat(
        draw(st.floats(*DISTRICT_LON)) if draw(st.booleans()) else float(lon_c),
        draw(st.floats(*DISTRICT_LAT)),
    )
    if n >= 4 and draw(st.booleans()):
        dup = rng.integers(0, n, n // 4)
        lons[rng.integers(0, n, dup.size)] = lons[dup]
        lats[rng.integers(0, n, dup.size)] = lats[dup]
    if n >= 2 and draw(st.booleans()):
        lons[0], lats[0] = origin  # a point exactly at the origin
        d = rng.uniform(0, 0.01)  # and a mirror-image pair about it: a (near) tie
        lons[1], lats[1] = origin.lon + d, origin.lat
        if n >= 3:
            lons[2], lats[2] = origin.lon - d, origin.lat
    ids = rng.choice(10 * n + 10, n, replace=False).astype(np.int64)
    return Directory(ids, lons, lats), origin


ACCEPTORS = {
    "none": None,
    "even": lambda i: i % 2 == 0,
    "rare": lambda i: i % 7 == 3,
    "nothing": lambda _i: False,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    directories(),
    st.integers(1, 20),
    st.one_of(st.none(), st.floats(0.0, 60_000.0)),
    st.sampled_from(sorted(ACCEPTORS)),
    st.floats(0.0, 20_000.0),
)
def test_nearest_and_within_equal_brute_force(
    case: tuple[Directory, LonLat], k: int, cap: float | None, acceptor: str, radius: float
) -> None:
    directory, origin = case
    truth = geopy_truth(origin, directory.ids, directory.lons, directory.lats)
    accept = ACCEPTORS[acceptor]
    # The candidate search (scan_below=0) and, for small sets, the full scan.
    for scan_below in (0, SCAN_BELOW):
        index = PointIndex(directory.ids, directory.lons, directory.lats, scan_below=scan_below)
        check_ranking(index.nearest(origin, k), truth, k)
        check_ranking(
            index.nearest(origin, k, max_distance_m=cap),
            truth,
            k,
            cap=math.inf if cap is None else cap,
        )
        check_ranking(index.nearest(origin, k, accept=accept), truth, k, accept=accept)
        hits = index.nearest(origin, k, max_distance_m=cap, accept=accept)
        check_ranking(hits, truth, k, cap=math.inf if cap is None else cap, accept=accept)
        check_ranking(index.within(origin, radius), truth, None, cap=radius)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    directories(),
    st.integers(1, 20),
    st.one_of(st.none(), st.floats(0.0, 60_000.0)),
    st.sampled_from(["rare", "even", "none"]),
    st.sampled_from([1, 3, 10]),
)
def test_nearest_among_a_subset_equals_brute_force_over_the_subset(
    case: tuple[Directory, LonLat], k: int, cap: float | None, acceptor: str, every: int
) -> None:
    directory, origin = case
    members = {int(i) for n, i in enumerate(directory.ids) if n % every == 0}
    truth = {
        i: d
        for i, d in geopy_truth(origin, directory.ids, directory.lons, directory.lats).items()
        if i in members
    }
    accept = ACCEPTORS[acceptor]
    for scan_below in (0, SCAN_BELOW):
        index = PointIndex(directory.ids, directory.lons, directory.lats, scan_below=scan_below)
        among = index.mask_of(members)
        hits = index.nearest(origin, k, max_distance_m=cap, accept=accept, among=among)
        check_ranking(hits, truth, k, cap=math.inf if cap is None else cap, accept=accept)
        assert {h.id for h in hits} <= members


def test_among_is_applied_before_accept_is_asked() -> None:
    rng = np.random.default_rng(5)
    lons, lats = rng.uniform(*DISTRICT_LON, 5000), rng.uniform(*DISTRICT_LAT, 5000)
    index = PointIndex(np.arange(5000), lons, lats)
    members = set(range(0, 5000, 250))  # 20 of 5000
    asked: list[int] = []

    def accept(i: int) -> bool:
        asked.append(i)
        return True

    hits = index.nearest(LonLat(120.131, 33.385), 5, accept=accept, among=index.mask_of(members))
    assert len(hits) == 5
    assert asked, "accept was asked"
    assert set(asked) <= members, "only members are judged one by one"


@settings(max_examples=25, deadline=None)
@given(directories(max_points=80))
def test_a_cap_equal_to_a_points_distance_includes_that_point(
    case: tuple[Directory, LonLat],
) -> None:
    directory, origin = case
    if directory.ids.size == 0:
        return
    d = distances_m(origin, directory.lons, directory.lats)
    j = int(np.argsort(d)[d.size // 2])
    cap = float(d[j])  # the same pyproj number the index computes
    inside = {int(i) for i in directory.ids[d <= cap]}
    for scan_below in (0, SCAN_BELOW):
        index = PointIndex(directory.ids, directory.lons, directory.lats, scan_below=scan_below)
        assert {h.id for h in index.within(origin, cap)} == inside
        assert {h.id for h in index.nearest(origin, d.size, max_distance_m=cap)} == inside
        assert int(directory.ids[j]) in {h.id for h in index.nearest(origin, d.size, cap)}


def test_ties_at_one_spot_are_ordered_by_id() -> None:
    index = PointIndex([9, 4, 7, 1], [120.2] * 4, [33.4] * 4)
    hits = index.nearest(LonLat(120.21, 33.41), 3)
    assert [h.id for h in hits] == [1, 4, 7]
    assert len({h.distance_m for h in hits}) == 1


def test_accept_keeps_expanding_until_k_accepted() -> None:
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(*DISTRICT_LON, 3000), rng.uniform(*DISTRICT_LAT, 3000)
    index = PointIndex(np.arange(3000), lons, lats)
    asked: list[int] = []

    def accept(i: int) -> bool:
        asked.append(i)
        return i % 500 == 0  # 6 of 3000

    origin = LonLat(120.131, 33.385)
    hits = index.nearest(origin, 10, accept=accept)
    assert [h.id for h in hits] == [0, 500, 1000, 1500, 2000, 2500] or len(hits) == 6
    assert {h.id for h in hits} == {0, 500, 1000, 1500, 2000, 2500}
    assert len(asked) == len(set(asked)), "accept is asked once per point and query"


def test_empty_and_degenerate_queries() -> None:
    empty = PointIndex(np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    origin = LonLat(120.131, 33.385)
    assert len(empty) == 0
    assert empty.nearest(origin, 10) == []
    assert empty.within(origin, 1e6) == []
    index = PointIndex([5], [120.2], [33.4])
    assert index.nearest(origin, 0) == []
    assert index.nearest(origin, 3, max_distance_m=-1.0) == []
    assert index.within(origin, -1.0) == []
    assert [h.id for h in index.nearest(origin, 3)] == [5]
    assert index.nearest(origin, 3, max_distance_m=10.0) == []
    assert index.ids.tolist() == [5]
    assert index.lons.tolist() == [120.2]
    assert index.lats.tolist() == [33.4]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        PointIndex([1, 2], [120.0], [33.0, 33.1])
    with pytest.raises(ValueError, match="WGS-84"):
        PointIndex([1], [3_000_000.0], [33.0])  # projected metres, not degrees
    with pytest.raises(ValueError, match="finite"):
        PointIndex([1], [float("nan")], [33.0])
    with pytest.raises(ValueError, match="not a WGS-84"):
        PointIndex([1], [120.0], [33.0]).nearest(LonLat(float("nan"), 33.0), 1)


world = st.builds(LonLat, st.floats(-180.0, 180.0), st.floats(-90.0, 90.0))


@settings(max_examples=100, deadline=None)
@given(world, st.integers(0, 2**32 - 1), st.integers(1, 15), st.floats(0.0, 3e6))
def test_exact_anywhere_on_earth(origin: LonLat, seed: int, k: int, radius: float) -> None:
    """Poles, the antimeridian and continental distances (reference: a pyproj scan)."""
    rng = np.random.default_rng(seed)
    n = 200
    lons = np.clip(origin.lon + rng.normal(0, 20, n), -180, 180)
    lats = np.clip(origin.lat + rng.normal(0, 10, n), -90, 90)
    lons[: n // 4] = rng.uniform(-180, 180, n // 4)
    index = PointIndex(np.arange(n), lons, lats)
    d = distances_m(origin, lons, lats)
    truth = {i: float(d[i]) for i in range(n)}
    check_ranking(index.nearest(origin, k), truth, k)
    check_ranking(index.within(origin, radius), truth, None, cap=radius)


@settings(max_examples=200, deadline=None)
@given(world, st.floats(0.0, 360.0), st.floats(0.0, 2e6))
def test_search_box_and_distance_bracket_hold(origin: LonLat, azimuth: float, dist: float) -> None:
    """Every point at geodesic distance d lies in the box for d, and its bounds bracket d."""
    lon, lat, _ = GEOD.fwd(origin.lon, origin.lat, azimuth, dist)
    p = LonLat(float(lon), float(lat))
    d = distance_m(origin, p)
    box = _search_box(origin, d)
    assert box.lat_lo <= p.lat <= box.lat_hi
    assert box.wraps or box.lon_lo <= p.lon <= box.lon_hi
    dlon = p.lon - origin.lon
    if box.wraps:
        dlon = (dlon + 180.0) % 360.0 - 180.0
    dlat = p.lat - origin.lat
    ux, uy = _upper_weights(box)
    lx, ly = _lower_weights(origin, d)
    assert lx * dlon**2 + ly * dlat**2 <= d * d * (1 + 1e-9) + 1e-9
    assert d * d <= (ux * dlon**2 + uy * dlat**2) * (1 + 1e-9) + 1e-9


def test_bracket_is_tight_at_district_scale() -> None:
    """The cheap bounds are within 0.05 % of the truth, so only ~k points need exact distances."""
    origin = LonLat(120.131, 33.385)
    for az in range(0, 360, 15):
        lon, lat, _ = GEOD.fwd(origin.lon, origin.lat, az, 1_000.0)
        box = _search_box(origin, 1_000.0)
        ux, uy = _upper_weights(box)
        lx, ly = _lower_weights(origin, 1_000.0)
        q = ((lon - origin.lon) ** 2, (lat - origin.lat) ** 2)
        upper, lower = math.sqrt(ux * q[0] + uy * q[1]), math.sqrt(lx * q[0] + ly * q[1])
        assert 999.5 < lower <= 1_000.0 <= upper < 1_000.5
