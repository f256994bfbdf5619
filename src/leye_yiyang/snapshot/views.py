"""The read model: an immutable in-memory view of the directory for geo queries and matching.

Framework- and database-free: `building.py`, `geography.py` and `jobs_loading.py` fill it from the
database, `holder.py` swaps it atomically, and requests read one snapshot each."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from leye_yiyang.district import District
from leye_yiyang.geocode.gazetteer import Entry
from leye_yiyang.geocode.geocoder import OfflineGeocoder
from leye_yiyang.geocode.points import Places
from leye_yiyang.rules.hours import Timetable
from leye_yiyang.snapshot.jobs import JobsCatalogue
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.coverage import Residents
from leye_yiyang.spatial.index import PointIndex
from leye_yiyang.spatial.region import ServiceRegion
from leye_yiyang.values import Eligibility, OpeningHours, Price, ServiceOffer
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
    # Held for sent referrals until answered or lapsed: not free, not yet taken.
    places_held: int = 0
    # When the owning department last confirmed the record ("checked, still true").
    verified_at: dt.datetime | None = None

    @property
    def places_free(self) -> int:
        return max(0, self.capacity - self.places_taken - self.places_held)


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
    district: District  # the geography folder's district.json

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
        self.places = Places(
            geography.region,
            geography.district_name,
            geocoder,
            {code: a.name for code, a in geography.areas.items()},
        )
        # Open vacancies, courses and occupations for matching (snapshot/jobs.py).
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
