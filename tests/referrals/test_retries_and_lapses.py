"""Safe retries with Idempotency-Key, holds that lapse on their own, the live feed, the on-time
report, and a match turned into drafts."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from leye_yiyang.referrals import idempotency
from leye_yiyang.referrals.schemas import ReferralIn
from leye_yiyang.referrals.service import Casework
from leye_yiyang.referrals.sweeper import Sweeper
from tests.referrals.conftest import Tokens, facility_with
from tests.referrals.test_referral_flow import draft, new_resident, places_free, step, worker


def test_the_same_key_and_body_give_the_first_answer_again(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=80, taken=0)
    resident = new_resident(cw, tokens, "320902194601010015", share=False)
    body = {"resident_id": resident, "target": {"type": "facility", "id": facility}}
    headers = {**worker(tokens), "Idempotency-Key": "draft-7f3a"}
    first = cw.post("/v1/referrals", json=body, headers=headers)
    again = cw.post("/v1/referrals", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    mine = cw.get("/v1/referrals", params={"resident_id": resident}, headers=worker(tokens))
    assert [r["id"] for r in mine.json()["items"]] == [first.json()["id"]]
    other = {**body, "note": "换一个"}
    clash = cw.post("/v1/referrals", json=other, headers=headers)
    assert (clash.status_code, clash.json()["code"]) == (422, "idempotency_key_reused")


def test_a_retried_send_holds_one_place_not_two(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "day_care", capacity=4, taken=0)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194602020012", share=False), facility)
    headers = {**worker(tokens), "Idempotency-Key": f"send-{ref['id']}"}
    for _ in range(3):
        r = cw.post(f"/v1/referrals/{ref['id']}/send", json={"reason": ""}, headers=headers)
        assert r.status_code == 200
    assert places_free(cw, facility) == 3


def test_a_lapsed_hold_is_released_by_the_sweeper(
    cw: TestClient[Litestar], cw_db: Database, cw_app: Litestar, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "care_home", capacity=1, taken=0)
    ref = draft(cw, tokens, new_resident(cw, tokens, "32090219460303001X", share=False), facility)
    step(cw, worker(tokens), ref["id"], "send")
    assert places_free(cw, facility) == 0
    sweeper = Sweeper(
        cw_db, lambda: Casework(keys=cw_app.state["keyring"], answer_days=3, close_days=15)
    )
    due = dt.datetime.fromisoformat(
        cw.get(f"/v1/referrals/{ref['id']}", headers=worker(tokens)).json()["answer_due"]
    )
    assert sweeper.sweep(due - dt.timedelta(minutes=1)) == 0
    assert sweeper.sweep(due + dt.timedelta(minutes=1)) >= 1
    after = cw.get(f"/v1/referrals/{ref['id']}", headers=worker(tokens)).json()
    assert (after["state"], after["fhir_status"]) == ("expired", "failed")
    assert places_free(cw, facility) == 1


def test_the_feed_sends_events_and_resumes_after_last_event_id(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=80, taken=0)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194604040017", share=False), facility)
    step(cw, worker(tokens), ref["id"], "send")
    first = cw.get("/v1/referrals/events", params={"seconds": 0.2}, headers=staff)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/event-stream")
    ids = [int(x) for x in re.findall(r"^id: ?(\d+)", first.text, re.M)]
    assert len(ids) >= 1
    assert '"to_state":"sent"' in first.text
    assert '"to_state":"draft"' not in first.text  # drafts are the worker's own
    step(cw, staff, ref["id"], "accept")
    resumed = cw.get(
        "/v1/referrals/events",
        params={"seconds": 0.2},
        headers={**staff, "Last-Event-ID": str(max(ids))},
    )
    again = [int(x) for x in re.findall(r"^id: ?(\d+)", resumed.text, re.M)]
    assert len(again) == 1 and again[0] > max(ids)
    assert '"to_state":"accepted"' in resumed.text


def test_the_report_counts_answers_within_the_deadline(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "day_care", capacity=30, taken=0)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194605050014", share=False), facility)
    step(cw, worker(tokens), ref["id"], "send")
    step(cw, staff, ref["id"], "accept")
    admin = tokens.headers(Role.DISTRICT_ADMIN)
    month = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")
    report = cw.get(
        "/v1/referrals/report", params={"month": month, "by": "facility"}, headers=admin
    )
    assert report.status_code == 200, report.text
    row = next(r for r in report.json()["rows"] if r["key"] == f"facility:{facility}")
    assert row["sent"] >= 1 and row["answered_on_time"] >= 1
    assert report.json()["total"]["sent"] >= row["sent"]
    health = tokens.headers(Role.HEALTH)
    scoped = cw.get("/v1/referrals/report", params={"month": month}, headers=health).json()
    assert all(not r["key"].startswith(f"facility:{facility}") for r in scoped["rows"])
    assert cw.get("/v1/referrals/report", headers=staff).status_code == 403


def test_a_match_result_becomes_drafts_with_its_reasons(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    resident = new_resident(cw, tokens, "320902194606060011", share=False)
    match = cw.post(
        "/v1/match/services",
        json={"person": {"age": 80}, "home": {"lon": 120.1395, "lat": 33.3849}, "needs": ["meal"]},
    )
    assert match.status_code == 200, match.text
    option = match.json()["needs"][0]["options"][0]
    shown = [option["eligibility"]["reason"], option["opening"].get("reason") or {}]
    reasons = [{"zh": r["zh"], "en": r["en"]} for r in shown if r]
    body = {
        "resident_id": resident,
        "match": "services",
        "options": [
            {"target": {"type": "facility", "id": option["facility"]["id"]}, "reasons": reasons}
        ],
    }
    r = cw.post("/v1/referrals/from-match", json=body, headers=worker(tokens))
    assert r.status_code == 201, r.text
    drafts = r.json()["items"]
    assert len(drafts) == 1
    assert drafts[0]["state"] == "draft"
    assert drafts[0]["reasons"] == reasons and len(reasons) >= 1


def test_a_retry_while_the_first_is_still_running_is_409(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=80, taken=0)
    resident = new_resident(cw, tokens, "320902194608080016", share=False)
    body = {"resident_id": resident, "target": {"type": "facility", "id": facility}}
    account, headers = tokens.account(Role.SOCIAL_WORKER, area_code="320902003000")
    # The first request has claimed the key and not finished (as a concurrent one would see it).
    idempotency.claim(cw_db, account, "slow-1", "another fingerprint", dt.datetime.now(dt.UTC))
    r = cw.post("/v1/referrals", json=body, headers={**headers, "Idempotency-Key": "slow-1"})
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    same = idempotency.fingerprint(
        "POST", "/v1/referrals", msgspec.json.encode(msgspec.convert(body, ReferralIn))
    )
    idempotency.claim(cw_db, account, "slow-2", same, dt.datetime.now(dt.UTC))
    r = cw.post("/v1/referrals", json=body, headers={**headers, "Idempotency-Key": "slow-2"})
    assert (r.status_code, r.json()["code"]) == (409, "idempotency_in_progress")
