"""POST /v1/match/household: one plan for a household. A parent who takes a child to childcare is
offered only jobs whose hours and commute the childcare can cover; the plan says what it could
not do and why."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]
QIAODONG = {"lon": 120.104919, "lat": 33.396027}  # 毓龙街道桥东社区
ON = "2026-12-01T09:00:00+08:00"
COMMUTE = 25
MOTHER: dict[str, Any] = {
    "label": "母亲",
    "age": 31,
    "seeks_work": True,
    "work": {"occupations": ["保洁", "营业员", "收银员", "家政"], "max_commute_minutes": COMMUTE},
}
BABY = {"label": "孩子", "birth_date": "2025-09-20", "needs": ["childcare"]}  # 14 months on ON


def plan(client: Client, members: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    r = client.post(
        "/v1/match/household", json={"members": members, "home": QIAODONG, "at": ON, **extra}
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def member(body: dict[str, Any], label: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in body["members"] if m["label"] == label)
    return found


def minutes(clock: str) -> int:
    h, mm = clock.split(":")
    return int(h) * 60 + int(mm)


def test_the_mother_of_a_14_month_old_gets_only_jobs_that_childcare_covers(client: Client) -> None:
    body = plan(client, [MOTHER, BABY])
    work = member(body, "母亲")["work"]
    assert work["alternatives"], work["unmet"]
    for alt in work["alternatives"]:
        job = alt["job"]
        assert job["fits"]
        (stop,) = alt["childcare"]
        centre = client.get(f"/v1/facilities/{stop['facility']['id']}").json()
        assert centre["kind"] == "childcare" and centre["places_free"] > 0
        assert centre["eligibility"]["child_min_months"] <= 14
        drop, pick = minutes(stop["drop_off"]), minutes(stop["pick_up"])
        travel = stop["childcare_to_work_minutes"]
        shifts = job["vacancy"]["shifts"]
        assert shifts
        covered = [
            s
            for s in shifts
            if drop <= minutes(s["starts"]) - travel and pick >= minutes(s["ends"]) + travel
        ]
        assert covered if job["vacancy"]["part_time"] else len(covered) == len(shifts)
        for s in covered:
            for day in s["days"]:
                hours = centre["opening_hours"]["weekly"][day]
                assert any(
                    minutes(h["opens"]) <= drop and pick <= minutes(h["closes"]) for h in hours
                )
        commute = stop["home_to_childcare_minutes"] + stop["childcare_to_work_minutes"]
        assert commute <= COMMUTE
        assert alt["summary"]["zh"] and alt["summary"]["en"]
    assert body["plan"][0]["zh"].startswith("母亲·工作")


def test_without_a_child_to_take_the_same_mother_is_offered_more_kinds_of_work(
    client: Client,
) -> None:
    caring = member(plan(client, [MOTHER, BABY], alternatives=5), "母亲")["work"]
    free = member(plan(client, [MOTHER], alternatives=5), "母亲")["work"]
    assert free["alternatives"] and all(a["childcare"] == [] for a in free["alternatives"])
    six_days = [
        a
        for a in free["alternatives"]
        if any("sat" in s["days"] for s in a["job"]["vacancy"]["shifts"])
    ]
    assert six_days, "Saturday work is fine without a child to collect"
    assert caring["alternatives"]
    for a in caring["alternatives"]:
        assert not any("sat" in s["days"] for s in a["job"]["vacancy"]["shifts"])


def test_what_cannot_be_done_is_said_with_the_reason(client: Client) -> None:
    welder = {
        "label": "父亲",
        "age": 35,
        "seeks_work": True,
        "work": {"occupations": ["焊工"], "mode": "walk", "max_commute_minutes": 15},
    }
    body = plan(client, [welder, BABY])
    work = member(body, "父亲")["work"]
    assert work["alternatives"] == [] and work["unmet"]["code"] == "work.none_fit"
    assert work["training"], "training closes the gap when no job fits"
    (missing,) = [u for u in body["unsatisfied"] if u["member"] == "父亲"]
    assert missing["need"] == "work" and missing["reason"]["zh"] and missing["reason"]["en"]


def test_a_child_too_young_for_any_centre_nearby_is_explained(client: Client) -> None:
    newborn = {"label": "孩子", "birth_date": "2026-10-01", "needs": ["childcare"]}  # 2 months
    body = plan(client, [MOTHER, newborn])
    work = member(body, "母亲")["work"]
    assert work["alternatives"] == []
    assert work["unmet"]["code"] == "work.no_childcare"
    need = member(body, "孩子")["needs"][0]
    assert need["options"] == [] and need["unmet"]["code"] == "unmet"
    assert {u["need"] for u in body["unsatisfied"]} == {"work", "childcare"}


def test_an_elder_gets_meals_near_home_in_the_same_plan(client: Client) -> None:
    grandma = {"label": "奶奶", "age": 78, "statuses": ["living_alone"], "needs": ["meal"]}
    body = plan(client, [MOTHER, BABY, grandma], minutes=20)
    meal = member(body, "奶奶")["needs"][0]
    assert meal["need"] == "meal" and meal["options"]
    assert meal["options"][0]["eligibility"]["outcome"] == "eligible"
    assert any(line["code"] == "plan.meal" and "奶奶" in line["zh"] for line in body["plan"])
    assert member(body, "奶奶")["work"] is None


def test_the_combinations_are_bounded_and_ranked(client: Client) -> None:
    body = plan(client, [MOTHER, BABY], alternatives=3)
    work = member(body, "母亲")["work"]
    assert work["jobs_checked_for_care"] <= 12
    assert len(work["alternatives"]) <= 3
    assert [a["rank"] for a in work["alternatives"]] == list(
        range(1, len(work["alternatives"]) + 1)
    )
    totals = [a["job"]["total"] for a in work["alternatives"]]
    assert totals == sorted(totals, reverse=True)
