"""Edge types of the directory: what comes in (strict) and what goes out (frozen)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from leye_yiyang.values import (
    Eligibility,
    OpeningHours,
    Price,
    ServiceOffer,
    Shift,
    Workplace,
)
from leye_yiyang.vocab import (
    Accessibility,
    AreaLevel,
    Education,
    EmployerSize,
    FacilityKind,
    FacilityStatus,
    RecordStatus,
    VacancyStatus,
)

Lon = Annotated[float, Meta(ge=-180, le=180, description="longitude, degrees east")]
Lat = Annotated[float, Meta(ge=-90, le=90, description="latitude, degrees north")]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
Ref = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Count = Annotated[int, Meta(ge=0, le=1_000_000)]
Wage = Annotated[int, Meta(ge=0, le=1_000_000, description="CNY per month")]
OccupationCode = Annotated[str, Meta(pattern=r"^[1-8](-\d{2}){2,3}$", examples=["4-03-02-01"])]
USCC = Annotated[str, Meta(min_length=18, max_length=18, examples=["91320902MA1XXXXXXX"])]


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class Output(msgspec.Struct, frozen=True, kw_only=True):
    pass


# ---- inputs (also the fixture file format) ----


class FacilityIn(Input, kw_only=True):
    ref: Ref | None = None
    kind: FacilityKind
    name: Name
    address: Annotated[str, Meta(min_length=1, max_length=300)]
    lon: Lon
    lat: Lat
    area_code: str | None = None  # derived from the point when omitted
    operator: str = ""
    phone: str = ""
    services: list[ServiceOffer] = []
    capacity: Count = 0
    places_taken: Count = 0
    opening_hours: OpeningHours = OpeningHours()
    eligibility: Eligibility = Eligibility()
    prices: list[Price] = []
    accessibility: list[Accessibility] = []
    description: str = ""
    verified_at: dt.datetime | None = None
    status: FacilityStatus = FacilityStatus.ACTIVE


class EmployerIn(Input, kw_only=True):
    uscc: USCC
    name: Name
    industry: Annotated[str, Meta(min_length=1, max_length=80)]
    size: EmployerSize
    area_code: str | None = None
    workplaces: Annotated[list[Workplace], Meta(min_length=1, max_length=50)]
    phone: str = ""


class VacancyIn(Input, kw_only=True):
    ref: Ref | None = None
    employer_uscc: USCC
    title: Name
    occupation_code: OccupationCode
    skills: list[str] = []
    education: Education = Education.NONE
    experience_years: Annotated[int, Meta(ge=0, le=50)] = 0
    wage_min: Wage
    wage_max: Wage
    shifts: list[Shift] = []
    part_time: bool = False
    headcount: Annotated[int, Meta(ge=1, le=10_000)] = 1
    status: VacancyStatus = VacancyStatus.OPEN
    posted_on: dt.date
    expires_on: dt.date | None = None
    workplace: int = 0  # index into the employer's workplaces
    requirements: list[str] = []
    description: str = ""


class CourseIn(Input, kw_only=True):
    ref: Ref | None = None
    provider_ref: Ref
    title: Name
    occupation_code: OccupationCode
    skills_taught: list[str] = []
    starts_on: dt.date
    ends_on: dt.date
    sessions: list[Shift] = []
    hours_total: Annotated[int, Meta(ge=1, le=5000)]
    subsidised: bool = False
    fee_cny: Annotated[float, Meta(ge=0, le=100_000)] = 0.0
    seats: Count = 0
    seats_taken: Count = 0


class OccupationIn(Input, kw_only=True):
    code: OccupationCode
    name: Name
    major_group: Annotated[int, Meta(ge=1, le=8)]
    synonyms: list[str] = []
    skills: list[str] = []


# ---- outputs ----


class AreaSummary(Output, frozen=True, kw_only=True):
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    population: int
    population_60_plus: int | None
    population_0_3: int | None
    centroid: tuple[float, float]
    modelled: bool


class AreaDetail(Output, frozen=True, kw_only=True):
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    population: int
    population_60_plus: int | None
    population_0_3: int | None
    centroid: tuple[float, float]
    modelled: bool
    children: list[str]
    geometry: dict[str, Any]


class FacilityOut(Output, frozen=True, kw_only=True):
    id: int
    ref: str | None
    kind: FacilityKind
    kind_label: str
    name: str
    address: str
    lon: float
    lat: float
    crs: Literal["wgs84", "gcj02", "bd09"]
    area_code: str
    area_name: str
    operator: str
    phone: str
    services: list[ServiceOffer]
    capacity: int
    places_taken: int
    places_free: int
    opening_hours: OpeningHours
    eligibility: Eligibility
    prices: list[Price]
    accessibility: list[Accessibility]
    description: str
    verified_at: dt.datetime | None
    status: FacilityStatus
    version: int


class EmployerOut(Output, frozen=True, kw_only=True):
    id: int
    uscc: str
    name: str
    industry: str
    size: EmployerSize
    area_code: str
    workplaces: list[Workplace]
    open_vacancies: int
    phone: str
    status: RecordStatus
    verified_at: dt.datetime | None
    version: int


class VacancyOut(Output, frozen=True, kw_only=True):
    id: int
    ref: str | None
    employer_id: int
    employer_name: str
    title: str
    occupation_code: str
    occupation_name: str
    skills: list[str]
    education: Education
    experience_years: int
    wage_min: int
    wage_max: int
    shifts: list[Shift]
    part_time: bool
    headcount: int
    status: VacancyStatus
    posted_on: dt.date
    expires_on: dt.date | None
    address: str
    lon: float
    lat: float
    area_code: str
    verified_at: dt.datetime | None
    version: int


class CourseOut(Output, frozen=True, kw_only=True):
    id: int
    ref: str | None
    provider_id: int
    provider_name: str
    title: str
    occupation_code: str
    occupation_name: str
    skills_taught: list[str]
    starts_on: dt.date
    ends_on: dt.date
    sessions: list[Shift]
    hours_total: int
    subsidised: bool
    fee_cny: float
    seats: int
    seats_free: int
    lon: float
    lat: float
    status: RecordStatus
    verified_at: dt.datetime | None
    version: int


class Page(Output, frozen=True, kw_only=True):
    total: int
    limit: int
    offset: int
