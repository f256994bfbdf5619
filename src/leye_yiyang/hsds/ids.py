"""Stable HSDS identifiers: a UUID derived from what the record is, never stored.

uuid5 over a fixed project namespace, the entity kind and our own key (a facility's ref, or its
database id when it has none), so the same record has the same UUID in every export, after every
restart and on every replica, with no migration and no table of issued ids."""

from __future__ import annotations

import uuid

# uuid5(NAMESPACE_URL, "https://leye-yiyang.example/hsds"), written out: it must never change.
NAMESPACE = uuid.UUID("6af324a7-4bce-55df-bf58-779a23a1eb28")


def entity_uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def facility_key(ref: str | None, facility_id: int) -> str:
    """A department's ref survives a reload into another database; the row id is the fallback."""
    return f"ref:{ref}" if ref else f"id:{facility_id}"
