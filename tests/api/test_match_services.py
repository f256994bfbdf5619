"""POST /v1/match/services: the places near home a person may use, per need, ranked and explained.

Homes are community centroids of the demo directory; times are fixed so the answers do not move."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, from_wgs84
from leye_yiyang.spatial.geodesic import geopy_distance_m

Client = TestClient[Litestar]
WANHU = {"lon": 120.11257, "lat": 33.366337}  # 五星街道万户新村
CHAOYANG = {"lon": 120.130277, "lat": 33.3806}  # 先锋街道朝阳社区
SHUIAN = {"lon": 120.153292, "lat": 33.363235}  # 文峰街道水岸社区
WEEKDAY_NOON = "2026-12-02T11:00:00+08:00"


def match(client: Client, **body: Any) -> dict[str, Any]:
    r = client.post("/v1/match/services", json=body)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


def facilities(client: Client, kind: str) -> dict[int, dict[str, Any]]:
    items: dict[int, dict[str, Any]] = {}
    offset = 0
    while True:
        page = client.get(
            "/v1/facilities", params={"kind": kind, "limit": 200, "offset": offset}
        ).json()
        items.update({f["id"]: f for f in page["items"]})
        offset += 200
        if offset >= page["total"]:
            return items


def test_every_option_gives_its_eligibility_reasons_in_chinese_and_english(client: Client) -> None:
    body = match(
        client,
        person={"age": 82, "statuses": ["living_alone"]},
        home=WANHU,
        needs=["meal"],
        at=WEEKDAY_NOON,
        minutes=30,
    )
    options = body["needs"][0]["options"]
    assert options
    for o in options:
        verdict = o["eligibility"]
        assert verdict["outcome"] == "eligible"
        assert verdict["reason"]["zh"] and verdict["reason"]["en"]
        assert verdict["results"]
        for rule in verdict["results"]:
            assert rule["reason"]["zh"] and rule["reason"]["en"]
            assert rule["reason"]["zh"] != rule["reason"]["en"]
        assert o["summary"]["zh"] and o["summary"]["en"]
    assert body["ranking"]["zh"] and body["ranking"]["en"]
    assert [a["name"] for a in body["residence"]] == ["万户新村", "五星街道", "亭湖区"]


def test_a_55_year_old_is_offered_no_meal_hall_for_the_over_60s(client: Client) -> None:
    asked = {"person": {"age": 55}, "home": CHAOYANG, "needs": ["meal"], "at": WEEKDAY_NOON}
    need = match(client, **asked)["needs"][0]
    assert need["options"] == [] and need["excluded"] is None
    assert need["unmet"]["zh"] and need["unmet"]["en"]
    listed = match(client, **asked, include_excluded=True)["needs"][0]
    assert listed["options"] == [] and listed["excluded"]
    for place in listed["excluded"]:
        age = next(r for r in place["reasons"] if r["code"] == "age.too_young")
        assert "55" in age["zh"] and "60" in age["zh"] and "60" in age["en"]
        assert place["eligibility"]["outcome"] == "not_eligible"


def test_an_86_year_old_pays_the_listed_price_less_the_85_to_94_subsidy(client: Client) -> None:
    body = match(client, person={"age": 86}, home=WANHU, needs=["meal"], at=WEEKDAY_NOON)
    quotes = [o["price"] for o in body["needs"][0]["options"]]
    assert quotes and all(q is not None for q in quotes)
    for q in quotes:
        assert q["service"] == "lunch"
        assert q["subsidy_cny"] == 8.0
        assert q["payable_cny"] == pytest.approx(q["base_cny"] - 8.0)
        assert "自付" in q["reason"]["zh"] and "you pay" in q["reason"]["en"]


def test_a_full_childcare_centre_is_left_out_and_listed_apart_as_full(client: Client) -> None:
    full = {i for i, f in facilities(client, "childcare").items() if f["places_free"] == 0}
    asked = {
        "person": {"birth_date": "2024-12-01"},
        "home": SHUIAN,
        "needs": ["childcare"],
        "at": "2026-12-02T08:00:00+08:00",
        "limit_per_need": 10,
    }
    need = match(client, **asked, include_excluded=True)["needs"][0]
    offered = {o["facility"]["id"] for o in need["options"]}
    assert offered and not offered & full
    assert all(o["places_free"] > 0 for o in need["options"])
    apart = {e["facility"]["id"]: e for e in need["excluded"]}
    assert full & set(apart)
    for fid in full & set(apart):
        assert any(r["code"] == "full" for r in apart[fid]["reasons"])


def test_a_holiday_closure_is_not_a_filter_but_ranks_after_places_open_that_day(
    client: Client,
) -> None:
    body = match(
        client,
        person={"age": 82},
        home=WANHU,
        needs=["meal"],
        mode="senior_walk",
        minutes=30,
        at="2026-10-01T10:00:00+08:00",  # 国庆节
    )
    options = body["needs"][0]["options"]
    closed = [o for o in options if not o["opening"]["open_that_day"]]
    assert closed, "halls that close for the holiday stay in the list"
    for o in closed:
        opening = o["opening"]
        assert "假期" in opening["reason"]["zh"] and "holiday" in opening["reason"]["en"]
        assert dt.date.fromisoformat(opening["next_opening"][:10]) >= dt.date(2026, 10, 8)
    within = [o for o in options if o["within_limit"]]
    flags = [o["opening"]["open_that_day"] for o in within]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_a_gcj02_home_gets_the_same_ranking_back_in_gcj02(client: Client) -> None:
    asked = {"person": {"age": 77}, "needs": ["meal", "day_care"], "at": WEEKDAY_NOON}
    wgs = match(client, **asked, home=WANHU)
    gcj_home = from_wgs84(LonLat(WANHU["lon"], WANHU["lat"]), Datum.GCJ02)
    gcj = match(client, **asked, home={"lon": gcj_home.lon, "lat": gcj_home.lat}, crs="gcj02")
    assert gcj["home"]["wgs84"] == pytest.approx([WANHU["lon"], WANHU["lat"]], abs=1e-6)
    assert len(wgs["needs"]) == 2
    for a, b in zip(wgs["needs"], gcj["needs"], strict=True):
        assert a["options"], a["need"]
        assert [o["facility"]["id"] for o in a["options"]] == [
            o["facility"]["id"] for o in b["options"]
        ]
        for oa, ob in zip(a["options"], b["options"], strict=True):
            expected = from_wgs84(LonLat(oa["facility"]["lon"], oa["facility"]["lat"]), Datum.GCJ02)
            assert (ob["facility"]["lon"], ob["facility"]["lat"]) == pytest.approx(
                (expected.lon, expected.lat), abs=1e-6
            )


def test_options_follow_the_documented_ranking(client: Client) -> None:
    body = match(
        client,
        person={"age": 70},
        home=WANHU,
        needs=["meal", "day_care", "employment_service"],
        minutes=20,
        limit_per_need=10,
        at="2026-12-05T11:00:00+08:00",  # a Saturday
    )
    assert [n["need"] for n in body["needs"]] == ["meal", "day_care", "employment_service"]
    for need in body["needs"]:
        assert len(need["options"]) == 10, need["need"]
        keys = [
            (
                not o["within_limit"],
                o["eligibility"]["outcome"] != "eligible",
                not o["opening"]["open_that_day"],
                o["travel_minutes"],
            )
            for o in need["options"]
        ]
        inside = [k for k in keys if not k[0]]
        assert inside == sorted(inside)
        assert keys == sorted(keys, key=lambda k: k[0])
        assert [o["rank"] for o in need["options"]] == list(range(1, len(keys) + 1))
        reach = body["travel"]["reach_m"]
        for o in need["options"]:
            assert o["within_limit"] == (o["distance_m"] <= reach + 0.1)


def test_the_options_within_reach_are_exactly_the_eligible_halls_within_reach(
    client: Client,
) -> None:
    """Against a brute-force scan of the directory: active, 60+, residence rule met, not full."""
    body = match(
        client,
        person={"age": 80},
        home=WANHU,
        needs=["meal"],
        minutes=30,
        limit_per_need=20,
        at=WEEKDAY_NOON,
    )
    reach = body["travel"]["reach_m"]
    home = LonLat(WANHU["lon"], WANHU["lat"])
    expected = set()
    for fid, f in facilities(client, "meal_hall").items():
        rules = f["eligibility"]
        fits = f["status"] == "active" and (f["places_free"] > 0 or f["capacity"] == 0)
        fits = fits and (
            not rules["residence_area_codes"] or "320902001000" in rules["residence_area_codes"]
        )
        if fits and geopy_distance_m(home, LonLat(f["lon"], f["lat"])) <= reach:
            expected.add(fid)
    got = {o["facility"]["id"] for o in body["needs"][0]["options"] if o["within_limit"]}
    assert expected, "halls lie within a 30-minute walk of 万户新村"
    assert got == expected


def test_an_unknown_age_is_still_to_check_not_a_refusal(client: Client) -> None:
    body = match(client, person={}, home=WANHU, needs=["meal"], at=WEEKDAY_NOON)
    options = body["needs"][0]["options"]
    assert options and all(o["eligibility"]["outcome"] == "unknown" for o in options)
    priced = [o["price"] for o in options if o["price"]]
    assert priced
    assert all(p["may_be_lower"] for p in priced)
    assert "年龄" in options[0]["eligibility"]["reason"]["zh"]


def test_an_address_stands_in_for_coordinates(client: Client) -> None:
    body = match(
        client,
        person={"age": 80},
        home={"address": "五星街道万户新村"},
        needs=["meal"],
        at=WEEKDAY_NOON,
    )
    assert body["home"]["source"] == "address"
    assert body["residence"][0]["name"] == "万户新村"
    assert body["needs"][0]["options"]
