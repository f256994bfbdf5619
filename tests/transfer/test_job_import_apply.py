"""Job-side sheets keep the facility sheets' guarantees: a dry run changes nothing, an apply is
all or nothing, a re-import updates by key with a history row and leaves unchanged rows alone,
and only human resources and the district administrator may import them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.accounts.policy import Role
from leye_yiyang.app import create_app
from leye_yiyang.cli import main
from leye_yiyang.db import Database
from leye_yiyang.settings import Settings
from tests.conftest import GEO
from tests.transfer.conftest import SAMPLES, loaded_database, make_token, post_import

Client = TestClient[Litestar]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return loaded_database(tmp_path_factory.mktemp("jobapply") / "jobs.db")


@pytest.fixture(scope="module")
def tokens(url: str) -> dict[str, str]:
    found = {r.value: make_token(url, r) for r in (Role.HRSS, Role.DISTRICT_ADMIN, Role.HEALTH)}
    found["social_worker"] = make_token(url, Role.SOCIAL_WORKER, organisation="亭湖区社工站")
    return found


@pytest.fixture(scope="module")
def hr(url: str, tokens: dict[str, str]) -> Iterator[Client]:
    settings = Settings(database_url=url, geo_dir=str(GEO), index_refresh_seconds=0.2)
    with TestClient(create_app(settings)) as client:
        client.headers["authorization"] = f"Bearer {tokens['hrss']}"
        yield client


def _sheet(client: Client, kind: str, refs: set[str], **edits: Any) -> bytes:
    """The export of `kind`, only the rows keyed by `refs`, with the cells in `edits` changed."""
    text = client.get("/v1/exports", params={"kind": kind, "format": "csv"}).text.lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    kept = [r for r in rows if r[0] in refs]
    for r in kept:
        for column, value in edits.items():
            r[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out).writerows([header, *kept])
    return out.getvalue().encode()


def _vacancy(client: Client, ref: str) -> dict[str, Any]:
    for offset in range(0, 1000, 200):
        page = client.get("/v1/vacancies", params={"limit": 200, "offset": offset}).json()
        found = [v for v in page["items"] if v["ref"] == ref]
        if found:
            return dict(found[0])
    raise AssertionError(f"no vacancy {ref}")


def test_a_dry_run_changes_nothing(hr: Client, url: str) -> None:
    version = Database(url).directory_version()
    sheet = _sheet(hr, "vacancy", {"vac-0002"}, 最低工资="3000")
    body = post_import(hr, "v.csv", sheet, kind="vacancy").json()
    assert (body["summary"]["update"], Database(url).directory_version()) == (1, version)


def test_a_re_import_updates_by_ref_and_names_the_field(hr: Client) -> None:
    sheet = _sheet(hr, "vacancy", {"vac-0003"}, 最低工资="3100")
    body = post_import(hr, "v.csv", sheet, kind="vacancy", dry_run=False).json()
    assert body["rows"] == [
        {"row": 2, "ref": "vac-0003", "outcome": "update", "changed": ["wage_min"]}
    ]


def test_an_update_has_a_history_row_with_channel_and_account(hr: Client) -> None:
    post_import(
        hr,
        "v.csv",
        _sheet(hr, "vacancy", {"vac-0004"}, 最低工资="3200"),
        kind="vacancy",
        dry_run=False,
    )
    vacancy = _vacancy(hr, "vac-0004")
    (change,) = hr.get(f"/v1/vacancies/{vacancy['id']}/history").json()["items"]
    me = hr.get("/v1/me").json()
    assert (change["channel"], change["account_id"], change["fields"]["wage_min"][1]) == (
        "import",
        me["account_id"],
        3200,
    )


def test_an_unchanged_row_gets_no_history_and_no_version_bump(hr: Client) -> None:
    before = _vacancy(hr, "vac-0005")
    sheet = _sheet(hr, "vacancy", {"vac-0005"})
    body = post_import(hr, "v.csv", sheet, kind="vacancy", dry_run=False).json()
    history = hr.get(f"/v1/vacancies/{before['id']}/history").json()
    assert (
        body["summary"]["unchanged"],
        history["total"],
        _vacancy(hr, "vac-0005")["version"],
    ) == (
        1,
        0,
        before["version"],
    )


def test_an_apply_bumps_the_directory_version(hr: Client, url: str) -> None:
    version = Database(url).directory_version()
    sheet = _sheet(hr, "course", {"course-002"}, 名额="41")
    body = post_import(hr, "c.csv", sheet, kind="course", dry_run=False).json()
    assert body["directory_version"] == Database(url).directory_version() == version + 1


def test_an_apply_with_a_rejected_row_imports_nothing(hr: Client, url: str) -> None:
    version = Database(url).directory_version()
    ok = _sheet(hr, "employer", {"91320902MATKK07KTF"}, 电话="0515-88886666").decode()
    bad = ok + ok.splitlines()[1].replace("0515-88886666", "0515-1") + "\n"
    response = post_import(hr, "e.csv", bad.encode(), kind="employer", dry_run=False)
    assert (response.status_code, response.json()["code"], Database(url).directory_version()) == (
        422,
        "import_rejected",
        version,
    )


def test_a_sheet_without_a_required_column_is_a_422_problem(hr: Client) -> None:
    sheet = "编号,岗位名称\nx-1,保洁员\n".encode()
    response = post_import(hr, "v.csv", sheet, kind="vacancy")
    assert (response.status_code, response.json()["code"]) == (422, "missing_columns")


def test_an_unknown_header_is_a_warning(hr: Client) -> None:
    sheet = _sheet(hr, "course", {"course-003"}).decode().replace("状态", "状态X", 1)
    body = post_import(hr, "c.csv", sheet.encode(), kind="course").json()
    assert [(i["code"], i["severity"], i["column"]) for i in body["issues"]] == [
        ("unknown_column", "warning", "状态X")
    ]


def test_another_department_sees_job_rows_as_row_errors(hr: Client, tokens: dict[str, str]) -> None:
    sheet = _sheet(hr, "vacancy", {"vac-0006", "vac-0007"})
    body = post_import(hr, "v.csv", sheet, kind="vacancy", token=tokens["health"]).json()
    assert [(i["row"], i["code"]) for i in body["issues"]] == [
        (2, "not_your_department"),
        (3, "not_your_department"),
    ]


def test_the_district_administrator_may_import_job_rows(hr: Client, tokens: dict[str, str]) -> None:
    sheet = _sheet(hr, "employer", {"91320902MATKK07KTF"})
    body = post_import(hr, "e.csv", sheet, kind="employer", token=tokens["district_admin"]).json()
    assert body["summary"]["unchanged"] == 1


def test_a_social_worker_may_not_import_job_sheets(hr: Client, tokens: dict[str, str]) -> None:
    sheet = _sheet(hr, "employer", {"91320902MATKK07KTF"})
    response = post_import(hr, "e.csv", sheet, kind="employer", token=tokens["social_worker"])
    assert (response.status_code, response.json()["code"]) == (403, "role_not_allowed")


@pytest.mark.parametrize("kind", ["employer", "vacancy", "course"])
def test_a_geojson_export_places_every_record(hr: Client, kind: str) -> None:
    body = msgspec.json.decode(
        hr.get("/v1/exports", params={"kind": kind, "format": "geojson"}).content
    )
    points = [f["geometry"]["coordinates"] for f in body["features"]]
    assert len(points) >= 40 and all(119 < lon < 121 and 33 < lat < 34 for lon, lat in points)


def test_the_cli_imports_a_job_sheet_with_channel_cli(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEYE_DATABASE_URL", url)
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    sheet = tmp_path / "courses.xlsx"
    sheet.write_bytes((SAMPLES / "hrss-courses.xlsx").read_bytes())
    code = main(["import", str(sheet), "--kind", "course", "--dry-run"])
    out = capsys.readouterr().out
    assert (code, "create 5, update 0, unchanged 0, reject 3" in out) == (1, True)
