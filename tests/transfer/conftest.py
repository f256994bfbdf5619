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
from leye_yiyang.accounts import service
from leye_yiyang.accounts.policy import Role
from leye_yiyang.accounts.schemas import AccountIn
from leye_yiyang.app import create_app
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.settings import Settings
from tests.conftest import FIXTURES, GEO, ROOT

SAMPLES = ROOT / "fixtures" / "samples"
IMPORTERS = (Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.HEALTH, Role.HRSS)


def make_token(url: str, role: Role, **scope: object) -> str:
    db = Database(url)
    with db.transaction() as session:
        rec = AccountIn(name=f"test {role.value}", role=role, **scope)  # type: ignore[arg-type]
        token = service.create_account(session, rec, service.now()).token
    db.dispose()
    return token


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
        database_url=url, geo_dir=str(GEO), index_refresh_seconds=0.2, import_max_rows=500
    )


@pytest.fixture(scope="module")
def tokens(import_settings: Settings) -> dict[str, str]:
    found = {role.value: make_token(import_settings.database_url, role) for role in IMPORTERS}
    found["social_worker"] = make_token(
        import_settings.database_url, Role.SOCIAL_WORKER, organisation="亭湖区社工站"
    )
    return found


@pytest.fixture(scope="module")
def importer(import_settings: Settings, tokens: dict[str, str]) -> Iterator[TestClient[Litestar]]:
    """A client on the imports database, as the district administrator unless told otherwise."""
    with TestClient(create_app(import_settings)) as client:
        client.headers["authorization"] = f"Bearer {tokens['district_admin']}"
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
    token: str | None = None,
    **fields: str,
) -> Any:
    """POST /v1/imports; `token` overrides the client's own ("" sends none)."""
    headers = {} if token is None else {"authorization": f"Bearer {token}" if token else ""}
    return client.post(
        "/v1/imports",
        files={"file": (name, content, "application/octet-stream")},
        data={"kind": kind, "dry_run": str(dry_run).lower(), **fields},
        headers=headers,
    )
