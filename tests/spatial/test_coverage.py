"""Resident sampling and exact nearest-facility distances."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.coverage import (
    coverage_by_group,
    distribute_residents,
    nearest_distances,
)
from leye_yiyang.spatial.geodesic import GEOD, distance_m, distances_m

from .brute import DISTRICT_LAT, DISTRICT_LON, brute_nearest_distances

BLOCK_A = box(120.10, 33.36, 120.13, 33.39)
BLOCK_B = Polygon([(120.20, 33.40), (120.26, 33.40), (120.23, 33.45)])  # a triangle
TWO_PIECES = MultiPolygon([box(120.41, 33.75, 120.43, 33.77), box(120.45, 33.79, 120.47, 33.81)])


def test_residents_are_inside_their_polygon_and_weights_sum_to_population() -> None:
    polygons = [BLOCK_A, BLOCK_B, TWO_PIECES, BLOCK_A]
    populations = [10_200, 18_500, 3_333, 0]
    res = distribute_residents(polygons, populations, points_per_person=0.1, seed=1)
    assert len(res) == 1_020 + 1_850 + 333
    for g, (poly, pop) in enumerate(zip(polygons, populations, strict=True)):
        mine = res.group == g
        assert res.weights[mine].sum() == pop  # exact, not approximate
        assert shapely.contains_xy(poly, res.lons[mine], res.lats[mine]).all()
    assert set(np.unique(res.weights).tolist()) == {10.0, 11.0}  # whole people per point


def test_residents_are_reproducible_and_seed_dependent() -> None:
    a = distribute_residents([BLOCK_B], [5_000], 0.2, seed=7)
    b = distribute_residents([BLOCK_B], [5_000], 0.2, seed=7)
    c = distribute_residents([BLOCK_B], [5_000], 0.2, seed=8)
    assert np.array_equal(a.lons, b.lons)
    assert np.array_equal(a.lats, b.lats)
    assert not np.array_equal(a.lons, c.lons)


def test_residents_are_spread_uniformly() -> None:
    res = distribute_residents([BLOCK_A], [40_000], 1.0, seed=3)
    west = res.lons < (BLOCK_A.bounds[0] + BLOCK_A.bounds[2]) / 2
    assert abs(west.mean() - 0.5) < 0.01


def test_small_and_bad_populations() -> None:
    res = distribute_residents([BLOCK_A], [3], points_per_person=0.01, seed=1)
    assert len(res) == 1
    assert res.weights.tolist() == [3.0]
    capped = distribute_residents([BLOCK_A], [5], points_per_person=4.0, seed=1)
    assert capped.weights.tolist() == [1.0] * 5  # never more than one point per person
    assert len(distribute_residents([], [], 0.1, seed=1)) == 0
    with pytest.raises(ValueError, match="one population per polygon"):
        distribute_residents([BLOCK_A], [1, 2], 0.1, seed=1)
    with pytest.raises(ValueError, match="negative"):
        distribute_residents([BLOCK_A], [-1], 0.1, seed=1)
    with pytest.raises(ValueError, match="empty polygon"):
        distribute_residents([Polygon()], [10], 0.1, seed=1)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 60),
    st.integers(0, 25),
    st.floats(0.0, 30_000.0),
)
def test_nearest_distances_equal_brute_force(seed: int, n_res: int, n_fac: int, cap: float) -> None:
    rng = np.random.default_rng(seed)
    r_lon, r_lat = rng.uniform(*DISTRICT_LON, n_res), rng.uniform(*DISTRICT_LAT, n_res)
    f_lon, f_lat = rng.uniform(*DISTRICT_LON, n_fac), rng.uniform(*DISTRICT_LAT, n_fac)
    if n_res and n_fac and seed % 3 == 0:
        f_lon[0], f_lat[0] = r_lon[0], r_lat[0]  # a facility exactly on a resident
    got = nearest_distances(r_lon, r_lat, f_lon, f_lat, cap)
    want = brute_nearest_distances(r_lon, r_lat, f_lon, f_lat, cap)
    for g, w in zip(got.tolist(), want, strict=True):
        if math.isinf(w):
            assert math.isinf(g) or abs(g - cap) < 1e-6
        else:
            assert g == pytest.approx(w, abs=1e-6)


def test_a_facility_exactly_at_the_cap_counts() -> None:
    resident = LonLat(120.131, 33.385)
    lon, lat, _ = GEOD.fwd(resident.lon, resident.lat, 37.0, 1_000.0)
    d = distance_m(resident, LonLat(lon, lat))
    args = (np.array([resident.lon]), np.array([resident.lat]), np.array([lon]), np.array([lat]))
    assert nearest_distances(*args, cap_m=d)[0] == d
    assert nearest_distances(*args, cap_m=d + 1e-7)[0] == d
    assert math.isinf(nearest_distances(*args, cap_m=d - 1e-6)[0])


def test_equidistant_facilities_give_the_exact_minimum() -> None:
    """A ring of facilities at one geodesic distance: chord order and geodesic order disagree at
    the sub-millimetre level, so the chord-nearest is not always the geodesic-nearest."""
    rng = np.random.default_rng(5)
    centres = np.column_stack([rng.uniform(120.0, 120.5, 30), rng.uniform(33.2, 33.8, 30)])
    for c_lon, c_lat in centres:
        az = np.arange(0.0, 360.0, 7.5)
        lon, lat, _ = GEOD.fwd(
            np.full(az.size, c_lon), np.full(az.size, c_lat), az, np.full(az.size, 3_000.0)
        )
        got = nearest_distances(
            np.array([c_lon]), np.array([c_lat]), np.asarray(lon), np.asarray(lat), 5_000.0
        )
        assert got[0] == distances_m(LonLat(c_lon, c_lat), np.asarray(lon), np.asarray(lat)).min()


def test_nearest_distances_with_nothing_to_find() -> None:
    r = np.array([120.2]), np.array([33.4])
    assert nearest_distances(*r, np.zeros(0), np.zeros(0), 1_000.0).tolist() == [math.inf]
    assert nearest_distances(np.zeros(0), np.zeros(0), *r, 1_000.0).shape == (0,)
    one = nearest_distances(*r, np.array([120.21]), np.array([33.4]), 5_000.0)
    assert one[0] == pytest.approx(distance_m(LonLat(120.2, 33.4), LonLat(120.21, 33.4)))


def test_coverage_by_group() -> None:
    distances = np.array([100.0, 900.0, np.inf, 50.0, 700.0, 720.0])
    weights = np.array([10.0, 20.0, 30.0, 5.0, 5.0, 1.0])
    group = np.array([0, 0, 0, 2, 2, 2])
    cov = coverage_by_group(distances, weights, group, 4, reach_m=720.0)
    covered, population, nearest = cov
    assert covered.tolist() == [10.0, 0.0, 11.0, 0.0]
    assert population.tolist() == [60.0, 0.0, 11.0, 0.0]
    assert nearest.tolist() == [100.0, math.inf, 50.0, math.inf]
    assert cov.covered is covered


def test_an_infinite_cap_finds_every_nearest_facility() -> None:
    rng = np.random.default_rng(9)
    r_lon, r_lat = rng.uniform(*DISTRICT_LON, 200), rng.uniform(*DISTRICT_LAT, 200)
    f_lon, f_lat = rng.uniform(*DISTRICT_LON, 5), rng.uniform(*DISTRICT_LAT, 5)
    got = nearest_distances(r_lon, r_lat, f_lon, f_lat, math.inf)
    want = [
        distances_m(LonLat(lo, la), f_lon, f_lat).min() for lo, la in zip(r_lon, r_lat, strict=True)
    ]
    assert got.tolist() == want
