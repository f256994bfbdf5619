"""Shared fixtures: one real database per test session (SQLite by default, PostgreSQL when
LEYE_TEST_DATABASE_URL says so), migrated with Alembic and loaded with the demo directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import create_engine, text

from leye_yiyang import migrate
from leye_yiyang.app import create_app
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.district import read_district
from leye_yiyang.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
FIXTURES = ROOT / "fixtures" / "tinghu"
TINGHU = read_district(GEO)


def fresh_database_url(tmp: Path, name: str) -> str:
    """An empty database: a new SQLite file, or the PostgreSQL test database wiped clean."""
    pg = os.environ.get("LEYE_TEST_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp / name}.db"
    engine = create_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return pg


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fresh_database_url(tmp_path_factory.mktemp("db"), "demo")
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, FIXTURES)
    db.dispose()
    return url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, geo_dir=str(GEO))


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app) as c:
        yield c
