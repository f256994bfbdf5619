"""Structured values a facility, vacancy or course carries. Stored as JSON, validated by msgspec on
the way in (API, import, fixtures) and read back with the same types, so matching never sees
free-form dicts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from leye_yiyang.vocab import PersonStatus, ServiceCode, Weekday

Clock = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", examples=["08:30"])]
Age = Annotated[int, Meta(ge=0, le=130)]
Months = Annotated[int, Meta(ge=0, le=72)]
Money = Annotated[float, Meta(ge=0, le=1_000_000)]
MAX_ID = 2**53 - 1  # the largest integer a JavaScript client reads exactly
RecordId = Annotated[int, Meta(ge=1, le=MAX_ID)]


class Value(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base for stored values: immutable, strict about unknown fields."""


class TimeRange(Value, frozen=True, kw_only=True):
    opens: Clock
    closes: Clock


class DatedHours(Value, frozen=True, kw_only=True):
    """A dated exception to the weekly hours: closed for the day, or open with other hours."""

    date: dt.date
    closed: bool = False
    hours: list[TimeRange] = []
    note: str = ""


class OpeningHours(Value, frozen=True, kw_only=True):
    """Local time in Asia/Shanghai.

    `public_holidays`: "closed" follows the national working calendar (closed on statutory
    holidays; on 调休 make-up working days open with the Monday hours); "open" ignores it.
    """

    weekly: dict[Weekday, list[TimeRange]] = {}
    exceptions: list[DatedHours] = []
    public_holidays: Literal["closed", "open"] = "closed"


class Eligibility(Value, frozen=True, kw_only=True):
    """Who may use a facility. Every set field is one rule; an empty rule set admits everyone."""

    min_age: Age | None = None
    max_age: Age | None = None
    child_min_months: Months | None = None
    child_max_months: Months | None = None
    any_of_statuses: list[PersonStatus] = []
    residence_area_codes: list[str] = []
    note: str = ""


class Subsidy(Value, frozen=True, kw_only=True):
    """A subsidy tier. It applies when the age band (if any) holds and, if statuses are listed,
    the person has at least one of them. Tiers do not add up: the largest that applies is paid."""

    label: str
    amount_cny: Money
    min_age: Age | None = None
    max_age: Age | None = None
    any_of_statuses: list[PersonStatus] = []


class Price(Value, frozen=True, kw_only=True):
    service: ServiceCode
    unit: Literal["meal", "delivery", "day", "half_day", "hour", "month", "course", "visit"]
    price_cny: Money
    subsidies: list[Subsidy] = []


class ServiceOffer(Value, frozen=True, kw_only=True):
    """A service a facility offers; for childcare the age band in months it takes."""

    code: ServiceCode
    min_child_months: Months | None = None
    max_child_months: Months | None = None
    note: str = ""


class Shift(Value, frozen=True, kw_only=True):
    days: list[Weekday]
    starts: Clock
    ends: Clock


class Workplace(Value, frozen=True, kw_only=True):
    name: str
    address: str
    lon: Annotated[float, Meta(ge=-180, le=180)]
    lat: Annotated[float, Meta(ge=-90, le=90)]
