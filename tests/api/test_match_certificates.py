"""POST /v1/match/jobs: the words a seeker gives are skills or wishes, not certificates held.

"护理员" is a synonym of 养老护理员 and part of the names of the 养老护理员证 and the 医疗护理员证;
saying it holds neither. Only `certificates` says a certificate is held."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

Client = TestClient[Litestar]
QIAODONG = {"lon": 120.104919, "lat": 33.396027}  # 毓龙街道桥东社区
ON = "2026-12-01T09:00:00+08:00"
CERT = "养老护理员证"


def match(client: Client, seeker: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/v1/match/jobs", json={"seeker": seeker, "home": QIAODONG, "at": ON})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


# Within a 15-minute walk of 桥东 no care job is open, so training is what there is to offer.
WANTS_CARE_WORK = {"skills": ["护理员"], "occupations": ["养老护理员"], "mode": "walk"}


def test_a_seeker_who_only_says_huliyuan_is_offered_a_course_for_the_certificate(
    client: Client,
) -> None:
    body = match(client, {**WANTS_CARE_WORK, "max_commute_minutes": 15})
    assert body["fitting"] == 0
    courses = body["training"]
    assert courses
    assert CERT in courses[0]["teaches"]
    assert courses[0]["occupation_code"] == "4-10-01-05"
    assert "教授所缺技能：" in courses[0]["reason"]["zh"] and CERT in courses[0]["reason"]["zh"]


def test_a_seeker_who_holds_the_certificate_is_not_taught_it_again(client: Client) -> None:
    body = match(client, {**WANTS_CARE_WORK, "max_commute_minutes": 15, "certificates": [CERT]})
    courses = body["training"]
    assert courses
    assert [c["ref"] for c in courses if CERT in c["teaches"]] == []


def test_a_job_asking_for_the_certificate_shows_it_missing_until_the_seeker_says_it_is_held(
    client: Client,
) -> None:
    words = {"occupations": ["护理员"], "max_commute_minutes": 30}
    without = match(client, words)
    lacking = {o["vacancy"]["id"]: o for o in without["options"] if CERT in o["skill_gap"]}
    assert lacking, "some care job near 桥东 asks for the 养老护理员证"
    held = match(client, {**words, "certificates": [CERT]})
    after = {o["vacancy"]["id"]: o for o in held["options"]}
    same = sorted(set(lacking) & set(after))
    assert same
    for vid in same:
        assert CERT not in after[vid]["skill_gap"]
        assert after[vid]["skills"]["score"] > lacking[vid]["skills"]["score"]
