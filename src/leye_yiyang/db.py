"""Engine and sessions. One transaction per request: the session dependency commits when the
handler returns and rolls back when anything raises; helpers never commit."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import Engine, create_engine, event, exc, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from leye_yiyang.models import DirectoryState, Facility

log = logging.getLogger("leye_yiyang.db")
_TOUCHED = "leye_touched_facilities"
_AFTER_COMMIT = "leye_after_commit"
# PostgreSQL channel every directory write notifies, in its own transaction (snapshot/listen.py).
NOTIFY_CHANNEL = "leye_directory"


def _json_text(value: object) -> str:
    return msgspec.json.encode(value).decode()


# msgspec for the JSON columns: the standard library's json was a third of a 10,000-row import's
# write time (60,000 dumps) and most of a snapshot rebuild's decoding.
_JSON_CODEC: dict[str, Any] = {
    "json_serializer": _json_text,
    "json_deserializer": msgspec.json.decode,
}


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (the default lives under ./var/)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, immediate: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        ensure_sqlite_dir(url)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **_JSON_CODEC
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite defers BEGIN until the first write; emit it ourselves so that a request's
        # reads and writes are one real transaction (SQLAlchemy's documented recipe).
        # IMMEDIATE takes the write lock at BEGIN: a transaction that read first and then
        # writes would otherwise fail at once (SQLITE_BUSY_SNAPSHOT) when another wrote
        # in between, instead of waiting its turn.
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    # pre_ping: a connection the server dropped (a restart) is replaced, not handed to a request.
    # connect_timeout: an unreachable host fails in seconds, not after the kernel's two minutes.
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": 5}
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args=connect_args,
        **_JSON_CODEC,
    )


def database_unavailable(error: BaseException) -> bool:
    """A fault of the database's availability rather than of our code or the caller's data: it
    cannot be reached, it dropped the connection, it is locked or its file cannot be opened, or
    the pool has no connection to give. Answered as 503 database_unavailable, retried later."""
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error.orig, sqlite3.Error):
            # sqlite3 calls a syntax error an OperationalError too: go by the message.
            return any(m in str(error.orig).lower() for m in _SQLITE_UNAVAILABLE)
        return isinstance(error, exc.OperationalError | exc.InterfaceError)
    return isinstance(error, exc.TimeoutError)  # the pool's wait for a free connection


_SQLITE_UNAVAILABLE = ("locked", "unable to open", "disk i/o error", "readonly database")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # autocommit at the driver; SQLAlchemy issues BEGIN
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Read-then-write transactions that must not lose a race (holding the last place).
        sqlite = make_url(url).get_backend_name() == "sqlite"
        self.writer = make_engine(url, immediate=True) if sqlite else self.engine
        self.write_sessions = sessionmaker(self.writer, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions() as session:
            with session.begin():
                yield session
            run_after_commit(session)

    @contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """A transaction that reads and then writes rows others may be writing at once."""
        with self.write_sessions() as session:
            with session.begin():
                yield session
            run_after_commit(session)

    def request_session(self, write: bool = False) -> Generator[Session, None, None]:
        """litestar dependency: commit after the handler and its serialisation succeed.
        `write`: the request reads and then writes (on SQLite its transaction begins IMMEDIATE,
        so it waits its turn instead of failing when another request wrote in between)."""
        session = (self.write_sessions if write else self.sessions)()
        try:
            yield session
            session.commit()
            run_after_commit(session)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def directory_version(self) -> int:
        with self.sessions() as session:
            value = session.scalar(select(DirectoryState.version).where(DirectoryState.id == 1))
            return int(value or 0)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.writer is not self.engine:
            self.writer.dispose()


@event.listens_for(Session, "after_flush")
def _track_facility_writes(session: Session, _context: Any) -> None:
    touched: set[int] = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Facility):
            touched.add(obj.id)


def mark_facilities_written(session: Session, ids: Iterable[int]) -> None:
    """Writes the flush events cannot see (bulk INSERTs, Core UPDATEs of place counters): name
    their rows so the next bump stamps them for the snapshots to re-read."""
    session.info.setdefault(_TOUCHED, set()).update(ids)


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed (never if it rolls back)."""
    callbacks: list[Callable[[], None]] = session.info.setdefault(_AFTER_COMMIT, [])
    if callback not in callbacks:
        callbacks.append(callback)


def run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # the write is committed; a failed follow-up must not undo its answer
            log.exception("after-commit callback failed")


def bump_directory_version(session: Session) -> int:
    """Mark the directory as changed, in the caller's transaction, and stamp the facilities this
    transaction wrote with the new version, so other processes re-read just those rows.
    The UPDATE locks the state row until commit, so versions are committed in order."""
    session.flush()
    session.execute(
        update(DirectoryState)
        .where(DirectoryState.id == 1)
        .values(version=DirectoryState.version + 1)
    )
    version = int(session.scalar(select(DirectoryState.version).where(DirectoryState.id == 1)) or 0)
    touched = sorted(session.info.pop(_TOUCHED, set()))
    for start in range(0, len(touched), 500):
        chunk = touched[start : start + 500]
        # Core-level UPDATE: an ORM update would bump the rows' optimistic-lock versions.
        session.execute(
            update(Facility.__table__)  # type: ignore[arg-type]
            .where(Facility.id.in_(chunk))
            .values(changed_version=version)
        )
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to listeners when (and only if) this transaction commits.
        session.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(version))))
    return version
