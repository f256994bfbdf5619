"""Imports write, so these tests run on a database of their own (an SQLite file loaded with the
demo directory), never the session's shared one."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import Workbook

from leye_yiyang import migrate
from leye_yiyang.app import create_app
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.settings import Settings
from tests.conftest import FIXTURES, GEO, ROOT

SAMPLES = ROOT / "fixtures" / "samples"
TOKEN = "import-test-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}


def loaded_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, FIXTURES)
    db.dispose()
    return url


@pytest.fixture(scope="module")
def import_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    url = loaded_database(tmp_path_factory.mktemp("imports") / "imports.db")
    return Settings(
        database_url=url, geo_dir=str(GEO), import_token=TOKEN, index_refresh_seconds=0.2, import_max_rows=500
    )


@pytest.fixture(scope="module")
def importer(import_settings: Settings) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(import_settings)) as client:
        yield client


def xlsx(rows: list[list[Any]], title: str = "机构") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_import(
    client: TestClient[Litestar],
    name: str,
    content: bytes,
    *,
    kind: str = "facility",
    dry_run: bool = True,
    auth: bool = True,
    **fields: str,
) -> Any:
    return client.post(
        "/v1/imports",
        files={"file": (name, content, "application/octet-stream")},
        data={"kind": kind, "dry_run": str(dry_run).lower(), **fields},
        headers=AUTH if auth else {},
    )
