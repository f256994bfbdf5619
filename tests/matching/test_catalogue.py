"""The jobs half of the directory snapshot: open vacancies with a spatial index, courses,
occupations, rebuilt with every new directory version."""

from __future__ import annotations

from sqlalchemy import func, select

from leye_yiyang.db import Database
from leye_yiyang.models import TrainingCourse, Vacancy
from leye_yiyang.snapshot.holder import SnapshotHolder
from leye_yiyang.snapshot.jobs import JobsCatalogue
from leye_yiyang.snapshot.jobs_loading import load_jobs
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import geopy_distance_m


def test_the_catalogue_holds_open_vacancies_courses_and_occupations(db: Database) -> None:
    with db.sessions() as session:
        open_count = session.scalar(select(func.count()).where(Vacancy.status == "open"))
        courses = session.scalar(select(func.count()).select_from(TrainingCourse))
        cat = load_jobs(session, {})
    assert len(cat.vacancies) == open_count and len(cat.index) == open_count
    assert cat.courses == []  # no provider facilities passed in: courses need a provider point
    assert courses
    assert "4-10-01-05" in cat.occupations.resolve("护工").codes


def test_the_snapshot_carries_the_catalogue_and_its_index_is_exact(app: object) -> None:
    holder: SnapshotHolder = app.state["snapshots"]  # type: ignore[attr-defined]
    snap = holder.current
    cat = snap.jobs
    assert cat.courses and all(c.provider_id in snap.facilities for c in cat.courses)
    core = LonLat(120.131, 33.385)
    brute = sorted((geopy_distance_m(core, v.point), i) for i, v in cat.vacancies.items())[:5]
    assert [h.id for h in cat.index.nearest(core, 5)] == [i for _, i in brute]


def test_relevance_finds_vacancies_by_skill_occupation_and_minor_group(app: object) -> None:
    cat: JobsCatalogue = app.state["snapshots"].current.jobs  # type: ignore[attr-defined]
    by_code = cat.relevant([], ["4-10-01-05"])
    assert by_code and all(
        cat.vacancies[i].view.occupation_code.startswith("4-10-01") for i in by_code
    )
    by_skill = cat.relevant(["焊工证"], [])
    assert by_skill and all("焊工证" in cat.vacancies[i].view.skills for i in by_skill)
    assert cat.relevant([], []) == set()


def test_an_empty_catalogue_answers_nothing() -> None:
    empty = JobsCatalogue.empty()
    assert empty.index.nearest(LonLat(120.1, 33.4), 3) == [] and empty.relevant(["x"], []) == set()
