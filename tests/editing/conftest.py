"""A directory of its own for the editing tests (they change records; the shared demo database
other tests read must not move under them), with one account per role."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from leye_yiyang import migrate
from leye_yiyang.accounts import schemas as acc
from leye_yiyang.accounts import service
from leye_yiyang.accounts.policy import Role
from leye_yiyang.app import create_app
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.models import Facility
from leye_yiyang.settings import Settings
from tests.conftest import FIXTURES, GEO

EDIT_DB = "leye_test_editing"


def editing_database_url(tmp: Path) -> str:
    """An empty database beside the shared one: a SQLite file, or a second PostgreSQL database
    on the test server."""
    pg = os.environ.get("LEYE_TEST_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp / 'editing.db'}"
    base = make_url(pg)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {EDIT_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {EDIT_DB}"))
    admin.dispose()
    return base.set(database=EDIT_DB).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def edit_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = editing_database_url(tmp_path_factory.mktemp("editing"))
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, FIXTURES)
    db.dispose()
    return url


@pytest.fixture(scope="session")
def edit_db(edit_url: str) -> Iterator[Database]:
    database = Database(edit_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def edit_settings(edit_url: str) -> Settings:
    return Settings(database_url=edit_url, geo_dir=str(GEO), index_refresh_seconds=0.5)


@pytest.fixture(scope="session")
def edit_app(edit_settings: Settings) -> Litestar:
    return create_app(edit_settings)


@pytest.fixture(scope="session")
def api(edit_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(edit_app) as c:
        yield c


def make_token(db: Database, role: Role, **scope: object) -> str:
    with db.transaction() as session:
        rec = acc.AccountIn(name=f"test {role.value}", role=role, **scope)  # type: ignore[arg-type]
        return service.create_account(session, rec, service.now()).token


def first_facility(db: Database, kind: str) -> int:
    with db.sessions() as session:
        found = session.scalar(
            select(Facility.id).where(Facility.kind == kind).order_by(Facility.id).limit(1)
        )
        assert found is not None
        return int(found)


@pytest.fixture(scope="session")
def tokens(edit_db: Database) -> dict[str, str]:
    """A bearer token per role; provider_staff belongs to the first meal hall."""
    meal = first_facility(edit_db, "meal_hall")
    found = {
        role.value: make_token(edit_db, role)
        for role in Role
        if role not in (Role.SOCIAL_WORKER, Role.PROVIDER_STAFF)
    }
    found["social_worker"] = make_token(edit_db, Role.SOCIAL_WORKER, organisation="亭湖区社工站")
    found["provider_staff"] = make_token(edit_db, Role.PROVIDER_STAFF, facility_id=meal)
    return found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
