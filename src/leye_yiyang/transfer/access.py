"""Who may import what: the one place that decides it, on the accounts' role policy (issue 9).

Departments import the kinds they keep (civil affairs the elderly-care kinds, health childcare,
human resources the job-service kinds and the job side: employers, vacancies, courses), the
district administrator every kind; a row of another department's kind is a row error, so a dry
run shows it. Social workers and provider staff do not
import at all. The operator's CLI on the server has the administrator's authority."""

from __future__ import annotations

from collections.abc import Callable

from leye_yiyang.accounts.policy import Action, Principal, RecordType, Role, Target, write_denial
from leye_yiyang.errors import Forbidden
from leye_yiyang.vocab import FacilityKind

Denial = tuple[str, str, str] | None
IMPORTERS = frozenset({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.HEALTH, Role.HRSS})


def check_may_import(who: Principal) -> None:
    if who.role not in IMPORTERS:
        raise Forbidden(
            "只有区管理员和民政、卫健、人社部门的账号可以导入",
            f"The {who.role.value} role may not import; departments and the district administrator may",
            code="role_not_allowed",
        )


def denier(who: Principal) -> Callable[[FacilityKind], Denial]:
    def deny(kind: FacilityKind) -> Denial:
        target = Target(type=RecordType.FACILITY, kinds=(kind,))
        denial = write_denial(who, Action.CREATE, target)
        return None if denial is None else (denial.code, denial.zh, f"{denial.en} ({kind.value})")

    return deny


def operator(_kind: FacilityKind) -> Denial:
    return None


def job_denier(who: Principal) -> Callable[[RecordType], Denial]:
    """Employers, vacancies and courses: the policy's owner of the job side (human resources)."""

    def deny(kind: RecordType) -> Denial:
        denial = write_denial(who, Action.CREATE, Target(type=kind))
        return None if denial is None else (denial.code, denial.zh, f"{denial.en} ({kind.value})")

    return deny


def job_operator(_kind: RecordType) -> Denial:
    return None
