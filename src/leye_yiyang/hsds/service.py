"""Reading the directory as HSDS: pages, single records and a streamed full export.
Framework-free: takes a Session, returns HSDS Structs, raises domain errors."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from leye_yiyang.errors import NotFound
from leye_yiyang.hsds import mapping
from leye_yiyang.hsds import schemas as h
from leye_yiyang.models import Facility

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/v3.0/hsds/"
EXPORT_BATCH = 1000


class Query(msgspec.Struct, frozen=True, kw_only=True):
    page: int = 1
    per_page: int = 50
    search: str | None = None
    modified_after: dt.datetime | None = None


def _filtered(q: Query) -> Select[Facility]:
    stmt = select(Facility)
    if q.search:
        like = f"%{q.search}%"
        stmt = stmt.where(
            or_(
                Facility.name.like(like),
                Facility.address.like(like),
                Facility.description.like(like),
            )
        )
    if q.modified_after is not None:
        stmt = stmt.where(Facility.updated_at >= q.modified_after)
    return stmt


def _page_of(session: Session, q: Query) -> tuple[list[Facility], dict[str, int | bool]]:
    stmt = _filtered(q)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = list(
        session.scalars(
            stmt.order_by(Facility.id).limit(q.per_page).offset((q.page - 1) * q.per_page)
        )
    )
    pages = math.ceil(total / q.per_page) if total else 0
    meta: dict[str, int | bool] = {
        "total_items": total,
        "total_pages": pages,
        "page_number": q.page,
        "size": len(rows),
        "first_page": q.page == 1,
        "last_page": q.page >= pages,
        "empty": not rows,
    }
    return rows, meta


def list_services(session: Session, q: Query) -> h.ServicePage:
    rows, meta = _page_of(session, q)
    return h.ServicePage(**meta, contents=[mapping.service_brief(f) for f in rows])  # type: ignore[arg-type]


def list_service_at_locations(session: Session, q: Query) -> h.ServiceAtLocationPage:
    rows, meta = _page_of(session, q)
    return h.ServiceAtLocationPage(
        **meta,  # type: ignore[arg-type]
        contents=[mapping.service_at_location_brief(f) for f in rows],
    )


def _index(session: Session) -> dict[str, tuple[int, str, str | None]]:
    """UUIDs are derived, not stored: map every id of every kind back to its facility."""
    out: dict[str, tuple[int, str, str | None]] = {}
    for fid, ref, operator in session.execute(select(Facility.id, Facility.ref, Facility.operator)):
        ids = mapping.Ids.of_key(fid, ref, operator)
        out[ids.service] = (fid, "service", operator)
        out[ids.service_at_location] = (fid, "service_at_location", operator)
        out[ids.organization] = (fid, "organization", operator)
    return out


def _not_found(kind: str, id_: str) -> NotFound:
    return NotFound(
        f"没有标识为 {id_} 的{kind}", f"No {kind} with id {id_}", code="hsds_not_found", field="id"
    )


def _lookup(session: Session, id_: str, kind: str) -> tuple[Facility, str | None]:
    try:
        uuid.UUID(id_)
    except ValueError:
        raise _not_found(kind, id_) from None
    hit = _index(session).get(id_)
    if hit is None or hit[1] != kind:
        raise _not_found(kind, id_)
    facility = session.get(Facility, hit[0])
    assert facility is not None
    return facility, hit[2]


def get_service(session: Session, id_: str) -> h.Service:
    return mapping.service(_lookup(session, id_, "service")[0])


def get_service_at_location(session: Session, id_: str) -> h.ServiceAtLocation:
    return mapping.service_at_location(_lookup(session, id_, "service_at_location")[0])


def _organizations(session: Session) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    rows = session.execute(
        select(Facility.id, Facility.ref, Facility.operator, Facility.name).order_by(Facility.id)
    )
    for fid, ref, operator, name in rows:
        oid = mapping.Ids.of_key(fid, ref, operator).organization
        seen.setdefault(oid, operator or name)
    return sorted(seen.items(), key=lambda item: item[1])


def list_organizations(session: Session, q: Query) -> h.OrganizationPage:
    orgs = [
        (oid, name) for oid, name in _organizations(session) if not q.search or q.search in name
    ]
    start = (q.page - 1) * q.per_page
    chosen = orgs[start : start + q.per_page]
    pages = math.ceil(len(orgs) / q.per_page) if orgs else 0
    return h.OrganizationPage(
        total_items=len(orgs),
        total_pages=pages,
        page_number=q.page,
        size=len(chosen),
        first_page=q.page == 1,
        last_page=q.page >= pages,
        empty=not chosen,
        contents=[mapping.organization(name, oid) for oid, name in chosen],
    )


def get_organization(session: Session, id_: str) -> h.Organization:
    facility, operator = _lookup(session, id_, "organization")
    return mapping.organization(operator or facility.name, id_)


def api_info(base_url: str) -> h.ApiInfo:
    return h.ApiInfo(
        version=HSDS_VERSION, profile=PROFILE_URL, openapi_url=f"{base_url}/schema/openapi.json"
    )


def export_services(session: Session, batch: int = EXPORT_BATCH) -> Iterator[bytes]:
    """Every service, fully nested, as one JSON array, a batch of rows at a time: memory stays at
    one batch however large the directory (streamed by the caller)."""
    encoder = msgspec.json.Encoder()
    yield b"["
    first = True
    last_id = 0
    while True:
        rows = list(
            session.scalars(
                select(Facility).where(Facility.id > last_id).order_by(Facility.id).limit(batch)
            )
        )
        if not rows:
            break
        for f in rows:
            yield (b"" if first else b",") + encoder.encode(mapping.service(f))
            first = False
        last_id = rows[-1].id
        session.expunge_all()
    yield b"]"
