"""A dry run reads a department's sheet and reports every problem row by row, changing nothing."""

from __future__ import annotations

import codecs
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.transfer.conftest import SAMPLES, post_import, xlsx

Client = TestClient[Litestar]
HEADER: list[Any] = ["编号", "名称", "类型", "地址", "经度", "纬度", "容量", "已用"]


def _issues(body: dict[str, Any]) -> list[tuple[int, str | None, str]]:
    return [(i["row"], i["column"], i["code"]) for i in body["issues"] if i["severity"] == "error"]


def test_the_civil_affairs_sample_shows_its_deliberate_errors_row_by_row(importer: Client) -> None:
    response = post_import(
        importer, "elderly.xlsx", (SAMPLES / "civil_affairs-elderly.xlsx").read_bytes()
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert _issues(body) == [
        (4, "已用", "over_capacity"),
        (7, "营业时间", "invalid_value"),
        (10, "编号", "duplicate_ref"),
        (13, "经度", "point_outside_district"),
        (16, "服务", "unknown_value"),
    ]
    assert body["summary"] == {"rows": 24, "create": 19, "update": 0, "unchanged": 0, "reject": 5}
    assert body["applied"] is False


def test_every_issue_has_a_chinese_and_an_english_message(importer: Client) -> None:
    body = post_import(importer, "c.xlsx", (SAMPLES / "health-childcare.xlsx").read_bytes()).json()
    assert len(body["issues"]) >= 4
    assert all(i["message_zh"] and i["message_en"] for i in body["issues"])


def test_an_unrecognised_header_is_reported_not_silently_ignored(importer: Client) -> None:
    body = post_import(
        importer, "e.xlsx", (SAMPLES / "civil_affairs-elderly.xlsx").read_bytes()
    ).json()
    assert body["unknown_columns"] == ["负责人"]
    assert {
        "row": 1,
        "column": "负责人",
        "code": "unknown_column",
        "severity": "warning",
    }.items() <= body["issues"][0].items()


def test_an_address_without_coordinates_is_placed_by_the_offline_geocoder(importer: Client) -> None:
    body = post_import(
        importer, "e.xlsx", (SAMPLES / "civil_affairs-elderly.xlsx").read_bytes()
    ).json()
    geocoded = [i for i in body["issues"] if i["code"] == "geocoded"]
    assert [(i["row"], i["message_zh"]) for i in geocoded] == [
        (18, "按地址定位到：毓龙街道 › 桥东社区")
    ]


def test_an_ambiguous_address_is_a_row_error_naming_the_candidates(importer: Client) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["amb-1", "某食堂", "长者幸福食堂/助餐点", "亭湖区", None, None, 10, 0],
    ]
    body = post_import(importer, "a.xlsx", xlsx(rows)).json()
    assert _issues(body) in ([(2, "地址", "address_ambiguous")], [(2, "地址", "address_not_found")])


def test_a_gb18030_csv_from_chinese_excel_is_read(importer: Client) -> None:
    body = post_import(importer, "jobs.csv", (SAMPLES / "hrss-jobs.csv").read_bytes()).json()
    assert body["format"] == "csv"
    assert _issues(body) == [
        (5, "类型", "unknown_value"),
        (9, "名称", "invalid_value"),
        (12, "纬度", "point_incomplete"),
        (17, "节假日", "unknown_value"),
    ]


def test_a_utf8_csv_with_a_bom_is_read(importer: Client) -> None:
    text = "编号,名称,类型,地址,经度,纬度\nbom-1,测试食堂,长者幸福食堂/助餐点,亭湖区五星街道,120.0889,33.3719\n"
    body = post_import(importer, "b.csv", codecs.BOM_UTF8 + text.encode()).json()
    assert body["summary"]["create"] == 1


def test_english_headers_are_accepted(importer: Client) -> None:
    rows: list[list[Any]] = [
        ["ref", "name", "kind", "address", "lon", "lat"],
        ["en-1", "Test hall", "meal_hall", "亭湖区五星街道", 120.0889, 33.3719],
    ]
    body = post_import(importer, "en.xlsx", xlsx(rows)).json()
    assert body["summary"]["create"] == 1
    assert body["unknown_columns"] == []


def test_coordinates_in_gcj02_from_a_file_level_choice_are_converted(importer: Client) -> None:
    rows: list[list[Any]] = [
        ["编号", "名称", "地址", "经度", "纬度"],
        ["gcj-1", "测试食堂", "亭湖区五星街道", 120.0889, 33.3719],
    ]
    wgs = post_import(importer, "g.xlsx", xlsx(rows), kind="meal_hall").json()
    gcj = post_import(importer, "g.xlsx", xlsx(rows), kind="meal_hall", crs="gcj02").json()
    assert wgs["summary"]["create"] == gcj["summary"]["create"] == 1
    assert wgs["issues"] == gcj["issues"] == []


def test_the_sheet_kind_must_match_the_chosen_kind(importer: Client) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["k-1", "测试托育", "托育机构", "亭湖区五星街道", 120.0889, 33.3719, 10, 0],
    ]
    body = post_import(importer, "k.xlsx", xlsx(rows), kind="meal_hall").json()
    assert _issues(body) == [(2, "类型", "kind_mismatch")]


def test_a_dry_run_changes_nothing(importer: Client) -> None:
    before = importer.get("/v1/facilities?limit=1").json()["total"]
    post_import(importer, "e.xlsx", (SAMPLES / "civil_affairs-elderly.xlsx").read_bytes())
    assert importer.get("/v1/facilities?limit=1").json()["total"] == before
