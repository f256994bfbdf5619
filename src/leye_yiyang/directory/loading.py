"""Loading the reference geography and a directory (the demo fixtures or a generated world).

Idempotent: every record has a natural key (area code, ref, USCC, occupation code) and a second
load updates in place. All-or-nothing: the caller's transaction wraps the whole load."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.db import bump_directory_version
from leye_yiyang.directory import schemas as s
from leye_yiyang.directory.validation import (
    check_course,
    check_employer,
    check_facility,
    check_vacancy,
)
from leye_yiyang.models import Area, Employer, Facility, Occupation, TrainingCourse, Vacancy
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.values import Workplace

T = TypeVar("T")
GEO_LAYERS = ("district.geojson", "subdistricts.geojson", "communities.geojson")


class LoadReport(msgspec.Struct, kw_only=True):
    areas: int = 0
    occupations: int = 0
    facilities: int = 0
    employers: int = 0
    vacancies: int = 0
    courses: int = 0


def read_json(path: Path, kind: type[T]) -> T:
    return msgspec.json.decode(path.read_bytes(), type=kind)


def load_areas(session: Session, geo_dir: Path) -> int:
    count = 0
    for layer in GEO_LAYERS:
        collection = msgspec.json.decode((geo_dir / layer).read_bytes())
        for feature in collection["features"]:
            _upsert_area(session, feature)
            count += 1
        session.flush()  # parents before children: layers go top-down
    return count


def _upsert_area(session: Session, feature: dict[str, Any]) -> None:
    props = feature["properties"]
    geom = shape(feature["geometry"])
    centroid = geom.representative_point() if not geom.contains(geom.centroid) else geom.centroid
    area = session.get(Area, props["code"]) or Area(code=props["code"])
    area.name = props["name"]
    area.level = props["level"]
    area.parent_code = props.get("parent_code") if props["level"] != "district" else None
    area.population = int(props["population"])
    area.population_60_plus = props.get("population_60_plus")
    area.population_0_3 = props.get("population_0_3")
    area.modelled = bool(props.get("modelled", True))
    area.centroid_lon = round(float(centroid.x), 6)
    area.centroid_lat = round(float(centroid.y), 6)
    area.geometry = feature["geometry"]
    session.add(area)


def community_locator(session: Session) -> AreaLocator:
    rows = session.execute(
        select(Area.code, Area.geometry).where(Area.level.in_(("community", "village")))
    ).all()
    return AreaLocator([code for code, _ in rows], [shape(g) for _, g in rows])


def load_occupations(session: Session, records: Iterable[s.OccupationIn]) -> int:
    n = 0
    for rec in records:
        occ = session.get(Occupation, rec.code) or Occupation(code=rec.code)
        occ.name, occ.major_group = rec.name, rec.major_group
        occ.synonyms, occ.skills = list(rec.synonyms), list(rec.skills)
        session.add(occ)
        n += 1
    session.flush()
    return n


def apply_facility(session: Session, target: Facility, rec: s.FacilityIn, area_code: str) -> None:
    builtins = msgspec.to_builtins(rec)
    for field in ("kind", "name", "address", "lon", "lat", "operator", "phone", "capacity"):
        setattr(target, field, builtins[field])
    target.ref = rec.ref
    target.area_code = area_code
    target.places_taken = rec.places_taken
    target.services = builtins["services"]
    target.opening_hours = builtins["opening_hours"]
    target.eligibility = builtins["eligibility"]
    target.prices = builtins["prices"]
    target.accessibility = builtins["accessibility"]
    target.description = rec.description
    target.verified_at = rec.verified_at
    target.status = rec.status.value


def load_facilities(
    session: Session, records: Iterable[s.FacilityIn], locator: AreaLocator
) -> dict[str, int]:
    existing = {
        f.ref: f for f in session.scalars(select(Facility).where(Facility.ref.is_not(None)))
    }
    ids: dict[str, int] = {}
    batch: list[Facility] = []
    for index, rec in enumerate(records):
        area_code = check_facility(session, rec, locator, where=f"facilities[{index}]")
        target = existing.get(rec.ref) if rec.ref else None
        if target is None:
            target = Facility()
            session.add(target)
        apply_facility(session, target, rec, area_code)
        batch.append(target)
    session.flush()
    for f in batch:
        if f.ref:
            ids[f.ref] = f.id
    return ids


def load_employers(session: Session, records: Iterable[s.EmployerIn], locator: AreaLocator) -> int:
    existing = {e.uscc: e for e in session.scalars(select(Employer))}
    n = 0
    for index, rec in enumerate(records):
        area_code = check_employer(rec, locator, where=f"employers[{index}]")
        target = existing.get(rec.uscc) or Employer(uscc=rec.uscc)
        target.name, target.industry, target.size = rec.name, rec.industry, rec.size.value
        target.area_code = rec.area_code or area_code
        target.workplaces = msgspec.to_builtins(rec.workplaces)
        target.phone = rec.phone
        session.add(target)
        existing[rec.uscc] = target
        n += 1
    session.flush()
    return n


def apply_vacancy(
    target: Vacancy, rec: s.VacancyIn, employer: Employer, place: Workplace, area_code: str
) -> None:
    builtins = msgspec.to_builtins(rec)
    for field in ("title", "occupation_code", "skills", "education", "experience_years"):
        setattr(target, field, builtins[field])
    for field in ("wage_min", "wage_max", "shifts", "part_time", "headcount", "status"):
        setattr(target, field, builtins[field])
    target.posted_on, target.expires_on = rec.posted_on, rec.expires_on
    target.requirements, target.description = list(rec.requirements), rec.description
    target.employer_id = employer.id
    target.address, target.lon, target.lat = place.address, place.lon, place.lat
    target.area_code = area_code


def apply_course(target: TrainingCourse, rec: s.CourseIn, provider_id: int) -> None:
    builtins = msgspec.to_builtins(rec)
    for field in ("title", "occupation_code", "skills_taught", "sessions", "hours_total"):
        setattr(target, field, builtins[field])
    for field in ("subsidised", "fee_cny", "seats", "seats_taken"):
        setattr(target, field, builtins[field])
    target.starts_on, target.ends_on = rec.starts_on, rec.ends_on
    target.provider_id = provider_id


def load_vacancies(session: Session, records: Iterable[s.VacancyIn], locator: AreaLocator) -> int:
    employers = {e.uscc: e for e in session.scalars(select(Employer))}
    existing = {v.ref: v for v in session.scalars(select(Vacancy).where(Vacancy.ref.is_not(None)))}
    n = 0
    for index, rec in enumerate(records):
        employer, place, area_code = check_vacancy(
            session, rec, employers, locator, where=f"vacancies[{index}]"
        )
        target = (existing.get(rec.ref) if rec.ref else None) or Vacancy(ref=rec.ref)
        apply_vacancy(target, rec, employer, place, area_code)
        session.add(target)
        n += 1
    session.flush()
    return n


def load_courses(session: Session, records: Iterable[s.CourseIn], providers: dict[str, int]) -> int:
    existing = {
        c.ref: c
        for c in session.scalars(select(TrainingCourse).where(TrainingCourse.ref.is_not(None)))
    }
    n = 0
    for index, rec in enumerate(records):
        provider_id = check_course(session, rec, providers, where=f"courses[{index}]")
        target = (existing.get(rec.ref) if rec.ref else None) or TrainingCourse(ref=rec.ref)
        apply_course(target, rec, provider_id)
        session.add(target)
        n += 1
    session.flush()
    return n


def load_directory(session: Session, geo_dir: Path, fixtures_dir: Path) -> LoadReport:
    """Load the geography and the demo directory in the caller's single transaction."""
    report = LoadReport()
    report.areas = load_areas(session, geo_dir)
    locator = community_locator(session)
    report.occupations = load_occupations(
        session, read_json(fixtures_dir / "occupations.json", list[s.OccupationIn])
    )
    facilities = read_json(fixtures_dir / "facilities.json", list[s.FacilityIn])
    providers = load_facilities(session, facilities, locator)
    report.facilities = len(facilities)
    report.employers = load_employers(
        session, read_json(fixtures_dir / "employers.json", list[s.EmployerIn]), locator
    )
    report.vacancies = load_vacancies(
        session, read_json(fixtures_dir / "vacancies.json", list[s.VacancyIn]), locator
    )
    report.courses = load_courses(
        session, read_json(fixtures_dir / "courses.json", list[s.CourseIn]), providers
    )
    bump_directory_version(session)
    return report
