"""Loading the jobs half of a snapshot from the database: open vacancies with their employers,
courses with their providers, and the occupation catalogue."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.models import Employer, Occupation, TrainingCourse, Vacancy
from leye_yiyang.rules.jobs import VacancyView
from leye_yiyang.snapshot.jobs import CourseEntry, JobsCatalogue, MemoCatalogue, VacancyEntry
from leye_yiyang.snapshot.views import FacilityView
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.values import Shift
from leye_yiyang.vocab import Education, VacancyStatus


def _vacancy_entries(session: Session) -> dict[int, VacancyEntry]:
    stmt = (
        select(Vacancy, Employer.name, Occupation.name)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(Occupation, Occupation.code == Vacancy.occupation_code)
        .where(Vacancy.status == VacancyStatus.OPEN.value, Employer.status == "active")
    )
    out: dict[int, VacancyEntry] = {}
    for v, employer, occupation in session.execute(stmt):
        view = VacancyView(
            id=v.id,
            title=v.title,
            occupation_code=v.occupation_code,
            skills=list(v.skills),
            education=Education(v.education),
            experience_years=v.experience_years,
            wage_min=v.wage_min,
            wage_max=v.wage_max,
            shifts=msgspec.convert(v.shifts, list[Shift]),
            part_time=v.part_time,
        )
        out[v.id] = VacancyEntry(
            view=view,
            ref=v.ref,
            employer_id=v.employer_id,
            employer_name=employer,
            occupation_name=occupation,
            point=LonLat(v.lon, v.lat),
            address=v.address,
            area_code=v.area_code,
            headcount=max(0, v.headcount - v.places_filled - v.places_held),
            posted_on=v.posted_on,
            expires_on=v.expires_on,
        )
    return out


def _course_entries(
    session: Session, facilities: Mapping[int, FacilityView], names: Mapping[str, str]
) -> list[CourseEntry]:
    out: list[CourseEntry] = []
    for c in session.scalars(select(TrainingCourse).where(TrainingCourse.status == "active")):
        provider = facilities.get(c.provider_id)
        if provider is None:
            continue
        out.append(
            CourseEntry(
                id=c.id,
                ref=c.ref,
                title=c.title,
                occupation_code=c.occupation_code,
                occupation_name=names.get(c.occupation_code, c.occupation_code),
                skills_taught=tuple(c.skills_taught),
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                sessions=tuple(msgspec.convert(c.sessions, list[Shift])),
                hours_total=c.hours_total,
                subsidised=c.subsidised,
                fee_cny=c.fee_cny,
                seats_free=max(0, c.seats - c.seats_taken - c.seats_held),
                provider_id=provider.id,
                provider_name=provider.name,
                point=provider.point,
            )
        )
    return out


def load_jobs(session: Session, facilities: Mapping[int, FacilityView]) -> JobsCatalogue:
    occupations = list(session.scalars(select(Occupation).order_by(Occupation.code)))
    names = {o.code: o.name for o in occupations}
    return JobsCatalogue(
        _vacancy_entries(session),
        _course_entries(session, facilities, names),
        MemoCatalogue(occupations),
    )
