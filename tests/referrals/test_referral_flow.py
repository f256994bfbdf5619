"""A referral from draft to completed: the place is held on sending, taken on acceptance, shows
in nearby search; every move is recorded; the receiving side sees only what is shared."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from tests.referrals.conftest import HOME, PHONE, Tokens, facility_with

ORG = "320902003000"  # 先锋街道


def worker(tokens: Tokens) -> dict[str, str]:
    return tokens.headers(Role.SOCIAL_WORKER, area_code=ORG)


def new_resident(cw: TestClient[Litestar], tokens: Tokens, id_number: str, share: bool) -> int:
    consents = [{"scope": "share", "given_by": "self", "method": "oral"}] if share else []
    body = {
        "name": "李桂兰",
        "id_number": id_number,
        "phone": PHONE,
        "home": HOME,
        "needs": ["lunch"],
        "consents": consents,
    }
    r = cw.post("/v1/residents", json=body, headers=worker(tokens))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def draft(cw: TestClient[Litestar], tokens: Tokens, resident: int, facility: int) -> dict[str, Any]:
    body = {"resident_id": resident, "target": {"type": "facility", "id": facility}}
    r = cw.post("/v1/referrals", json=body, headers=worker(tokens))
    assert r.status_code == 201, r.text
    return dict(r.json())


def step(
    cw: TestClient[Litestar], headers: dict[str, str], ref: int, move: str, reason: str = ""
) -> Any:
    return cw.post(f"/v1/referrals/{ref}/{move}", json={"reason": reason}, headers=headers)


def places_free(cw: TestClient[Litestar], facility: int) -> int:
    return int(cw.get(f"/v1/facilities/{facility}").json()["places_free"])


def test_a_referral_holds_then_takes_a_place_and_is_followed_to_the_end(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "day_care", capacity=10, taken=5)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194507150011", share=True), facility)
    assert (ref["state"], ref["fhir_status"]) == ("draft", "draft")
    sent = step(cw, worker(tokens), ref["id"], "send")
    assert sent.status_code == 200, sent.text
    assert sent.json()["state"] == "sent"
    assert sent.json()["answer_due"] is not None
    assert places_free(cw, facility) == 4
    incoming = cw.get("/v1/referrals", params={"state": "sent"}, headers=staff).json()
    assert [i["id"] for i in incoming["items"]] == [ref["id"]]
    seen = incoming["items"][0]
    assert seen["resident_id"] is None
    assert seen["shared"]["name"] == "李桂兰"
    assert seen["shared"]["phone"] == "138****4567"
    assert "320902194507150011" not in str(seen)
    assert step(cw, staff, ref["id"], "accept").json()["state"] == "accepted"
    assert places_free(cw, facility) == 4
    assert step(cw, staff, ref["id"], "start").json()["state"] == "in_service"
    done = step(cw, staff, ref["id"], "complete").json()
    assert done["state"] == "completed"
    assert [e["to_state"] for e in done["events"]] == [
        "draft",
        "sent",
        "accepted",
        "in_service",
        "completed",
    ]
    assert places_free(cw, facility) == 5


def test_an_illegal_move_is_409_with_the_allowed_next_moves(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=50, taken=0)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902195003030010", share=False), facility)
    r = step(cw, worker(tokens), ref["id"], "complete")
    # The worker may not complete (the receiver's move); and from draft it is illegal anyway.
    assert (r.status_code, r.json()["code"]) == (403, "wrong_side")
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    step(cw, worker(tokens), ref["id"], "send")
    r = step(cw, staff, ref["id"], "complete")
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition"
    assert r.json()["extra"]["allowed"] == ["cancel", "accept", "decline"]


def test_declining_needs_a_reason_and_gives_the_place_back(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "care_home", capacity=3, taken=2)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902193508080014", share=False), facility)
    step(cw, worker(tokens), ref["id"], "send")
    assert places_free(cw, facility) == 0
    no_reason = step(cw, staff, ref["id"], "decline")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    declined = step(cw, staff, ref["id"], "decline", "床位需专业护理，本院无法提供")
    assert declined.json()["state"] == "declined"
    assert places_free(cw, facility) == 1


def test_without_consent_to_share_the_facility_sees_no_name(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=80, taken=0)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194212120018", share=False), facility)
    sent = step(cw, worker(tokens), ref["id"], "send").json()
    seen = cw.get(f"/v1/referrals/{sent['id']}", headers=staff).json()
    assert seen["shared"]["consent_to_share"] is False
    assert "name" not in seen["shared"]
    assert seen["shared"]["age_band"] == "80-89"


def test_another_facility_cannot_see_or_answer_the_referral(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "meal_hall", capacity=80, taken=0)
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194404040012", share=True), facility)
    step(cw, worker(tokens), ref["id"], "send")
    other = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility + 1)
    assert cw.get(f"/v1/referrals/{ref['id']}", headers=other).status_code == 404
    assert step(cw, other, ref["id"], "accept").status_code == 404


def test_a_vacancy_referral_is_answered_by_human_resources(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    from sqlalchemy import select

    from leye_yiyang.models import Vacancy

    with cw_db.transaction() as session:
        vacancy = session.scalars(
            select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)
        ).first()
        assert vacancy is not None
        vacancy.headcount, vacancy.places_filled = 2, 0
        vid = vacancy.id
    resident = new_resident(cw, tokens, "320902198505050015", share=True)
    body = {"resident_id": resident, "target": {"type": "vacancy", "id": vid}}
    ref = cw.post("/v1/referrals", json=body, headers=worker(tokens)).json()
    assert ref["target"]["kind"] == "vacancy"
    step(cw, worker(tokens), ref["id"], "send")
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility_with(cw_db, "meal_hall", 9, 0))
    assert step(cw, staff, ref["id"], "accept").status_code == 404
    hrss = tokens.headers(Role.HRSS)
    accepted = step(cw, hrss, ref["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "accepted"
    with cw_db.transaction() as session:
        row = session.get(Vacancy, vid)
        assert row is not None
        assert (row.places_filled, row.places_held) == (1, 0)


def test_nearby_counts_a_held_place_on_the_next_request(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens
) -> None:
    facility = facility_with(cw_db, "day_care", capacity=6, taken=1)
    info = cw.get(f"/v1/facilities/{facility}").json()
    near = {"lon": info["lon"], "lat": info["lat"], "kind": "day_care", "limit": 1}

    def free_in_nearby() -> int:
        item = cw.get("/v1/facilities/nearby", params=near).json()["items"][0]
        assert item["facility"]["id"] == facility
        return int(item["facility"]["places_free"])

    cw.app.state["snapshots"].refresh()  # the capacity was set behind the API's back
    assert free_in_nearby() == 5
    ref = draft(cw, tokens, new_resident(cw, tokens, "320902194707070016", share=False), facility)
    step(cw, worker(tokens), ref["id"], "send")
    assert free_in_nearby() == 4
