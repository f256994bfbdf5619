"""An immutable in-memory view of the directory for geo queries and matching, and the holder that
swaps it atomically.

Readers take `holder.current` once per request and use only that object, so a rebuild never
blocks them and they never see half a directory. A background thread polls the version stamp in
the database (bumped by every directory write in the same transaction), so every API process that
shares one PostgreSQL sees a change within `index_refresh_seconds`."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.directory.values import Eligibility, OpeningHours, Price, ServiceOffer
from leye_yiyang.geocode.gazetteer import Entry, entries_from_geojson
from leye_yiyang.geocode.geocoder import OfflineGeocoder
from leye_yiyang.matching.catalogue import JobsCatalogue
from leye_yiyang.matching.hours import Timetable
from leye_yiyang.models import Area
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
        # Timetables by (hours object, local day). Facilities whose hours have the same text share
        # one decoded object (building.py), so a directory of 100,000 places needs a few dozen.
        # A plain bounded dict (not lru_cache on a bound method, which would make a reference
        # cycle and keep old snapshots alive).
        self._timetables: dict[tuple[int, dt.date], Timetable] = {}

    def open_states(
        self, hours_list: Iterable[OpeningHours], at: dt.datetime
    ) -> list[tuple[bool, dt.datetime | None]]:
        """(open at `at`, next opening after it) for each set of hours; `at` in Asia/Shanghai."""
        moment, day = at.timestamp(), at.date()
        answers = []
        for hours in hours_list:
            key = (id(hours), day)
            table = self._timetables.get(key)
            # A table holds its hours, so no other object can carry that id while it is cached.
            if table is None or table.hours is not hours:
                table = Timetable(hours, day)
                if len(self._timetables) > 4096:
                    self._timetables.clear()
                self._timetables[key] = table
            answers.append(table.state(moment))
        return answers

    def index(self, kind: FacilityKind | None) -> PointIndex:
        """The index of one kind; `None` (all kinds) is built on first use, since most requests
        name a kind and rebuilding it after every change would cost more than all the others."""
        found = self.indexes.get(kind)
        if found is None:
            with self.cache_lock:
                found = self.indexes.get(kind)
                if found is None:
                    found = index_over(self.facilities.values(), kind)
                    self.indexes[kind] = found
        return found


def index_over(facilities: Iterable[FacilityView], kind: FacilityKind | None) -> PointIndex:
    """Active facilities only: a temporarily closed or closed place is nowhere to send anyone."""
    chosen = [
        f
        for f in facilities
        if f.status is FacilityStatus.ACTIVE and (kind is None or f.kind is kind)
    ]
    return PointIndex(
        np.array([f.id for f in chosen], dtype=np.int64),
        np.array([f.point.lon for f in chosen], dtype=np.float64),
        np.array([f.point.lat for f in chosen], dtype=np.float64),
    )


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


class GeoContext:
    """What a geo request needs: one snapshot (taken once, so the request sees one consistent
    directory) and the travel-time model. One dependency rather than two: litestar resolves
    sibling dependencies in a task group, which costs more than the nearby search itself."""

    __slots__ = ("snapshot", "travel")

    def __init__(self, snapshot: DirectorySnapshot, travel: TravelTimeModel) -> None:
        self.snapshot = snapshot
        self.travel = travel
