"""Several API processes share one database: a directory change reaches every process's
in-memory index within seconds, and readers keep answering while it is rebuilt."""

from __future__ import annotations

import time

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from leye_yiyang.app import create_app
from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.models import Facility
from leye_yiyang.settings import Settings

CORE: dict[str, str | float] = {"lon": 120.131, "lat": 33.385, "kind": "care_home", "limit": 1}


def test_a_second_process_sees_a_change_made_through_the_database(
    settings: Settings, db: Database, app: Litestar
) -> None:
    fast = Settings(
        database_url=settings.database_url, geo_dir=settings.geo_dir, index_refresh_seconds=0.2
    )
    with TestClient(create_app(fast)) as other:
        before = other.get("/v1/facilities/nearby", params=CORE).json()["items"][0]
        # Another process (here: a plain session) moves the nearest care home far away and closes it.
        with db.transaction() as s:
            f = s.scalar(select(Facility).where(Facility.id == before["facility"]["id"]))
            assert f is not None
            old_status = f.status
            f.status = "temporarily_closed"
            bump_directory_version(s)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                now = other.get("/v1/facilities/nearby", params=CORE).json()["items"][0]
                if now["facility"]["id"] != before["facility"]["id"]:
                    break
                time.sleep(0.1)
            assert now["facility"]["id"] != before["facility"]["id"]
        finally:
            with db.transaction() as s:
                f = s.scalar(select(Facility).where(Facility.id == before["facility"]["id"]))
                assert f is not None
                f.status = old_status
                bump_directory_version(s)
            app.state["snapshots"].refresh()  # the shared test app must not serve the stale view
