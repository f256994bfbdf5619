"""Human resources' job-side sheets (employers, vacancies, training courses) import, template and
export like facility sheets: export → import changes nothing, the template's example passes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook

from leye_yiyang.accounts.policy import RecordType, Role
from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings
from leye_yiyang.transfer.jobcolumns import CATALOGUES
from tests.conftest import GEO
from tests.transfer.conftest import loaded_database, make_token, post_import

Client = TestClient[Litestar]
KINDS = {
    "employer": RecordType.EMPLOYER,
    "vacancy": RecordType.VACANCY,
    "course": RecordType.COURSE,
}
ROWS = {"employer": 200, "vacancy": 600, "course": 40}


@pytest.fixture(scope="module")
def hr_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A database of this module's own: the whole demo job side (600 vacancies) in one sheet."""
    url = loaded_database(tmp_path_factory.mktemp("jobsheets") / "jobs.db")
    return Settings(
        database_url=url, geo_dir=str(GEO), index_refresh_seconds=0.2, import_max_rows=2000
    )


@pytest.fixture(scope="module")
def hr_tokens(hr_settings: Settings) -> dict[str, str]:
    roles = (Role.HRSS, Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS)
    found = {r.value: make_token(hr_settings.database_url, r) for r in roles}
    found["social_worker"] = make_token(
        hr_settings.database_url, Role.SOCIAL_WORKER, organisation="亭湖区社工站"
    )
    return found


@pytest.fixture(scope="module")
def hr(hr_settings: Settings, hr_tokens: dict[str, str]) -> Iterator[Client]:
    """A client on this module's database, as human resources (人社) unless told otherwise."""
    with TestClient(create_app(hr_settings)) as client:
        client.headers["authorization"] = f"Bearer {hr_tokens['hrss']}"
        yield client


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_export_then_import_dry_run_reports_nothing_to_change(
    hr: Client, kind: str, fmt: str
) -> None:
    exported = hr.get("/v1/exports", params={"kind": kind, "format": fmt})
    assert exported.status_code == 200
    body = post_import(hr, f"export.{fmt}", exported.content, kind=kind).json()
    assert body["summary"] == {
        "rows": ROWS[kind],
        "create": 0,
        "update": 0,
        "unchanged": ROWS[kind],
        "reject": 0,
    }, list(body["issues"])[:5]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_template_has_the_kinds_headers_and_notes(client: Client, kind: str) -> None:
    response = client.get("/v1/imports/template", params={"kind": kind})
    book = load_workbook(io.BytesIO(response.content))
    cat = CATALOGUES[KINDS[kind]]
    assert book.sheetnames == [cat.sheet, "说明"]
    rows = list(book[cat.sheet].iter_rows(values_only=True))
    notes = {r[0]: r[3] for r in book["说明"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert (list(rows[0]), len(rows), all(notes.get(c.zh) for c in cat.columns)) == (
        [c.zh for c in cat.columns],
        2,
        True,
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_template_example_row_passes_a_dry_run(hr: Client, kind: str) -> None:
    template = hr.get("/v1/imports/template", params={"kind": kind}).content
    body = post_import(hr, "t.xlsx", template, kind=kind).json()
    assert body["summary"] == {"rows": 1, "create": 1, "update": 0, "unchanged": 0, "reject": 0}, (
        body["issues"]
    )
