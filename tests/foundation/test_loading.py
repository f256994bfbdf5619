"""Migrations build the schema; loading the demo directory is idempotent and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from sqlalchemy import func, inspect, select

from leye_yiyang import migrate
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import load_directory
from leye_yiyang.errors import DomainError
from leye_yiyang.models import Area, Employer, Facility, TrainingCourse, Vacancy
from tests.conftest import FIXTURES, GEO, fresh_database_url


def counts(db: Database) -> dict[str, int]:
    with db.sessions() as s:
        return {
            m.__tablename__: int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Area, Facility, Employer, Vacancy, TrainingCourse)
        }


@pytest.fixture
def empty_db(tmp_path: Path, database_url: str) -> Database:
    # On PostgreSQL the session database is shared, so these tests use SQLite files of their own.
    url = f"sqlite:///{tmp_path}/load.db"
    migrate.upgrade(url)
    return Database(url)


def test_migrations_upgrade_from_nothing_and_downgrade_cleanly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    migrate.upgrade(url)
    db = Database(url)
    tables = set(inspect(db.engine).get_table_names())
    assert {"areas", "facilities", "employers", "vacancies", "training_courses"} <= tables
    migrate.downgrade(url, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)
    assert db.directory_version() == 1
    db.dispose()


def test_loading_twice_changes_nothing_but_the_version(empty_db: Database) -> None:
    with empty_db.transaction() as s:
        first = load_directory(s, GEO, FIXTURES)
    before = counts(empty_db)
    with empty_db.transaction() as s:
        second = load_directory(s, GEO, FIXTURES)
    assert first == second
    assert counts(empty_db) == before
    assert before["facilities"] == first.facilities and before["vacancies"] == first.vacancies
    assert empty_db.directory_version() == 3


def test_a_bad_record_loads_nothing_at_all(empty_db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "fixtures"
    bad.mkdir()
    for f in FIXTURES.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    employers = msgspec.json.decode((bad / "employers.json").read_bytes())
    employers[-1]["uscc"] = employers[-1]["uscc"][:-1] + (
        "0" if employers[-1]["uscc"][-1] != "0" else "1"
    )
    (bad / "employers.json").write_bytes(msgspec.json.encode(employers))
    with pytest.raises(DomainError) as caught, empty_db.transaction() as s:
        load_directory(s, GEO, bad)
    assert caught.value.code == "invalid_uscc"
    assert caught.value.field == f"employers[{len(employers) - 1}].uscc"
    assert counts(empty_db) == dict.fromkeys(counts(empty_db), 0)


def test_an_employer_whose_credit_code_is_written_in_full_width_is_refused_by_name(
    empty_db: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "fixtures"
    bad.mkdir()
    for f in FIXTURES.iterdir():
        (bad / f.name).write_bytes(f.read_bytes())
    employers = msgspec.json.decode((bad / "employers.json").read_bytes())
    assert employers, "the demo directory has employers"
    # The same code with each ASCII character shifted to its full-width form (U+FF01..U+FF5E).
    employers[0]["uscc"] = "".join(chr(ord(c) + 0xFEE0) for c in employers[0]["uscc"])
    (bad / "employers.json").write_bytes(msgspec.json.encode(employers))
    with pytest.raises(DomainError) as caught, empty_db.transaction() as s:
        load_directory(s, GEO, bad)
    assert caught.value.code == "invalid_uscc"
    assert caught.value.field == "employers[0].uscc"
    assert counts(empty_db) == dict.fromkeys(counts(empty_db), 0)


def test_the_shared_test_database_is_loaded(database_url: str) -> None:
    db = Database(database_url)
    assert counts(db)["facilities"] > 200
    db.dispose()


def test_fresh_database_url_gives_sqlite_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEYE_TEST_DATABASE_URL", raising=False)
    assert fresh_database_url(tmp_path, "x").startswith("sqlite:///")


def test_migrating_creates_the_sqlite_folder_it_needs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/not/yet/there/leye.db"
    migrate.upgrade(url)
    assert (tmp_path / "not" / "yet" / "there" / "leye.db").is_file()
