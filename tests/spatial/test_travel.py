"""Travel profiles: the planning numbers, and travel time as a monotone function of distance."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import distance_m
from leye_yiyang.spatial.travel import (
    PROFILES,
    CrowFliesModel,
    TravelMode,
    TravelProfile,
    TravelTimeModel,
)

MODEL = CrowFliesModel()


def test_every_mode_has_a_profile_with_labels() -> None:
    assert [m.value for m in TravelMode] == ["walk", "senior_walk", "stroller", "ebike", "car"]
    for mode in TravelMode:
        p = PROFILES[mode]
        assert p.mode is mode
        assert p.label_zh
        assert p.label_en
        assert p.speed_m_per_min > 0
        assert 1.0 <= p.detour_factor <= 1.5


def test_profile_numbers() -> None:
    got = {m: (p.speed_m_per_min, p.detour_factor) for m, p in PROFILES.items()}
    assert got == {
        TravelMode.WALK: (60.0, 1.25),
        TravelMode.SENIOR_WALK: (45.0, 1.25),
        TravelMode.STROLLER: (50.0, 1.25),
        TravelMode.EBIKE: (250.0, 1.3),
        TravelMode.CAR: (400.0, 1.4),
    }


def test_fifteen_minute_walk_is_within_gb50180_walking_distance() -> None:
    walk = PROFILES[TravelMode.WALK]
    path_m = 15 * walk.speed_m_per_min
    assert 800.0 <= path_m <= 1000.0  # GB 50180-2018: 15-minute circle = 800–1,000 m walked
    assert MODEL.reach_m(TravelMode.WALK, 15) == pytest.approx(720.0)
    # Five minutes is the standard's ~300 m circle.
    assert 5 * walk.speed_m_per_min == pytest.approx(300.0)


def test_slower_profiles_reach_less() -> None:
    reach = {m: MODEL.reach_m(m, 15) for m in TravelMode}
    assert reach[TravelMode.SENIOR_WALK] < reach[TravelMode.STROLLER] < reach[TravelMode.WALK]
    assert reach[TravelMode.WALK] < reach[TravelMode.EBIKE] < reach[TravelMode.CAR]
    assert MODEL.reach_m(TravelMode.WALK, -3) == 0.0


def test_minutes_invert_reach_and_are_monotone() -> None:
    for mode in TravelMode:
        assert MODEL.minutes(mode, np.array([MODEL.reach_m(mode, 15)]))[0] == pytest.approx(15)
        d = np.sort(np.random.default_rng(1).uniform(0, 20_000, 200))
        assert np.all(np.diff(MODEL.minutes(mode, d)) >= 0)


def test_ranking_by_minutes_equals_ranking_by_distance() -> None:
    d = np.random.default_rng(2).uniform(0, 5_000, 100)
    for mode in TravelMode:
        assert np.array_equal(
            np.argsort(d, kind="stable"), np.argsort(MODEL.minutes(mode, d), kind="stable")
        )


def test_reachable_area_is_a_geodesic_circle() -> None:
    origin = LonLat(120.131, 33.385)
    area = MODEL.reachable_area(TravelMode.WALK, origin, 15)
    assert area.is_valid
    assert len(area.exterior.coords) == 73
    assert area.exterior.is_ccw
    for lon, lat in area.exterior.coords:
        assert distance_m(origin, LonLat(lon, lat)) == pytest.approx(720.0, abs=1e-6)
    assert shapely.contains_xy(area, origin.lon, origin.lat)


def test_crow_flies_model_satisfies_the_protocol() -> None:
    assert isinstance(MODEL, TravelTimeModel)
    assert MODEL.profile(TravelMode.CAR).label_en == "Car"


def test_a_model_needs_every_profile() -> None:
    only_walk = {TravelMode.WALK: TravelProfile(TravelMode.WALK, 60.0, 1.25, "步行", "Walking")}
    with pytest.raises(ValueError, match="no profile"):
        CrowFliesModel(only_walk)
