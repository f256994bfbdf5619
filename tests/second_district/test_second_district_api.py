"""The core API on a second district, the modelled 临安区 (Hangzhou, Zhejiang): the same code,
another geography folder and directory. Every answer is checked against what that district's
files say, so nothing of Tinghu can be hiding in the code path."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.district import District
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, from_wgs84
from leye_yiyang.spatial.geodesic import geopy_distance_m

Client = TestClient[Litestar]
YIJIN = LonLat(119.728, 30.232)  # 锦城街道衣锦社区, near the town centre
SUBDISTRICTS = {"330112001000": "锦城街道", "330112002000": "锦北街道", "330112003000": "玲珑街道"}
NOON = "2026-12-02T11:00:00+08:00"


def all_items(client: Client, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(path, params={**params, "limit": 200, "offset": len(items)}).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items


# --- areas ----------------------------------------------------------------------------------


def test_the_areas_are_the_second_districts_and_their_populations_add_up(
    linan_client: Client,
) -> None:
    areas = linan_client.get("/v1/areas").json()["items"]
    by_level: dict[str, list[dict[str, Any]]] = {}
    for a in areas:
        by_level.setdefault(a["level"], []).append(a)
    (district,) = by_level["district"]
    assert (district["code"], district["name"], district["population"]) == (
        "330112",
        "临安区",
        96_000,
    )
    subdistricts = by_level["subdistrict"]
    assert {a["code"]: a["name"] for a in subdistricts} == SUBDISTRICTS
    assert "town" not in by_level
    leaves = by_level["community"] + by_level["village"]
    assert len(leaves) == 9
    assert {a["name"] for a in by_level["village"]} == {"长桥村", "横潭村"}
    assert sum(a["population"] for a in leaves) == 96_000
    assert sum(a["population"] for a in subdistricts) == 96_000


def test_an_area_comes_with_its_polygon_and_children(linan_client: Client) -> None:
    r = linan_client.get("/v1/areas/330112003000")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "玲珑街道" and body["geometry"]["type"] == "Polygon"
    assert set(body["children"]) == {"330112003001", "330112003201"}  # 玲珑社区, 横潭村
    lon, lat = body["centroid"]
    assert 119.68 < lon < 119.81 and 30.20 < lat < 30.29


# --- nearby -----------------------------------------------------------------------------------


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_nearby_in_each_datum_is_the_brute_force_answer_given_back_in_that_datum(
    linan_client: Client, crs: str
) -> None:
    meal_halls = all_items(linan_client, "/v1/facilities", kind="meal_hall")
    assert len(meal_halls) == 12
    expected = sorted(
        (geopy_distance_m(YIJIN, LonLat(f["lon"], f["lat"])), f["id"]) for f in meal_halls
    )[:5]
    asked = from_wgs84(YIJIN, Datum(crs))
    r = linan_client.get(
        "/v1/facilities/nearby",
        params={"lon": asked.lon, "lat": asked.lat, "crs": crs, "kind": "meal_hall", "limit": 5},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["origin"]["wgs84"] == pytest.approx([YIJIN.lon, YIJIN.lat], abs=1e-6)
    items = body["items"]
    assert [i["facility"]["id"] for i in items] == [fid for _, fid in expected]
    by_id = {f["id"]: f for f in meal_halls}
    for item, (distance, fid) in zip(items, expected, strict=True):
        assert item["distance_m"] == pytest.approx(distance, abs=0.01)
        wgs = by_id[fid]
        shown = from_wgs84(LonLat(wgs["lon"], wgs["lat"]), Datum(crs))
        assert (item["facility"]["lon"], item["facility"]["lat"]) == pytest.approx(
            (shown.lon, shown.lat), abs=2e-7
        )
        assert item["facility"]["area_code"].startswith("330112")


def test_the_service_region_is_the_second_districts_with_its_own_buffer(
    linan_client: Client, linan: District
) -> None:
    assert linan.service_buffer_m == 1500
    body = linan_client.get("/v1/facilities/nearby", params={"lon": 120.131, "lat": 33.385}).json()
    assert body["code"] == "outside_service_region"  # Tinghu's core is nowhere near
    assert body["extra"]["region"] == "临安区" and "1.5 公里" in body["message_zh"]
    # 1 km beyond the eastern tip (119.802 E) is still served; 3 km is not.
    inside = {"lon": 119.8124, "lat": 30.235, "kind": "meal_hall"}
    assert linan_client.get("/v1/facilities/nearby", params=inside).status_code == 200
    outside = {"lon": 119.8332, "lat": 30.235}
    assert linan_client.get("/v1/facilities/nearby", params=outside).status_code == 422


# --- circles, coverage, suggest -------------------------------------------------------------


def test_a_circle_for_a_community_lists_its_facilities_within_reach(
    linan_client: Client,
) -> None:
    r = linan_client.get("/v1/circles", params={"area": "330112001002", "minutes": 15})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["origin"]["source"] == "area" and "衣锦社区" in str(body["origin"])
    ring = body["area"]["coordinates"][0]
    assert ring[0] == ring[-1]
    reach = body["travel"]["reach_m"]
    members = [m for ms in body["facilities"].values() for m in ms]
    assert members, "衣锦社区 has facilities of its own"
    assert all(m["distance_m"] <= reach for m in members)
    assert {"5min", "15min"} == {s["level"] for s in body["standards"]}


def test_coverage_counts_the_second_districts_residents(linan_client: Client) -> None:
    body = linan_client.get("/v1/coverage", params={"kind": "childcare", "minutes": 15}).json()
    rows = body["communities"]
    assert {r["name"] for r in rows} >= {"石镜社区", "衣锦社区", "长桥村", "横潭村"}
    assert len(rows) == 9
    assert body["population"] == 96_000 == sum(r["population"] for r in rows)
    assert body["covered_population"] == sum(r["covered_population"] for r in rows)
    assert 0 < body["share"] < 1


def test_coverage_csv_ends_with_the_districts_own_total_row(
    linan_client: Client, linan: District
) -> None:
    csv = linan_client.get("/v1/coverage", params={"kind": "meal_hall", "format": "csv"})
    lines = csv.text.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 1 + 9 + 1
    total = lines[-1].split(",")
    assert total[:4] == ["330112", "全区合计 district total", "", "96000"]
    assert total[1] == linan.coverage_total_label
    geo = linan_client.get("/v1/coverage", params={"kind": "meal_hall", "format": "geojson"})
    features = geo.json()["features"]
    assert len(features) == 9 and {f["id"][:6] for f in features} == {"330112"}


def test_suggested_sites_lie_in_the_second_districts_communities(linan_client: Client) -> None:
    r = linan_client.post(
        "/v1/coverage/suggest", json={"kind": "care_home", "minutes": 15, "sites": 2}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["population"] == 96_000
    sites = body["sites"]
    assert len(sites) == 2 and sites[0]["newly_covered"] > 0
    for site in sites:
        assert site["area_code"].startswith("330112") and site["area_name"]


# --- geocoding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "code"),
    [
        ("浙江省杭州市临安区锦城街道石镜社区", "石镜社区", "330112001001"),
        ("杭州临安衣锦社区居委会", "衣锦社区", "330112001002"),
        ("临安区玲珑街道横潭村村委会", "横潭村", "330112003201"),
        ("锦北", "锦北街道", "330112002000"),
    ],
)
def test_the_geocoder_strips_the_second_districts_preamble(
    linan_client: Client, query: str, name: str, code: str
) -> None:
    r = linan_client.get("/v1/geocode", params={"q": query})
    assert r.status_code == 200, r.text
    best = r.json()["best"]
    assert (best["name"], best["area_code"]) == (name, code)


def test_only_the_districts_own_preamble_is_stripped(linan_client: Client) -> None:
    here = linan_client.get("/v1/geocode", params={"q": "浙江省杭州市临安区钱王大街"}).json()
    assert here["normalized"] == "钱王大街"
    # Tinghu's preamble means nothing here: left in as unknown words, it sinks the match.
    there = linan_client.get("/v1/geocode", params={"q": "江苏省盐城市亭湖区钱王大街"}).json()
    assert there["code"] == "address_not_found"
    preamble_only = linan_client.get("/v1/geocode", params={"q": "浙江省杭州市临安区"})
    assert preamble_only.json()["code"] == "address_not_found"


def test_an_alias_with_a_house_number_stands_in_for_coordinates(linan_client: Client) -> None:
    r = linan_client.get(
        "/v1/facilities/nearby", params={"address": "钱王街88号", "kind": "care_home", "limit": 1}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["origin"]["source"] == "address" and "钱王大街" in body["origin"]["matched"]
    assert body["items"][0]["facility"]["name"] == "锦城颐养院"  # in 钱王社区 too


# --- service matching -------------------------------------------------------------------------


def test_service_matching_offers_the_second_districts_meal_halls_and_residence(
    linan_client: Client,
) -> None:
    r = linan_client.post(
        "/v1/match/services",
        json={
            "person": {"age": 80},
            "home": {"address": "锦城街道衣锦社区"},
            "needs": ["meal", "day_care"],
            "at": NOON,
            "minutes": 30,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [a["name"] for a in body["residence"]] == ["衣锦社区", "锦城街道", "临安区"]
    meal, day_care = body["needs"]
    assert meal["options"]
    ours = {f["id"] for f in all_items(linan_client, "/v1/facilities", kind="meal_hall")}
    assert {o["facility"]["id"] for o in meal["options"]} <= ours
    distances = [o["distance_m"] for o in meal["options"]]
    assert distances == sorted(distances)
    for option in meal["options"]:
        assert option["eligibility"]["outcome"] == "eligible"
        price = option["price"]  # the district's own tariff: ¥12, ¥4 off from 75
        assert (price["base_cny"], price["subsidy_cny"], price["payable_cny"]) == (12, 4, 8)
        assert price["subsidy_label"] == "75周岁以上"
    # The 街道's own centre stands in 衣锦社区 itself.
    assert day_care["options"][0]["facility"]["name"] == "锦城街道综合养老服务中心"


def test_job_matching_finds_the_second_districts_care_vacancy(linan_client: Client) -> None:
    r = linan_client.post(
        "/v1/match/jobs",
        json={
            "seeker": {"occupations": ["养老护理员"], "max_commute_minutes": 30},
            "home": {"lon": YIJIN.lon, "lat": YIJIN.lat},
            "at": "2026-12-01T09:00:00+08:00",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    titles = [o["vacancy"]["title"] for o in body["options"]]
    assert titles and titles[0] == "养老护理员"
    assert body["options"][0]["vacancy"]["employer_name"] == "临安康颐养老服务有限公司"
