"""Meals brought home (送餐上门): a need can say "delivered", a housebound person always needs it,
and a 失能 elder is offered halls that deliver before halls that serve in the hall only.

The home lies in 新洋街道希望社区, 132 m from 希望社区老年助餐点 (meal-039, lunch in the hall
only); four halls that deliver and admit an 80-year-old lie within a 30-minute walk: meal-010
(577 m), meal-002 (1.2 km), meal-009 and meal-003 (1.4 km)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]
XIWANG = {"lon": 120.141575, "lat": 33.410164}
WEEKDAY_MORNING = "2026-12-02T10:00:00+08:00"
HALL_ONLY = "meal-039"
DELIVERING_IN_REACH = ["meal-010", "meal-002", "meal-009", "meal-003"]


def refs(client: Client) -> dict[int, str]:
    page = client.get("/v1/facilities", params={"kind": "meal_hall", "limit": 200}).json()
    assert page["total"] == len(page["items"]) > 0
    return {f["id"]: f["ref"] for f in page["items"]}


def meals(client: Client, person: dict[str, Any], need: str = "meal") -> dict[str, Any]:
    r = client.post(
        "/v1/match/services",
        json={
            "person": person,
            "home": XIWANG,
            "needs": [need],
            "minutes": 30,
            "at": WEEKDAY_MORNING,
            "include_excluded": True,
        },
    )
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()["needs"][0]
    return result


def test_a_walking_elder_is_offered_the_nearest_hall_first(client: Client) -> None:
    names = refs(client)
    options = meals(client, {"age": 80})["options"]
    assert [names[o["facility"]["id"]] for o in options[:1]] == [HALL_ONLY]


def test_a_disabled_elder_is_offered_every_hall_that_delivers_before_a_hall_only_one(
    client: Client,
) -> None:
    names = refs(client)
    options = meals(client, {"age": 80, "statuses": ["disabled_adl"]})["options"]
    ranked = [names[o["facility"]["id"]] for o in options]
    assert ranked == [*DELIVERING_IN_REACH, HALL_ONLY]
    first = options[0]
    assert "home_delivery" in first["services"]
    assert first["summary"]["zh"].startswith("符合条件；送餐上门（食堂距家577米）")
    assert "免送餐费" in first["summary"]["zh"]  # the fee is waived for 失能 elders here


@pytest.mark.parametrize(
    ("person", "need"),
    [
        ({"age": 80}, "meal_delivery"),
        ({"age": 80, "statuses": ["housebound"]}, "meal"),
        ({"age": 80, "statuses": ["housebound", "disabled_adl"]}, "meal"),
    ],
)
def test_when_meals_must_be_delivered_a_hall_that_does_not_deliver_is_left_out_with_the_reason(
    client: Client, person: dict[str, Any], need: str
) -> None:
    names = refs(client)
    result = meals(client, person, need)
    ranked = [names[o["facility"]["id"]] for o in result["options"] if o["within_limit"]]
    assert ranked == DELIVERING_IN_REACH
    assert [o for o in result["options"] if "home_delivery" not in o["services"]] == []
    left_out = {names[e["facility"]["id"]]: e["reasons"] for e in result["excluded"]}
    assert [r["code"] for r in left_out[HALL_ONLY]] == ["delivery.none"]
    assert left_out[HALL_ONLY][0]["zh"] == "不提供送餐上门，只能到堂就餐"


def test_a_delivered_meal_names_the_delivery_fee_the_person_pays(client: Client) -> None:
    first = meals(client, {"age": 80}, "meal_delivery")["options"][0]
    assert first["summary"]["zh"].endswith("自付6元；送餐费自付2元")
    assert first["summary"]["en"].endswith("pays ¥6; delivery fee ¥2")


def test_a_housebound_grandmother_in_a_household_gets_a_hall_that_delivers(
    client: Client,
) -> None:
    names = refs(client)
    r = client.post(
        "/v1/match/household",
        json={
            "members": [
                {"label": "奶奶", "age": 84, "statuses": ["housebound"], "needs": ["meal"]},
                {"label": "爷爷", "age": 85, "needs": ["meal"]},
            ],
            "home": XIWANG,
            "minutes": 30,
            "at": WEEKDAY_MORNING,
        },
    )
    assert r.status_code == 200, r.text
    members = {mp["label"]: mp for mp in r.json()["members"]}
    grandma = members["奶奶"]["needs"][0]["options"]
    grandpa = members["爷爷"]["needs"][0]["options"]
    assert names[grandma[0]["facility"]["id"]] == DELIVERING_IN_REACH[0]
    assert names[grandpa[0]["facility"]["id"]] == HALL_ONLY
