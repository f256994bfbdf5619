"""From a job-side row to the record it would make, checked by the rules every other write obeys
(`directory/validation.py`: GB 32100, occupations, wage and date ranges, the fairness check,
points inside the district). The result is a transient ORM object, never added to the session
here: a dry run leaves the session as it found it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import FACILITY_KINDS, RecordType, Role
from leye_yiyang.directory.loading import apply_course, apply_vacancy
from leye_yiyang.directory.validation import (
    check_course,
    check_employer,
    check_seats,
    check_vacancy,
    locate_in_district,
)
from leye_yiyang.editing.checks import check_phone
from leye_yiyang.models import Employer, Facility, Occupation, TrainingCourse, Vacancy
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import jobrows
from leye_yiyang.transfer.jobcolumns import RECORD_STATUS_LABELS
from leye_yiyang.transfer.rows import Geocode, Located, RowError, RowInput, locate, text
from leye_yiyang.values import Workplace
from leye_yiyang.vocab import KIND_LABELS, FacilityKind, RecordStatus

# Who may run a course: the job-service facilities human resources keeps (the demo's service
# stations run courses as well as its training schools).
TRAINERS = frozenset(k.value for k in FACILITY_KINDS[Role.HRSS])
MODELS: dict[RecordType, type[Any]] = {
    RecordType.EMPLOYER: Employer,
    RecordType.VACANCY: Vacancy,
    RecordType.COURSE: TrainingCourse,
}
# Every stored field a sheet fills (the place counters held by referrals are not a sheet's).
FIELDS: dict[RecordType, tuple[str, ...]] = {
    RecordType.EMPLOYER: (
        *("uscc", "name", "industry", "size", "area_code", "workplaces", "phone", "status"),
        "verified_at",
    ),
    RecordType.VACANCY: (
        *("ref", "employer_id", "title", "occupation_code", "skills", "education"),
        *("experience_years", "wage_min", "wage_max", "shifts", "part_time", "headcount"),
        *("status", "posted_on", "expires_on", "address", "lon", "lat", "area_code"),
        *("requirements", "description", "verified_at"),
    ),
    RecordType.COURSE: (
        *("ref", "provider_id", "title", "occupation_code", "skills_taught", "starts_on"),
        *("ends_on", "sessions", "hours_total", "subsidised", "fee_cny", "seats"),
        *("seats_taken", "status", "verified_at"),
    ),
}


class Env(msgspec.Struct, kw_only=True):
    """What the rows are checked against: the areas, the datum, the geocoder, and the records
    the sheet refers to (fetched once for the whole sheet)."""

    locator: AreaLocator
    datum: Datum
    geocode: Geocode
    occupations: jobrows.Occupations
    employers: dict[str, Employer] = {}  # by upper-case credit code
    uscc_of: dict[int, str] = {}  # employer id → credit code
    providers: dict[str, tuple[int, str]] = {}  # facility ref → (id, kind)
    ref_of: dict[int, str] = {}  # facility id → ref


def key_of(kind: RecordType, row: RowInput) -> str:
    value = text(row.cells.get("uscc" if kind is RecordType.EMPLOYER else "ref"))
    return value.upper() if kind is RecordType.EMPLOYER else value


def existing(session: Session, kind: RecordType, keys: list[str]) -> dict[str, Any]:
    model = MODELS[kind]
    column = model.uscc if kind is RecordType.EMPLOYER else model.ref
    found: dict[str, Any] = {}
    for start in range(0, len(keys), 500):
        for row in session.scalars(select(model).where(column.in_(keys[start : start + 500]))):
            found[
                str(getattr(row, column.key)).upper() if kind is RecordType.EMPLOYER else row.ref
            ] = row
    return found


def environment(
    session: Session, kind: RecordType, rows: Iterable[RowInput], targets: Iterable[Any], **kw: Any
) -> Env:
    occupations = session.scalars(select(Occupation)).all()  # also fills the identity map
    env = Env(
        occupations=jobrows.Occupations.of((o.code, o.name, list(o.synonyms)) for o in occupations),
        **kw,
    )
    rows, targets = list(rows), list(targets)
    if kind is RecordType.VACANCY:
        codes = {text(r.cells.get("employer_uscc")).upper() for r in rows}
        ids = {t.employer_id for t in targets}
        firms = select(Employer).where(Employer.uscc.in_(codes - {""}) | Employer.id.in_(ids))
        for e in session.scalars(firms):
            env.employers[e.uscc.upper()], env.uscc_of[e.id] = e, e.uscc.upper()
    if kind is RecordType.COURSE:
        refs = {text(r.cells.get("provider_ref")) for r in rows} - {""}
        ids = {t.provider_id for t in targets}
        query = select(Facility.id, Facility.ref, Facility.kind).where(
            Facility.ref.in_(refs) | Facility.id.in_(ids)
        )
        for fid, ref, fkind in session.execute(query):
            ref = ref or f"id:{fid}"
            env.providers[ref], env.ref_of[fid] = (fid, fkind), ref
    return env


def _base(kind: RecordType, target: Any, env: Env) -> dict[str, Any]:
    """A stored record in its input type's terms, for the columns a sheet leaves out."""
    if target is None:
        return {}
    values = {f: jobrows.to_plain(getattr(target, f)) for f in FIELDS[kind]}
    for f in ("status", "verified_at", "area_code", "address", "lon", "lat", "employer_id"):
        values.pop(f, None)
    if kind is RecordType.VACANCY:
        values["employer_uscc"] = env.uscc_of[target.employer_id]
        values["status"] = target.status
    if kind is RecordType.COURSE:
        values["provider_ref"] = env.ref_of[values.pop("provider_id")]
    return values


def _extras(row: RowInput, new: Any, target: Any, statuses: bool) -> None:
    """Fields the input types do not carry: a status (employers, courses) and `verified_at`."""
    c = row.cells
    if statuses:
        new.status = target.status if target is not None else RecordStatus.ACTIVE.value
        if "status" in c:
            new.status = (
                jobrows.choice("status", c["status"], RecordStatus, RECORD_STATUS_LABELS, "状态")
                if text(c["status"])
                else RecordStatus.ACTIVE
            ).value
    new.verified_at = target.verified_at if target is not None else None
    if "verified_at" in c:
        when = jobrows.moment("verified_at", c["verified_at"])
        new.verified_at = dt.datetime.fromisoformat(when) if when else None


def _area(row: RowInput, computed: str) -> str:
    given = text(row.cells.get("area_code"))
    if given and given != computed:
        raise RowError(
            "area_code",
            "area_mismatch",
            f"坐标位于 {computed}，与填写的区域 {given} 不符",
            f"The point lies in area {computed}, not in the given area {given}",
        )
    return computed


def build(
    session: Session, kind: RecordType, row: RowInput, target: Any, env: Env
) -> tuple[Any, Located | None]:
    """The record the row makes (a transient object), and where its address placed it."""
    base = _base(kind, target, env)
    if kind is RecordType.EMPLOYER:
        firm = jobrows.employer_in(row, base, env.datum, env.geocode)
        area = _area(row, check_employer(firm, env.locator, "row"))
        check_phone(firm.phone, "row.phone")
        firm_row = Employer(
            uscc=firm.uscc, name=firm.name, industry=firm.industry, phone=firm.phone
        )
        firm_row.size, firm_row.area_code = firm.size.value, area
        firm_row.workplaces = msgspec.to_builtins(firm.workplaces)
        _extras(row, firm_row, target, statuses=True)
        return firm_row, _geocoded(row, env)
    occupation = jobrows.occupation_of(row, env.occupations)
    if kind is RecordType.COURSE:
        course = jobrows.course_in(row, base, occupation)
        providers = {r: fid for r, (fid, k) in env.providers.items() if k in TRAINERS}
        if course.provider_ref in env.providers and course.provider_ref not in providers:
            kinds = "、".join(KIND_LABELS[FacilityKind(k)] for k in sorted(TRAINERS))
            raise RowError(
                "provider_ref",
                "provider_wrong_kind",
                f"编号 {course.provider_ref} 的机构不能开设培训课程（须为{kinds}）",
                f"Facility {course.provider_ref} is not a job-service facility that trains "
                f"({', '.join(sorted(TRAINERS))})",
            )
        provider_id = check_course(session, course, providers, "row")
        check_seats(course, "row.seats_taken")
        new = TrainingCourse(ref=course.ref)
        apply_course(new, course, provider_id)
        _extras(row, new, target, statuses=True)
        return new, None
    return _vacancy(session, row, base, occupation, target, env)


def _vacancy(
    session: Session,
    row: RowInput,
    base: dict[str, Any],
    occupation: str | None,
    target: Any,
    env: Env,
) -> tuple[Any, Located | None]:
    rec = jobrows.vacancy_in(row, base, occupation)
    employer, place, area = check_vacancy(session, rec, env.employers, env.locator, "row")
    c = row.cells
    address = text(c.get("address"))
    own = [Workplace(**w) for w in employer.workplaces if w["address"] == address]
    where = None
    if text(c.get("lon")) or text(c.get("lat")) or (address and not own):
        where = locate(row, env.datum, env.geocode)
        assert where is not None
        place = Workplace(name="", address=address or place.address, lon=where.lon, lat=where.lat)
        area = locate_in_district(env.locator, LonLat(where.lon, where.lat), "row.lon")
    elif own:
        place = own[0]
        area = locate_in_district(env.locator, LonLat(place.lon, place.lat), "row.address")
    elif target is not None and target.employer_id == employer.id:
        place = Workplace(name="", address=target.address, lon=target.lon, lat=target.lat)
        area = target.area_code
    new = Vacancy(ref=rec.ref)
    apply_vacancy(new, rec, employer, place, _area(row, area))
    _extras(row, new, target, statuses=False)
    return new, where if where is not None and where.matched else None


def _geocoded(row: RowInput, env: Env) -> Located | None:
    c = row.cells
    if text(c.get("address")) and not (text(c.get("lon")) or text(c.get("lat"))):
        return locate(row, env.datum, env.geocode)
    return None


def values(kind: RecordType, obj: Any) -> dict[str, Any]:
    return {f: jobrows.to_plain(getattr(obj, f)) for f in FIELDS[kind]}


def copy(kind: RecordType, source: Any, target: Any) -> None:
    for f in FIELDS[kind]:
        setattr(target, f, getattr(source, f))
