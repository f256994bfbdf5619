"""HSDS ids are stable (derived from the record, not issued), and the list parameters filter."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.app import create_app
from leye_yiyang.hsds.ids import NAMESPACE
from leye_yiyang.settings import Settings

Client = TestClient[Litestar]


def test_a_service_id_is_uuid5_of_the_namespace_kind_and_ref(client: Client) -> None:
    expected = str(uuid.uuid5(NAMESPACE, "service:ref:meal-001"))
    assert client.get(f"/hsds/services/{expected}").json()["name"] == "幸福五星社区食堂"


def test_ids_are_the_same_from_a_freshly_started_app(client: Client, settings: Settings) -> None:
    before = client.get("/hsds/service_at_locations?per_page=20").json()["contents"]
    with TestClient(create_app(settings)) as again:
        after = again.get("/hsds/service_at_locations?per_page=20").json()["contents"]
    assert len(before) == 20
    assert after == before


def test_search_finds_services_by_name(client: Client) -> None:
    body = client.get("/hsds/services", params={"search": "食堂"}).json()
    assert body["total_items"] > 0
    assert all("食堂" in s["name"] or "食堂" in s.get("description", "") for s in body["contents"])


def test_modified_after_the_future_gives_an_empty_last_page(client: Client) -> None:
    body = client.get(
        "/hsds/services", params={"modified_after": "2999-01-01T00:00:00+08:00"}
    ).json()
    assert body["total_items"] == 0
    assert body["empty"] is True
    assert body["last_page"] is True


def test_a_page_past_the_end_is_empty(client: Client) -> None:
    body = client.get("/hsds/services?page=999&per_page=50").json()
    assert body["empty"] is True
    assert body["contents"] == []


def test_per_page_over_the_limit_is_a_400_problem(client: Client) -> None:
    response = client.get("/hsds/services?per_page=100000")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


def test_the_openapi_document_lists_the_hsds_endpoints(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path in (
        "/hsds",
        "/hsds/services",
        "/hsds/services/{id}",
        "/hsds/organizations",
        "/hsds/service_at_locations",
    ):
        assert path in paths, path
    assert (
        "application/problem+json"
        in paths["/hsds/services/{id}"]["get"]["responses"]["404"]["content"]
    )


def test_modified_after_must_be_an_rfc_3339_time_not_a_number(client: Client) -> None:
    r = client.get("/hsds/services", params={"modified_after": "0.5"})
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("invalid_datetime", "modified_after")
