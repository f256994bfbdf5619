"""Bad input gets a clear problem+json error with a stable code, never a 500."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]


def assert_problem(r: object, status: int, code: str) -> dict[str, object]:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = r.json()  # type: ignore[attr-defined]
    assert body["code"] == code and body["status"] == status
    assert body["message_zh"] and body["message_en"]
    return body


def test_an_unknown_facility_is_404(client: Client) -> None:
    assert_problem(client.get("/v1/facilities/99999999"), 404, "facility_not_found")


def test_an_unknown_area_is_404(client: Client) -> None:
    assert_problem(client.get("/v1/areas/000000"), 404, "area_not_found")
    body = assert_problem(
        client.get("/v1/facilities", params={"area": "nope"}), 404, "area_not_found"
    )
    assert body["field"] == "area"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "spaceship"}, "kind"),
        ({"status": "maybe"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"crs": "osgb36"}, "crs"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_a_bad_query_value_is_400_naming_the_field(
    client: Client, params: dict[str, str], field: str
) -> None:
    body = assert_problem(client.get("/v1/facilities", params=params), 400, "validation_failed")
    assert body["field"] == field


@pytest.mark.parametrize("occupation", ["4-１０", "4-10-٠١", "４-10"])
def test_an_occupation_code_with_non_ascii_digits_is_400_naming_the_field(
    client: Client, occupation: str
) -> None:
    r = client.get("/v1/vacancies", params={"occupation": occupation})
    body = assert_problem(r, 400, "validation_failed")
    assert body["field"] == "occupation"


@pytest.mark.parametrize("facility_id", ["abc", "1.5", "１２", "+12", "%2012"])
def test_a_facility_path_whose_id_is_not_written_in_ascii_digits_is_no_route(
    client: Client, facility_id: str
) -> None:
    # Facility paths are /v1/facilities/{integer}; int() would read "１２" as 12.
    assert_problem(client.get(f"/v1/facilities/{facility_id}"), 404, "route_not_found")


@pytest.mark.parametrize("facility_id", ["0", "-1", str(2**62 + 1)])
def test_a_facility_id_out_of_range_is_400_naming_the_field(
    client: Client, facility_id: str
) -> None:
    body = assert_problem(client.get(f"/v1/facilities/{facility_id}"), 400, "validation_failed")
    assert body["field"] == "facility_id"


def test_an_unknown_route_and_a_wrong_method_are_problems(client: Client) -> None:
    assert_problem(client.get("/v1/nowhere"), 404, "route_not_found")
    assert_problem(client.delete("/v1/facilities"), 405, "method_not_allowed")


def test_a_huge_body_is_refused_with_413(client: Client) -> None:
    huge = b'{"kind": "meal_hall", "candidates": [' + b'{"lon": 120.1, "lat": 33.3},' * 120_000
    r = client.post(
        "/v1/coverage/suggest", content=huge + b"{}]}", headers={"content-type": "application/json"}
    )
    assert_problem(r, 413, "body_too_large")


def test_a_malformed_json_body_is_400(client: Client) -> None:
    r = client.post(
        "/v1/coverage/suggest", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/areas?parent=%00x",
        "/v1/facilities?area=a%00b",
        "/v1/vacancies?q=%01",
        "/v1/employers?area=%00",
        "/v1/facilities/nearby?address=%E4%BA%94%00",
    ],
)
def test_control_characters_in_the_query_are_400_not_a_database_error(
    client: Client, path: str
) -> None:
    assert_problem(client.get(path), 400, "invalid_characters")
