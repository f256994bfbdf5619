"""A second district for the core API: the modelled 临安区 (tests/fixtures/linan), loaded into its
own database (a new SQLite file, or `<test database>_linan` on the same PostgreSQL server) and
served by its own app. Nothing in the code names either district: everything below comes from
the geography folder and the directory files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import create_engine, make_url, text

from leye_yiyang import migrate
from leye_yiyang.app import create_app
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.district import District, read_district
from leye_yiyang.settings import Settings
from tests.conftest import ROOT

LINAN = ROOT / "tests" / "fixtures" / "linan"
LINAN_GEO = LINAN / "geo"
LINAN_DIRECTORY = LINAN / "directory"


def second_database_url(tmp: Path) -> str:
    """An empty database of its own: SQLite beside the first, or a sibling PostgreSQL database
    created through the server the suite was pointed at, its schema wiped like the first's."""
    pg = os.environ.get("LEYE_TEST_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp / 'linan'}.db"
    first = make_url(pg)
    name = f"{first.database}_linan"
    admin = create_engine(first, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = first.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def linan() -> District:
    return read_district(LINAN_GEO)


@pytest.fixture(scope="session")
def linan_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = second_database_url(tmp_path_factory.mktemp("linan"))
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, LINAN_GEO, LINAN_DIRECTORY)
    db.dispose()
    return url


@pytest.fixture(scope="session")
def linan_app(linan_url: str) -> Litestar:
    return create_app(Settings(database_url=linan_url, geo_dir=str(LINAN_GEO)))


@pytest.fixture(scope="session")
def linan_client(linan_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(linan_app) as c:
        yield c
