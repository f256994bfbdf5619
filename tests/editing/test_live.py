"""A change made through one API process reaches another sharing the database: within a
second on PostgreSQL (LISTEN/NOTIFY sent in the write's transaction), within the polling
interval otherwise."""

from __future__ import annotations

import os
import time

from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings
from tests.editing.conftest import bearer

POINT = {"lon": 120.2201, "lat": 33.3301}
ON_POSTGRES = bool(os.environ.get("LEYE_TEST_DATABASE_URL"))


def test_a_second_process_answers_nearby_with_a_new_meal_point(
    api: TestClient[Litestar], tokens: dict[str, str], edit_settings: Settings
) -> None:
    # Polling every 30 s: on PostgreSQL only the notification can bring the change in time.
    slow_poll = Settings(
        database_url=edit_settings.database_url,
        geo_dir=edit_settings.geo_dir,
        index_refresh_seconds=30 if ON_POSTGRES else 0.5,
    )
    with TestClient(create_app(slow_poll)) as other:
        holder = other.app.state["snapshots"]
        deadline = time.monotonic() + 10
        while ON_POSTGRES and not holder.listening and time.monotonic() < deadline:
            time.sleep(0.05)
        body = {"kind": "meal_hall", "name": "跨进程新食堂", "address": "亭湖区南洋镇", **POINT}
        made = api.post("/v1/facilities", json=body, headers=bearer(tokens["civil_affairs"]))
        assert made.status_code == 201, made.text
        written = time.monotonic()
        params = {**POINT, "kind": "meal_hall", "limit": 1}
        while time.monotonic() - written < 5:
            found = other.get("/v1/facilities/nearby", params=params).json()["items"]
            if found and found[0]["facility"]["id"] == made.json()["id"]:
                break
            time.sleep(0.02)
        seen_after = time.monotonic() - written
        assert found[0]["facility"]["id"] == made.json()["id"]
        assert seen_after < 1.0
