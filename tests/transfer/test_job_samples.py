"""The human-resources sample sheets (fixtures/samples/hrss-*.xlsx): a dry run reports exactly
their deliberate errors; fixed, they apply, and the new vacancy is found by job matching and the
new course in the directory."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from leye_yiyang.accounts.policy import Role
from leye_yiyang.app import create_app
from leye_yiyang.ids import uscc_check_char
from leye_yiyang.settings import Settings
from tests.conftest import GEO
from tests.transfer.conftest import SAMPLES, loaded_database, make_token, post_import

Client = TestClient[Litestar]
ERRORS = {
    "employer": {
        (3, "统一社会信用代码", "invalid_uscc"),
        (6, "规模", "unknown_value"),
        (9, "经度", "point_outside_district"),
        (11, "电话", "invalid_phone"),
    },
    "vacancy": {
        (4, "用人单位信用代码", "employer_not_found"),
        (7, "职业", "occupation_ambiguous"),
        (10, "最低工资", "invalid_range"),
        (12, "要求", "discriminatory_criterion"),
    },
    "course": {
        (3, "培训机构编号", "provider_wrong_kind"),
        (5, "结课日期", "invalid_range"),
        (7, "已报名", "over_capacity"),
    },
}
FILES = {
    "employer": "hrss-employers.xlsx",
    "vacancy": "hrss-vacancies.xlsx",
    "course": "hrss-courses.xlsx",
}


@pytest.fixture(scope="module")
def hr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    url = loaded_database(tmp_path_factory.mktemp("jobsamples") / "samples.db")
    settings = Settings(database_url=url, geo_dir=str(GEO), index_refresh_seconds=0.2)
    with TestClient(create_app(settings)) as client:
        client.headers["authorization"] = f"Bearer {make_token(url, Role.HRSS)}"
        yield client


def _fix_employers(sheet: Worksheet, col: dict[str, int]) -> None:
    code = str(sheet.cell(3, col["统一社会信用代码"]).value)
    sheet.cell(3, col["统一社会信用代码"]).value = code[:17] + uscc_check_char(code[:17])
    sheet.cell(6, col["规模"]).value = "中型"
    sheet.cell(9, col["经度"]).value, sheet.cell(9, col["纬度"]).value = 120.104919, 33.396027
    sheet.cell(11, col["电话"]).value = "0515-88886666"


def _fix_vacancies(sheet: Worksheet, col: dict[str, int]) -> None:
    sheet.cell(4, col["用人单位信用代码"]).value = sheet.cell(3, col["用人单位信用代码"]).value
    sheet.cell(7, col["职业"]).value = "养老护理员"
    sheet.cell(10, col["最低工资"]).value = sheet.cell(10, col["最高工资"]).value
    sheet.cell(12, col["要求"]).value = "持健康证"


def _fix_courses(sheet: Worksheet, col: dict[str, int]) -> None:
    sheet.cell(3, col["培训机构编号"]).value = "school-001"
    sheet.cell(5, col["结课日期"]).value = "2027-06-30"
    sheet.cell(7, col["已报名"]).value = sheet.cell(7, col["名额"]).value


FIXES: dict[str, Callable[[Worksheet, dict[str, int]], None]] = {
    "employer": _fix_employers,
    "vacancy": _fix_vacancies,
    "course": _fix_courses,
}


def _fixed(kind: str) -> bytes:
    book = load_workbook(SAMPLES / FILES[kind])
    sheet = book.active
    assert sheet is not None
    FIXES[kind](sheet, {str(c.value): c.column for c in sheet[1]})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _errors(body: dict[str, Any]) -> set[tuple[int, str, str]]:
    return {(i["row"], i["column"], i["code"]) for i in body["issues"] if i["severity"] == "error"}


@pytest.mark.parametrize("kind", list(FILES))
def test_a_dry_run_of_a_sample_reports_exactly_its_deliberate_errors(hr: Client, kind: str) -> None:
    body = post_import(hr, FILES[kind], (SAMPLES / FILES[kind]).read_bytes(), kind=kind).json()
    assert _errors(body) == ERRORS[kind]


@pytest.mark.parametrize("kind", list(FILES))
def test_a_sample_warns_of_its_unknown_column(hr: Client, kind: str) -> None:
    body = post_import(hr, FILES[kind], (SAMPLES / FILES[kind]).read_bytes(), kind=kind).json()
    assert body["unknown_columns"] == ["负责人"]


def test_fixed_samples_apply_and_the_new_vacancy_is_matched(hr: Client) -> None:
    for kind in ("employer", "vacancy", "course"):
        response = post_import(hr, FILES[kind], _fixed(kind), kind=kind, dry_run=False)
        assert response.status_code == 200, response.json()
    answer = hr.post(
        "/v1/match/jobs",
        json={
            "seeker": {"occupations": ["汽车装调工"], "max_commute_minutes": 60},
            "home": {"lon": 120.142815, "lat": 33.343211},
            "at": "2026-12-01T09:00:00+08:00",
            "limit": 50,
        },
    ).json()
    assert "RS-GW-004" in [o["vacancy"]["ref"] for o in answer["options"]]


def test_a_fixed_course_sample_is_in_the_directory(hr: Client) -> None:
    post_import(hr, FILES["course"], _fixed("course"), kind="course", dry_run=False)
    refs = [c["ref"] for c in hr.get("/v1/training-courses", params={"limit": 200}).json()["items"]]
    assert {f"RS-KC-{n:03d}" for n in range(1, 9)} <= set(refs)
