"""What a social worker sends and is shown about the residents they serve."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from leye_yiyang.spatial.datums import Datum
from leye_yiyang.vocab import PersonStatus, ServiceCode

Name = Annotated[str, Meta(min_length=1, max_length=100)]
Text = Annotated[str, Meta(max_length=300)]
Relation = Literal["child", "grandchild", "spouse", "parent", "sibling", "other"]
Scope = Literal["sensitive", "share"]


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class HomeIn(Input, kw_only=True):
    lon: float | None = None
    lat: float | None = None
    crs: Datum = Datum.WGS84
    address: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class MemberIn(Input, kw_only=True):
    relation: Relation
    birth_date: dt.date
    name: Name | None = None


class SensitiveIn(Input, kw_only=True):
    """Sensitive personal information (PIPL art. 28): stored only under a recorded consent."""

    statuses: Annotated[list[PersonStatus], Meta(max_length=10)] = []
    health_notes: Text = ""


class ConsentIn(Input, kw_only=True):
    """`sensitive`: to store sensitive information; `share`: to share what a referral needs with
    the receiving facility. A child's (under 14) consent is given by a guardian."""

    scope: Scope
    given_by: Literal["self", "guardian"]
    method: Literal["written", "oral", "electronic"]
    guardian_name: Name | None = None
    note: Text = ""


class ResidentIn(Input, kw_only=True):
    name: Name
    id_number: Annotated[str, Meta(min_length=1, max_length=32)]
    phone: Annotated[str, Meta(max_length=20)] | None = None
    home: HomeIn
    # Not sensitive: 独居, 高龄, 低保 ... (失能 and 残疾 belong in `sensitive`).
    statuses: Annotated[list[PersonStatus], Meta(max_length=10)] = []
    needs: Annotated[list[ServiceCode], Meta(max_length=20)] = []
    household: Annotated[list[MemberIn], Meta(max_length=20)] = []
    sensitive: SensitiveIn | None = None
    # Consents recorded with the registration, before anything they cover is stored.
    consents: Annotated[list[ConsentIn], Meta(max_length=4)] = []


class WithdrawIn(Input, kw_only=True):
    note: Text = ""


class HomeOut(msgspec.Struct, frozen=True, kw_only=True):
    lon: float
    lat: float
    crs: Datum
    address: str
    area_code: str
    area_name: str


class MemberOut(msgspec.Struct, frozen=True, kw_only=True):
    relation: Relation
    birth_date: dt.date
    age: int
    name: str | None = None


class SensitiveOut(msgspec.Struct, frozen=True, kw_only=True):
    statuses: list[PersonStatus]
    health_notes: str
    children_under_14: list[MemberOut]


class ConsentOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    scope: Scope
    given_by: str
    method: str
    guardian_name: str | None
    recorded_by: int
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None
    note: str


class ResidentOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    id_number: str  # masked: 320902**********3X
    phone: str | None  # masked: 138****5678
    birth_date: dt.date
    age: int
    home: HomeOut
    statuses: list[PersonStatus]
    needs: list[ServiceCode]
    household: list[MemberOut]
    sensitive: SensitiveOut | None
    consents: list[ConsentOut]
    worker_account_id: int
    organisation: str
    version: int


class ResidentPage(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    items: list[ResidentOut]


class Revealed(msgspec.Struct, frozen=True, kw_only=True):
    """Shown to the owning worker who asked explicitly; the reveal is audited."""

    id: int
    id_number: str
    phone: str | None


class OrganisationCount(msgspec.Struct, frozen=True, kw_only=True):
    organisation: str
    residents: int
    with_sensitive_data: int


class CaseloadCounts(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    organisations: list[OrganisationCount]


class AuditOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    at: dt.datetime
    account_id: int | None
    action: str
    resident_id: int | None
    referral_id: int | None
    detail: dict[str, object]


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    items: list[AuditOut]
