"""A social worker's caseload: identifiers sealed and masked, revealed only to the owner on
request (audited), sensitive information stored only under consent, erased when it is withdrawn."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.accounts.policy import Role
from tests.referrals.conftest import HOME, ID_NUMBER, PHONE, Tokens

ORG = "320902001000"  # 五星街道
CONSENT = {"scope": "sensitive", "given_by": "self", "method": "written"}


def resident(id_number: str = ID_NUMBER, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "王秀英",
        "id_number": id_number,
        "phone": PHONE,
        "home": HOME,
        "statuses": ["living_alone"],
        "needs": ["lunch"],
    }
    body.update(extra)
    return body


def register(cw: TestClient[Litestar], tokens: Tokens, body: dict[str, Any]) -> Any:
    return cw.post(
        "/v1/residents", json=body, headers=tokens.headers(Role.SOCIAL_WORKER, area_code=ORG)
    )


def test_a_registered_resident_is_shown_masked(cw: TestClient[Litestar], tokens: Tokens) -> None:
    r = register(cw, tokens, resident("320902198001010036"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id_number"] == "320902**********36"
    assert body["phone"] == "138****4567"
    assert body["birth_date"] == "1980-01-01"
    assert body["home"]["area_code"].startswith("320902")
    assert "198001010036" not in r.text and PHONE not in r.text


def test_the_owning_worker_reveals_and_the_audit_says_so(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    owner = tokens.headers(Role.SOCIAL_WORKER, area_code=ORG)
    made = cw.post("/v1/residents", json=resident("320902197003050010"), headers=owner)
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    shown = cw.post(f"/v1/residents/{rid}/reveal", headers=owner)
    assert shown.status_code == 200
    assert shown.json()["id_number"] == "320902197003050010"
    assert shown.json()["phone"] == PHONE
    admin = tokens.headers(Role.DISTRICT_ADMIN)
    audit = cw.get("/v1/audit", params={"resident_id": rid}, headers=admin).json()
    assert [e["action"] for e in audit["items"]] == ["identifiers_revealed", "resident_registered"]
    assert "197003050010" not in str(audit)


def test_a_colleague_reads_masked_but_may_not_reveal(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    rid = register(cw, tokens, resident("320902196206170026")).json()["id"]
    # A second worker of the same subdistrict: same caseload, not the owner.
    _, colleague = tokens.account(Role.SOCIAL_WORKER, area_code=ORG, days=30)
    shown = cw.get(f"/v1/residents/{rid}", headers=colleague)
    assert shown.status_code == 200
    assert shown.json()["id_number"] == "320902**********26"
    r = cw.post(f"/v1/residents/{rid}/reveal", headers=colleague)
    assert r.status_code == 403
    assert r.json()["code"] == "not_owning_worker"


def test_another_organisation_cannot_see_the_resident(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    rid = register(cw, tokens, resident("320902195811230010")).json()["id"]
    other = tokens.headers(Role.SOCIAL_WORKER, area_code="320902002000")
    r = cw.get(f"/v1/residents/{rid}", headers=other)
    assert r.status_code == 404
    assert r.json()["code"] == "resident_not_found"


def test_sensitive_information_needs_a_recorded_consent(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    r = register(cw, tokens, resident("320902194001010038", statuses=["disabled_adl"]))
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["field"]) == ("consent_required", "sensitive")


def test_with_consent_sensitive_information_is_kept_and_withdrawal_erases_it(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    owner = tokens.headers(Role.SOCIAL_WORKER, area_code=ORG)
    body = resident(
        "320902193905050038",
        statuses=["living_alone", "disabled_adl"],
        sensitive={"health_notes": "卧床"},
        consents=[CONSENT],
    )
    made = cw.post("/v1/residents", json=body, headers=owner)
    assert made.status_code == 201, made.text
    out = made.json()
    assert out["statuses"] == ["living_alone"]
    assert out["sensitive"]["statuses"] == ["disabled_adl"]
    assert out["sensitive"]["health_notes"] == "卧床"
    consent_id = out["consents"][0]["id"]
    gone = cw.post(
        f"/v1/residents/{out['id']}/consents/{consent_id}/withdraw", json={}, headers=owner
    )
    assert gone.status_code == 200
    assert gone.json()["withdrawn_at"] is not None
    after = cw.get(f"/v1/residents/{out['id']}", headers=owner).json()
    assert after["sensitive"] is None
    admin = tokens.headers(Role.DISTRICT_ADMIN)
    audit = cw.get("/v1/audit", params={"resident_id": out["id"]}, headers=admin).json()
    withdrawn = [e for e in audit["items"] if e["action"] == "consent_withdrawn"]
    assert len(withdrawn) == 1
    assert "sensitive.health_notes" in withdrawn[0]["detail"]["erased"]


def test_a_child_under_14_needs_a_guardian(cw: TestClient[Litestar], tokens: Tokens) -> None:
    household = [{"relation": "grandchild", "birth_date": "2022-05-01"}]
    r = register(
        cw, tokens, resident("320902195001010016", household=household, consents=[CONSENT])
    )
    assert r.status_code == 422
    assert r.json()["field"] == "household"
    by_guardian = {**CONSENT, "given_by": "guardian", "guardian_name": "王建国"}
    ok = register(
        cw, tokens, resident("320902195001010016", household=household, consents=[by_guardian])
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["household"] == []
    assert ok.json()["sensitive"]["children_under_14"][0]["birth_date"] == "2022-05-01"


def test_an_invalid_id_number_is_refused_by_its_check_character(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    r = register(cw, tokens, resident("320902194507150021"))
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("invalid_id_number", "id_number")


def test_a_resident_is_found_by_id_number_without_decrypting(
    cw: TestClient[Litestar], tokens: Tokens
) -> None:
    register(cw, tokens, resident("320902196812120010"))
    owner = tokens.headers(Role.SOCIAL_WORKER, area_code=ORG)
    page = cw.get("/v1/residents", params={"id_number": "320902196812120010"}, headers=owner).json()
    assert page["total"] == 1
    assert page["items"][0]["id_number"] == "320902**********10"


def test_the_district_admin_sees_counts_not_names(cw: TestClient[Litestar], tokens: Tokens) -> None:
    register(cw, tokens, resident("320902197712120018"))
    admin = tokens.headers(Role.DISTRICT_ADMIN)
    counts = cw.get("/v1/caseload/counts", headers=admin)
    assert counts.status_code == 200
    assert counts.json()["total"] >= 1
    assert "王秀英" not in counts.text
    assert cw.get("/v1/residents", headers=admin).status_code == 403
