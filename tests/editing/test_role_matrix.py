"""Every write endpoint × every role (OWASP API1, object-level authorisation): 401 without a
usable token, 403 for a role, department or facility the record is not theirs, success
otherwise. Runs against SQLite, and against PostgreSQL with LEYE_TEST_DATABASE_URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from leye_yiyang.accounts import service, tokens
from leye_yiyang.db import Database
from leye_yiyang.models import Account, Employer, Facility, TrainingCourse, Vacancy
from tests.editing import matrix as m
from tests.editing.conftest import bearer, first_facility


def _nth(db: Database, model: Any, n: int, **where: str) -> int:
    with db.sessions() as session:
        stmt = select(model.id).order_by(model.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        ids = list(session.scalars(stmt.limit(n + 1)))
        return int(ids[n])


@pytest.fixture(scope="module")
def targets(edit_db: Database, tokens: dict[str, str]) -> dict[str, int]:
    with edit_db.sessions() as session:
        account = session.scalar(select(Account.id).where(Account.role == "social_worker"))
        assert account is not None
    spare = _spare_token(edit_db, int(account))
    return {
        "meal": first_facility(edit_db, "meal_hall"),  # provider_staff's own facility
        "other_meal": _nth(edit_db, Facility, 1, kind="meal_hall"),
        "closing_meal": _nth(edit_db, Facility, 2, kind="meal_hall"),
        "childcare": first_facility(edit_db, "childcare"),
        "school": first_facility(edit_db, "training_school"),
        "employer": _nth(edit_db, Employer, 0),
        "closing_employer": _nth(edit_db, Employer, 1),
        "vacancy": _nth(edit_db, Vacancy, 0),
        "closing_vacancy": _nth(edit_db, Vacancy, 1),
        "course": _nth(edit_db, TrainingCourse, 0),
        "account": int(account),
        "spare_token": spare,
    }


def _spare_token(db: Database, account_id: int) -> int:
    with db.transaction() as session:
        row = session.get(Account, account_id)
        assert row is not None
        return tokens.issue(session, row, service.now(), 30)[1].id


def _body(case: m.Case, ids: dict[str, int]) -> dict[str, Any] | None:
    make = case[3]
    if make is None:
        return None
    if make is m.vacancy:
        return m.vacancy(ids["employer"])
    if make is m.course:
        return m.course(ids["school"])
    return make()


def _call(
    api: TestClient[Litestar], case: m.Case, ids: dict[str, int], auth: dict[str, str]
) -> Any:
    _, method, template, _, _, needs_version = case
    path = template.format(**ids)
    headers = dict(auth)
    if needs_version:
        record = (
            path.rsplit("/", 1)[0]
            if path.endswith(("suspend", "reopen", "close", "verify"))
            else path
        )
        headers["If-Match"] = api.get(record).headers["etag"]
    return api.request(method, path, json=_body(case, ids), headers=headers)


@pytest.mark.parametrize("role", m.ROLES)
@pytest.mark.parametrize("case", m.CASES, ids=[c[0] for c in m.CASES])
def test_each_role_may_write_exactly_what_is_theirs(
    api: TestClient[Litestar],
    tokens: dict[str, str],
    targets: dict[str, int],
    case: m.Case,
    role: str,
) -> None:
    response = _call(api, case, targets, bearer(tokens[role]))
    if role in case[4]:
        assert response.status_code in (200, 201), response.text
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def _expired(db: Database) -> str:
    with db.transaction() as session:
        account = session.scalar(select(Account).where(Account.role == "district_admin"))
        assert account is not None
        long_ago = service.now() - dt.timedelta(days=30)
        return tokens.issue(session, account, long_ago, 1)[0]


def _revoked(db: Database) -> str:
    with db.transaction() as session:
        account = session.scalar(select(Account).where(Account.role == "district_admin"))
        assert account is not None
        secret, row = tokens.issue(session, account, service.now(), 30)
        row.revoked_at = service.now()
        return secret


BAD = ("none", "malformed", "unknown", "expired", "revoked", "basic")


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("case", m.CASES, ids=[c[0] for c in m.CASES])
def test_without_a_usable_token_every_write_is_401(
    api: TestClient[Litestar],
    edit_db: Database,
    targets: dict[str, int],
    case: m.Case,
    bad: str,
) -> None:
    auth = {
        "none": {},
        "malformed": {"Authorization": "Bearer not-a-token"},
        "unknown": bearer(tokens.new_secret()),
        "expired": bearer(_expired(edit_db)) if bad == "expired" else {},
        "revoked": bearer(_revoked(edit_db)) if bad == "revoked" else {},
        "basic": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    }[bad]
    response = _call(api, case, targets, auth)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["code"] in (
        "token_missing",
        "token_malformed",
        "token_invalid",
        "token_expired",
    )
