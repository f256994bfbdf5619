"""Departments keep the directory: safe edits (validation naming the field, ETag/If-Match),
history of who changed what, freshness, and a change visible to the writer's next request."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.db import Database
from tests.editing.conftest import bearer, first_facility

CORE = {"lon": 120.131, "lat": 33.385}
HOURS = {"weekly": {"mon": [{"opens": "10:30", "closes": "13:00"}]}}


def meal_point(name: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "meal_hall", "name": name, "address": "亭湖区文港路", **CORE, **extra}


def auth(tokens: dict[str, str], role: str, etag: str | None = None) -> dict[str, str]:
    headers = bearer(tokens[role])
    if etag is not None:
        headers["If-Match"] = etag
    return headers


def test_a_new_meal_point_is_found_nearby_on_the_very_next_request(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    made = api.post(
        "/v1/facilities",
        json=meal_point("长者助餐点（新）", lon=120.1311, lat=33.3851),
        headers=auth(tokens, "civil_affairs"),
    )
    assert made.status_code == 201, made.text
    assert made.headers["etag"] == f'"facility-{made.json()["id"]}-v1"'
    nearby = api.get("/v1/facilities/nearby", params={**CORE, "kind": "meal_hall", "limit": 1})
    assert nearby.json()["items"][0]["facility"]["id"] == made.json()["id"]


def test_correcting_another_facilitys_hours_shows_in_its_next_read_and_in_history(
    api: TestClient[Litestar], tokens: dict[str, str], edit_db: Database
) -> None:
    fid = first_facility(edit_db, "day_care")
    etag = api.get(f"/v1/facilities/{fid}").headers["etag"]
    changed = api.patch(
        f"/v1/facilities/{fid}",
        json={"opening_hours": HOURS},
        headers=auth(tokens, "civil_affairs", etag),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["opening_hours"]["weekly"] == HOURS["weekly"]
    assert changed.headers["etag"] != etag
    history = api.get(f"/v1/facilities/{fid}/history", headers=auth(tokens, "civil_affairs")).json()
    latest = history["items"][0]
    assert latest["account_name"] == "test civil_affairs"
    assert latest["channel"] == "api"
    assert latest["fields"]["opening_hours"][1]["weekly"] == HOURS["weekly"]


def test_absent_fields_are_left_untouched(
    api: TestClient[Litestar], tokens: dict[str, str], edit_db: Database
) -> None:
    fid = first_facility(edit_db, "care_home")
    before = api.get(f"/v1/facilities/{fid}")
    api.patch(
        f"/v1/facilities/{fid}",
        json={"places_taken": 1},
        headers=auth(tokens, "civil_affairs", before.headers["etag"]),
    )
    after = api.get(f"/v1/facilities/{fid}").json()
    expected = {**before.json(), "places_taken": 1, "version": after["version"]}
    expected["places_free"] = after["places_free"]
    assert after == expected


def test_an_update_without_if_match_is_428_and_a_stale_one_412_naming_the_version(
    api: TestClient[Litestar], tokens: dict[str, str], edit_db: Database
) -> None:
    fid = first_facility(edit_db, "meal_hall")
    url = f"/v1/facilities/{fid}"
    missing = api.patch(url, json={"phone": "0515-81111111"}, headers=auth(tokens, "civil_affairs"))
    assert missing.status_code == 428
    etag = api.get(url).headers["etag"]
    first = api.patch(
        url, json={"phone": "0515-81111112"}, headers=auth(tokens, "civil_affairs", etag)
    )
    assert first.status_code == 200
    second = api.patch(
        url, json={"phone": "0515-81111113"}, headers=auth(tokens, "civil_affairs", etag)
    )
    assert second.status_code == 412
    assert second.json()["extra"]["current_version"] == first.json()["version"]
    assert second.headers["etag"] == first.headers["etag"]
    assert api.get(url).json()["phone"] == "0515-81111112"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"phone": "0515-123"}, "invalid_phone", "phone"),
        ({"places_taken": 999_999}, "over_capacity", "places_taken"),
        (
            {"opening_hours": {"weekly": {"mon": [{"opens": "14:00", "closes": "09:00"}]}}},
            "invalid_opening_hours",
            "opening_hours.weekly.mon",
        ),
        (
            {"opening_hours": {"weekly": {"tue": [
                {"opens": "08:00", "closes": "12:00"}, {"opens": "11:00", "closes": "14:00"},
            ]}}},
            "overlapping_opening_hours",
            "opening_hours.weekly.tue",
        ),
        (
            {"opening_hours": {"exceptions": [{"date": "2027-01-01", "closed": True},
                                              {"date": "2027-01-01", "closed": True}]}},
            "duplicate_exception_date",
            "opening_hours.exceptions[1]",
        ),
        ({"lon": 121.5, "lat": 31.2}, "outside_service_region", "lon"),
    ],
)  # fmt: skip
def test_an_invalid_edit_is_refused_naming_the_field(
    api: TestClient[Litestar],
    tokens: dict[str, str],
    edit_db: Database,
    body: dict[str, Any],
    code: str,
    field: str,
) -> None:
    fid = first_facility(edit_db, "meal_hall")
    etag = api.get(f"/v1/facilities/{fid}").headers["etag"]
    refused = api.patch(
        f"/v1/facilities/{fid}", json=body, headers=auth(tokens, "civil_affairs", etag)
    )
    assert refused.status_code in (400, 422), refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (refused.json()["code"], refused.json()["field"]) == (code, field)


def test_a_point_in_gcj02_is_stored_in_wgs84(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    made = api.post(
        "/v1/facilities",
        json=meal_point("火星坐标食堂", lon=120.1366, lat=33.3831, crs="gcj02"),
        headers=auth(tokens, "civil_affairs"),
    )
    assert made.status_code == 201, made.text
    stored = api.get(f"/v1/facilities/{made.json()['id']}").json()
    assert abs(stored["lon"] - 120.1366) > 0.002  # shifted back from the GCJ-02 offset


def test_a_point_can_come_from_the_address_with_what_matched(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    body = {"kind": "meal_hall", "name": "社区助餐点", "address": "亭湖区五星街道北苑社区"}
    made = api.post("/v1/facilities", json=body, headers=auth(tokens, "civil_affairs"))
    assert made.status_code == 201, made.text
    assert made.json()["located"]["source"] == "address"
    assert made.json()["located"]["matched"]


def test_a_discriminatory_vacancy_is_refused_citing_the_law(
    api: TestClient[Litestar], tokens: dict[str, str], edit_db: Database
) -> None:
    vacancies = api.get("/v1/vacancies", params={"limit": 1}).json()["items"]
    assert vacancies
    vid = vacancies[0]["id"]
    etag = api.get(f"/v1/vacancies/{vid}").headers["etag"]
    refused = api.patch(
        f"/v1/vacancies/{vid}",
        json={"requirements": ["限男性，35岁以下"]},
        headers=auth(tokens, "hrss", etag),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "discriminatory_criterion"


def test_an_invalid_credit_code_is_refused(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    body = {
        "uscc": "91320902MA1XXXXXX0", "name": "某公司", "industry": "物流", "size": "small",
        "workplaces": [{"name": "总部", "address": "亭湖区人民路1号", "lon": 120.14, "lat": 33.39}],
    }  # fmt: skip
    refused = api.post("/v1/employers", json=body, headers=auth(tokens, "hrss"))
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["field"]) == ("invalid_uscc", "uscc")


def test_suspending_a_facility_takes_it_out_of_nearby_at_once(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    made = api.post(
        "/v1/facilities",
        json=meal_point("暂停测试点", lon=120.13105, lat=33.38505),
        headers=auth(tokens, "civil_affairs"),
    ).json()
    etag = api.get(f"/v1/facilities/{made['id']}").headers["etag"]
    done = api.post(
        f"/v1/facilities/{made['id']}/suspend", headers=auth(tokens, "civil_affairs", etag)
    )
    assert done.json()["status"] == "temporarily_closed"
    near = api.get("/v1/facilities/nearby", params={**CORE, "kind": "meal_hall", "limit": 5}).json()
    ids = [i["facility"]["id"] for i in near["items"]]
    assert ids
    assert made["id"] not in ids


def test_verifying_sets_verified_at_and_takes_the_record_off_the_stale_list(
    api: TestClient[Litestar], tokens: dict[str, str], edit_db: Database
) -> None:
    stale = api.get("/v1/stale", params={"days": 1, "limit": 200}, headers=auth(tokens, "health"))
    assert stale.status_code == 200
    report = stale.json()
    assert set(report["counts"]) == {"childcare"}
    assert report["total"] == report["counts"]["childcare"] > 0
    fid = report["items"][0]["id"]
    etag = api.get(f"/v1/facilities/{fid}").headers["etag"]
    verified = api.post(f"/v1/facilities/{fid}/verify", headers=auth(tokens, "health", etag))
    assert verified.json()["verified_at"] is not None
    after = api.get("/v1/stale", params={"days": 1, "limit": 200}, headers=auth(tokens, "health"))
    assert fid not in [i["id"] for i in after.json()["items"]]
    assert after.json()["total"] == report["total"] - 1


def test_the_admin_lists_all_changes_by_account(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    me = api.get("/v1/me", headers=auth(tokens, "civil_affairs")).json()
    page = api.get(
        "/v1/changes", params={"account": me["account_id"]}, headers=auth(tokens, "district_admin")
    ).json()
    assert page["total"] > 0
    assert {c["account_id"] for c in page["items"]} == {me["account_id"]}
    stamps = [c["at"] for c in page["items"]]
    assert stamps == sorted(stamps, reverse=True)
    refused = api.get("/v1/changes", headers=auth(tokens, "civil_affairs"))
    assert refused.status_code == 403


def test_nothing_is_deleted_through_the_api(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    response = api.delete("/v1/facilities/1", headers=auth(tokens, "district_admin"))
    assert response.status_code == 405


def test_moving_a_facility_by_patch_relocates_it_and_its_area(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    made = api.post(
        "/v1/facilities", json=meal_point("搬迁测试点"), headers=auth(tokens, "civil_affairs")
    ).json()
    moved = api.patch(
        f"/v1/facilities/{made['id']}",
        json={"lon": 120.2241, "lat": 33.3331},
        headers=auth(tokens, "civil_affairs", f'"facility-{made["id"]}-v1"'),
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["lon"], moved.json()["lat"]) == (120.2241, 33.3331)
    assert moved.json()["area_code"] != made["area_code"]
    assert moved.json()["located"]["source"] == "coordinates"


def test_nearby_shows_when_a_place_was_last_verified(
    api: TestClient[Litestar], tokens: dict[str, str]
) -> None:
    place = api.get("/v1/facilities", params={"kind": "childcare", "limit": 1}).json()["items"][0]
    near = {"lon": place["lon"], "lat": place["lat"], "kind": "childcare", "limit": 1}
    etag = api.get(f"/v1/facilities/{place['id']}").headers["etag"]
    verified = api.post(
        f"/v1/facilities/{place['id']}/verify", headers=auth(tokens, "health", etag)
    )
    assert verified.status_code == 200, verified.text
    item = api.get("/v1/facilities/nearby", params=near).json()["items"][0]
    assert item["facility"]["id"] == place["id"]
    assert item["facility"]["verified_at"] == verified.json()["verified_at"]
