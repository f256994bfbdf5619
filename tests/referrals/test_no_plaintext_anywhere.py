"""After a whole flow (register, consent, reveal, refer, send, accept, complete, withdraw), no
table and no log line holds the resident's ID number or phone in the clear."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import inspect, select, text

from leye_yiyang.accounts.policy import Role
from leye_yiyang.db import Database
from tests.referrals.conftest import HOME, Tokens, facility_with
from tests.referrals.test_referral_flow import step, worker

ID_NUMBER = "320902195107070017"
PHONE = "13912345678"


def test_no_table_or_log_holds_an_identifier_in_the_clear(
    cw: TestClient[Litestar], cw_db: Database, tokens: Tokens, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    facility = facility_with(cw_db, "day_care", capacity=20, taken=0)
    staff = tokens.headers(Role.PROVIDER_STAFF, facility_id=facility)
    consents = [
        {"scope": "share", "given_by": "self", "method": "written"},
        {"scope": "sensitive", "given_by": "self", "method": "written"},
    ]
    body = {
        "name": "赵德明",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "home": HOME,
        "statuses": ["disability"],
        "consents": consents,
    }
    made = cw.post("/v1/residents", json=body, headers=worker(tokens))
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert cw.post(f"/v1/residents/{rid}/reveal", headers=worker(tokens)).json()["phone"] == PHONE
    ref = cw.post(
        "/v1/referrals",
        json={"resident_id": rid, "target": {"type": "facility", "id": facility}},
        headers=worker(tokens),
    ).json()
    for who, move in (
        (worker(tokens), "send"),
        (staff, "accept"),
        (staff, "start"),
        (staff, "complete"),
    ):
        assert step(cw, who, ref["id"], move).status_code == 200
    sensitive = next(c for c in made.json()["consents"] if c["scope"] == "sensitive")
    cw.post(
        f"/v1/residents/{rid}/consents/{sensitive['id']}/withdraw", json={}, headers=worker(tokens)
    )

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) > 0
    assert ID_NUMBER not in logged and PHONE not in logged
    with cw_db.transaction() as session:
        tables = inspect(session.get_bind()).get_table_names()
        assert {"residents", "referrals", "audit_events", "referral_events"} <= set(tables)
        dumped = []
        for table in tables:
            rows = session.execute(text(f'SELECT * FROM "{table}"')).all()
            dumped.append(repr(rows))
        everything = "\n".join(dumped)
        assert "赵德明" in everything  # the dump really holds this resident's rows
        assert ID_NUMBER not in everything
        assert PHONE not in everything
        assert ID_NUMBER[-12:] not in everything  # not even the birth date and sequence
        stored = session.execute(
            select(text("id_sealed"), text("phone_sealed"))
            .select_from(text("residents"))
            .where(text("id = :id")),
            {"id": rid},
        ).one()
        assert stored[0].startswith("v1.") and stored[1].startswith("v1.")
