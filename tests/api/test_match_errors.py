"""Bad input to matching is a clear problem+json 400/404/422 naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]
HOME = {"lon": 120.104919, "lat": 33.396027}
PERSON = {"age": 70}


def services(**change: Any) -> dict[str, Any]:
    return {"person": PERSON, "home": HOME, "needs": ["meal"], **change}


def jobs(**seeker: Any) -> dict[str, Any]:
    return {"seeker": {"occupations": ["保洁"], **seeker}, "home": HOME}


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "field"),
    [
        ("services", services(person={"age": 300}), 400, "validation_failed", "person.age"),
        ("services", services(person={"age": -1}), 400, "validation_failed", "person.age"),
        ("services", services(needs=["spa"]), 400, "validation_failed", "needs[0]"),
        ("services", services(needs=[]), 400, "validation_failed", "needs"),
        (
            "services",
            services(person={"statuses": ["rich"]}),
            400,
            "validation_failed",
            "person.statuses[0]",
        ),
        (
            "services",
            services(person={"birth_date": "2031-01-01"}),
            400,
            "birth_date_in_future",
            "person.birth_date",
        ),
        (
            "services",
            services(home={"lon": 33.38, "lat": 120.13}),
            400,
            "coordinates_swapped",
            "lat",
        ),
        (
            "services",
            services(home={"lon": 116.40, "lat": 39.91}),
            422,
            "outside_service_region",
            "lon",
        ),
        ("services", services(home={"lon": 120.1}), 400, "point_incomplete", "lat"),
        ("services", services(home={}), 400, "point_required", "lon"),
        ("services", services(home={"address": "火星基地"}), 404, "address_not_found", "address"),
        ("services", services(at="0001-01-01T00:00:00"), 400, "at_out_of_range", "at"),
        ("jobs", {**jobs(), "at": "9999-12-31T23:00:00+08:00"}, 400, "at_out_of_range", "at"),
        ("services", services(minutes=0), 400, "validation_failed", "minutes"),
        ("services", services(limit_per_need=21), 400, "validation_failed", "limit_per_need"),
        ("services", services(mode="rocket"), 400, "validation_failed", "mode"),
        ("services", services(crs="osgb36"), 400, "validation_failed", "crs"),
        ("services", services(favourite_colour="red"), 400, "validation_failed", None),
        (
            "jobs",
            jobs(available_from="09:00", must_leave_by="08:00"),
            400,
            "hours_inverted",
            "seeker.must_leave_by",
        ),
        ("jobs", jobs(must_leave_by="25:00"), 400, "validation_failed", "seeker.must_leave_by"),
        ("jobs", jobs(occupations=["8-99-99-99"]), 422, "unknown_occupation", "seeker.occupations"),
        (
            "jobs",
            jobs(max_commute_minutes=0),
            400,
            "validation_failed",
            "seeker.max_commute_minutes",
        ),
        ("jobs", jobs(days=["someday"]), 400, "validation_failed", "seeker.days[0]"),
        ("household", {"members": [], "home": HOME}, 400, "validation_failed", "members"),
        (
            "household",
            {"members": [{"label": "孩子", "age": 10, "seeks_work": True}], "home": HOME},
            400,
            "not_working_age",
            "members[0].seeks_work",
        ),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    client: Client, path: str, body: dict[str, Any], status: int, code: str, field: str | None
) -> None:
    r = client.post(f"/v1/match/{path}", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["code"] == code
    assert problem["message_zh"] and problem["message_en"]
    if field is not None:
        assert problem["field"] == field


def test_a_body_that_is_not_json_is_a_400(client: Client) -> None:
    r = client.post(
        "/v1/match/services", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
