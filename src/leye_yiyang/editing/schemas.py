"""Edge types of directory edits: create bodies (strict), PATCH bodies (absent = untouched), and
what history and freshness answers look like."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from leye_yiyang.accounts.policy import Action, RecordType
from leye_yiyang.directory import schemas as d
from leye_yiyang.geocode.points import Located
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.values import (
    Eligibility,
    OpeningHours,
    Price,
    RecordId,
    ServiceOffer,
    Shift,
    Workplace,
)
from leye_yiyang.vocab import Accessibility, Education, EmployerSize, FacilityKind

Phone = Annotated[str, Meta(max_length=40, examples=["0515-88886666", "13912345678"])]
Text = Annotated[str, Meta(max_length=4000)]
Address = Annotated[str, Meta(min_length=1, max_length=300)]
Coordinate = Annotated[float, Meta(ge=-180, le=180)]


class Body(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class FacilityCreate(Body, kw_only=True):
    """A new facility. Give lon/lat (in `crs`), or leave them out to place it at `address` as the
    gazetteer resolves it (the answer shows what matched)."""

    ref: d.Ref | None = None
    kind: FacilityKind
    name: d.Name
    address: Address
    lon: Coordinate | None = None
    lat: Coordinate | None = None
    crs: Datum = Datum.WGS84
    operator: Annotated[str, Meta(max_length=200)] = ""
    phone: Phone = ""
    services: list[ServiceOffer] = []
    capacity: d.Count = 0
    places_taken: d.Count = 0
    opening_hours: OpeningHours = msgspec.field(default_factory=OpeningHours)
    eligibility: Eligibility = msgspec.field(default_factory=Eligibility)
    prices: list[Price] = []
    accessibility: list[Accessibility] = []
    description: Text = ""


class FacilityPatch(Body, kw_only=True):
    """Only the fields sent change. A new point is lon+lat (in `crs`), or `locate_by_address`
    to place the facility where its (new) address resolves."""

    kind: FacilityKind | UnsetType = UNSET
    name: d.Name | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    lon: Coordinate | UnsetType = UNSET
    lat: Coordinate | UnsetType = UNSET
    crs: Datum = Datum.WGS84
    locate_by_address: bool = False
    operator: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    services: list[ServiceOffer] | UnsetType = UNSET
    capacity: d.Count | UnsetType = UNSET
    places_taken: d.Count | UnsetType = UNSET
    opening_hours: OpeningHours | UnsetType = UNSET
    eligibility: Eligibility | UnsetType = UNSET
    prices: list[Price] | UnsetType = UNSET
    accessibility: list[Accessibility] | UnsetType = UNSET
    description: Text | UnsetType = UNSET


class EmployerCreate(Body, kw_only=True):
    uscc: d.USCC
    name: d.Name
    industry: Annotated[str, Meta(min_length=1, max_length=80)]
    size: EmployerSize
    workplaces: Annotated[list[Workplace], Meta(min_length=1, max_length=50)]
    phone: Phone = ""


class EmployerPatch(Body, kw_only=True):
    name: d.Name | UnsetType = UNSET
    industry: Annotated[str, Meta(min_length=1, max_length=80)] | UnsetType = UNSET
    size: EmployerSize | UnsetType = UNSET
    workplaces: Annotated[list[Workplace], Meta(min_length=1, max_length=50)] | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET


class VacancyCreate(Body, kw_only=True):
    ref: d.Ref | None = None
    employer_id: RecordId
    title: d.Name
    occupation_code: d.OccupationCode
    skills: list[str] = []
    education: Education = Education.NONE
    experience_years: Annotated[int, Meta(ge=0, le=50)] = 0
    wage_min: d.Wage
    wage_max: d.Wage
    shifts: list[Shift] = []
    part_time: bool = False
    headcount: Annotated[int, Meta(ge=1, le=10_000)] = 1
    posted_on: dt.date
    expires_on: dt.date | None = None
    workplace: Annotated[int, Meta(ge=0, le=49)] = 0
    requirements: list[Annotated[str, Meta(max_length=500)]] = []
    description: Text = ""


class VacancyPatch(Body, kw_only=True):
    title: d.Name | UnsetType = UNSET
    occupation_code: d.OccupationCode | UnsetType = UNSET
    skills: list[str] | UnsetType = UNSET
    education: Education | UnsetType = UNSET
    experience_years: Annotated[int, Meta(ge=0, le=50)] | UnsetType = UNSET
    wage_min: d.Wage | UnsetType = UNSET
    wage_max: d.Wage | UnsetType = UNSET
    shifts: list[Shift] | UnsetType = UNSET
    part_time: bool | UnsetType = UNSET
    headcount: Annotated[int, Meta(ge=1, le=10_000)] | UnsetType = UNSET
    posted_on: dt.date | UnsetType = UNSET
    expires_on: dt.date | UnsetType | None = UNSET
    workplace: Annotated[int, Meta(ge=0, le=49)] | UnsetType = UNSET
    requirements: list[Annotated[str, Meta(max_length=500)]] | UnsetType = UNSET
    description: Text | UnsetType = UNSET


class CourseCreate(Body, kw_only=True):
    ref: d.Ref | None = None
    provider_id: RecordId
    title: d.Name
    occupation_code: d.OccupationCode
    skills_taught: list[str] = []
    starts_on: dt.date
    ends_on: dt.date
    sessions: list[Shift] = []
    hours_total: Annotated[int, Meta(ge=1, le=5000)]
    subsidised: bool = False
    fee_cny: Annotated[float, Meta(ge=0, le=100_000)] = 0.0
    seats: d.Count = 0
    seats_taken: d.Count = 0


class CoursePatch(Body, kw_only=True):
    title: d.Name | UnsetType = UNSET
    occupation_code: d.OccupationCode | UnsetType = UNSET
    skills_taught: list[str] | UnsetType = UNSET
    starts_on: dt.date | UnsetType = UNSET
    ends_on: dt.date | UnsetType = UNSET
    sessions: list[Shift] | UnsetType = UNSET
    hours_total: Annotated[int, Meta(ge=1, le=5000)] | UnsetType = UNSET
    subsidised: bool | UnsetType = UNSET
    fee_cny: Annotated[float, Meta(ge=0, le=100_000)] | UnsetType = UNSET
    seats: d.Count | UnsetType = UNSET
    seats_taken: d.Count | UnsetType = UNSET


def set_fields(patch: msgspec.Struct, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields a PATCH body actually sent."""
    return {
        name: value
        for name in patch.__struct_fields__
        if name not in skip and (value := getattr(patch, name)) is not UNSET
    }


# ---- answers ----


class FacilitySaved(d.FacilityOut, frozen=True, kw_only=True):
    located: Located | None = None


class ChangeOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: dt.datetime
    account_id: int | None
    account_name: str | None
    channel: str
    record_type: RecordType
    record_id: int
    action: Action
    version: int
    fields: dict[str, list[Any]]  # field -> [old, new]


class ChangePage(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    limit: int
    offset: int
    items: list[ChangeOut]


class StaleItem(msgspec.Struct, frozen=True, kw_only=True):
    record_type: RecordType
    id: int
    name: str
    kind: str | None
    verified_at: dt.datetime | None
    days_since: int | None  # None: never verified


class StaleReport(msgspec.Struct, frozen=True, kw_only=True):
    days: int
    as_of: dt.datetime
    counts: dict[str, int]  # per facility kind / record type
    total: int
    limit: int
    offset: int
    items: list[StaleItem]
