"""Backups of an embedded SQLite database, taken while the server runs.

SQLite's online backup API copies the database page by page under short read locks, so the copy
is consistent (one committed state) while requests keep reading and writing. PostgreSQL is
backed up with its own tools (README: pg_dump / pg_restore)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import msgspec
from sqlalchemy.engine import make_url

# Pages copied per step; between steps writers may commit (the backup then restarts its pass
# only if a write came through another connection, which the API handles itself).
PAGES_PER_STEP = 1024


class BackupError(Exception):
    """A backup or restore that was refused; the message is for the operator."""


class BackupReport(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    bytes: int
    revision: list[str]
    facilities: int


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "db backup/restore copy SQLite files; for PostgreSQL use pg_dump -Fc and pg_restore "
            "(README: Backups)"
        )
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(str(url.database))


def backup(database_url: str, target: Path) -> BackupReport:
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
    finally:
        dst.close()
        src.close()
    report = check(partial)
    os.replace(partial, target)  # never a half-written file under the final name
    return msgspec.structs.replace(report, path=str(target))


def check(path: Path, heads: frozenset[str] | None = None) -> BackupReport:
    """Integrity and schema of a backup file; with heads, it must be at this code's head."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision = sorted(r for (r,) in conn.execute("SELECT version_num FROM alembic_version"))
            facilities = int(conn.execute("SELECT count(*) FROM facilities").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a leye-yiyang SQLite database ({exc})") from None
    if verdict != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {verdict}")
    if heads is not None and set(revision) != heads:
        raise BackupError(
            f"{path} is at schema revision {revision or 'none'}, this version needs {sorted(heads)}: "
            "restore it with the version that made it, then run db upgrade"
        )
    return BackupReport(
        path=str(path), bytes=path.stat().st_size, revision=revision, facilities=facilities
    )


def restore(database_url: str, source: Path, heads: frozenset[str]) -> BackupReport:
    """Replace the database's content with a checked backup, in one write transaction."""
    report = check(source, heads)
    target = sqlite_path(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return report
