"""Readiness: should this process get traffic? The database answers, its schema is at the head
revision, and the directory snapshot is loaded and recently confirmed current."""

from __future__ import annotations

import hmac
import ipaddress
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import msgspec
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from leye_yiyang.db import Database, database_unavailable
from leye_yiyang.errors import DatabaseUnavailable, DomainError, NotReady
from leye_yiyang.ops.metrics import SnapshotState
from leye_yiyang.ops.schemas import MigrationStatus, Readiness, SnapshotStatus

try:
    APP_VERSION = version("leye-yiyang")
except PackageNotFoundError:  # running from a source tree without an install
    APP_VERSION = "0.0.0"

# A snapshot not confirmed for this many refresh intervals (at least 30 s) means the refresh
# loop is stuck: the process answers from an old directory.
STALE_AFTER_POLLS = 15


def snapshot_status(holder: SnapshotState, refresh_seconds: float) -> SnapshotStatus:
    now = time.time()
    age = None if holder.last_checked_at is None else round(now - holder.last_checked_at, 3)
    built = holder.last_built_at
    version = holder.loaded_version
    return SnapshotStatus(
        loaded=version is not None,
        version=version,
        facilities=holder.loaded_facilities,
        built_at=None if built is None else datetime.fromtimestamp(built, UTC).isoformat(),
        age_seconds=age,
        fresh=age is not None and age <= max(30.0, STALE_AFTER_POLLS * refresh_seconds),
    )


def migration_status(db: Database, heads: frozenset[str]) -> MigrationStatus:
    """Raises DatabaseUnavailable when the database cannot be reached."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                current = sorted(
                    str(v)
                    for v in conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
                )
            except SQLAlchemyError:  # never migrated: no alembic_version table
                current = []
    except SQLAlchemyError as exc:
        if database_unavailable(exc):
            raise DatabaseUnavailable() from exc
        raise
    return MigrationStatus(current=current, head=sorted(heads), at_head=set(current) == heads)


def readiness(
    db: Database, heads: frozenset[str], holder: SnapshotState, refresh_seconds: float, version: str
) -> Readiness:
    snapshot = snapshot_status(holder, refresh_seconds)
    try:
        migrations = migration_status(db, heads)
    except DatabaseUnavailable as exc:
        raise DatabaseUnavailable(
            extra={"not_ready": ["database"], "snapshot": msgspec.to_builtins(snapshot)}
        ) from exc
    not_ready = [
        name
        for name, ok in (
            ("migrations", migrations.at_head),
            ("snapshot", snapshot.loaded and snapshot.fresh),
        )
        if not ok
    ]
    if not_ready:
        raise NotReady(
            "服务尚未就绪：" + "、".join(not_ready),
            "Not ready: " + ", ".join(not_ready),
            extra={
                "not_ready": not_ready,
                "migrations": msgspec.to_builtins(migrations),
                "snapshot": msgspec.to_builtins(snapshot),
            },
        )
    return Readiness(
        status="ready", version=version, database="ok", migrations=migrations, snapshot=snapshot
    )


class MetricsForbidden(DomainError):
    status = 403
    code = "metrics_forbidden"


def check_scraper(
    address: str | None, authorization: str, allow: tuple[str, ...], token: str | None
) -> None:
    """Metrics go to trusted networks, or to whoever presents the bearer token."""
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:  # no peer address (a unix socket, the test client's "testclient")
        ip = None
    if ip is None or not any(ip in ipaddress.ip_network(net) for net in allow):
        raise MetricsForbidden(
            "无权读取运行指标", "Metrics are served to trusted networks or with the token only"
        )
