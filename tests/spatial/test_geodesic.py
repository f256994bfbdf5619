"""Geodesic distances: pyproj (under test) against geopy (reference), and the chord bound."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import (
    GEOD,
    distance_m,
    distances_m,
    ecef,
    geopy_distance_m,
    pairwise_distances_m,
    within_distance,
)

anywhere = st.builds(LonLat, st.floats(-180.0, 180.0), st.floats(-90.0, 90.0))
district = st.builds(LonLat, st.floats(119.98, 120.55), st.floats(33.16, 33.81))


@settings(max_examples=100, deadline=None)
@given(st.one_of(anywhere, district), st.one_of(anywhere, district))
def test_pyproj_and_geopy_agree(a: LonLat, b: LonLat) -> None:
    assert abs(distance_m(a, b) - geopy_distance_m(a, b)) < 1e-6


def test_known_distance_one_degree_of_latitude_at_the_equator() -> None:
    # The meridian degree at the equator is 110,574.3 m on WGS-84.
    assert distance_m(LonLat(0.0, 0.0), LonLat(0.0, 1.0)) == pytest.approx(110_574.3, abs=0.1)


def test_vectorised_distances_match_scalar() -> None:
    rng = np.random.default_rng(3)
    lons, lats = rng.uniform(119.98, 120.55, 500), rng.uniform(33.16, 33.81, 500)
    origin = LonLat(120.131, 33.385)
    got = distances_m(origin, lons, lats)
    want = [distance_m(origin, LonLat(lo, la)) for lo, la in zip(lons, lats, strict=True)]
    assert np.array_equal(got, np.array(want))
    assert distances_m(origin, np.zeros(0), np.zeros(0)).shape == (0,)


def test_threaded_pairwise_matches_serial() -> None:
    rng = np.random.default_rng(4)
    n = 120_000  # above the threading threshold
    a = rng.uniform(119.98, 120.55, (2, n))
    b = rng.uniform(33.16, 33.81, (2, n))
    got = pairwise_distances_m(a[0], b[0], a[1], b[1])
    for i in (0, 1, n // 2, n - 1):
        assert got[i] == distance_m(LonLat(a[0, i], b[0, i]), LonLat(a[1, i], b[1, i]))


@settings(max_examples=100, deadline=None)
@given(anywhere, anywhere)
def test_chord_never_exceeds_geodesic(a: LonLat, b: LonLat) -> None:
    xyz = ecef(np.array([a.lon, b.lon]), np.array([a.lat, b.lat]))
    chord = float(np.linalg.norm(xyz[0] - xyz[1]))
    assert chord <= distance_m(a, b) * (1 + 1e-12) + 1e-6
    if distance_m(a, b) < 5_000:
        # Short arcs: the two differ by ~d³/(24 R²), well under a millimetre at this scale.
        assert distance_m(a, b) - chord < 1e-3


def test_ecef_of_the_equator_and_pole() -> None:
    xyz = ecef(np.array([0.0, 0.0]), np.array([0.0, 90.0]))
    assert math.isclose(xyz[0, 0], 6378137.0, abs_tol=1e-6)
    assert math.isclose(xyz[1, 2], 6356752.314245, abs_tol=1e-5)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(1.0, 50_000.0), st.booleans())
def test_within_distance_is_exact(seed: int, radius: float, global_: bool) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    if global_:
        lon1, lat1 = rng.uniform(-180, 180, n), rng.uniform(-90, 90, n)
    else:
        lon1, lat1 = rng.uniform(119.98, 120.55, n), rng.uniform(33.16, 33.81, n)
    # Half the partners sit at (almost) exactly the radius, where the cheap bounds cannot decide.
    az = rng.uniform(0, 360, n)
    dist = radius * np.where(rng.random(n) < 0.5, rng.uniform(0, 2, n), 1 + rng.normal(0, 1e-9, n))
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, az, dist)
    lon2, lat2 = np.asarray(lon2), np.asarray(lat2)
    want = pairwise_distances_m(lon1, lat1, lon2, lat2) <= radius
    assert np.array_equal(within_distance(lon1, lat1, lon2, lat2, radius), want)
