"""What every matching request settles first: where home is (and which community, subdistrict and
district that makes the person a resident of), who the person is as eligibility reads them, when,
and how far they will travel. Shared by service, job and household matching."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from leye_yiyang.circles.service import local_time
from leye_yiyang.errors import InvalidInput
from leye_yiyang.geocode.points import Located
from leye_yiyang.matching import schemas as m
from leye_yiyang.rules.profiles import Person
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.spatial.travel import TravelMode, TravelTimeModel

FIRST_YEAR, LAST_YEAR = 2000, 2100  # opening hours and calendars mean nothing far outside


def when(at: dt.datetime | None) -> dt.datetime:
    """`at` in Asia/Shanghai (now when not given), refused when it lies in another century."""
    local = local_time(at)
    if not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise InvalidInput(
            f"at 须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间",
            f"at must be between the years {FIRST_YEAR} and {LAST_YEAR}",
            code="at_out_of_range",
            field="at",
        )
    return local


@dataclass(frozen=True, slots=True)
class Context:
    """One request's fixed facts: where, who, when, how far."""

    snap: DirectorySnapshot
    model: TravelTimeModel
    origin: Located
    point: LonLat
    person: Person
    at: dt.datetime
    mode: TravelMode
    minutes: float
    names: Mapping[str, str]

    @property
    def on(self) -> dt.date:
        return self.at.date()

    @property
    def reach_m(self) -> float:
        return self.model.reach_m(self.mode, self.minutes)

    def travel_minutes(self, distances: list[float]) -> list[float]:
        out = self.model.minutes(self.mode, np.array(distances, dtype=np.float64))
        return [round(float(t), 2) for t in out]


def locate_home(snap: DirectorySnapshot, home: m.Home, crs: Datum) -> Located:
    return snap.places.locate(home.lon, home.lat, crs, home.address)


def residence(snap: DirectorySnapshot, point: LonLat) -> list[str]:
    """The community holding the point and its ancestors, most specific first."""
    geo = snap.geography
    code = geo.locator.locate(point) or geo.locator.nearest(point)
    return geo.ancestors(code) if code else []


def area_refs(snap: DirectorySnapshot, codes: list[str]) -> list[m.AreaRef]:
    areas = snap.geography.areas
    return [m.AreaRef(code=c, name=areas[c].name, level=areas[c].level) for c in codes]


def area_names(snap: DirectorySnapshot) -> Mapping[str, str]:
    with snap.cache_lock:
        names: dict[str, str] | None = snap.cache.get("area_names")
        if names is None:
            names = {c: a.name for c, a in snap.geography.areas.items()}
            snap.cache["area_names"] = names
    return names


def person_of(p: m.PersonIn | m.MemberIn, codes: list[str], on: dt.date, field: str) -> Person:
    if p.birth_date is not None and p.birth_date > on:
        raise InvalidInput(
            "出生日期不能晚于查询日期",
            "birth_date cannot be after the day asked about",
            code="birth_date_in_future",
            field=f"{field}.birth_date",
        )
    return Person(
        birth_date=p.birth_date, age=p.age, statuses=p.statuses, residence_area_codes=codes
    )


def context(
    snap: DirectorySnapshot,
    model: TravelTimeModel,
    origin: Located,
    person: Person,
    at: dt.datetime,
    mode: TravelMode,
    minutes: float,
) -> Context:
    return Context(
        snap=snap,
        model=model,
        origin=origin,
        point=LonLat(*origin.wgs84),
        person=person,
        at=at,
        mode=mode,
        minutes=minutes,
        names=area_names(snap),
    )


def travel_text(
    model: TravelTimeModel, mode: TravelMode, minutes: float, distance_m: float
) -> tuple[str, str]:
    p = model.profile(mode)
    d = f"{distance_m / 1000:.1f}公里" if distance_m >= 1000 else f"{round(distance_m)}米"
    d_en = f"{distance_m / 1000:.1f} km" if distance_m >= 1000 else f"{round(distance_m)} m"
    return f"{p.label_zh}约{round(minutes)}分钟（{d}）", (
        f"about {round(minutes)} min ({p.label_en.lower()}, {d_en})"
    )
