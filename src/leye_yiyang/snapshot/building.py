"""Building directory snapshots from the database: in full at start, incrementally after changes.

The incremental path is what keeps "a change is searchable within seconds" cheap at 100,000
facilities: every write stamps the rows it touched with the new directory version (see
`db.bump_directory_version`), so a process reads only the rows stamped after its snapshot's
version, and rebuilds only the indexes of the kinds they touch. JSON columns are read as text and decoded by msgspec straight into the value types, with
identical texts decoded once (generated and real directories repeat the same hours and prices)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import msgspec
import numpy as np
import numpy.typing as npt
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from leye_yiyang.geocode.gazetteer import facility_entry
from leye_yiyang.geocode.geocoder import OfflineGeocoder
from leye_yiyang.models import Facility
from leye_yiyang.snapshot.jobs import JobsCatalogue
from leye_yiyang.snapshot.jobs_loading import load_jobs
from leye_yiyang.snapshot.views import DirectorySnapshot, FacilityView, Geography, index_over
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.index import PointIndex
from leye_yiyang.values import Eligibility, OpeningHours, Price, ServiceOffer
from leye_yiyang.vocab import Accessibility, FacilityKind, FacilityStatus

T = TypeVar("T")
# Above this many changed rows a full rebuild is as cheap and simpler to reason about.
INCREMENTAL_LIMIT = 5_000
_KINDS = {k.value: k for k in FacilityKind}
_STATUSES = {s.value: s for s in FacilityStatus}
_COLUMNS = (
    Facility.id,
    Facility.kind,
    Facility.name,
    Facility.address,
    Facility.lon,
    Facility.lat,
    Facility.area_code,
    Facility.status,
    Facility.phone,
    Facility.capacity,
    Facility.places_taken,
    cast(Facility.services, Text),
    cast(Facility.opening_hours, Text),
    cast(Facility.eligibility, Text),
    cast(Facility.prices, Text),
    cast(Facility.accessibility, Text),
    Facility.places_held,
    Facility.verified_at,
)


class _Decoder:
    def __init__(self) -> None:
        self._memo: dict[tuple[Any, str], Any] = {}

    def __call__(self, raw: str, kind: type[T]) -> T:
        key = (kind, raw)
        found = self._memo.get(key)
        if found is None:
            found = msgspec.json.decode(raw, type=kind)
            self._memo[key] = found
        return found


def _view(row: Sequence[Any], decode: _Decoder) -> FacilityView:
    return FacilityView(
        id=row[0],
        kind=_KINDS[row[1]],
        name=row[2],
        address=row[3],
        point=LonLat(row[4], row[5]),
        area_code=row[6],
        status=_STATUSES[row[7]],
        phone=row[8],
        capacity=row[9],
        places_taken=row[10],
        services=decode(row[11], tuple[ServiceOffer, ...]),
        hours=decode(row[12], OpeningHours),
        eligibility=decode(row[13], Eligibility),
        prices=decode(row[14], tuple[Price, ...]),
        accessibility=decode(row[15], tuple[Accessibility, ...]),
        places_held=row[16],
        verified_at=row[17],
    )


def load_views(session: Session, ids: Sequence[int] | None = None) -> dict[int, FacilityView]:
    decode = _Decoder()
    views: dict[int, FacilityView] = {}
    chunks: Iterable[Sequence[int] | None] = (
        [None] if ids is None else (ids[i : i + 500] for i in range(0, len(ids), 500))
    )
    for chunk in chunks:
        stmt = select(*_COLUMNS)
        if chunk is not None:
            stmt = stmt.where(Facility.id.in_(chunk))
        for row in session.execute(stmt):
            views[row[0]] = _view(row, decode)
    return views


def build_geocoder(geography: Geography, facilities: dict[int, FacilityView]) -> OfflineGeocoder:
    entries = list(geography.places)
    for f in facilities.values():
        parents = tuple(geography.areas[c].name for c in geography.ancestors(f.area_code)[1:])
        entries.append(
            facility_entry(f.id, f.name, f.address, f.point.lon, f.point.lat, f.area_code, parents)
        )
    district = geography.district
    return OfflineGeocoder(entries, prefixes=district.prefixes, preamble=district.full_name)


def build_full(session: Session, version: int, geography: Geography) -> DirectorySnapshot:
    facilities = load_views(session)
    indexes: dict[FacilityKind | None, PointIndex] = {
        kind: index_over(facilities.values(), kind) for kind in FacilityKind
    }
    return DirectorySnapshot(
        version=version,
        geography=geography,
        facilities=facilities,
        indexes=indexes,
        geocoder=build_geocoder(geography, facilities),
        jobs=load_jobs(session, facilities),
    )


def update(session: Session, current: DirectorySnapshot, version: int) -> DirectorySnapshot | None:
    """A new snapshot with only the changed facilities re-read and their kinds re-indexed; the
    geocoder and job catalogue are carried over (see `with_catalogues`). None: too many changes."""
    changed = list(
        session.scalars(select(Facility.id).where(Facility.changed_version > current.version))
    )
    if len(changed) > INCREMENTAL_LIMIT:
        return None
    fresh = load_views(session, changed)
    facilities = dict(current.facilities)
    touched: set[FacilityKind] = set()
    for fid in set(changed) - fresh.keys():  # deleted rows
        if (gone_view := facilities.pop(fid, None)) is not None:
            touched.add(gone_view.kind)
    for fid, view in fresh.items():
        previous = facilities.get(fid)
        if previous is not None:
            touched.add(previous.kind)
        touched.add(view.kind)
        facilities[fid] = view
    indexes: dict[FacilityKind | None, PointIndex] = {
        k: v for k, v in current.indexes.items() if k is not None and k not in touched
    }
    count = session.scalar(select(func.count()).select_from(Facility))
    if count != len(facilities):  # a write that bypassed the stamp: fall back to a full build
        return None
    gone = np.array(changed, dtype=np.int64)
    for kind in touched:
        indexes[kind] = _reindexed(current.index(kind), gone, fresh.values(), kind)
    return DirectorySnapshot(
        version=version,
        geography=current.geography,
        facilities=facilities,
        indexes=indexes,
        geocoder=current.geocoder,
        jobs=current.jobs,
    )


def _reindexed(
    old: PointIndex, gone: npt.NDArray[np.int64], fresh: Iterable[FacilityView], kind: FacilityKind
) -> PointIndex:
    """The kind's index without the changed rows, plus their new versions if still active:
    array work and one STRtree build, instead of a pass over every facility."""
    keep = ~np.isin(old.ids, gone)
    added = [f for f in fresh if f.kind is kind and f.status is FacilityStatus.ACTIVE]
    return PointIndex(
        np.concatenate([old.ids[keep], np.array([f.id for f in added], dtype=np.int64)]),
        np.concatenate([old.lons[keep], np.array([f.point.lon for f in added], dtype=np.float64)]),
        np.concatenate([old.lats[keep], np.array([f.point.lat for f in added], dtype=np.float64)]),
    )


def with_catalogues(session: Session, snapshot: DirectorySnapshot) -> DirectorySnapshot:
    """The same snapshot with a fresh geocoder and job catalogue (the slow, seconds-long parts
    at 100,000 facilities, rebuilt after the fast swap so searches never wait for them)."""
    jobs: JobsCatalogue = load_jobs(session, snapshot.facilities)
    return DirectorySnapshot(
        version=snapshot.version,
        geography=snapshot.geography,
        facilities=snapshot.facilities,
        indexes=dict(snapshot.indexes),
        geocoder=build_geocoder(snapshot.geography, snapshot.facilities),
        jobs=jobs,
    )


def with_jobs(session: Session, snapshot: DirectorySnapshot) -> DirectorySnapshot:
    """The same snapshot with a fresh job catalogue only: what a vacancy or course edit must
    show matching at once, without waiting for the geocoder."""
    return DirectorySnapshot(
        version=snapshot.version,
        geography=snapshot.geography,
        facilities=snapshot.facilities,
        indexes=dict(snapshot.indexes),
        geocoder=snapshot.geocoder,
        jobs=load_jobs(session, snapshot.facilities),
    )
