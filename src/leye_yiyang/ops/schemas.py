"""What liveness and readiness answer."""

from __future__ import annotations

from typing import Literal

import msgspec


class Health(msgspec.Struct, frozen=True):
    status: str
    version: str


class MigrationStatus(msgspec.Struct, frozen=True, kw_only=True):
    current: list[str]
    head: list[str]
    at_head: bool


class SnapshotStatus(msgspec.Struct, frozen=True, kw_only=True):
    loaded: bool
    version: int | None
    facilities: int
    built_at: str | None = msgspec.field(default=None)
    # Seconds since the snapshot was last confirmed current against the database.
    age_seconds: float | None = None
    fresh: bool


class Readiness(msgspec.Struct, frozen=True, kw_only=True):
    status: Literal["ready"]
    version: str
    database: Literal["ok"]
    migrations: MigrationStatus
    snapshot: SnapshotStatus
