"""Specification of the OpenAPI document as a contract: every error an operation can answer is
listed as application/problem+json with the Problem schema, every alternative representation
with its media type, and a place is lon+lat or an address, never something in between."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.problems import PROBLEM_JSON

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def document(client: TestClient[Litestar]) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [
        (method.upper(), path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    ]
    assert len(found) >= 16
    return found


def test_every_error_response_is_a_problem(document: dict[str, Any]) -> None:
    errors = [
        (f"{m} {p} {status}", response)
        for m, p, op in operations(document)
        for status, response in op["responses"].items()
        if int(status) >= 400
    ]
    assert errors
    for where, response in errors:
        assert response["content"] == {PROBLEM_JSON: {"schema": PROBLEM_REF}}, where


def test_every_operation_lists_bad_input_and_internal_errors(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        assert {"400", "500"} <= set(op["responses"]), f"{method} {path}"


def test_operations_with_a_body_list_413(document: dict[str, Any]) -> None:
    posts = [(p, op) for m, p, op in operations(document) if "requestBody" in op]
    assert len(posts) >= 4
    for path, op in posts:
        assert "413" in op["responses"], path


@pytest.mark.parametrize(
    ("path", "statuses"),
    [
        ("/v1/facilities/{facility_id}", {"404"}),
        ("/v1/areas/{code}", {"404"}),
        ("/v1/facilities/nearby", {"404", "422"}),
        ("/v1/circles", {"404", "422"}),
        ("/v1/geocode", {"404", "422"}),
    ],
)
def test_an_operation_lists_its_own_errors(
    document: dict[str, Any], path: str, statuses: set[str]
) -> None:
    assert statuses <= set(document["paths"][path]["get"]["responses"])


def test_the_problem_schema_names_the_stable_fields(document: dict[str, Any]) -> None:
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "code", "message_zh", "message_en"} <= set(
        problem["required"]
    )


@pytest.mark.parametrize(
    ("path", "media"),
    [
        (
            "/v1/facilities",
            {"application/json": ["FacilityPage", "FacilityPoints"], "application/geo+json": None},
        ),
        ("/v1/areas", {"application/json": ["AreaList"], "application/geo+json": None}),
        (
            "/v1/coverage",
            {
                "application/json": ["CoverageResult"],
                "application/geo+json": None,
                "text/csv": None,
            },
        ),
    ],
)
def test_alternative_representations_have_their_media_types(
    document: dict[str, Any], path: str, media: dict[str, list[str] | None]
) -> None:
    content = document["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == set(media)
    names = media["application/json"]
    assert names is not None
    refs = [{"$ref": f"#/components/schemas/{n}"} for n in names]
    schema = content["application/json"]["schema"]
    assert (schema.get("anyOf") if len(refs) > 1 else [schema]) == refs
    assert content["application/geo+json"]["schema"] == {
        "$ref": "#/components/schemas/FeatureCollection"
    }
    if "text/csv" in content:
        assert content["text/csv"]["schema"] == {"type": "string"}


def test_a_place_is_lon_and_lat_or_an_address(document: dict[str, Any]) -> None:
    params = document["paths"]["/v1/facilities/nearby"]["get"]["parameters"]
    names = {p["name"] for p in params}
    assert "place" in names
    assert not {"lon", "lat", "address"} & names
    place = next(p for p in params if p["name"] == "place")
    assert (place["in"], place["style"], place["explode"], place["required"]) == (
        "query",
        "form",
        True,
        True,
    )
    required = [option["required"] for option in place["schema"]["anyOf"]]
    assert required == [["lon", "lat"], ["address"]]
    assert place["schema"]["anyOf"][0]["properties"]["lat"]["maximum"] == 90


def test_a_home_in_a_body_is_lon_and_lat_or_an_address(document: dict[str, Any]) -> None:
    home = document["components"]["schemas"]["Home"]
    assert [option["required"] for option in home["anyOf"]] == [["lon", "lat"], ["address"]]
    assert all(option["additionalProperties"] is False for option in home["anyOf"])


def test_bodies_refuse_unknown_fields_in_the_document_too(document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["SuggestRequest"]["additionalProperties"] is False


def test_query_strings_exclude_control_characters(document: dict[str, Any]) -> None:
    params = document["paths"]["/v1/geocode"]["get"]["parameters"]
    q = next(p for p in params if p["name"] == "q")
    assert q["schema"]["pattern"] == "^[^\u0000-\u0008\u000a-\u001f]*$"


def test_a_405_names_the_allowed_methods(client: TestClient[Litestar]) -> None:
    response = client.request("TRACE", "/v1/facilities/1")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    ("path", "methods"),
    [("/v1/facilities", "GET, OPTIONS, POST"), ("/v1/vacancies/1", "GET, OPTIONS, PATCH")],
)
def test_options_lists_every_method_of_a_path_shared_by_read_and_edit(
    client: Any, path: str, methods: str
) -> None:
    r = client.options(path)
    assert (r.status_code, r.headers["allow"]) == (204, methods)
