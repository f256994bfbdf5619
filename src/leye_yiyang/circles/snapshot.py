"""An immutable in-memory view of the directory for geo queries and matching, and the holder that
swaps it atomically.

Readers take `holder.current` once per request and use only that object, so a rebuild never
blocks them and they never see half a directory. A background thread polls the version stamp in
the database (bumped by every directory write in the same transaction), so every API process that
shares one PostgreSQL sees a change within `index_refresh_seconds`."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.db import Database
from leye_yiyang.directory.values import Eligibility, OpeningHours, Price, ServiceOffer
from leye_yiyang.geocode.gazetteer import Entry, entries_from_geojson, facility_entry
from leye_yiyang.geocode.geocoder import OfflineGeocoder
from leye_yiyang.matching.catalogue import JobsCatalogue, load_jobs
from leye_yiyang.matching.hours import is_open, next_opening
from leye_yiyang.models import Area, Facility
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.coverage import Residents, distribute_residents
from leye_yiyang.spatial.index import PointIndex
from leye_yiyang.spatial.region import ServiceRegion
from leye_yiyang.spatial.travel import TravelTimeModel
from leye_yiyang.vocab import Accessibility, FacilityKind, FacilityStatus

log = logging.getLogger("leye_yiyang.snapshot")


@dataclass(frozen=True, slots=True)
class FacilityView:
    id: int
    kind: FacilityKind
    name: str
    address: str
    point: LonLat
    area_code: str
    status: FacilityStatus
    phone: str
    capacity: int
    places_taken: int
    services: tuple[ServiceOffer, ...]
    hours: OpeningHours
    eligibility: Eligibility
    prices: tuple[Price, ...]
    accessibility: tuple[Accessibility, ...]

    @property
    def places_free(self) -> int:
        return max(0, self.capacity - self.places_taken)


@dataclass(frozen=True, slots=True)
class AreaView:
    code: str
    name: str
    level: str
    parent_code: str | None
    population: int
    population_60_plus: int | None
    population_0_3: int | None
    centroid: LonLat
    geometry: BaseGeometry

    @property
    def is_leaf(self) -> bool:
        return self.level in ("community", "village")


@dataclass(slots=True)
class Geography:
    """What does not change with the directory: areas, the service region, resident points and
    the gazetteer of place names."""

    areas: dict[str, AreaView]
    communities: list[AreaView]
    region: ServiceRegion
    district_name: str
    locator: AreaLocator
    residents: Residents
    places: list[Entry]

    def ancestors(self, code: str) -> list[str]:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current in self.areas:
            chain.append(current)
            current = self.areas[current].parent_code
        return chain


class DirectorySnapshot:
    """Deliberately a plain class: litestar passes dependency values through msgspec, which would
    try to convert a dataclass field by field (and its lock)."""

    def __init__(
        self,
        version: int,
        geography: Geography,
        facilities: dict[int, FacilityView],
        indexes: dict[FacilityKind | None, PointIndex],
        geocoder: OfflineGeocoder,
        jobs: JobsCatalogue | None = None,
    ) -> None:
        self.version = version
        self.geography = geography
        self.facilities = facilities
        self.indexes = indexes
        self.geocoder = geocoder
        # Open vacancies, courses and occupations for matching (matching/catalogue.py).
        self.jobs = jobs if jobs is not None else JobsCatalogue.empty()
        # Results derived from this snapshot (coverage tables); dropped with it when replaced.
        self.cache: dict[Any, Any] = {}
        self.cache_lock = threading.Lock()
        # Opening hours change only at whole minutes, so the answer for a facility is the same
        # for every request within a minute. A plain bounded dict (not lru_cache on a bound
        # method, which would make a reference cycle and keep old snapshots alive).
        self._open_cache: dict[tuple[int, dt.datetime], tuple[bool, dt.datetime | None]] = {}

    def open_state(self, facility_id: int, minute: dt.datetime) -> tuple[bool, dt.datetime | None]:
        key = (facility_id, minute)
        found = self._open_cache.get(key)
        if found is None:
            hours = self.facilities[facility_id].hours
            found = (True, None) if is_open(hours, minute) else (False, next_opening(hours, minute))
            if len(self._open_cache) > 65536:
                self._open_cache.clear()
            self._open_cache[key] = found
        return found

    def index(self, kind: FacilityKind | None) -> PointIndex:
        return self.indexes[kind]


def load_geography(
    session: Session, geo_dir: Path, points_per_person: float, margin_m: float = 2000.0
) -> Geography:
    areas: dict[str, AreaView] = {}
    district: AreaView | None = None
    for a in session.scalars(select(Area).order_by(Area.code)):
        view = AreaView(
            code=a.code,
            name=a.name,
            level=a.level,
            parent_code=a.parent_code,
            population=a.population,
            population_60_plus=a.population_60_plus,
            population_0_3=a.population_0_3,
            centroid=LonLat(a.centroid_lon, a.centroid_lat),
            geometry=shape(a.geometry),
        )
        areas[a.code] = view
        if a.level == "district":
            district = view
    if district is None:
        raise RuntimeError("no district area loaded: run `leye-yiyang fixtures load`")
    communities = [a for a in areas.values() if a.is_leaf]
    residents = distribute_residents(
        [a.geometry for a in communities],
        [a.population for a in communities],
        points_per_person,
        seed=680_000,
    )
    layers = [
        msgspec.json.decode((geo_dir / name).read_bytes())
        for name in ("subdistricts.geojson", "communities.geojson", "places.geojson")
    ]
    return Geography(
        areas=areas,
        communities=communities,
        region=ServiceRegion(district.geometry, margin_m),
        district_name=district.name,
        locator=AreaLocator([a.code for a in communities], [a.geometry for a in communities]),
        residents=residents,
        places=entries_from_geojson(*layers),
    )


def build_geocoder(geography: Geography, facilities: dict[int, FacilityView]) -> OfflineGeocoder:
    entries = list(geography.places)
    for f in facilities.values():
        parents = tuple(geography.areas[c].name for c in geography.ancestors(f.area_code)[1:])
        entries.append(
            facility_entry(f.id, f.name, f.address, f.point.lon, f.point.lat, f.area_code, parents)
        )
    return OfflineGeocoder(entries)


def _view(f: Facility) -> FacilityView:
    return FacilityView(
        id=f.id,
        kind=FacilityKind(f.kind),
        name=f.name,
        address=f.address,
        point=LonLat(f.lon, f.lat),
        area_code=f.area_code,
        status=FacilityStatus(f.status),
        phone=f.phone,
        capacity=f.capacity,
        places_taken=f.places_taken,
        services=tuple(msgspec.convert(f.services, list[ServiceOffer])),
        hours=msgspec.convert(f.opening_hours, OpeningHours),
        eligibility=msgspec.convert(f.eligibility, Eligibility),
        prices=tuple(msgspec.convert(f.prices, list[Price])),
        accessibility=tuple(msgspec.convert(f.accessibility, list[Accessibility])),
    )


def build_indexes(facilities: dict[int, FacilityView]) -> dict[FacilityKind | None, PointIndex]:
    """One index per kind (and one over all kinds), over active facilities only: a temporarily
    closed or closed place is not somewhere a resident can go."""
    active = [f for f in facilities.values() if f.status is FacilityStatus.ACTIVE]
    indexes: dict[FacilityKind | None, PointIndex] = {}
    for kind in [None, *FacilityKind]:
        chosen = [f for f in active if kind is None or f.kind is kind]
        indexes[kind] = PointIndex(
            np.array([f.id for f in chosen], dtype=np.int64),
            np.array([f.point.lon for f in chosen], dtype=np.float64),
            np.array([f.point.lat for f in chosen], dtype=np.float64),
        )
    return indexes


def build_snapshot(session: Session, version: int, geography: Geography) -> DirectorySnapshot:
    facilities = {f.id: _view(f) for f in session.scalars(select(Facility))}
    return DirectorySnapshot(
        version=version,
        geography=geography,
        facilities=facilities,
        indexes=build_indexes(facilities),
        geocoder=build_geocoder(geography, facilities),
        jobs=load_jobs(session, facilities),
    )


class GeoContext:
    """What a geo request needs: one snapshot (taken once, so the request sees one consistent
    directory) and the travel-time model. One dependency rather than two: litestar resolves
    sibling dependencies in a task group, which costs more than the nearby search itself."""

    __slots__ = ("snapshot", "travel")

    def __init__(self, snapshot: DirectorySnapshot, travel: TravelTimeModel) -> None:
        self.snapshot = snapshot
        self.travel = travel


class SnapshotHolder:
    def __init__(
        self, db: Database, geo_dir: Path, refresh_seconds: float, points_per_person: float
    ) -> None:
        self._db = db
        self._geo_dir = geo_dir
        self._points_per_person = points_per_person
        self._refresh_seconds = refresh_seconds
        self._build_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._current: DirectorySnapshot | None = None
        self._geography: Geography | None = None
        self.listeners: list[Callable[[DirectorySnapshot], None]] = []

    @property
    def current(self) -> DirectorySnapshot:
        snapshot = self._current
        if snapshot is None:
            return self.refresh(force=True)
        return snapshot

    def refresh(self, force: bool = False) -> DirectorySnapshot:
        """Rebuild if the stored version moved (or when forced); readers keep the old one meanwhile."""
        with self._build_lock:
            version = self._db.directory_version()
            current = self._current
            if current is not None and current.version == version and not force:
                return current
            started = time.perf_counter()
            with self._db.sessions() as session:
                if self._geography is None:
                    self._geography = load_geography(
                        session, self._geo_dir, self._points_per_person
                    )
                snapshot = build_snapshot(session, version, self._geography)
            self._current = snapshot  # the atomic swap: one reference assignment
            # The snapshot lives long and holds many objects: take them out of the cyclic
            # collector's view so full collections stop pausing requests (p99 tails).
            gc.collect()
            gc.freeze()
            log.info(
                "directory snapshot v%s: %d facilities in %.0f ms",
                version,
                len(snapshot.facilities),
                (time.perf_counter() - started) * 1000,
            )
        for listener in self.listeners:
            listener(snapshot)
        return snapshot

    def poke(self) -> None:
        """Ask the background thread to check now (after a write in this process)."""
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="snapshot-refresh", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._refresh_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.refresh()
            except Exception:  # keep serving the last good snapshot; the next poll retries
                log.exception("snapshot refresh failed")
