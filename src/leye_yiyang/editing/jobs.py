"""Creating and changing employers, vacancies and training courses (kept by human resources and
social security). Nothing is deleted: a record is suspended, closed or reopened."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Action, RecordType, Target
from leye_yiyang.directory import schemas as d
from leye_yiyang.directory.loading import apply_course, apply_vacancy
from leye_yiyang.directory.service import course_out, employer_out, vacancy_out
from leye_yiyang.directory.validation import (
    check_course,
    check_employer,
    check_seats,
    check_vacancy,
)
from leye_yiyang.editing import checks
from leye_yiyang.editing import schemas as s
from leye_yiyang.editing.records import (
    Edit,
    authorise,
    begin_write,
    convert,
    diff,
    fix_field,
    plain,
    record,
    require_version,
)
from leye_yiyang.errors import Conflict, DomainError, NotFound
from leye_yiyang.models import Employer, Facility, Occupation, TrainingCourse, Vacancy
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.values import Workplace
from leye_yiyang.vocab import RecordStatus, VacancyStatus

Row = TypeVar("Row", Employer, Vacancy, TrainingCourse)
MODELS: dict[RecordType, type[Any]] = {
    RecordType.EMPLOYER: Employer,
    RecordType.VACANCY: Vacancy,
    RecordType.COURSE: TrainingCourse,
}
_SKIP = frozenset({"id", "version", "created_at", "updated_at", "changed_version"})
STATUS_FOR: dict[RecordType, dict[Action, StrEnum]] = {
    RecordType.VACANCY: {
        Action.SUSPEND: VacancyStatus.SUSPENDED,
        Action.CLOSE: VacancyStatus.CLOSED,
        Action.REOPEN: VacancyStatus.OPEN,
    },
}
_DEFAULT_STATUS: dict[Action, StrEnum] = {
    Action.SUSPEND: RecordStatus.SUSPENDED,
    Action.CLOSE: RecordStatus.CLOSED,
    Action.REOPEN: RecordStatus.ACTIVE,
}


def state(row: Any) -> dict[str, Any]:
    return {c.key: plain(getattr(row, c.key)) for c in row.__table__.columns if c.key not in _SKIP}


def load(session: Session, kind: RecordType, record_id: int) -> Any:
    found = session.get(MODELS[kind], record_id)
    if found is None:
        raise NotFound(
            f"没有编号为 {record_id} 的记录（{kind.value}）",
            f"No {kind.value} with id {record_id}",
            code=f"{kind.value}_not_found",
        )
    return found


def answer(session: Session, kind: RecordType, row: Any, datum: Datum = Datum.WGS84) -> Any:
    if kind is RecordType.EMPLOYER:
        n = session.scalar(
            select(func.count(Vacancy.id)).where(
                Vacancy.employer_id == row.id, Vacancy.status == VacancyStatus.OPEN.value
            )
        )
        return employer_out(row, int(n or 0), datum)
    occupation = session.get(Occupation, row.occupation_code)
    name = occupation.name if occupation is not None else row.occupation_code
    if kind is RecordType.VACANCY:
        employer = session.get(Employer, row.employer_id)
        return vacancy_out(row, employer.name if employer else "", name, datum)
    provider = session.get(Facility, row.provider_id)
    assert provider is not None  # a foreign key
    return course_out(row, provider, name, datum)


def _checked(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except DomainError as exc:
        raise fix_field(exc) from None


# ---- employers ----


def _employer(session: Session, snap: DirectorySnapshot, rec: d.EmployerIn) -> str:
    area: str = _checked(
        lambda: check_employer(rec, snap.geography.locator, "", snap.geography.district)
    )
    checks.check_phone(rec.phone)
    return area


def _apply_employer(target: Employer, rec: d.EmployerIn, area_code: str) -> None:
    target.uscc, target.name, target.industry = rec.uscc, rec.name, rec.industry
    target.size, target.phone = rec.size.value, rec.phone
    target.workplaces = plain(rec.workplaces)
    target.area_code = area_code


def create_employer(
    session: Session, edit: Edit, snap: DirectorySnapshot, body: s.EmployerCreate
) -> d.EmployerOut:
    authorise(edit, Action.CREATE, Target(type=RecordType.EMPLOYER))
    begin_write(session)
    rec = convert(plain(body), d.EmployerIn)
    area = _employer(session, snap, rec)
    if session.scalar(select(Employer.id).where(Employer.uscc == rec.uscc.upper())) is not None:
        raise Conflict(
            f"信用代码为 {rec.uscc} 的用人单位已存在",
            f"An employer with code {rec.uscc} exists already",
            code="employer_exists",
            field="uscc",
        )
    target = Employer()
    _apply_employer(target, rec, area)
    session.add(target)
    out: d.EmployerOut = _created(session, edit, RecordType.EMPLOYER, target)
    return out


# ---- vacancies ----


def _vacancy(
    session: Session, snap: DirectorySnapshot, rec: d.VacancyIn, employer: Employer
) -> tuple[Employer, Workplace, str]:
    found: tuple[Employer, Workplace, str] = _checked(
        lambda: check_vacancy(
            session,
            rec,
            {employer.uscc: employer},
            snap.geography.locator,
            "",
            snap.geography.district,
        )
    )
    return found


def _employer_of(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(
            f"没有编号为 {employer_id} 的用人单位",
            f"No employer with id {employer_id}",
            code="employer_not_found",
            field="employer_id",
        )
    return employer


def create_vacancy(
    session: Session, edit: Edit, snap: DirectorySnapshot, body: s.VacancyCreate
) -> d.VacancyOut:
    authorise(edit, Action.CREATE, Target(type=RecordType.VACANCY))
    begin_write(session)
    employer = _employer_of(session, body.employer_id)
    values = plain(body)
    values.pop("employer_id")
    rec = convert({**values, "employer_uscc": employer.uscc}, d.VacancyIn)
    employer, place, area = _vacancy(session, snap, rec, employer)
    target = Vacancy(ref=rec.ref)
    apply_vacancy(target, rec, employer, place, area)
    session.add(target)
    out: d.VacancyOut = _created(session, edit, RecordType.VACANCY, target)
    return out


# ---- courses ----


def _course(session: Session, rec: d.CourseIn, provider_id: int) -> int:
    exists = session.get(Facility, provider_id) is not None
    providers = {rec.provider_ref: provider_id} if exists else {}
    try:
        found: int = check_course(session, rec, providers, where="")
    except DomainError as exc:
        if exc.field == ".provider_ref":
            exc.field = "provider_id"
        raise fix_field(exc) from None
    check_seats(rec, "seats_taken")
    return found


def _course_in(values: dict[str, Any]) -> tuple[d.CourseIn, int]:
    provider_id = int(values.pop("provider_id"))
    return convert({**values, "provider_ref": f"id:{provider_id}"}, d.CourseIn), provider_id


def create_course(session: Session, edit: Edit, body: s.CourseCreate) -> d.CourseOut:
    authorise(edit, Action.CREATE, Target(type=RecordType.COURSE))
    begin_write(session)
    rec, provider_id = _course_in(plain(body))
    target = TrainingCourse(ref=rec.ref)
    apply_course(target, rec, _course(session, rec, provider_id))
    session.add(target)
    out: d.CourseOut = _created(session, edit, RecordType.COURSE, target)
    return out


# ---- shared ----


def _created(session: Session, edit: Edit, kind: RecordType, target: Any) -> Any:
    session.flush()
    record(session, edit, Action.CREATE, kind, target.id, target.version, diff({}, state(target)))
    return answer(session, kind, target)


def update(
    session: Session,
    edit: Edit,
    snap: DirectorySnapshot,
    kind: RecordType,
    record_id: int,
    if_match: str | None,
    patch: msgspec.Struct,
) -> Any:
    target = load(session, kind, record_id)
    sent = plain(s.set_fields(patch))
    authorise(edit, Action.UPDATE, Target(type=kind), sent)
    require_version(if_match, kind, target.id, target.version)
    begin_write(session)
    before = state(target)
    if kind is RecordType.EMPLOYER:
        firm = convert({**_fields(before, d.EmployerIn), **sent}, d.EmployerIn)
        _apply_employer(target, firm, _employer(session, snap, firm))
    elif kind is RecordType.VACANCY:
        employer = _employer_of(session, target.employer_id)
        current = _fields(before, d.VacancyIn)
        current["workplace"] = _workplace_index(employer, target)
        rec = convert({**current, **sent, "employer_uscc": employer.uscc}, d.VacancyIn)
        apply_vacancy(target, rec, *_vacancy(session, snap, rec, employer))
    else:
        current = {**_fields(before, d.CourseIn), "provider_id": target.provider_id}
        course, provider_id = _course_in({**current, **sent})
        apply_course(target, course, _course(session, course, provider_id))
    return _finish(session, edit, Action.UPDATE, kind, target, before)


def _fields(values: dict[str, Any], rec: type[msgspec.Struct]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in rec.__struct_fields__ and k != "area_code"}


def _workplace_index(employer: Employer, vacancy: Vacancy) -> int:
    for i, w in enumerate(employer.workplaces):
        if (w["lon"], w["lat"]) == (vacancy.lon, vacancy.lat):
            return i
    return 0


def _finish(
    session: Session, edit: Edit, action: Action, kind: RecordType, target: Any, before: Any
) -> Any:
    changes = diff(before, state(target))
    if changes:
        session.flush()
        record(session, edit, action, kind, target.id, target.version, changes)
    return answer(session, kind, target)


def set_status(
    session: Session,
    edit: Edit,
    kind: RecordType,
    record_id: int,
    if_match: str | None,
    action: Action,
) -> Any:
    target = load(session, kind, record_id)
    authorise(edit, action, Target(type=kind))
    require_version(if_match, kind, target.id, target.version)
    begin_write(session)
    before = state(target)
    if action is Action.VERIFY:
        target.verified_at = edit.at
    else:
        target.status = STATUS_FOR.get(kind, _DEFAULT_STATUS)[action].value
    return _finish(session, edit, action, kind, target, before)


def read(session: Session, kind: RecordType, record_id: int, datum: Datum) -> Any:
    return answer(session, kind, load(session, kind, record_id), datum)
