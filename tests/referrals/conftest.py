"""Casework tests run on a directory of their own (held and taken places change the answers
other tests rely on): a second SQLite file, or a second database on the PostgreSQL server that
LEYE_TEST_DATABASE_URL names. Accounts are made through the accounts service, as the CLI does."""

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
from leye_yiyang.accounts import service as accounts
from leye_yiyang.accounts.policy import Role
from leye_yiyang.accounts.schemas import AccountIn
from leye_yiyang.app import create_app
from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.models import Facility
from leye_yiyang.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "geo"
FIXTURES = ROOT / "fixtures" / "tinghu"
# A resident: a valid GB 11643 number (check character computed) and a mobile phone.
ID_NUMBER = "32090219450715002X"
PHONE = "13851234567"
HOME = {"lon": 120.1395, "lat": 33.3849}  # 毓龙街道, near the district centre


def second_database_url(tmp: Path, name: str) -> str:
    pg = os.environ.get("LEYE_TEST_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp / name}.db"
    url = make_url(pg)
    target = f"{url.database}_{name}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target}"'))
    admin.dispose()
    own = url.set(database=target).render_as_string(hide_password=False)
    engine = create_engine(own)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return own


@pytest.fixture(scope="package")
def cw_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = second_database_url(tmp_path_factory.mktemp("casework"), "casework")
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, FIXTURES)
    db.dispose()
    return url


@pytest.fixture(scope="package")
def cw_db(cw_url: str) -> Iterator[Database]:
    database = Database(cw_url)
    yield database
    database.dispose()


@pytest.fixture(scope="package")
def cw_settings(cw_url: str) -> Settings:
    return Settings(database_url=cw_url, geo_dir=str(GEO), index_refresh_seconds=0.2)


@pytest.fixture(scope="package")
def cw_app(cw_settings: Settings) -> Litestar:
    return create_app(cw_settings)


@pytest.fixture(scope="package")
def cw(cw_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(cw_app) as c:
        yield c


class Tokens:
    """Bearer headers for accounts made on demand, one per (role, scope)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.made: dict[tuple[object, ...], tuple[int, dict[str, str]]] = {}

    def account(self, role: Role, **scope: object) -> tuple[int, dict[str, str]]:
        key = (role, *sorted(scope.items()))
        if key not in self.made:
            with self.db.transaction() as session:
                issued = accounts.create_account(
                    session,
                    AccountIn(name=f"{role.value} {len(self.made)}", role=role, **scope),  # type: ignore[arg-type]
                    dt.datetime.now(dt.UTC),
                )
            self.made[key] = (issued.account.id, {"Authorization": f"Bearer {issued.token}"})
        return self.made[key]

    def headers(self, role: Role, **scope: object) -> dict[str, str]:
        return self.account(role, **scope)[1]


@pytest.fixture(scope="package")
def tokens(cw_db: Database) -> Tokens:
    return Tokens(cw_db)


def facility_with(db: Database, kind: str, capacity: int, taken: int) -> int:
    """A facility of `kind` given a known capacity (the first of its kind in the demo)."""
    with db.transaction() as session:
        f = session.scalars(
            select(Facility)
            .where(Facility.kind == kind, Facility.status == "active", Facility.places_held == 0)
            .order_by(Facility.id)
        ).first()
        assert f is not None
        f.capacity, f.places_taken = capacity, taken
        ident = f.id
        bump_directory_version(session)
        return ident
