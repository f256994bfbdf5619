"""The k-nearest search starts from a radius sized to the local density of the points: small in
a town centre, wide in the fields. It is only a starting guess (exactness is proven in
test_nearest_is_exact.py), but it decides how many candidates a query looks at."""

from __future__ import annotations

import numpy as np

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.density import StartRadius
from leye_yiyang.spatial.geodesic import distances_m

TOWN = LonLat(120.16, 33.38)


def town_and_fields() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    town_lons = TOWN.lon + rng.normal(0, 0.005, 2000)
    town_lats = TOWN.lat + rng.normal(0, 0.005, 2000)
    field_lons = rng.uniform(120.0, 120.5, 500)
    field_lats = rng.uniform(33.2, 33.6, 500)
    return np.concatenate([town_lons, field_lons]), np.concatenate([town_lats, field_lats])


def test_the_start_radius_is_small_in_town_and_wide_in_the_fields() -> None:
    lons, lats = town_and_fields()
    start = StartRadius(lons, lats)
    in_town, in_fields = start(TOWN, 10), start(LonLat(120.45, 33.25), 10)
    assert in_town * 10 < in_fields


def test_the_start_radius_holds_about_the_points_asked_for() -> None:
    lons, lats = town_and_fields()
    start = StartRadius(lons, lats)
    for origin in (TOWN, LonLat(120.165, 33.385), LonLat(120.3, 33.5)):
        radius = start(origin, 10)
        held = int(np.count_nonzero(distances_m(origin, lons, lats) <= radius))
        assert 3 <= held <= 100, (origin, radius, held)


def test_outside_the_points_or_with_none_it_still_answers_a_positive_radius() -> None:
    lons, lats = town_and_fields()
    assert StartRadius(lons, lats)(LonLat(0.0, 0.0), 5) > 0
    assert StartRadius(np.array([]), np.array([]))(TOWN, 5) > 0
    one = StartRadius(np.array([120.1]), np.array([33.3]))
    assert one(LonLat(120.1, 33.3), 1) >= 1.0
