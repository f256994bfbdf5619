"""Liveness, readiness and request ids, through the test client against the real database."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import TestClient


def test_health_is_liveness_only(client: TestClient[Litestar]) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


def test_ready_reports_database_migrations_and_the_snapshot(client: TestClient[Litestar]) -> None:
    answer = client.get("/ready")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ready"
    assert body["database"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["migrations"]["current"] == body["migrations"]["head"] != []
    snapshot = body["snapshot"]
    assert snapshot["loaded"] is True
    assert snapshot["facilities"] > 0
    assert 0 <= snapshot["age_seconds"] < 60


def test_a_well_formed_request_id_is_echoed(client: TestClient[Litestar]) -> None:
    answer = client.get("/health", headers={"X-Request-ID": "lb-7f3a.9_Z"})
    assert answer.headers["x-request-id"] == "lb-7f3a.9_Z"


def test_a_malformed_request_id_is_replaced_by_a_new_one(client: TestClient[Litestar]) -> None:
    answer = client.get("/health", headers={"X-Request-ID": "a b/<script>"})
    made = answer.headers["x-request-id"]
    assert made != "a b/<script>"
    assert re.fullmatch(r"[0-9a-f]{16,64}", made)


def test_every_answer_gets_a_fresh_id_when_none_is_given(client: TestClient[Litestar]) -> None:
    first = client.get("/health").headers["x-request-id"]
    second = client.get("/health").headers["x-request-id"]
    assert first != second


def test_a_problem_names_its_request_id(client: TestClient[Litestar]) -> None:
    answer = client.get("/v1/facilities/987654321", headers={"X-Request-ID": "trace-42"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["request_id"] == "trace-42"


def test_an_unknown_route_carries_a_request_id_too(client: TestClient[Litestar]) -> None:
    answer = client.get("/no/such/route")
    assert answer.status_code == 404
    assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_an_overlong_request_id_is_replaced(client: TestClient[Litestar]) -> None:
    answer = client.get("/health", headers={"X-Request-ID": "x" * 65})
    assert answer.headers["x-request-id"] != "x" * 65
