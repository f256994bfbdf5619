"""Specification of the travel-time plug point: a model given to `create_app` is the one every
travel question uses. With a model under which every journey takes twice as long, asking for
twice the minutes gives the same places as the built-in model does, each twice as far away in
time — for nearby, circles, coverage and all three matchers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from shapely.geometry import Polygon

from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.travel import CrowFliesModel, FloatArray, TravelMode, TravelProfile

Client = TestClient[Litestar]
QIAODONG = {"lon": 120.104919, "lat": 33.396027}  # 毓龙街道桥东社区
ON = "2026-12-01T09:00:00+08:00"


class TwiceAsLong:
    """Every journey takes twice as long as under the built-in model (half the speed)."""

    def __init__(self) -> None:
        self.base = CrowFliesModel()

    def profile(self, mode: TravelMode) -> TravelProfile:
        p = self.base.profile(mode)
        return dataclasses.replace(p, speed_m_per_min=p.speed_m_per_min / 2)

    def reach_m(self, mode: TravelMode, minutes: float) -> float:
        return self.base.reach_m(mode, minutes / 2)

    def minutes(self, mode: TravelMode, distances_m: FloatArray) -> FloatArray:
        return 2 * self.base.minutes(mode, distances_m)

    def reachable_area(self, mode: TravelMode, origin: LonLat, minutes: float) -> Polygon:
        return self.base.reachable_area(mode, origin, minutes / 2)


@pytest.fixture(scope="module")
def slow(settings: Settings) -> Iterator[Client]:
    with TestClient(create_app(settings, travel_model=TwiceAsLong())) as c:
        yield c


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def doubled(slow: list[float], default: list[float]) -> bool:
    assert slow, "nothing to compare"
    return bool(np.allclose(slow, [2 * t for t in default], atol=0.02))


def test_nearby_follows_the_model(client: Client, slow: Client) -> None:
    q = {**QIAODONG, "kind": "meal_hall", "limit": 10}
    default = ok(client.get("/v1/facilities/nearby", params=q))["items"]
    plugged = ok(slow.get("/v1/facilities/nearby", params=q))["items"]
    assert len(default) == 10
    assert [i["facility"]["id"] for i in plugged] == [i["facility"]["id"] for i in default]
    assert doubled([i["travel_minutes"] for i in plugged], [i["travel_minutes"] for i in default])


def test_a_circle_follows_the_model(client: Client, slow: Client) -> None:
    default = ok(client.get("/v1/circles", params={**QIAODONG, "minutes": 30}))
    plugged = ok(slow.get("/v1/circles", params={**QIAODONG, "minutes": 30}))
    assert plugged["travel"]["reach_m"] == pytest.approx(default["travel"]["reach_m"] / 2, abs=0.1)
    assert plugged["travel"]["speed_m_per_min"] == default["travel"]["speed_m_per_min"] / 2
    wide = ok(slow.get("/v1/circles", params={**QIAODONG, "minutes": 60}))
    assert wide["travel"]["reach_m"] == pytest.approx(default["travel"]["reach_m"], abs=0.1)
    members = [m for kind in sorted(default["facilities"]) for m in default["facilities"][kind]]
    far = [m for kind in sorted(wide["facilities"]) for m in wide["facilities"][kind]]
    assert members and [m["id"] for m in far] == [m["id"] for m in members]
    assert doubled([m["travel_minutes"] for m in far], [m["travel_minutes"] for m in members])
    # the area shrinks with the reach: same polygon as the built-in model's at half the minutes
    assert (
        plugged["area"] == ok(client.get("/v1/circles", params={**QIAODONG, "minutes": 15}))["area"]
    )


def test_coverage_follows_the_model(client: Client, slow: Client) -> None:
    default = ok(client.get("/v1/coverage", params={"kind": "meal_hall", "minutes": 15}))
    plugged = ok(slow.get("/v1/coverage", params={"kind": "meal_hall", "minutes": 15}))
    wide = ok(slow.get("/v1/coverage", params={"kind": "meal_hall", "minutes": 30}))
    assert default["covered_population"] > 0
    assert plugged["covered_population"] < default["covered_population"]
    assert wide["covered_population"] == default["covered_population"]


def test_the_services_matcher_follows_the_model(client: Client, slow: Client) -> None:
    body = {"person": {"age": 75}, "home": QIAODONG, "needs": ["meal"], "at": ON}
    default = ok(client.post("/v1/match/services", json={**body, "minutes": 15}))
    plugged = ok(slow.post("/v1/match/services", json={**body, "minutes": 30}))
    (need,), (slow_need,) = default["needs"], plugged["needs"]
    ids = [o["facility"]["id"] for o in need["options"]]
    assert ids and [o["facility"]["id"] for o in slow_need["options"]] == ids
    assert doubled(
        [o["travel_minutes"] for o in slow_need["options"]],
        [o["travel_minutes"] for o in need["options"]],
    )


def test_the_jobs_matcher_follows_the_model(client: Client, slow: Client) -> None:
    def seeker(commute: int) -> dict[str, Any]:
        return {"occupations": ["保洁", "护工", "营业员"], "max_commute_minutes": commute}

    default = ok(client.post("/v1/match/jobs", json={"seeker": seeker(30), "home": QIAODONG}))
    plugged = ok(slow.post("/v1/match/jobs", json={"seeker": seeker(60), "home": QIAODONG}))
    # The same vacancies are within reach, each twice as far in time (the commute score, and so
    # the order, reads absolute minutes, so the ranking may differ).
    assert plugged["considered"] == default["considered"] > 0
    minutes = {j["vacancy"]["id"]: j["travel_minutes"] for j in default["options"]}
    slower = {j["vacancy"]["id"]: j["travel_minutes"] for j in plugged["options"]}
    assert set(slower) == set(minutes)
    assert doubled([slower[i] for i in sorted(minutes)], [minutes[i] for i in sorted(minutes)])


def test_the_household_matcher_follows_the_model(client: Client, slow: Client) -> None:
    def members(commute: int) -> list[dict[str, Any]]:
        mother = {
            "label": "母亲",
            "age": 31,
            "seeks_work": True,
            "work": {
                "occupations": ["保洁", "营业员", "收银员", "家政"],
                "max_commute_minutes": commute,
            },
        }
        return [mother, {"label": "孩子", "birth_date": "2025-09-20", "needs": ["childcare"]}]

    def work(c: Client, commute: int, minutes: int) -> list[dict[str, Any]]:
        body = {"members": members(commute), "home": QIAODONG, "at": ON, "minutes": minutes}
        plan = ok(c.post("/v1/match/household", json=body))
        mother = next(m for m in plan["members"] if m["label"] == "母亲")
        alternatives: list[dict[str, Any]] = mother["work"]["alternatives"]
        return alternatives

    default, plugged = work(client, 25, 15), work(slow, 50, 30)
    ids = [a["job"]["vacancy"]["id"] for a in default]
    assert ids and [a["job"]["vacancy"]["id"] for a in plugged] == ids
    assert doubled([a["commute_minutes"] for a in plugged], [a["commute_minutes"] for a in default])
