"""POST /v1/match/jobs: open vacancies within a seeker's commute, scored and explained, with
training when too few fit; protected attributes can neither be sent nor used."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.matching import schemas as m
from leye_yiyang.models import Vacancy
from leye_yiyang.rules.fairness import assert_no_protected_fields, protected_fields_in
from leye_yiyang.rules.jobs import WEIGHTS, Seeker, VacancyView

Client = TestClient[Litestar]
QIAODONG = {"lon": 120.104919, "lat": 33.396027}  # 毓龙街道桥东社区
JIEFANGQIAO = {"lon": 120.127955, "lat": 33.387335}  # 先锋街道解放桥社区
ON = "2026-12-01T09:00:00+08:00"


def match(
    client: Client, seeker: dict[str, Any], home: dict[str, Any] = QIAODONG, **extra: Any
) -> dict[str, Any]:
    r = client.post("/v1/match/jobs", json={"seeker": seeker, "home": home, "at": ON, **extra})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def minutes(clock: str) -> int:
    h, mm = clock.split(":")
    return int(h) * 60 + int(mm)


def test_hugong_in_the_residents_words_finds_elderly_care_vacancies(client: Client) -> None:
    body = match(client, {"occupations": ["护工"], "max_commute_minutes": 30})
    word = body["understood"][0]
    assert word["word"] == "护工" and "养老护理员" in word["occupation_names"]
    codes = {o["vacancy"]["occupation_code"] for o in body["options"]}
    assert "4-10-01-05" in codes and codes <= {"4-10-01-05", "4-14-01-02"}
    assert min(o["skills"]["score"] for o in body["options"]) > 0


def test_must_leave_by_keeps_out_every_late_shift(client: Client) -> None:
    body = match(
        client,
        {"occupations": ["护工"], "must_leave_by": "17:30", "max_commute_minutes": 30},
        include_excluded=True,
        limit=50,
    )
    assert body["options"]
    for o in body["options"]:
        shifts = o["vacancy"]["shifts"]
        ends_ok = [
            s["ends"] > s["starts"] and minutes(s["ends"]) <= minutes("17:30") for s in shifts
        ]
        assert all(ends_ok) if not o["vacancy"]["part_time"] else any(ends_ok)
    late = [
        o
        for o in body["excluded"]
        if any(
            minutes(s["ends"]) > minutes("17:30") or s["ends"] <= s["starts"]
            for s in o["vacancy"]["shifts"]
        )
    ]
    assert late
    for o in late:
        assert not o["fits"]
        assert {b["code"] for b in o["blockers"]} & {"schedule.too_late", "schedule.overnight"}


def test_every_score_part_is_weighted_and_explained(client: Client) -> None:
    body = match(
        client,
        {
            "occupations": ["厨师"],
            "skills": ["配菜"],
            "max_commute_minutes": 30,
            "desired_wage": 6000,
        },
    )
    assert body["options"]
    for o in body["options"]:
        parts = [o[name] for name in ("skills", "schedule", "commute", "wage")]
        assert [p["weight"] for p in parts] == [
            WEIGHTS[n] for n in ("skills", "schedule", "commute", "wage")
        ]
        assert o["total"] == pytest.approx(sum(p["score"] * p["weight"] for p in parts), abs=0.002)
        for p in parts:
            assert p["reason"]["zh"] and p["reason"]["en"]
    totals = [o["total"] for o in body["options"]]
    assert totals == sorted(totals, reverse=True)


def test_only_open_unexpired_vacancies_within_the_commute_are_offered(client: Client) -> None:
    body = match(
        client,
        {"occupations": ["保洁"], "max_commute_minutes": 15},
        limit=50,
        include_excluded=True,
    )
    assert body["options"]
    for o in body["options"] + body["excluded"]:
        assert o["travel_minutes"] <= 15
        assert o["vacancy"]["expires_on"] is None or o["vacancy"]["expires_on"] >= "2026-12-01"


def test_training_is_recommended_when_few_jobs_fit(client: Client) -> None:
    body = match(
        client,
        {"occupations": ["焊工"], "mode": "walk", "max_commute_minutes": 20},
        home=JIEFANGQIAO,
    )
    assert body["fitting"] < 3
    assert body["training_reason"]["code"] == "training.few_fit"
    courses = body["training"]
    assert courses and courses[0]["occupation_code"] == "6-18-02-04"
    for c in courses:
        assert c["starts_on"] > "2026-12-01" and c["seats_free"] > 0
        assert c["teaches"] or c["same_occupation"]
        assert c["reason"]["zh"] and c["reason"]["en"]
    overlap = [len(c["teaches"]) + c["same_occupation"] for c in courses]
    assert overlap == sorted(overlap, reverse=True)


def test_no_training_is_pushed_when_enough_jobs_fit(client: Client) -> None:
    body = match(client, {"occupations": ["护工"], "max_commute_minutes": 30})
    assert body["fitting"] >= 3 and body["training"] == [] and body["training_reason"] is None


def test_the_seeker_types_carry_no_protected_attribute() -> None:
    for struct in (Seeker, m.SeekerIn, m.JobMatchRequest, m.HouseholdRequest, m.MemberIn):
        assert_no_protected_fields(struct)
    # Vacancy texts (requirements, description) are not even part of what scoring reads.
    assert protected_fields_in(VacancyView) == []
    assert not {"requirements", "description"} & set(VacancyView.__struct_fields__)
    assert not {"requirements", "description"} & set(m.VacancyBrief.__struct_fields__)


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("seeker", "sex"),
        ("seeker", "gender"),
        ("seeker", "marital_status"),
        ("seeker", "ethnicity"),
        ("seeker", "religion"),
        ("seeker", "hbv_status"),
        (None, "hukou"),
    ],
)
def test_a_protected_attribute_in_the_body_is_refused(
    client: Client, where: str | None, field: str
) -> None:
    body: dict[str, Any] = {"seeker": {"occupations": ["厨师"]}, "home": QIAODONG}
    (body["seeker"] if where else body)[field] = "x"
    r = client.post("/v1/match/jobs", json=body)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["code"] == "protected_attribute"
    assert field in problem["message_zh"] and field in problem["message_en"]
    assert "就业促进法" in problem["message_zh"]


def test_a_protected_attribute_is_refused_in_a_household_member_too(client: Client) -> None:
    r = client.post(
        "/v1/match/household",
        json={
            "members": [{"label": "母亲", "age": 30, "seeks_work": True, "pregnant": False}],
            "home": QIAODONG,
        },
    )
    assert r.status_code == 400 and r.json()["code"] == "protected_attribute"


def test_age_and_statuses_of_a_household_member_never_move_their_job_ranking(
    client: Client,
) -> None:
    """A member's age and statuses (disability included) are read for services only: two members
    with the same job facts get the same jobs in the same order, equal to the jobs endpoint's."""
    work = {"occupations": ["保洁"], "max_commute_minutes": 20}

    def jobs_of(member: dict[str, Any]) -> list[int]:
        r = client.post(
            "/v1/match/household",
            json={
                "members": [{"label": "求职者", "seeks_work": True, "work": work, **member}],
                "home": QIAODONG,
                "at": ON,
                "alternatives": 5,
            },
        )
        assert r.status_code == 200, r.text
        alternatives = r.json()["members"][0]["work"]["alternatives"]
        return [a["job"]["vacancy"]["id"] for a in alternatives]

    young = jobs_of({"age": 24})
    older = jobs_of({"age": 58, "statuses": ["disability", "dibao"]})
    direct = [o["vacancy"]["id"] for o in match(client, work, limit=5)["options"]]
    assert young == older == direct and young


def test_a_vacancy_closed_in_the_directory_is_gone_after_the_snapshot_refresh(
    client: Client, app: Litestar, db: Database
) -> None:
    seeker = {"occupations": ["护工"], "max_commute_minutes": 30}
    first = match(client, seeker)["options"][0]["vacancy"]["id"]
    with db.transaction() as s:
        v = s.get(Vacancy, first)
        assert v is not None
        v.status = "closed"
        bump_directory_version(s)
    try:
        app.state["snapshots"].refresh()
        assert first not in {o["vacancy"]["id"] for o in match(client, seeker, limit=50)["options"]}
    finally:
        with db.transaction() as s:
            v = s.get(Vacancy, first)
            assert v is not None
            v.status = "open"
            bump_directory_version(s)
        app.state["snapshots"].refresh()
    assert match(client, seeker)["options"][0]["vacancy"]["id"] == first
