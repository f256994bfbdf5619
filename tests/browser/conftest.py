"""Browser tests: a real `leye-yiyang serve` on a free loopback port (its own SQLite database,
migrated, demo loaded) and Debian's chromium driven headless through Playwright.

Skipped only where chromium is absent; under CI (`CI` set) its absence is a failure, since
`.ci/run` installs it. Every request a page makes to anywhere but the server is recorded and
refused, and each test saves a screenshot into its own output folder."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from leye_yiyang import migrate
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from tests.conftest import FIXTURES, GEO, ROOT

CHROMIUM = os.environ.get("LEYE_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str

    def get_json(self, path: str) -> Any:
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return json.load(r)

    def post_json(self, path: str, body: dict[str, Any]) -> Any:
        req = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method="POST"
        )
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser-server")
    url = f"sqlite:///{tmp / 'map.db'}"
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, FIXTURES)
    db.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "LEYE_DATABASE_URL": url,
        "LEYE_HOST": "127.0.0.1",
        "LEYE_PORT": str(port),
        "LEYE_GEO_DIR": str(GEO),
    }
    for name in ("LEYE_BASEMAP_URL", "LEYE_BASEMAP_CRS"):
        env.pop(name, None)
    exe = shutil.which("leye-yiyang", path=str(Path(sys.executable).parent)) or "leye-yiyang"
    log = (tmp / "serve.log").open("wb")
    proc = subprocess.Popen([exe, "serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the server did not start: " + (tmp / "serve.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.3)
        yield Server(base)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@dataclass
class Visit:
    """A page and what it did: console errors, uncaught errors, requests anywhere but the server
    (attempted, and those that reached the network layer and were refused there)."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    attempted_off_server: list[str] = field(default_factory=list)
    refused_off_server: list[str] = field(default_factory=list)

    def on_server(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        return scheme in ("data", "blob", "about") or url.startswith(self.base + "/")


@pytest.fixture
def open_page(browser: Any, server: Server, tmp_path: Path) -> Iterator[Any]:
    """open_page(path, viewport) -> Visit; screenshots go to this test's tmp_path at the end."""
    contexts: list[Any] = []
    visits: list[Visit] = []

    def opener(path: str, viewport: dict[str, int] = DESKTOP, **options: Any) -> Visit:
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page=page, base=server.base)

        def route(r: Any) -> None:
            if visit.on_server(r.request.url):
                r.continue_()
            else:
                visit.refused_off_server.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on(
            "request",
            lambda req: (
                None if visit.on_server(req.url) else visit.attempted_off_server.append(req.url)
            ),
        )
        page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
        page.goto(server.base + path)
        visits.append(visit)
        return visit

    yield opener
    for i, visit in enumerate(visits):
        if not visit.page.is_closed():
            visit.page.screenshot(path=str(tmp_path / f"screenshot-{i}.png"))
    for context in contexts:
        context.close()


def wait_ready(visit: Visit) -> None:
    # A selector wait, not wait_for_function: that evaluates a string, which the CSP forbids.
    visit.page.wait_for_selector("html[data-ready]", state="attached", timeout=30_000)
    assert visit.page.evaluate("document.documentElement.dataset.ready") == "1", visit.errors
