"""Text search (`q=`) matches the characters typed: `%` and `_` are characters, not wildcards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.db import Database
from leye_yiyang.directory import service
from leye_yiyang.models import Area, Employer, Facility, Occupation
from leye_yiyang.models import Vacancy as VacancyRow

Client = TestClient[Litestar]

# Names that really hold the characters, beside one that would match them only as wildcards.
LITERAL = {"%": "乐龄100%助餐点", "_": "颐养_测试站", "/": "日间照料/助餐中心"}
DECOY = "亭湖示范助餐点"


@pytest.mark.parametrize("path", ["/v1/facilities", "/v1/employers", "/v1/vacancies"])
@pytest.mark.parametrize("typed", ["%", "_", "%%", "_%_"])
def test_a_wildcard_character_typed_in_the_demo_directory_matches_nothing(
    client: Client, path: str, typed: str
) -> None:
    # No demo name or address holds these characters; as wildcards they matched every record.
    everything = client.get(path, params={"limit": 1}).json()
    assert everything["total"] > 0
    found = client.get(path, params={"q": typed, "limit": 1}).json()
    assert found["total"] == 0


@pytest.fixture
def session_with_literals(db: Database) -> Iterator[Session]:
    """The shared database plus a facility, an employer and a vacancy named with each character,
    in one transaction that is rolled back afterwards."""
    with db.sessions() as session:
        area = session.scalars(select(Area).where(Area.level == "community")).first()
        occupation = session.scalars(select(Occupation)).first()
        assert area is not None and occupation is not None
        for i, name in enumerate([*LITERAL.values(), DECOY]):
            common: dict[str, Any] = {
                "lon": area.centroid_lon,
                "lat": area.centroid_lat,
                "area_code": area.code,
            }
            session.add(Facility(kind="meal_hall", name=name, address="亭湖区", **common))
            employer = Employer(
                uscc=f"9132090200000000{i:02d}",
                name=name,
                industry="餐饮",
                size="small",
                area_code=area.code,
            )
            session.add(employer)
            session.flush()
            session.add(
                VacancyRow(
                    employer_id=employer.id,
                    title=name,
                    occupation_code=occupation.code,
                    wage_min=3000,
                    wage_max=4000,
                    posted_on=dt.date(2026, 1, 1),
                    address="亭湖区",
                    **common,
                )
            )
        session.flush()
        try:
            yield session
        finally:
            session.rollback()


def names_found(session: Session, typed: str) -> dict[str, list[str]]:
    facilities, _ = service.list_facilities(session, service.FacilityFilter(q=typed), 200, 0)
    employers, _ = service.list_employers(session, typed, None, 200, 0)
    vacancies, _ = service.list_vacancies(session, service.VacancyFilter(q=typed), 200, 0)
    return {
        "facilities": sorted(f.name for f in facilities),
        "employers": sorted(e.name for e in employers),
        "vacancies": sorted(v.title for v in vacancies),
    }


@pytest.mark.parametrize("typed", sorted(LITERAL))
def test_a_special_character_matches_only_the_names_that_hold_it(
    session_with_literals: Session, typed: str
) -> None:
    expected = [LITERAL[typed]]
    assert names_found(session_with_literals, typed) == {
        "facilities": expected,
        "employers": expected,
        "vacancies": expected,
    }


def test_an_underscore_between_two_characters_does_not_stand_for_a_third(
    session_with_literals: Session,
) -> None:
    assert DECOY in names_found(session_with_literals, "示范助餐")["facilities"]
    # As a pattern "示范_餐" matched "示范助餐"; typed, it names no facility at all.
    assert names_found(session_with_literals, "示范_餐")["facilities"] == []
