"""Apply is all or nothing, updates by the department's own id, leaves unchanged rows alone, and
the new places are found by nearby search."""

from __future__ import annotations

import io
import time
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook

from tests.transfer.conftest import SAMPLES, post_import, xlsx

Client = TestClient[Litestar]


def _fixed_health_sheet() -> bytes:
    """The health sample with its four deliberate errors fixed, as the department would."""
    book = load_workbook(SAMPLES / "health-childcare.xlsx")
    sheet = book["机构"]
    headers = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    sheet.cell(3, col["最小月龄"]).value, sheet.cell(3, col["最大月龄"]).value = 6, 36
    sheet.cell(6, col["已用"]).value = sheet.cell(6, col["容量"]).value
    sheet.cell(11, col["收费"]).value = "全日托 1800元/月"
    sheet.cell(15, col["统一社会信用代码"]).value = ""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _total(client: Client) -> int:
    return int(client.get("/v1/facilities?limit=1").json()["total"])


def test_an_apply_with_a_rejected_row_imports_nothing(importer: Client) -> None:
    before = _total(importer)
    response = post_import(
        importer, "h.xlsx", (SAMPLES / "health-childcare.xlsx").read_bytes(), dry_run=False
    )
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
    assert response.json()["extra"]["summary"]["reject"] == 4
    assert _total(importer) == before


def test_importing_needs_an_account_token(importer: Client) -> None:
    response = post_import(importer, "h.xlsx", _fixed_health_sheet(), token="")
    assert response.status_code == 401


def test_a_social_worker_may_not_import(importer: Client, tokens: dict[str, str]) -> None:
    response = post_import(importer, "h.xlsx", _fixed_health_sheet(), token=tokens["social_worker"])
    assert response.status_code == 403
    assert response.json()["code"] == "role_not_allowed"


def test_a_department_sees_rows_of_another_departments_kind_as_row_errors(
    importer: Client, tokens: dict[str, str]
) -> None:
    body = post_import(
        importer, "h.xlsx", _fixed_health_sheet(), token=tokens["civil_affairs"]
    ).json()
    assert body["summary"]["reject"] == 20
    assert {i["code"] for i in body["issues"] if i["severity"] == "error"} == {
        "not_your_department"
    }


def test_each_department_may_import_its_own_kinds(importer: Client, tokens: dict[str, str]) -> None:
    own = {"civil_affairs": "养老院", "health": "托育机构", "hrss": "技能培训学校"}
    kinds = {
        "civil_affairs": "嵌入式小微养老机构/养老院",
        "health": "托育机构",
        "hrss": "技能培训学校",
    }
    outcomes = {}
    for role, label in kinds.items():
        rows: list[list[Any]] = [
            ["编号", "名称", "类型", "地址", "经度", "纬度"],
            [f"own-{role}", f"本部门{own[role]}", label, "亭湖区五星街道", 120.0889, 33.3719],
        ]
        outcomes[role] = post_import(importer, "o.xlsx", xlsx(rows), token=tokens[role]).json()[
            "summary"
        ]["create"]
    assert outcomes == {"civil_affairs": 1, "health": 1, "hrss": 1}


def test_each_imported_change_is_in_the_history_with_channel_import(
    importer: Client, tokens: dict[str, str]
) -> None:
    rows: list[list[Any]] = [
        ["编号", "名称", "地址", "经度", "纬度", "容量", "已用"],
        ["hist-1", "历史测试食堂", "亭湖区五星街道", 120.0889, 33.3719, 50, 10],
    ]
    assert (
        post_import(
            importer,
            "h.xlsx",
            xlsx(rows),
            kind="meal_hall",
            dry_run=False,
            token=tokens["civil_affairs"],
        ).status_code
        == 200
    )
    rows[1][6] = 12
    post_import(
        importer,
        "h.xlsx",
        xlsx(rows),
        kind="meal_hall",
        dry_run=False,
        token=tokens["civil_affairs"],
    )
    fid = importer.get("/v1/facilities", params={"q": "历史测试食堂"}).json()["items"][0]["id"]
    history = importer.get(f"/v1/facilities/{fid}/history").json()["items"]
    assert [(h["action"], h["channel"], h["version"]) for h in history] == [
        ("update", "import", 2),
        ("create", "import", 1),
    ]
    assert history[0]["fields"] == {"places_taken": [10, 12]}
    assert history[0]["account_name"] == "test civil_affairs"


def test_the_fixed_sheet_applies_and_its_places_are_found_nearby(importer: Client) -> None:
    before = _total(importer)
    response = post_import(
        importer, "h.xlsx", _fixed_health_sheet(), kind="childcare", dry_run=False
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"]["create"] == 20
    assert body["applied"] is True
    assert _total(importer) == before + 20
    new = importer.get(
        "/v1/facilities", params={"q": "（分点）", "kind": "childcare", "limit": 1}
    ).json()["items"][0]
    deadline = time.monotonic() + 10
    found: list[str] = []
    while time.monotonic() < deadline and new["name"] not in found:
        nearby = importer.get(
            "/v1/facilities/nearby",
            params={"lon": new["lon"], "lat": new["lat"], "kind": "childcare", "limit": 5},
        )
        found = [item["facility"]["name"] for item in nearby.json()["items"]]
        time.sleep(0.2)
    assert new["name"] in found


def test_reimporting_the_same_sheet_changes_nothing(importer: Client) -> None:
    sheet = _fixed_health_sheet()
    post_import(importer, "h.xlsx", sheet, kind="childcare", dry_run=False)
    versions = {
        f["ref"]: f["version"]
        for f in importer.get("/v1/facilities", params={"kind": "childcare", "limit": 200}).json()[
            "items"
        ]
    }
    again = post_import(importer, "h.xlsx", sheet, kind="childcare", dry_run=False).json()
    assert again["summary"] == {"rows": 20, "create": 0, "update": 0, "unchanged": 20, "reject": 0}
    after = {
        f["ref"]: f["version"]
        for f in importer.get("/v1/facilities", params={"kind": "childcare", "limit": 200}).json()[
            "items"
        ]
    }
    assert after == versions


def test_a_changed_row_updates_in_place_and_names_what_changed(importer: Client) -> None:
    rows: list[list[Any]] = [
        ["编号", "名称", "地址", "经度", "纬度", "容量", "已用"],
        ["upd-1", "更新测试食堂", "亭湖区五星街道", 120.0889, 33.3719, 50, 10],
    ]
    assert (
        post_import(importer, "u.xlsx", xlsx(rows), kind="meal_hall", dry_run=False).status_code
        == 200
    )
    rows[1][6] = 30
    body = post_import(importer, "u.xlsx", xlsx(rows), kind="meal_hall", dry_run=False).json()
    assert body["summary"]["update"] == 1
    assert body["rows"][0]["changed"] == ["places_taken"]
    items = importer.get("/v1/facilities", params={"q": "更新测试食堂"}).json()["items"]
    assert [(i["places_taken"], i["version"]) for i in items] == [(30, 2)]


def test_a_column_left_out_keeps_the_stored_value(importer: Client) -> None:
    rows: list[list[Any]] = [
        ["编号", "名称", "地址", "经度", "纬度", "电话"],
        ["keep-1", "保留测试食堂", "亭湖区五星街道", 120.0889, 33.3719, "0515-1234567"],
    ]
    post_import(importer, "k.xlsx", xlsx(rows), kind="meal_hall", dry_run=False)
    without_phone = [list(r[:5]) for r in rows]
    body = post_import(importer, "k.xlsx", xlsx(without_phone), kind="meal_hall").json()
    assert body["summary"]["unchanged"] == 1
