"""Every HSDS answer passes the official HSDS 3.0 compiled schema for its shape, formats checked."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.hsds.conftest import FORMATS, Schemas

Client = TestClient[Litestar]


def _json(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_format_checker_checks_the_formats_the_schemas_name() -> None:
    # jsonschema checks a format only when its checker is installed: prove each one bites.
    for fmt, bad in [
        ("uuid", "not-a-uuid"),
        ("date-time", "yesterday"),
        ("email", "nobody"),
        ("uri", "no scheme"),
    ]:
        assert not FORMATS.conforms(bad, fmt), fmt


def test_api_information_names_the_version_profile_and_openapi(client: Client) -> None:
    body = _json(client, "/hsds/")
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/schema/openapi.json")
    assert body["profile"].startswith("https://")


def test_a_page_of_services_has_the_hsds_page_wrapper(client: Client) -> None:
    body = _json(client, "/hsds/services?per_page=10&page=2")
    keys = {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert keys <= body.keys()
    assert body["page_number"] == 2
    assert body["size"] == 10
    assert body["first_page"] is False
    assert body["total_pages"] == -(-body["total_items"] // 10)


def test_every_listed_service_passes_service_list_schema(
    client: Client, hsds_schemas: Schemas
) -> None:
    contents = _json(client, "/hsds/services?per_page=1000")["contents"]
    assert len(contents) > 100
    problems = [p for item in contents for p in hsds_schemas.errors("service_list.json", item)]
    assert problems == []


def test_every_service_in_full_passes_service_schema(client: Client, hsds_schemas: Schemas) -> None:
    services = client.get("/hsds/export").json()
    assert len(services) > 100
    problems = [p for item in services for p in hsds_schemas.errors("service.json", item)]
    assert problems == []


def test_capacities_pass_the_hsds_31_service_capacity_schema(
    client: Client, hsds_schemas: Schemas
) -> None:
    capacities = [c for s in client.get("/hsds/export").json() for c in s.get("capacities", [])]
    assert len(capacities) > 50
    problems = [p for c in capacities for p in hsds_schemas.errors("3.1:service_capacity.json", c)]
    assert problems == []


def test_one_service_passes_service_schema_and_is_found_by_its_id(
    client: Client, hsds_schemas: Schemas
) -> None:
    first = _json(client, "/hsds/services?per_page=1")["contents"][0]
    body = _json(client, f"/hsds/services/{first['id']}")
    assert body["id"] == first["id"]
    assert hsds_schemas.errors("service.json", body) == []


def test_organizations_pass_their_schemas(client: Client, hsds_schemas: Schemas) -> None:
    page = _json(client, "/hsds/organizations?per_page=1000")
    assert page["total_items"] > 10
    problems = [
        p for item in page["contents"] for p in hsds_schemas.errors("organization_list.json", item)
    ]
    assert problems == []
    one = _json(client, f"/hsds/organizations/{page['contents'][0]['id']}")
    assert hsds_schemas.errors("organization.json", one) == []


def test_service_at_locations_pass_their_schemas(client: Client, hsds_schemas: Schemas) -> None:
    page = _json(client, "/hsds/service_at_locations?per_page=1000")
    assert page["total_items"] > 100
    problems = [
        p
        for item in page["contents"]
        for p in hsds_schemas.errors("service_at_location_list.json", item)
    ]
    assert problems == []
    one = _json(client, f"/hsds/service_at_locations/{page['contents'][0]['id']}")
    assert hsds_schemas.errors("service_at_location.json", one) == []


@pytest.mark.parametrize("path", ["services", "organizations", "service_at_locations"])
def test_an_unknown_id_is_a_404_problem(client: Client, path: str) -> None:
    response = client.get(f"/hsds/{path}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "hsds_not_found"
