"""Datum conversions: the published reference vectors, exact inverses, and the China box."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import (
    Datum,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    from_wgs84_array,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    to_wgs84_array,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from leye_yiyang.spatial.geodesic import distance_m

# Inside the GCJ box with a margin, so a shifted point cannot cross its edge.
china_points = st.builds(
    LonLat,
    st.floats(73.0, 135.0, allow_nan=False),
    st.floats(1.0, 55.0, allow_nan=False),
)
outside_points = st.one_of(
    st.builds(LonLat, st.floats(-180.0, 72.0), st.floats(-89.0, 89.0)),
    st.builds(LonLat, st.floats(138.0, 180.0), st.floats(-89.0, 89.0)),
    st.builds(LonLat, st.floats(73.0, 135.0), st.floats(-89.0, 0.8)),
    st.builds(LonLat, st.floats(73.0, 135.0), st.floats(56.0, 89.0)),
)


def test_datum_values_are_the_wire_names() -> None:
    assert [d.value for d in Datum] == ["wgs84", "gcj02", "bd09"]
    assert Datum("gcj02") is Datum.GCJ02


def test_wgs_to_gcj_reference_vector() -> None:
    got = wgs84_to_gcj02(LonLat(120.0, 40.0))
    assert got.lon == pytest.approx(120.00567568355486, abs=1e-12)
    assert got.lat == pytest.approx(40.0013047896019, abs=1e-12)


def test_gcj_to_wgs_reference_vector() -> None:
    got = gcj02_to_wgs84(LonLat(123.0, 45.0))
    # The published vector comes from an iteration stopped early: it is 1.6 cm from the exact
    # inverse, which maps back onto (123, 45) to 1e-12 degrees.
    assert distance_m(got, LonLat(122.99395597, 44.99804071)) < 0.05
    back = wgs84_to_gcj02(got)
    assert back.lon == pytest.approx(123.0, abs=1e-11)
    assert back.lat == pytest.approx(45.0, abs=1e-11)


def test_wgs_to_bd_reference_vector() -> None:
    got = wgs84_to_bd09(LonLat(116.403988, 39.914266))
    assert got.lon == pytest.approx(116.41661560068297, abs=1e-11)
    assert got.lat == pytest.approx(39.92196580126834, abs=1e-11)


def test_yancheng_gcj_offset_is_about_490_m() -> None:
    centre = LonLat(120.131, 33.385)
    assert 450.0 < distance_m(centre, wgs84_to_gcj02(centre)) < 530.0


@settings(max_examples=150, deadline=None)
@given(china_points)
def test_gcj_round_trip_is_exact(p: LonLat) -> None:
    assert distance_m(gcj02_to_wgs84(wgs84_to_gcj02(p)), p) < 0.1
    back = gcj02_to_wgs84(wgs84_to_gcj02(p))
    assert abs(back.lon - p.lon) < 1e-9
    assert abs(back.lat - p.lat) < 1e-9
    forth = wgs84_to_gcj02(gcj02_to_wgs84(p))
    assert abs(forth.lon - p.lon) < 1e-9
    assert abs(forth.lat - p.lat) < 1e-9


@settings(max_examples=150, deadline=None)
@given(china_points)
def test_bd_round_trips_are_exact(p: LonLat) -> None:
    for there, back in ((wgs84_to_bd09, bd09_to_wgs84), (gcj02_to_bd09, bd09_to_gcj02)):
        q = back(there(p))
        assert abs(q.lon - p.lon) < 1e-9
        assert abs(q.lat - p.lat) < 1e-9
        assert distance_m(q, p) < 0.1
        r = there(back(p))
        assert abs(r.lon - p.lon) < 1e-9
        assert abs(r.lat - p.lat) < 1e-9


@settings(max_examples=100, deadline=None)
@given(china_points, st.sampled_from(list(Datum)))
def test_generic_conversions_match_the_pairwise_ones(p: LonLat, datum: Datum) -> None:
    forward = {Datum.WGS84: lambda q: q, Datum.GCJ02: wgs84_to_gcj02, Datum.BD09: wgs84_to_bd09}
    assert from_wgs84(p, datum) == forward[datum](p)
    q = to_wgs84(from_wgs84(p, datum), datum)
    assert distance_m(q, p) < 0.1


@settings(max_examples=100, deadline=None)
@given(outside_points)
def test_gcj_passes_points_outside_china_through(p: LonLat) -> None:
    assert out_of_china(p)
    assert wgs84_to_gcj02(p) == p
    assert gcj02_to_wgs84(p) == p
    assert to_wgs84(p, Datum.GCJ02) == p


def test_china_box_edges() -> None:
    assert not out_of_china(LonLat(120.131, 33.385))
    assert out_of_china(LonLat(72.003, 30.0))
    assert not out_of_china(LonLat(72.004, 30.0))
    assert out_of_china(LonLat(100.0, 55.83))


def test_array_versions_match_scalars() -> None:
    rng = np.random.default_rng(7)
    lons = np.concatenate([rng.uniform(73, 135, 200), [10.0, 150.0]])
    lats = np.concatenate([rng.uniform(1, 55, 200), [50.0, -20.0]])
    for datum in Datum:
        out_lon, out_lat = from_wgs84_array(lons, lats, datum)
        back_lon, back_lat = to_wgs84_array(out_lon, out_lat, datum)
        assert np.max(np.abs(back_lon - lons)) < 1e-9
        assert np.max(np.abs(back_lat - lats)) < 1e-9
        for i in (0, 57, 200, 201):
            p = from_wgs84(LonLat(float(lons[i]), float(lats[i])), datum)
            assert (p.lon, p.lat) == pytest.approx((out_lon[i], out_lat[i]), abs=1e-12)


def test_wgs84_is_the_identity_and_empty_arrays_work() -> None:
    p = LonLat(120.2, 33.4)
    assert to_wgs84(p, Datum.WGS84) == p
    assert from_wgs84(p, Datum.WGS84) == p
    lo, la = to_wgs84_array(np.zeros(0), np.zeros(0), Datum.BD09)
    assert lo.shape == la.shape == (0,)
    with pytest.raises(ValueError, match="same shape"):
        from_wgs84_array(np.zeros(2), np.zeros(3), Datum.GCJ02)
