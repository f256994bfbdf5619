"""PostgreSQL stopped under a running server (`pg_ctl -m immediate`, as a crash or a restart
looks), then started again. What the in-memory directory can answer keeps answering; what needs
the database answers 503 database_unavailable with Retry-After, never 500; the outage is logged
once when it starts and once when it ends; everything recovers without a restart.

Needs the PostgreSQL that `.ci/run` starts: LEYE_TEST_PG_STOP and LEYE_TEST_PG_START are the
commands that stop and start it."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from leye_yiyang.db import Database, bump_directory_version, database_unavailable
from leye_yiyang.models import DirectoryState, Facility
from tests.ops.server import Server, serving

STOP = os.environ.get("LEYE_TEST_PG_STOP")
START = os.environ.get("LEYE_TEST_PG_START")
pytestmark = pytest.mark.skipif(
    not (os.environ.get("LEYE_TEST_DATABASE_URL") and STOP and START),
    reason="needs the PostgreSQL .ci/run starts (LEYE_TEST_DATABASE_URL, LEYE_TEST_PG_STOP, "
    "LEYE_TEST_PG_START)",
)

POINT = {"lon": 120.131, "lat": 33.385}
# Answered from the in-memory snapshot: must keep answering while the database is down.
IN_MEMORY: dict[str, tuple[str, str, dict[str, Any]]] = {
    "nearby": ("GET", "/v1/facilities/nearby", {"params": {**POINT, "kind": "meal_hall"}}),
    "circles": ("GET", "/v1/circles", {"params": {**POINT, "minutes": 15}}),
    "coverage": ("GET", "/v1/coverage", {"params": {"kind": "day_care", "minutes": 15}}),
    "geocode": ("GET", "/v1/geocode", {"params": {"q": "桥东社区"}}),
    "match_services": (
        "POST",
        "/v1/match/services",
        {"json": {"person": {"age": 80}, "home": POINT, "needs": ["meal"]}},
    ),
    "match_jobs": (
        "POST",
        "/v1/match/jobs",
        {"json": {"seeker": {"occupations": ["护工"]}, "home": POINT}},
    ),
    "match_household": (
        "POST",
        "/v1/match/household",
        {
            "json": {
                "members": [{"label": "奶奶", "age": 80, "needs": ["meal"]}],
                "home": POINT,
            }
        },
    ),
}
DATABASE_BACKED = {
    "list": ("GET", "/v1/facilities", {"params": {"limit": 5}}),
    "one": ("GET", "/v1/facilities/1", {}),
    "areas": ("GET", "/v1/areas", {}),
}


def sh(command: str) -> None:
    subprocess.run(command, shell=True, check=True, capture_output=True, timeout=60)


def call(base: str, spec: tuple[str, str, dict[str, Any]]) -> httpx.Response:
    method, path, kwargs = spec
    return httpx.request(method, base + path, timeout=10, **kwargs)


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


class Load(threading.Thread):
    """Light load: one request at a time round the endpoints, bounded in count and time."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.seen: Counter[tuple[str, int]] = Counter()

    def run(self) -> None:
        specs = [*IN_MEMORY.items(), *DATABASE_BACKED.items()]
        deadline = time.monotonic() + 180
        for i in range(20_000):
            if self.stop.is_set() or time.monotonic() > deadline:
                return
            name, spec = specs[i % len(specs)]
            try:
                self.seen[(name, call(self.base, spec).status_code)] += 1
            except httpx.HTTPError:
                self.seen[(name, 0)] += 1
            time.sleep(0.01)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    with serving(database_url, tmp_path / "serve.log", LEYE_INDEX_REFRESH_SECONDS="0.2") as s:
        yield s


def test_the_server_rides_out_a_postgresql_outage(
    server: Server, db: Database, database_url: str
) -> None:
    base = server.base
    assert wait_for(lambda: call(base, ("GET", "/ready", {})).status_code == 200, 30)
    with db.transaction() as s:
        version_before = s.scalar(select(DirectoryState.version))
    load = Load(base)
    load.start()
    in_flight = db.sessions()
    facility = in_flight.scalar(select(Facility).order_by(Facility.id).limit(1))
    assert facility is not None
    old_name = facility.name
    stopped = False
    try:
        # A write in flight: changed and flushed, not yet committed, when the database goes.
        facility.name = old_name + "（改）"
        bump_directory_version(in_flight)
        sh(STOP or "")
        stopped = True
        with pytest.raises(DBAPIError) as lost:
            in_flight.commit()
        assert database_unavailable(lost.value)
        in_flight.close()

        ready = call(base, ("GET", "/ready", {}))
        assert ready.status_code == 503
        assert ready.json()["code"] == "database_unavailable"
        for name, spec in IN_MEMORY.items():
            answer = call(base, spec)
            assert answer.status_code == 200, (name, answer.text)
        for name, spec in DATABASE_BACKED.items():
            answer = call(base, spec)
            assert answer.status_code == 503, (name, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == "database_unavailable"
            assert answer.headers["retry-after"] == "5"
        metrics = httpx.get(base + "/metrics", timeout=5).text
        assert "leye_database_up 0.0" in metrics
        time.sleep(2)  # ten refresh polls fail meanwhile

        sh(START or "")
        stopped = False
        assert wait_for(lambda: call(base, ("GET", "/ready", {})).status_code == 200, 30)
        for name, spec in {**IN_MEMORY, **DATABASE_BACKED}.items():
            answer = call(base, spec)
            assert answer.status_code == 200, (name, answer.text)
        assert "leye_database_up 1.0" in httpx.get(base + "/metrics", timeout=5).text
    finally:
        load.stop.set()
        load.join(timeout=30)
        if stopped:
            sh(START or "")
    with db.transaction() as s:
        assert s.scalar(select(DirectoryState.version)) == version_before
        assert s.scalar(select(Facility.name).where(Facility.id == facility.id)) == old_name
    log = server.log_text()
    assert log.count("database unavailable") == 1, log
    assert log.count("database available again after") == 1, log
    assert "Traceback" not in log
    statuses = {status for (_, status) in load.seen}
    assert sum(load.seen.values()) > 20
    assert statuses <= {200, 503}, load.seen
    assert all(status == 200 for (name, status) in load.seen if name in IN_MEMORY), load.seen
    assert (("list", 503)) in load.seen
