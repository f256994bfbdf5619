"""Who may change what: pure rules, no framework, no database.

Departments own record types (civil affairs the elderly-care facilities, health childcare, human
resources the job side); provider staff may touch a few fields of their own facility only; the
district administrator may do everything. Every write endpoint asks `write_denial` with the
record's owner-relevant facts, so object-level authorisation is decided here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import msgspec

from leye_yiyang.vocab import FacilityKind


class Role(StrEnum):
    DISTRICT_ADMIN = "district_admin"
    CIVIL_AFFAIRS = "civil_affairs"  # 民政局
    HEALTH = "health"  # 卫健委
    HRSS = "hrss"  # 人社局
    SOCIAL_WORKER = "social_worker"
    PROVIDER_STAFF = "provider_staff"


class RecordType(StrEnum):
    FACILITY = "facility"
    EMPLOYER = "employer"
    VACANCY = "vacancy"
    COURSE = "training_course"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SUSPEND = "suspend"
    CLOSE = "close"
    REOPEN = "reopen"
    VERIFY = "verify"


DEPARTMENTS: frozenset[Role] = frozenset({Role.CIVIL_AFFAIRS, Role.HEALTH, Role.HRSS})

FACILITY_KINDS: dict[Role, frozenset[FacilityKind]] = {
    Role.CIVIL_AFFAIRS: frozenset(
        {FacilityKind.MEAL_HALL, FacilityKind.DAY_CARE, FacilityKind.CARE_HOME}
    ),
    Role.HEALTH: frozenset({FacilityKind.CHILDCARE}),
    Role.HRSS: frozenset(
        {FacilityKind.TRAINING_SCHOOL, FacilityKind.HR_AGENCY, FacilityKind.SERVICE_STATION}
    ),
}
JOB_RECORDS = frozenset({RecordType.EMPLOYER, RecordType.VACANCY, RecordType.COURSE})

# What a facility's own staff may keep current: hours (with dated exceptions), places taken,
# the phone, and a temporary closure (suspend / reopen). Nothing that changes what it is.
PROVIDER_FIELDS = frozenset({"opening_hours", "places_taken", "phone"})
PROVIDER_ACTIONS = frozenset({Action.UPDATE, Action.SUSPEND, Action.REOPEN})


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The authenticated caller, as the token check resolved it."""

    account_id: int
    token_id: int
    name: str
    role: Role
    area_code: str | None = None
    organisation: str | None = None
    facility_id: int | None = None


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """What authorisation needs to know about a record (before and, for kind changes, after)."""

    type: RecordType
    kinds: tuple[FacilityKind, ...] = ()  # a facility's kind; old and new on a kind change
    facility_id: int | None = None


class Denial(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    zh: str
    en: str
    field: str | None = None


def owns(role: Role, target: Target) -> bool:
    if role is Role.DISTRICT_ADMIN:
        return True
    if target.type is RecordType.FACILITY:
        kinds = FACILITY_KINDS.get(role, frozenset())
        return bool(target.kinds) and all(k in kinds for k in target.kinds)
    return role is Role.HRSS and target.type in JOB_RECORDS


def write_denial(
    who: Principal, action: Action, target: Target, fields: Iterable[str] = ()
) -> Denial | None:
    """None when `who` may do `action` to `target` (touching `fields`), else why not."""
    if who.role is Role.PROVIDER_STAFF:
        return _provider_denial(who, action, target, fields)
    if owns(who.role, target):
        return None
    if who.role in DEPARTMENTS:
        return Denial(
            code="not_your_department",
            zh="该类记录不归本部门管理",
            en=f"Records of this type are not kept by the {who.role.value} department",
        )
    return Denial(
        code="role_not_allowed",
        zh="该角色不能修改服务目录",
        en=f"The {who.role.value} role may not change the directory",
    )


def _provider_denial(
    who: Principal, action: Action, target: Target, fields: Iterable[str]
) -> Denial | None:
    if target.type is not RecordType.FACILITY or target.facility_id != who.facility_id:
        return Denial(
            code="not_your_facility",
            zh="只能修改本机构的信息",
            en="Provider staff may change only their own facility",
        )
    if action not in PROVIDER_ACTIONS:
        return Denial(
            code="action_not_allowed",
            zh="机构工作人员只能暂停或恢复服务，不能关闭或核实",
            en=f"Provider staff may not {action.value} a facility",
        )
    extra = sorted(set(fields) - PROVIDER_FIELDS)
    if extra:
        return Denial(
            code="field_not_allowed",
            zh=f"机构工作人员不能修改字段 {extra[0]}",
            en=f"Provider staff may not change {extra[0]} (only hours, places taken, phone)",
            field=extra[0],
        )
    return None


def may_read_history(who: Principal, target: Target) -> bool:
    if who.role is Role.PROVIDER_STAFF:
        return target.type is RecordType.FACILITY and target.facility_id == who.facility_id
    return owns(who.role, target)


def stale_scope(role: Role) -> tuple[frozenset[FacilityKind], frozenset[RecordType]]:
    """The facility kinds and other record types whose freshness a role answers for."""
    if role is Role.DISTRICT_ADMIN:
        return frozenset(FacilityKind), JOB_RECORDS
    kinds = FACILITY_KINDS.get(role, frozenset())
    return kinds, JOB_RECORDS if role is Role.HRSS else frozenset()
