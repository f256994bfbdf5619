"""Reading the demo directory over HTTP: areas, facilities (JSON and GeoJSON), jobs, courses."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]


def test_health_answers_ok(client: Client) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_openapi_schema_lists_the_read_api(client: Client) -> None:
    spec = client.get("/schema/openapi.json").json()
    for path in ("/v1/areas", "/v1/facilities", "/v1/facilities/{facility_id}", "/v1/vacancies"):
        assert path in spec["paths"], path
    assert client.get("/schema").status_code == 200


def test_areas_form_a_hierarchy_whose_populations_add_up(client: Client) -> None:
    areas = client.get("/v1/areas").json()["items"]
    by_level: dict[str, list[dict[str, Any]]] = {}
    for a in areas:
        by_level.setdefault(a["level"], []).append(a)
    (district,) = by_level["district"]
    assert district["name"] == "亭湖区"
    assert 660_000 <= district["population"] <= 700_000
    parents = by_level["subdistrict"] + by_level["town"]
    assert {p["name"] for p in parents} >= {"五星街道", "文峰街道", "毓龙街道", "南洋镇", "盐东镇"}
    assert sum(p["population"] for p in parents) == district["population"]
    leaves = by_level["community"] + by_level["village"]
    assert len(by_level["community"]) >= 67
    assert sum(c["population"] for c in leaves) == district["population"]


def test_an_area_comes_with_its_polygon_and_children(client: Client) -> None:
    towns = client.get("/v1/areas", params={"level": "town"}).json()["items"]
    town = client.get(f"/v1/areas/{towns[0]['code']}").json()
    assert town["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert town["children"]
    lon, lat = town["centroid"]
    assert 119.9 < lon < 120.6 and 33.1 < lat < 33.9


def test_meal_halls_are_listed_with_their_services_and_places(client: Client) -> None:
    r = client.get("/v1/facilities", params={"kind": "meal_hall", "limit": 200})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 15 and len(body["items"]) == body["total"]
    assert {f["kind"] for f in body["items"]} == {"meal_hall"}
    hall = body["items"][0]
    assert hall["kind_label"] == "长者幸福食堂/助餐点"
    assert {"lunch"} <= {s["code"] for s in hall["services"]} or hall["status"] != "active"
    assert hall["places_free"] == max(0, hall["capacity"] - hall["places_taken"])


def test_facilities_page_and_filter_by_area_status_and_text(client: Client) -> None:
    first = client.get("/v1/facilities", params={"limit": 5}).json()
    second = client.get("/v1/facilities", params={"limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5 and first["total"] > 100
    assert not {f["id"] for f in first["items"]} & {f["id"] for f in second["items"]}
    town = client.get("/v1/areas", params={"level": "subdistrict"}).json()["items"][0]
    in_town = client.get("/v1/facilities", params={"area": town["code"], "limit": 200}).json()
    children = set(client.get(f"/v1/areas/{town['code']}").json()["children"])
    assert in_town["items"]
    assert {f["area_code"] for f in in_town["items"]} <= children
    closed = client.get("/v1/facilities", params={"status": "closed"}).json()
    assert [f["status"] for f in closed["items"]] == ["closed"]  # the demo closed one place
    named = client.get("/v1/facilities", params={"q": "食堂"}).json()
    assert named["total"] >= 1
    assert len(named["items"]) == min(named["total"], 50)
    assert all("食堂" in f["name"] + f["address"] for f in named["items"])


def test_facilities_as_geojson_follow_rfc_7946(client: Client) -> None:
    for r in (
        client.get("/v1/facilities", params={"kind": "childcare", "format": "geojson"}),
        client.get(
            "/v1/facilities",
            params={"kind": "childcare"},
            headers={"Accept": "application/geo+json"},
        ),
    ):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/geo+json")
        fc = r.json()
        assert fc["type"] == "FeatureCollection" and fc["features"]
        feature = fc["features"][0]
        assert feature["type"] == "Feature" and isinstance(feature["id"], int)
        lon, lat = feature["geometry"]["coordinates"]
        assert 119.9 < lon < 120.6 and 33.1 < lat < 33.9  # lon first


def test_one_facility_in_each_datum_differs_by_the_expected_offset(client: Client) -> None:
    some = client.get("/v1/facilities", params={"limit": 1}).json()["items"][0]
    wgs = client.get(f"/v1/facilities/{some['id']}").json()
    gcj = client.get(f"/v1/facilities/{some['id']}", params={"crs": "gcj02"}).json()
    bd = client.get(f"/v1/facilities/{some['id']}", params={"crs": "bd09"}).json()
    assert (wgs["crs"], gcj["crs"], bd["crs"]) == ("wgs84", "gcj02", "bd09")
    # GCJ-02 is shifted by a few hundred metres around Yancheng, BD-09 further still.
    assert 0.001 < abs(gcj["lon"] - wgs["lon"]) + abs(gcj["lat"] - wgs["lat"]) < 0.01
    assert abs(bd["lon"] - gcj["lon"]) > 0.003


def test_employers_vacancies_and_courses_are_listed(client: Client) -> None:
    employers = client.get("/v1/employers", params={"limit": 200}).json()
    assert employers["total"] >= 150
    assert len(employers["items"]) == min(employers["total"], 200)
    assert {len(e["uscc"]) for e in employers["items"]} == {18}
    vacancies = client.get("/v1/vacancies", params={"limit": 200}).json()
    assert vacancies["total"] >= 400
    assert {v["status"] for v in vacancies["items"]} == {"open"}
    v = vacancies["items"][0]
    assert v["wage_min"] <= v["wage_max"] and v["occupation_name"]
    courses = client.get("/v1/training-courses").json()
    assert courses["total"] >= 20


def test_vacancies_filter_by_occupation_group_and_wage(client: Client) -> None:
    care = client.get("/v1/vacancies", params={"occupation": "4-10", "limit": 200}).json()
    assert care["total"] >= 1
    assert care["items"]
    assert all(v["occupation_code"].startswith("4-10-") for v in care["items"])
    rich = client.get("/v1/vacancies", params={"wage_min": 7000, "limit": 200}).json()
    assert rich["items"]
    assert min(v["wage_max"] for v in rich["items"]) >= 7000
    everything = client.get("/v1/vacancies", params={"open": "false"}).json()
    assert everything["total"] >= care["total"]


def test_every_endpoint_that_returns_points_answers_in_the_datum_asked(client: Client) -> None:
    def shift(path: str, pick: Any, params: dict[str, Any] | None = None) -> float:
        wgs = pick(client.get(path, params=params or {}).json())
        gcj = pick(client.get(path, params={**(params or {}), "crs": "gcj02"}).json())
        return abs(gcj[0] - wgs[0]) + abs(gcj[1] - wgs[1])

    assert 0.001 < shift("/v1/areas", lambda b: b["items"][1]["centroid"]) < 0.01
    town = client.get("/v1/areas", params={"level": "town"}).json()["items"][0]["code"]

    def first_vertex(b: dict[str, Any]) -> list[float]:
        coords = b["geometry"]["coordinates"]
        while isinstance(coords[0][0], list):
            coords = coords[0]
        return list(coords[0])

    assert 0.001 < shift(f"/v1/areas/{town}", first_vertex) < 0.01
    workplace = lambda b: [b["items"][0]["workplaces"][0][k] for k in ("lon", "lat")]  # noqa: E731
    assert 0.001 < shift("/v1/employers", workplace) < 0.01
    course = lambda b: [b["items"][0][k] for k in ("lon", "lat")]  # noqa: E731
    assert 0.001 < shift("/v1/training-courses", course) < 0.01
    feature = lambda b: first_vertex(b["features"][0])  # noqa: E731
    params = {"kind": "meal_hall", "format": "geojson"}
    assert 0.001 < shift("/v1/coverage", feature, params) < 0.01
