"""Backups. SQLite: `db backup` copies a live database consistently while another connection keeps
writing, and `db restore` puts a copy back only after checking it. PostgreSQL: the README's
pg_dump / pg_restore recipe restores the same directory into a fresh database."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from leye_yiyang import migrate
from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.models import DirectoryState, Facility
from tests.ops.scratch import pg_url, scratch_database
from tests.ops.server import ROOT

CLI = Path(sys.executable).parent / "leye-yiyang"
sqlite_only = pytest.mark.skipif(
    bool(pg_url()), reason="SQLite files; the PostgreSQL run tests pg_dump instead"
)


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEYE_DATABASE_URL": url, "LEYE_GEO_DIR": str(ROOT / "geo")}
    return subprocess.run(
        [str(CLI), "db", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def facility_ids(url: str) -> list[int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.execute(select(Facility.id).order_by(Facility.id)).scalars())
    engine.dispose()
    return ids


@pytest.fixture
def live_copy(database_url: str, tmp_path: Path) -> str:
    """A private copy of the demo database, to write to."""
    made = cli(database_url, "backup", str(tmp_path / "live.db"))
    assert made.returncode == 0, made.stderr
    return f"sqlite:///{tmp_path / 'live.db'}"


@sqlite_only
def test_a_backup_taken_while_another_connection_writes_is_consistent(
    live_copy: str, tmp_path: Path
) -> None:
    db = Database(live_copy)
    stop = threading.Event()
    versions: list[int] = []

    def write() -> None:  # the directory keeps changing meanwhile, one transaction at a time
        for _ in range(10_000):
            if stop.is_set():
                return
            with db.transaction() as s:
                facility = s.scalar(select(Facility).order_by(Facility.id).limit(1))
                assert facility is not None
                facility.phone = "0515-0000000"
                version = bump_directory_version(s)
                facility.description = f"v{version}"  # the row says which version wrote it
                versions.append(version)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        made = cli(live_copy, "backup", str(tmp_path / "copy.db"))
    finally:
        stop.set()
        writer.join(timeout=60)
        db.dispose()
    assert made.returncode == 0, made.stderr
    assert versions, "the writer committed nothing while the backup ran"
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied_version = copy.execute("SELECT version FROM directory_state").fetchone()[0]
    stamp = copy.execute("SELECT description FROM facilities ORDER BY id LIMIT 1").fetchone()[0]
    copy.close()
    # One committed state: the version stamp and the row written with it agree.
    assert copied_version in versions
    assert stamp == f"v{copied_version}"
    assert facility_ids(f"sqlite:///{tmp_path / 'copy.db'}") == facility_ids(live_copy)


@sqlite_only
def test_a_checked_backup_is_restored_in_full(live_copy: str, tmp_path: Path) -> None:
    assert cli(live_copy, "backup", str(tmp_path / "b.db")).returncode == 0
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = cli(target, "restore", str(tmp_path / "b.db"))
    assert restored.returncode == 0, restored.stderr
    assert facility_ids(target) == facility_ids(live_copy)
    assert len(facility_ids(target)) > 100


@sqlite_only
def test_a_file_that_is_not_a_database_is_refused(live_copy: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, just bytes " * 100)
    refused = cli(live_copy, "restore", str(junk))
    assert refused.returncode == 1
    assert "not a leye-yiyang SQLite database" in refused.stderr
    assert len(facility_ids(live_copy)) > 100  # untouched


@sqlite_only
def test_a_backup_at_another_schema_revision_is_refused(live_copy: str, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    migrate.upgrade(f"sqlite:///{old}", "0001")
    refused = cli(live_copy, "restore", str(old))
    assert refused.returncode == 1
    assert "schema revision" in refused.stderr


def test_postgresql_is_backed_up_with_its_own_tools(tmp_path: Path) -> None:
    refused = cli("postgresql+psycopg://nobody@127.0.0.1:1/none", "backup", str(tmp_path / "x"))
    assert refused.returncode == 1
    assert "pg_dump" in refused.stderr


def pg_tool(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    return found[-1] or None


@pytest.mark.skipif(not pg_url(), reason="PostgreSQL only (LEYE_TEST_DATABASE_URL)")
@pytest.mark.skipif(not pg_tool("pg_dump"), reason="pg_dump is not installed")
def test_a_pg_dump_restores_the_same_directory_into_a_fresh_database(
    database_url: str, tmp_path: Path
) -> None:
    source = make_url(database_url)
    dump = tmp_path / "leye.dump"
    conn = [
        "-h",
        source.host or "127.0.0.1",
        "-p",
        str(source.port or 5432),
        "-U",
        source.username or "postgres",
    ]
    subprocess.run(
        [pg_tool("pg_dump") or "", *conn, "-Fc", "-f", str(dump), source.database or ""],
        check=True,
        capture_output=True,
    )
    with scratch_database(tmp_path, "restore") as target_url:
        target = make_url(target_url)
        subprocess.run(
            [
                pg_tool("pg_restore") or "",
                *conn,
                "--no-owner",
                "-d",
                target.database or "",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        assert facility_ids(target_url) == facility_ids(database_url)
        assert len(facility_ids(target_url)) > 100
        engine = create_engine(target_url)
        with engine.connect() as c:
            revision = set(c.execute(text("SELECT version_num FROM alembic_version")).scalars())
            version = c.scalar(select(DirectoryState.version))
        engine.dispose()
        assert revision == migrate.heads()
        assert version is not None
