"""A server killed with SIGKILL in the middle of applying an import leaves the directory exactly
as it was: the apply is one transaction, committed only after every row is written."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from leye_yiyang.models import Facility
from tests.conftest import GEO, ROOT
from tests.transfer.conftest import loaded_database, make_token, xlsx

ROWS = 6000


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, port: int) -> None:
        env = {
            **os.environ,
            "LEYE_DATABASE_URL": url,
            "LEYE_GEO_DIR": str(GEO),
            "LEYE_HOST": "127.0.0.1",
            "LEYE_PORT": str(port),
            "LEYE_RATE_LIMIT": "0",
            "LEYE_LOG_LEVEL": "INFO",
        }
        cli = Path(sys.executable).with_name("leye-yiyang")
        # Its own session, so SIGKILL reaches granian's worker process too.
        self.process = subprocess.Popen(
            [str(cli), "serve"],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.saw_write = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if "import: writing" in line:
                self.saw_write.set()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError("server did not start: " + "".join(self.lines[-20:]))

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def killed_db(tmp_path: Path) -> str:
    return loaded_database(tmp_path / "kill.db")


def _state(url: str) -> tuple[int, int, list[tuple[Any, ...]]]:
    db = Database(url)
    with db.sessions() as session:
        rows = (
            session.query(Facility.id, Facility.ref, Facility.version, Facility.places_taken)
            .order_by(Facility.id)
            .all()
        )
    version = db.directory_version()
    db.dispose()
    return version, len(rows), [tuple(r) for r in rows]


def test_kill_9_mid_apply_leaves_the_directory_unchanged(killed_db: str) -> None:
    rows: list[list[Any]] = [["编号", "名称", "类型", "地址", "经度", "纬度", "容量", "已用"]]
    rows += [
        [
            f"kill-{i:05d}",
            f"压力测试食堂{i}",
            "长者幸福食堂/助餐点",
            "亭湖区五星街道",
            120.0889 + (i % 50) * 1e-4,
            33.3719,
            20,
            1,
        ]
        for i in range(ROWS)
    ]
    rows += [
        [
            "meal-001",
            "幸福五星社区食堂（改名）",
            "长者幸福食堂/助餐点",
            "亭湖区五星街道五星公寓1幢一楼",
            120.088856,
            33.371943,
            137,
            1,
        ]
    ]
    sheet = xlsx(rows)
    token = make_token(killed_db, Role.DISTRICT_ADMIN)
    before = _state(killed_db)
    server = Server(killed_db, _port())
    try:
        server.wait_ready()
        outcome: dict[str, Any] = {}

        def post() -> None:
            try:
                outcome["response"] = httpx.post(
                    f"{server.base}/v1/imports",
                    files={"file": ("big.xlsx", sheet)},
                    data={"kind": "facility", "dry_run": "false"},
                    headers={"authorization": f"Bearer {token}"},
                    timeout=120,
                )
            except httpx.HTTPError as exc:
                outcome["error"] = exc

        poster = threading.Thread(target=post)
        poster.start()
        assert server.saw_write.wait(timeout=120), "".join(server.lines[-20:])
        server.kill()
        poster.join(timeout=30)
    finally:
        if server.process.poll() is None:
            server.kill()
    assert "response" not in outcome, "the import finished before the kill; make it larger"
    assert _state(killed_db) == before
    again = Server(killed_db, _port())
    try:
        again.wait_ready()
        total = httpx.get(f"{again.base}/v1/facilities?limit=1", timeout=10).json()["total"]
    finally:
        again.kill()
    assert total == before[1]
