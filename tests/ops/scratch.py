"""Scratch databases beside the one under test: a new SQLite file, or a new PostgreSQL database
on the test server (never the shared test database, which other tests read)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def pg_url() -> str | None:
    return os.environ.get("LEYE_TEST_DATABASE_URL")


@contextlib.contextmanager
def scratch_database(tmp: Path, name: str) -> Iterator[str]:
    base = pg_url()
    if not base:
        yield f"sqlite:///{tmp / name}.db"
        return
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    database = f"leye_scratch_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(base).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
