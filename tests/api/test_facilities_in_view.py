"""What a map asks for: the facilities inside its view (`bbox`), in a compact form."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]
CENTRE = "120.10,33.33,120.22,33.42"  # the urban subdistricts
WHOLE_WORLD = "-180,-90,180,90"


def compact(client: Client, **params: Any) -> dict[str, Any]:
    r = client.get("/v1/facilities", params={"format": "compact", "limit": 5000, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_compact_rows_are_id_kind_lon_lat_name_status_and_match_the_full_listing(
    client: Client,
) -> None:
    page = compact(client, kind="meal_hall")
    assert page["fields"] == ["id", "kind", "lon", "lat", "name", "status"]
    full = client.get("/v1/facilities", params={"kind": "meal_hall", "limit": 200}).json()
    assert page["total"] == full["total"] > 0
    first = full["items"][0]
    assert page["items"][0] == [
        first["id"],
        "meal_hall",
        first["lon"],
        first["lat"],
        first["name"],
        first["status"],
    ]


def test_a_box_over_the_whole_world_keeps_every_facility(client: Client) -> None:
    everything = compact(client)
    assert compact(client, bbox=WHOLE_WORLD)["total"] == everything["total"] > 0


def test_a_box_keeps_exactly_the_facilities_inside_it(client: Client) -> None:
    everything = compact(client)["items"]
    inside = compact(client, bbox=CENTRE)["items"]
    expected = [
        row[0] for row in everything if 120.10 <= row[2] <= 120.22 and 33.33 <= row[3] <= 33.42
    ]
    assert 0 < len(expected) < len(everything)
    assert [row[0] for row in inside] == expected


def test_a_gcj02_box_is_read_and_answered_in_gcj02(client: Client) -> None:
    page = compact(client, bbox=CENTRE, crs="gcj02")
    assert page["crs"] == "gcj02"
    rows = page["items"]
    assert rows
    # The answer is in GCJ-02; the box (converted with a margin) keeps what lies inside it.
    inside = [r for r in rows if 120.10 <= r[2] <= 120.22 and 33.33 <= r[3] <= 33.42]
    assert len(inside) >= 0.9 * len(rows)


def test_a_box_in_the_sea_is_an_empty_page_not_an_error(client: Client) -> None:
    page = compact(client, bbox="121.5,33.0,121.6,33.1")
    assert page["total"] == 0
    assert page["items"] == []


def test_the_full_listing_takes_a_box_too(client: Client) -> None:
    r = client.get("/v1/facilities", params={"bbox": CENTRE, "limit": 200})
    assert r.status_code == 200
    assert r.json()["total"] == compact(client, bbox=CENTRE)["total"]


@pytest.mark.parametrize(
    "bbox",
    [
        "120.1,33.3,120.2",
        "120.1,33.3,120.2,33.4,1",
        "a,b,c,d",
        "120.2,33.3,120.1,33.4",
        "120.1,33.4,120.2,33.3",
        "120.1,33.3,120.1,33.4",
        "120.1,33.3,nan,33.4",
        "120.1,33.3,inf,33.4",
        "120.1,-95,120.2,33.4",
        "-190,33.3,120.2,33.4",
        "",
    ],
)
def test_a_bad_box_is_a_clear_400(client: Client, bbox: str) -> None:
    r = client.get("/v1/facilities", params={"bbox": bbox, "format": "compact"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "invalid_bbox"
    assert body["field"] == "bbox"
    assert "min_lon,min_lat,max_lon,max_lat" in body["message_en"]


def test_pages_over_200_are_only_for_the_compact_form(client: Client) -> None:
    r = client.get("/v1/facilities", params={"limit": 1000})
    assert r.status_code == 400
    assert r.json()["code"] == "limit_out_of_range"
    assert compact(client, limit=1000)["limit"] == 1000


def test_a_level_of_areas_comes_as_one_geojson_collection_of_boundaries(client: Client) -> None:
    r = client.get("/v1/areas", params={"level": "subdistrict", "format": "geojson"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    features = r.json()["features"]
    listed = client.get("/v1/areas", params={"level": "subdistrict"}).json()["items"]
    assert [f["id"] for f in features] == [a["code"] for a in listed] != []
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert features[0]["properties"]["name"] == listed[0]["name"]


def test_area_boundaries_in_gcj02_are_shifted_from_wgs84(client: Client) -> None:
    def first_vertex(crs: str) -> list[float]:
        params = {"level": "district", "format": "geojson", "crs": crs}
        geometry = client.get("/v1/areas", params=params).json()["features"][0]["geometry"]
        ring = geometry["coordinates"][0]
        return list(ring[0] if geometry["type"] == "Polygon" else ring[0][0])

    wgs, gcj = first_vertex("wgs84"), first_vertex("gcj02")
    assert 0.001 < abs(gcj[0] - wgs[0]) + abs(gcj[1] - wgs[1]) < 0.02


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": CENTRE},
        {"bbox": CENTRE, "kind": "childcare"},
        {"bbox": CENTRE, "crs": "gcj02"},
        {"bbox": WHOLE_WORLD, "limit": 50, "offset": 30},
        {},
    ],
)
def test_active_facilities_in_view_come_from_the_snapshot_exactly_as_from_the_database(
    client: Client, params: dict[str, Any]
) -> None:
    fast = compact(client, status="active", **params)
    # The district's own code keeps every facility but sends the query to the database.
    slow = compact(client, status="active", area="320902", **params)
    assert fast["items"] == slow["items"] != []
    assert fast["total"] == slow["total"]
