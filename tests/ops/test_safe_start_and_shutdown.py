"""Two containers starting together migrate once; SIGTERM lets requests in flight finish and
takes no new ones."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from leye_yiyang.migrate import heads
from tests.ops.scratch import scratch_database
from tests.ops.server import ROOT, serving

CLI = Path(sys.executable).parent / "leye-yiyang"


def test_two_upgrades_at_once_migrate_once_and_both_succeed(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "migrate") as url:
        env = {**os.environ, "LEYE_DATABASE_URL": url, "LEYE_GEO_DIR": str(ROOT / "geo")}
        both = [
            subprocess.Popen(
                [str(CLI), "db", "upgrade"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in both]
        assert [p.returncode for p in both] == [0, 0], outputs
        engine = create_engine(url)
        with engine.connect() as conn:
            revisions = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            )
            tables = set(inspect(conn).get_table_names())
        engine.dispose()
    assert set(revisions) == heads()
    assert len(revisions) == len(heads())
    assert {"facilities", "areas", "directory_state"} <= tables
    first_steps = sum(out.count("Running upgrade  -> ") for out in outputs)
    assert first_steps == 1, outputs


def test_sigterm_lets_requests_in_flight_finish_and_refuses_new_ones(
    database_url: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path / "serve.log") as server:
        host, port = server.base.removeprefix("http://").split(":")
        # Six slow requests (coverage by e-bike, ~0.2 s each on one worker, so they queue),
        # all sent before the signal.
        pending = []
        for _ in range(6):
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
            conn.request("GET", "/v1/coverage?kind=day_care&minutes=15&mode=ebike")
            pending.append(conn)
        time.sleep(0.2)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        # While those are still being answered, a new connection is refused.
        with pytest.raises(httpx.ConnectError):
            httpx.get(server.base + "/health", timeout=2)
        statuses = []
        for conn in pending:
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
            conn.close()
        assert statuses == [200] * 6
        assert server.process.wait(timeout=30) == 0
