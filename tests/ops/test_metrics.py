"""/metrics: the Prometheus text format, read back by prometheus_client's own parser; route
templates, never raw paths or query strings; served only to trusted networks or with a token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings

TOKEN = "scrape-token-0123456789"
NEARBY: dict[str, str | float] = {"lon": 120.131, "lat": 33.385, "kind": "meal_hall", "limit": 3}


@pytest.fixture(scope="module")
def scraped(settings: Settings) -> Iterator[TestClient[Litestar]]:
    with_token = Settings(
        database_url=settings.database_url, geo_dir=settings.geo_dir, metrics_token=TOKEN
    )
    with TestClient(create_app(with_token)) as c:
        yield c


def samples(client: TestClient[Litestar]) -> dict[str, list[Sample]]:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    found: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def test_requests_are_counted_by_route_template_and_status(
    scraped: TestClient[Litestar],
) -> None:
    for _ in range(3):
        assert scraped.get("/v1/facilities/nearby", params=NEARBY).status_code == 200
    assert scraped.get("/v1/facilities/987654321").status_code == 404
    counted = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in samples(scraped)["leye_http_requests_total"]
    }
    assert counted[("/v1/facilities/nearby", "200")] == 3
    assert counted[("/v1/facilities/{facility_id}", "404")] == 1


def test_latency_is_a_histogram_per_route(scraped: TestClient[Litestar]) -> None:
    scraped.get("/v1/facilities/nearby", params=NEARBY)
    buckets = [
        s
        for s in samples(scraped)["leye_http_request_duration_seconds_bucket"]
        if s.labels["route"] == "/v1/facilities/nearby"
    ]
    assert len(buckets) > 5
    assert buckets[-1].labels["le"] == "+Inf"
    assert buckets[-1].value >= 1


def test_no_raw_path_or_query_reaches_a_label(scraped: TestClient[Litestar]) -> None:
    scraped.get(
        "/v1/facilities/nearby", params={"address": "毓龙街道桥东社区", "kind": "meal_hall"}
    )
    scraped.get("/residents/张三/secret")
    found = samples(scraped)
    routes = {s.labels["route"] for s in found["leye_http_requests_total"]}
    assert "unmatched" in routes
    labels = " ".join(str(s.labels) for values in found.values() for s in values)
    assert "张三" not in labels
    assert "桥东" not in labels
    assert "address" not in labels


def test_the_snapshot_refresh_and_pool_are_reported(
    scraped: TestClient[Litestar], app: Litestar
) -> None:
    found = samples(scraped)
    version = scraped.get("/ready").json()["snapshot"]["version"]
    assert found["leye_snapshot_version"][0].value == version
    assert found["leye_snapshot_facilities"][0].value > 0
    assert found["leye_snapshot_age_seconds"][0].value >= 0
    assert found["leye_snapshot_last_build_timestamp_seconds"][0].value > 1.7e9
    assert found["leye_snapshot_refresh_failures_total"][0].value == 0
    assert found["leye_database_up"][0].value == 1
    assert {s.labels["state"] for s in found["leye_db_pool_connections"]} >= {"in_use", "idle"}


def test_metrics_are_refused_without_the_token_off_the_trusted_network(
    scraped: TestClient[Litestar],
) -> None:
    # The test client's peer is "testclient", not a loopback address.
    answer = scraped.get("/metrics", headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "metrics_forbidden"
