"""Fifty social workers' sends racing for the last three places, against a real server process
on the suite's database (SQLite, or PostgreSQL in CI): exactly three holds, 47 clear 409s."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.db import Database
from leye_yiyang.ids import id_check_char
from leye_yiyang.models import Facility
from tests.referrals.conftest import Tokens, facility_with
from tests.referrals.test_referral_flow import draft, new_resident, worker

SENDERS = 50
FREE = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LEYE_DATABASE_URL": url,
        "LEYE_PORT": str(port),
        "LEYE_DEMO": "1",
        "LEYE_LOG_LEVEL": "WARNING",
    }
    cli = Path(sys.executable).with_name("leye-yiyang")
    proc = subprocess.Popen(
        [str(cli), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not start")


def test_fifty_sends_for_the_last_three_places_hold_exactly_three(
    cw: TestClient[Litestar], cw_db: Database, cw_url: str, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "care_home", capacity=10, taken=10 - FREE)
    refs = []
    for i in range(SENDERS):
        base = f"320902194002{i % 28 + 1:02d}{i:03d}"
        resident = new_resident(cw, tokens, base + id_check_char(base), share=False)
        refs.append(draft(cw, tokens, resident, facility)["id"])
    port = free_port()
    server = serve(cw_url, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:

            def send(ref: int) -> int:
                r = http.post(f"/v1/referrals/{ref}/send", json={}, headers=worker(tokens))
                if r.status_code == 409:
                    assert r.json()["code"] == "no_places_free"
                    assert r.headers["content-type"].startswith("application/problem+json")
                return r.status_code

            with ThreadPoolExecutor(max_workers=SENDERS) as pool:
                answers = Counter(pool.map(send, refs))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert answers == Counter({200: FREE, 409: SENDERS - FREE})
    with cw_db.transaction() as session:
        row = session.get(Facility, facility)
        assert row is not None
        assert (row.places_taken, row.places_held, row.capacity) == (10 - FREE, FREE, 10)
