"""Open Referral HSDS 3.0 shapes, as far as this directory fills them (optional fields we cannot
fill are left out rather than sent empty: the schemas type them as non-null strings).

`capacities` follows HSDS 3.1's `service_capacity`; 3.0 consumers ignore the extra field."""

from __future__ import annotations

from typing import Literal

import msgspec


class HsdsOut(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Defaults are omitted from answers: a field with a default must be one HSDS lets us leave out."""


class Language(HsdsOut, frozen=True, kw_only=True):
    id: str
    name: str
    code: str
    service_id: str | None = None


class Phone(HsdsOut, frozen=True, kw_only=True):
    id: str
    number: str
    type: str
    service_id: str | None = None
    location_id: str | None = None
    organization_id: str | None = None
    contact_id: str | None = None


class Contact(HsdsOut, frozen=True, kw_only=True):
    id: str
    name: str
    title: str | None = None
    service_id: str | None = None
    organization_id: str | None = None
    phones: list[Phone] = []


class Schedule(HsdsOut, frozen=True, kw_only=True):
    id: str
    service_id: str | None = None
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    wkst: Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"] | None = None
    byday: str | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    dtstart: str | None = None
    until: str | None = None
    timezone: float | None = None
    description: str | None = None
    notes: str | None = None


class CostOption(HsdsOut, frozen=True, kw_only=True):
    id: str
    service_id: str
    option: str
    currency: str
    amount: float
    amount_description: str


class Unit(HsdsOut, frozen=True, kw_only=True):
    id: str
    name: str
    scheme: str | None = None
    identifier: str | None = None


class ServiceCapacity(HsdsOut, frozen=True, kw_only=True):
    id: str
    service_id: str
    unit: Unit
    available: float
    maximum: float
    description: str | None = None
    updated: str


class Address(HsdsOut, frozen=True, kw_only=True):
    id: str
    location_id: str
    address_1: str
    city: str
    region: str
    state_province: str
    postal_code: str
    country: str
    address_type: Literal["physical", "postal", "virtual"]


class Accessibility(HsdsOut, frozen=True, kw_only=True):
    id: str
    location_id: str
    description: str
    details: str | None = None


class Location(HsdsOut, frozen=True, kw_only=True):
    id: str
    location_type: Literal["physical", "postal", "virtual"]
    name: str
    organization_id: str | None = None
    latitude: float
    longitude: float
    external_identifier: str | None = None
    external_identifier_type: str | None = None
    addresses: list[Address] = []
    accessibility: list[Accessibility] = []
    phones: list[Phone] = []


class Organization(HsdsOut, frozen=True, kw_only=True):
    id: str
    name: str
    description: str
    phones: list[Phone] = []


class ServiceAtLocation(HsdsOut, frozen=True, kw_only=True):
    id: str
    service_id: str
    location_id: str
    description: str | None = None
    location: Location | None = None


class ServiceBrief(HsdsOut, frozen=True, kw_only=True):
    """The one-to-one fields of a service: an item of the /services list (service_list.json)."""

    id: str
    organization_id: str | None = None
    name: str
    alternate_name: str | None = None
    description: str | None = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"]
    fees_description: str | None = None
    eligibility_description: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    assured_date: str | None = None
    last_modified: str


class Service(ServiceBrief, frozen=True, kw_only=True):
    phones: list[Phone] = []
    schedules: list[Schedule] = []
    service_at_locations: list[ServiceAtLocation] = []
    languages: list[Language] = []
    organization: Organization | None = None
    cost_options: list[CostOption] = []
    contacts: list[Contact] = []
    capacities: list[ServiceCapacity] = []


class ServiceAtLocationBrief(HsdsOut, frozen=True, kw_only=True):
    id: str
    service_id: str
    location_id: str
    description: str | None = None


class ApiInfo(HsdsOut, frozen=True, kw_only=True):
    version: str
    profile: str
    openapi_url: str


class Page(HsdsOut, frozen=True, kw_only=True):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool


class ServicePage(Page, frozen=True, kw_only=True):
    contents: list[ServiceBrief]


class OrganizationPage(Page, frozen=True, kw_only=True):
    contents: list[Organization]


class ServiceAtLocationPage(Page, frozen=True, kw_only=True):
    contents: list[ServiceAtLocationBrief]
