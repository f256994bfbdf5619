"""Reading the directory. Framework-free: takes a Session, returns edge Structs, raises domain
errors."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from leye_yiyang.directory import schemas as s
from leye_yiyang.directory.bbox import BBox
from leye_yiyang.errors import NotFound
from leye_yiyang.geojson import Feature, FeatureCollection, geometry_from_mapping, mapping_in
from leye_yiyang.models import Area, Employer, Facility, Occupation, TrainingCourse, Vacancy
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.values import (
    Eligibility,
    OpeningHours,
    Price,
    ServiceOffer,
    Shift,
    Workplace,
)
from leye_yiyang.vocab import (
    KIND_LABELS,
    Accessibility,
    AreaLevel,
    EmployerSize,
    FacilityKind,
    FacilityStatus,
    RecordStatus,
    VacancyStatus,
)


class FacilityFilter(msgspec.Struct, frozen=True, kw_only=True):
    kind: FacilityKind | None = None
    area_code: str | None = None
    status: FacilityStatus | None = None
    q: str | None = None
    bbox: BBox | None = None  # WGS-84


class VacancyFilter(msgspec.Struct, frozen=True, kw_only=True):
    occupation_code: str | None = None
    wage_at_least: int | None = None
    area_code: str | None = None
    open_only: bool = True
    q: str | None = None


def record_etag(record_type: str, record_id: int, version: int) -> str:
    """A strong validator (RFC 9110 §8.8.3): the version changes with every write of the record."""
    return f'"{record_type}-{record_id}-v{version}"'


def _area_summary(a: Area, datum: Datum = Datum.WGS84) -> s.AreaSummary:
    centroid = for_client(LonLat(a.centroid_lon, a.centroid_lat), datum)
    return s.AreaSummary(
        code=a.code,
        name=a.name,
        level=AreaLevel(a.level),
        parent_code=a.parent_code,
        population=a.population,
        population_60_plus=a.population_60_plus,
        population_0_3=a.population_0_3,
        centroid=(centroid.lon, centroid.lat),
        modelled=a.modelled,
    )


def list_areas(
    session: Session,
    level: AreaLevel | None = None,
    parent: str | None = None,
    datum: Datum = Datum.WGS84,
) -> list[s.AreaSummary]:
    stmt = select(Area).order_by(Area.code)
    if level is not None:
        stmt = stmt.where(Area.level == level.value)
    if parent is not None:
        stmt = stmt.where(Area.parent_code == parent)
    return [_area_summary(a, datum) for a in session.scalars(stmt)]


def area_features(
    session: Session,
    level: AreaLevel | None = None,
    parent: str | None = None,
    datum: Datum = Datum.WGS84,
) -> FeatureCollection:
    """The areas' boundaries in one answer, for a map to draw a whole level at once."""
    stmt = select(Area).order_by(Area.code)
    if level is not None:
        stmt = stmt.where(Area.level == level.value)
    if parent is not None:
        stmt = stmt.where(Area.parent_code == parent)
    features = []
    for a in session.scalars(stmt):
        summary = msgspec.to_builtins(_area_summary(a, datum))
        # Stored geometries are WGS-84 GeoJSON already: only another datum needs the redraw.
        if datum is Datum.WGS84:
            geometry = geometry_from_mapping(a.geometry)
        else:
            geometry = mapping_in(a.geometry, datum)
        features.append(Feature(id=a.code, geometry=geometry, properties=summary))
    return FeatureCollection(features=features)


def get_area(session: Session, code: str, datum: Datum = Datum.WGS84) -> s.AreaDetail:
    area = session.get(Area, code)
    if area is None:
        raise NotFound(
            f"没有编码为 {code} 的区域", f"No area with code {code}", code="area_not_found"
        )
    children = session.scalars(
        select(Area.code).where(Area.parent_code == code).order_by(Area.code)
    )
    summary = _area_summary(area, datum)
    geometry = (
        area.geometry
        if datum is Datum.WGS84
        else msgspec.to_builtins(mapping_in(area.geometry, datum))
    )
    return s.AreaDetail(
        **msgspec.structs.asdict(summary), children=list(children), geometry=geometry
    )


def area_and_descendants(session: Session, code: str) -> list[str]:
    """The area's own code and every code below it; unknown codes are a 404, not an empty list."""
    if session.get(Area, code) is None:
        raise NotFound(
            f"没有编码为 {code} 的区域",
            f"No area with code {code}",
            code="area_not_found",
            field="area",
        )
    found, frontier = [code], [code]
    while frontier:
        frontier = list(session.scalars(select(Area.code).where(Area.parent_code.in_(frontier))))
        found.extend(frontier)
    return found


def _page(
    session: Session, stmt: Select[*tuple[Any, ...]], limit: int, offset: int
) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.execute(stmt.limit(limit).offset(offset)))
    return rows, int(total)


def facility_out(f: Facility, area_name: str, datum: Datum = Datum.WGS84) -> s.FacilityOut:
    point = for_client(LonLat(f.lon, f.lat), datum)
    return s.FacilityOut(
        id=f.id,
        ref=f.ref,
        kind=FacilityKind(f.kind),
        kind_label=KIND_LABELS[FacilityKind(f.kind)],
        name=f.name,
        address=f.address,
        lon=point.lon,
        lat=point.lat,
        crs=datum.value,
        area_code=f.area_code,
        area_name=area_name,
        operator=f.operator,
        phone=f.phone,
        services=msgspec.convert(f.services, list[ServiceOffer]),
        capacity=f.capacity,
        places_taken=f.places_taken,
        places_free=max(0, f.capacity - f.places_taken - f.places_held),
        opening_hours=msgspec.convert(f.opening_hours, OpeningHours),
        eligibility=msgspec.convert(f.eligibility, Eligibility),
        prices=msgspec.convert(f.prices, list[Price]),
        accessibility=msgspec.convert(f.accessibility, list[Accessibility]),
        description=f.description,
        verified_at=f.verified_at,
        status=FacilityStatus(f.status),
        version=f.version,
    )


def list_facilities(
    session: Session, flt: FacilityFilter, limit: int, offset: int, datum: Datum = Datum.WGS84
) -> tuple[list[s.FacilityOut], int]:
    stmt = _facility_filter(
        session, select(Facility, Area.name).join(Area, Area.code == Facility.area_code), flt
    )
    rows, total = _page(session, stmt.order_by(Facility.id), limit, offset)
    return [facility_out(f, area_name, datum) for f, area_name in rows], total


def facility_points(
    session: Session, flt: FacilityFilter, limit: int, offset: int, datum: Datum = Datum.WGS84
) -> s.FacilityPoints:
    """The compact page a map draws: one short row per facility, no detail."""
    columns = (
        Facility.id,
        Facility.kind,
        Facility.lon,
        Facility.lat,
        Facility.name,
        Facility.status,
    )
    stmt = _facility_filter(session, select(*columns), flt)
    rows, total = _page(session, stmt.order_by(Facility.id), limit, offset)
    items = []
    for ident, kind, lon, lat, name, status in rows:
        point = for_client(LonLat(lon, lat), datum)
        items.append((ident, kind, point.lon, point.lat, name, status))
    return s.FacilityPoints(total=total, limit=limit, offset=offset, crs=datum.value, items=items)


def _facility_filter(
    session: Session, stmt: Select[*tuple[Any, ...]], flt: FacilityFilter
) -> Select[*tuple[Any, ...]]:
    if flt.kind is not None:
        stmt = stmt.where(Facility.kind == flt.kind.value)
    if flt.status is not None:
        stmt = stmt.where(Facility.status == flt.status.value)
    if flt.area_code is not None:
        stmt = stmt.where(Facility.area_code.in_(area_and_descendants(session, flt.area_code)))
    if flt.q:
        q = flt.q.strip()
        stmt = stmt.where(
            or_(
                Facility.name.contains(q, autoescape=True),
                Facility.address.contains(q, autoescape=True),
            )
        )
    if (box := flt.bbox) is not None:
        stmt = stmt.where(
            Facility.lon.between(box.min_lon, box.max_lon),
            Facility.lat.between(box.min_lat, box.max_lat),
        )
    return stmt


def get_facility(session: Session, facility_id: int, datum: Datum = Datum.WGS84) -> s.FacilityOut:
    row = session.execute(
        select(Facility, Area.name)
        .join(Area, Area.code == Facility.area_code)
        .where(Facility.id == facility_id)
    ).first()
    if row is None:
        raise NotFound(
            f"没有编号为 {facility_id} 的服务设施",
            f"No facility with id {facility_id}",
            code="facility_not_found",
        )
    return facility_out(row[0], row[1], datum)


def list_employers(
    session: Session,
    q: str | None,
    area_code: str | None,
    limit: int,
    offset: int,
    datum: Datum = Datum.WGS84,
) -> tuple[list[s.EmployerOut], int]:
    open_count = (
        select(func.count(Vacancy.id))
        .where(Vacancy.employer_id == Employer.id, Vacancy.status == VacancyStatus.OPEN.value)
        .scalar_subquery()
    )
    stmt = select(Employer, open_count)
    if q:
        stmt = stmt.where(Employer.name.contains(q.strip(), autoescape=True))
    if area_code is not None:
        stmt = stmt.where(Employer.area_code.in_(area_and_descendants(session, area_code)))
    rows, total = _page(session, stmt.order_by(Employer.id), limit, offset)
    return [employer_out(e, int(n or 0), datum) for e, n in rows], total


def employer_out(e: Employer, open_vacancies: int, datum: Datum = Datum.WGS84) -> s.EmployerOut:
    return s.EmployerOut(
        id=e.id,
        uscc=e.uscc,
        name=e.name,
        industry=e.industry,
        size=EmployerSize(e.size),
        area_code=e.area_code,
        workplaces=[
            _workplace_in(w, datum) for w in msgspec.convert(e.workplaces, list[Workplace])
        ],
        open_vacancies=open_vacancies,
        phone=e.phone,
        status=RecordStatus(e.status),
        verified_at=e.verified_at,
        version=e.version,
    )


def _workplace_in(w: Workplace, datum: Datum) -> Workplace:
    if datum is Datum.WGS84:
        return w
    p = for_client(LonLat(w.lon, w.lat), datum)
    return msgspec.structs.replace(w, lon=p.lon, lat=p.lat)


def list_vacancies(
    session: Session, flt: VacancyFilter, limit: int, offset: int, datum: Datum = Datum.WGS84
) -> tuple[list[s.VacancyOut], int]:
    stmt = (
        select(Vacancy, Employer.name, Occupation.name)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(Occupation, Occupation.code == Vacancy.occupation_code)
    )
    if flt.open_only:
        stmt = stmt.where(Vacancy.status == VacancyStatus.OPEN.value)
    if flt.occupation_code:
        # A major or minor group ("4-10") selects every occupation below it.
        stmt = stmt.where(
            or_(
                Vacancy.occupation_code == flt.occupation_code,
                Vacancy.occupation_code.like(flt.occupation_code + "-%"),
            )
        )
    if flt.wage_at_least is not None:
        stmt = stmt.where(Vacancy.wage_max >= flt.wage_at_least)
    if flt.area_code is not None:
        stmt = stmt.where(Vacancy.area_code.in_(area_and_descendants(session, flt.area_code)))
    if flt.q:
        stmt = stmt.where(Vacancy.title.contains(flt.q.strip(), autoescape=True))
    rows, total = _page(session, stmt.order_by(Vacancy.id), limit, offset)
    return [vacancy_out(v, en, on, datum) for v, en, on in rows], total


def vacancy_out(v: Vacancy, employer: str, occupation: str, datum: Datum) -> s.VacancyOut:
    point = for_client(LonLat(v.lon, v.lat), datum)
    return s.VacancyOut(
        id=v.id,
        ref=v.ref,
        employer_id=v.employer_id,
        employer_name=employer,
        title=v.title,
        occupation_code=v.occupation_code,
        occupation_name=occupation,
        skills=list(v.skills),
        education=v.education,  # type: ignore[arg-type]
        experience_years=v.experience_years,
        wage_min=v.wage_min,
        wage_max=v.wage_max,
        shifts=msgspec.convert(v.shifts, list[Shift]),
        part_time=v.part_time,
        headcount=v.headcount,
        status=v.status,  # type: ignore[arg-type]
        posted_on=v.posted_on,
        expires_on=v.expires_on,
        address=v.address,
        lon=point.lon,
        lat=point.lat,
        area_code=v.area_code,
        verified_at=v.verified_at,
        version=v.version,
    )


def list_courses(
    session: Session,
    occupation_code: str | None,
    subsidised: bool | None,
    limit: int,
    offset: int,
    datum: Datum = Datum.WGS84,
) -> tuple[list[s.CourseOut], int]:
    stmt = (
        select(TrainingCourse, Facility, Occupation.name)
        .join(Facility, Facility.id == TrainingCourse.provider_id)
        .join(Occupation, Occupation.code == TrainingCourse.occupation_code)
    )
    if occupation_code:
        stmt = stmt.where(TrainingCourse.occupation_code == occupation_code)
    if subsidised is not None:
        stmt = stmt.where(TrainingCourse.subsidised == subsidised)
    rows, total = _page(session, stmt.order_by(TrainingCourse.id), limit, offset)
    return [course_out(c, f, on, datum) for c, f, on in rows], total


def course_out(c: TrainingCourse, provider: Facility, occupation: str, datum: Datum) -> s.CourseOut:
    point = for_client(LonLat(provider.lon, provider.lat), datum)
    return s.CourseOut(
        id=c.id,
        ref=c.ref,
        provider_id=provider.id,
        provider_name=provider.name,
        title=c.title,
        occupation_code=c.occupation_code,
        occupation_name=occupation,
        skills_taught=list(c.skills_taught),
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        sessions=msgspec.convert(c.sessions, list[Shift]),
        hours_total=c.hours_total,
        subsidised=c.subsidised,
        fee_cny=c.fee_cny,
        seats=c.seats,
        seats_free=max(0, c.seats - c.seats_taken - c.seats_held),
        lon=point.lon,
        lat=point.lat,
        status=RecordStatus(c.status),
        verified_at=c.verified_at,
        version=c.version,
    )
