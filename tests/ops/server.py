"""A real `leye-yiyang serve` process on a free loopback port, for tests of what only a running
server shows: outages, signals, logs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "leye-yiyang"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(database_url: str, log: Path, **env: str) -> Iterator[Server]:
    port = free_port()
    environment = {
        **os.environ,
        "LEYE_DATABASE_URL": database_url,
        "LEYE_PORT": str(port),
        "LEYE_HOST": "127.0.0.1",
        "LEYE_GEO_DIR": str(ROOT / "geo"),
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "serve"], env=environment, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + server.log_text())
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
