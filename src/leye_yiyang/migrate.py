"""Alembic, driven programmatically so the installed package migrates without an alembic.ini."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from leye_yiyang.db import ensure_sqlite_dir

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


# pg_advisory_lock key: "leye_mig" as a 64-bit integer.
_PG_LOCK_KEY = int.from_bytes(b"leye_mig", "big")


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate; several processes doing it at once (containers starting together) take turns,
    and those after the first find the schema at head and do nothing."""
    ensure_sqlite_dir(database_url)
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


@contextlib.contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """PostgreSQL: a session advisory lock. SQLite: an exclusive file lock beside the file."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            yield
            return
        with open(f"{url.database}.migrate.lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    engine = create_engine(database_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
    finally:
        engine.dispose()


def heads() -> frozenset[str]:
    """The revisions a migrated database is at."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
