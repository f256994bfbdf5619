"""Specification of the datum-aware wrapper for online geocoders. No network: the "service" is a
geopy Geocoder subclass defined here that answers from a fixed list."""

from __future__ import annotations

from typing import Any

import pytest
from geopy.geocoders import BaiduV3
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from tests.conftest import TINGHU

from leye_yiyang.geocode.geocoder import OfflineGeocoder
from leye_yiyang.geocode.online import (
    AddressResolver,
    DatumAwareGeocoder,
    OfflineFirst,
    build_geocoder,
)
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, from_wgs84, to_wgs84

# 盐城站, WGS-84.
STATION = LonLat(120.1676, 33.3643)


class FixedGeocoder(Geocoder):  # type: ignore[misc]
    """Answers every query with the same locations, given in the service's own datum."""

    def __init__(self, points: list[tuple[str, LonLat, dict[str, Any]]]) -> None:
        super().__init__()
        self.points = points
        self.queries: list[str] = []

    def geocode(
        self, query: str, *, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | list[Location] | None:
        self.queries.append(query)
        found = [Location(addr, p.latlon(), raw) for addr, p, raw in self.points]
        if not found:
            return None
        return found[0] if exactly_one else found


def test_a_bd09_answer_comes_back_in_wgs84() -> None:
    bd = from_wgs84(STATION, Datum.BD09)
    service = FixedGeocoder([("江苏省盐城市亭湖区盐城站", bd, {"confidence": 80})])
    r = DatumAwareGeocoder.for_district(service, Datum.BD09, TINGHU).resolve("盐城站")
    assert r.status == "found"
    assert r.best is not None
    expected = to_wgs84(bd, Datum.BD09)
    assert r.best.point == (expected.lon, expected.lat)
    # and that is the point we started from, to far better than a metre (1e-6° ≈ 0.1 m)
    assert r.best.point == pytest.approx((STATION.lon, STATION.lat), abs=1e-6)
    # the obfuscation is hundreds of metres: the unconverted point would be badly off
    assert abs(bd.lon - STATION.lon) > 0.005
    assert (r.best.kind, r.best.score, r.best.area_code) == ("online", 0.8, None)
    assert r.best.name == "江苏省盐城市亭湖区盐城站"


@pytest.mark.parametrize("datum", list(Datum))
def test_every_datum_is_converted(datum: Datum) -> None:
    service = FixedGeocoder([("x", from_wgs84(STATION, datum), {})])
    r = DatumAwareGeocoder.for_district(service, datum, TINGHU).resolve("盐城站")
    assert r.best is not None
    assert r.best.point == pytest.approx((STATION.lon, STATION.lat), abs=1e-6)


def test_several_results_become_ranked_candidates() -> None:
    north = LonLat(120.134, 33.404)
    service = FixedGeocoder(
        [
            ("解放南路", from_wgs84(STATION, Datum.GCJ02), {"confidence": 50}),
            ("解放北路", from_wgs84(north, Datum.GCJ02), {"confidence": 70}),
        ]
    )
    r = DatumAwareGeocoder.for_district(service, Datum.GCJ02, TINGHU).resolve("解放路")
    assert r.status == "found"
    assert [c.name for c in r.candidates] == ["解放北路", "解放南路"]
    assert r.best == r.candidates[0]
    assert r.best.point == pytest.approx(north, abs=1e-6)


def test_the_district_is_added_to_bare_queries_only() -> None:
    service = FixedGeocoder([("x", STATION, {})])
    wrapper = DatumAwareGeocoder.for_district(service, Datum.WGS84, TINGHU)
    wrapper.resolve("解放南路")
    wrapper.resolve("盐城市亭湖区解放南路")
    assert service.queries == ["江苏省盐城市亭湖区解放南路", "盐城市亭湖区解放南路"]


@pytest.mark.parametrize("query", ["", "   ", "亭湖区", "路" * 101])
def test_empty_or_too_long_queries_never_reach_the_service(query: str) -> None:
    service = FixedGeocoder([("x", STATION, {})])
    r = DatumAwareGeocoder.for_district(service, Datum.BD09, TINGHU).resolve(query)
    assert (r.status, r.best, r.candidates) == ("not_found", None, [])
    assert service.queries == []


def test_no_answer_is_not_found() -> None:
    r = DatumAwareGeocoder.for_district(FixedGeocoder([]), Datum.BD09, TINGHU).resolve("火星基地")
    assert (r.status, r.query, r.normalized) == ("not_found", "火星基地", "火星基地")


def test_build_geocoder_defaults_to_offline() -> None:
    resolver: AddressResolver = build_geocoder("offline", [], None, TINGHU)
    assert isinstance(resolver, OfflineGeocoder)
    assert isinstance(build_geocoder("", [], None, TINGHU), OfflineGeocoder)


def test_build_geocoder_baidu_answers_in_bd09_without_calling_out() -> None:
    resolver = build_geocoder("baidu", [], "test-ak", TINGHU)
    assert isinstance(resolver, OfflineFirst)
    assert isinstance(resolver.offline, OfflineGeocoder)
    online = resolver.online
    assert isinstance(online, DatumAwareGeocoder)
    assert online.datum is Datum.BD09
    assert isinstance(online._geocoder, BaiduV3)


@pytest.mark.parametrize(("name", "key"), [("baidu", None), ("baidu", ""), ("google", "k")])
def test_build_geocoder_rejects_bad_configuration(name: str, key: str | None) -> None:
    with pytest.raises(ValueError, match="geocoder"):
        build_geocoder(name, [], key, TINGHU)
