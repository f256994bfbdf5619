"""Creating and changing facilities: the department that owns the kind, or the facility's own
staff for its hours, places, phone and temporary closure. Nothing is deleted: a facility is
suspended (temporarily closed), closed or reopened."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Action, RecordType, Target
from leye_yiyang.directory import schemas as d
from leye_yiyang.directory.loading import apply_facility
from leye_yiyang.directory.service import facility_out
from leye_yiyang.directory.validation import check_facility
from leye_yiyang.editing import checks
from leye_yiyang.editing import schemas as s
from leye_yiyang.editing.records import (
    Edit,
    authorise,
    begin_write,
    diff,
    fix_field,
    plain,
    record,
    require_version,
)
from leye_yiyang.errors import DomainError, NotFound
from leye_yiyang.geocode.points import Located, resolve_point
from leye_yiyang.models import Area, Facility
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.vocab import FacilityKind, FacilityStatus

FACILITY = RecordType.FACILITY
FIELDS = (
    "ref", "kind", "name", "address", "lon", "lat", "area_code", "operator", "phone", "services",
    "capacity", "places_taken", "opening_hours", "eligibility", "prices", "accessibility",
    "description", "verified_at", "status",
)  # fmt: skip
STATUS_FOR = {
    Action.SUSPEND: FacilityStatus.TEMPORARILY_CLOSED,
    Action.CLOSE: FacilityStatus.CLOSED,
    Action.REOPEN: FacilityStatus.ACTIVE,
}


def state(f: Facility) -> dict[str, Any]:
    return {name: plain(getattr(f, name)) for name in FIELDS}


def load(session: Session, facility_id: int) -> Facility:
    found = session.get(Facility, facility_id)
    if found is None:
        raise NotFound(
            f"没有编号为 {facility_id} 的服务设施",
            f"No facility with id {facility_id}",
            code="facility_not_found",
        )
    return found


def answer(
    session: Session, f: Facility, datum: Datum, located: Located | None = None
) -> s.FacilitySaved:
    area_name = session.scalar(select(Area.name).where(Area.code == f.area_code)) or ""
    out = facility_out(f, area_name, datum)
    return s.FacilitySaved(**msgspec.structs.asdict(out), located=located)


def _place(
    snap: DirectorySnapshot, lon: float | None, lat: float | None, crs: Datum, address: str
) -> Located:
    geo = snap.geography
    return resolve_point(
        lon=lon,
        lat=lat,
        crs=crs,
        address=None if lon is not None or lat is not None else address,
        region=geo.region,
        region_name=geo.district_name,
        geocoder=snap.geocoder,
    )


def _checked(session: Session, rec: d.FacilityIn, snap: DirectorySnapshot) -> str:
    try:
        area_code = check_facility(session, rec, snap.geography.locator, where="")
    except DomainError as exc:
        raise fix_field(exc) from None
    checks.check_phone(rec.phone)
    checks.check_hours(rec.opening_hours)
    checks.check_prices(rec.prices)
    return area_code


def create(
    session: Session, edit: Edit, snap: DirectorySnapshot, body: s.FacilityCreate
) -> s.FacilitySaved:
    authorise(edit, Action.CREATE, Target(type=FACILITY, kinds=(body.kind,)))
    begin_write(session)
    located = _place(snap, body.lon, body.lat, body.crs, body.address)
    values = msgspec.structs.asdict(body)
    for key in ("lon", "lat", "crs"):
        values.pop(key)
    rec = d.FacilityIn(**values, lon=located.wgs84[0], lat=located.wgs84[1])
    area_code = _checked(session, rec, snap)
    target = Facility()
    session.add(target)
    apply_facility(session, target, rec, area_code)
    session.flush()
    record(
        session, edit, Action.CREATE, FACILITY, target.id, target.version, diff({}, state(target))
    )
    return answer(session, target, body.crs, located)


def update(
    session: Session,
    edit: Edit,
    snap: DirectorySnapshot,
    facility_id: int,
    if_match: str | None,
    patch: s.FacilityPatch,
) -> s.FacilitySaved:
    target = load(session, facility_id)
    sent = s.set_fields(patch)
    sent.pop("crs", None)
    moved = "lon" in sent or "lat" in sent or sent.pop("locate_by_address", False)
    kinds = (FacilityKind(target.kind), *([sent["kind"]] if "kind" in sent else []))
    fields = set(sent) | ({"lon", "lat"} if moved else set())
    authorise(
        edit, Action.UPDATE, Target(type=FACILITY, kinds=kinds, facility_id=target.id), fields
    )
    require_version(if_match, FACILITY, target.id, target.version)
    begin_write(session)
    before = state(target)
    merged = {k: v for k, v in before.items() if k in d.FacilityIn.__struct_fields__}
    merged.pop("area_code")
    located = None
    if moved:
        lon = sent.pop("lon", None)
        lat = sent.pop("lat", None)
        located = _place(snap, lon, lat, patch.crs, sent.get("address", target.address))
        sent["lon"], sent["lat"] = located.wgs84
    rec = msgspec.convert({**merged, **plain(sent)}, d.FacilityIn)
    area_code = _checked(session, rec, snap)
    apply_facility(session, target, rec, area_code)
    return _finish(session, edit, Action.UPDATE, target, before, patch.crs, located)


def _finish(
    session: Session,
    edit: Edit,
    action: Action,
    target: Facility,
    before: dict[str, Any],
    datum: Datum = Datum.WGS84,
    located: Located | None = None,
) -> s.FacilitySaved:
    changes = diff(before, state(target))
    if changes:
        session.flush()
        record(session, edit, action, FACILITY, target.id, target.version, changes)
    return answer(session, target, datum, located)


def set_status(
    session: Session, edit: Edit, facility_id: int, if_match: str | None, action: Action
) -> s.FacilitySaved:
    target = load(session, facility_id)
    authorise(
        edit,
        action,
        Target(type=FACILITY, kinds=(FacilityKind(target.kind),), facility_id=target.id),
    )
    require_version(if_match, FACILITY, target.id, target.version)
    begin_write(session)
    before = state(target)
    target.status = STATUS_FOR[action].value
    return _finish(session, edit, action, target, before)


def verify(session: Session, edit: Edit, facility_id: int, if_match: str | None) -> s.FacilitySaved:
    """ "Checked, still true": the owning department confirms the record as it stands."""
    target = load(session, facility_id)
    authorise(
        edit,
        Action.VERIFY,
        Target(type=FACILITY, kinds=(FacilityKind(target.kind),), facility_id=target.id),
    )
    require_version(if_match, FACILITY, target.id, target.version)
    begin_write(session)
    before = state(target)
    target.verified_at = edit.at
    return _finish(session, edit, Action.VERIFY, target, before)
