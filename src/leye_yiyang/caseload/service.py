"""A social worker's caseload: registering a resident under consent, reading with masks,
revealing to the owner on request, consents given and withdrawn. Every change and reveal is
audited; identifiers are stored sealed (protect.py) and never written to a log or the audit."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import Principal, Role
from leye_yiyang.caseload import audit
from leye_yiyang.caseload import schemas as s
from leye_yiyang.caseload.protect import Keyring, mask_id_number, mask_phone
from leye_yiyang.caseload.views import SENSITIVE_CONTEXT, age_on, resident_out
from leye_yiyang.editing.checks import check_phone
from leye_yiyang.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from leye_yiyang.ids import birth_date_from_id, id_number_problem
from leye_yiyang.models_casework import Consent, Resident
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.vocab import PersonStatus

SENSITIVE_STATUSES = frozenset({PersonStatus.DISABLED_ADL, PersonStatus.DISABILITY})
CHILD_AGE = 14  # PIPL art. 28 and 31: a child under 14's information is sensitive


def caseload_key(who: Principal) -> str | None:
    """The caseload a social worker's account belongs to: its organisation, else its subdistrict."""
    if who.role is not Role.SOCIAL_WORKER:
        return None
    return who.organisation or who.area_code


def organisation_of(who: Principal) -> str:
    """The caseload a social worker belongs to: their organisation, else their subdistrict."""
    if who.role is not Role.SOCIAL_WORKER:
        raise Forbidden(
            "只有社工可以管理服务对象", "Only social workers keep a caseload", code="role_forbidden"
        )
    org = caseload_key(who)
    if not org:
        raise Forbidden(
            "该社工账号未归属任何街道或机构",
            "This social worker account belongs to no subdistrict or organisation",
            code="no_organisation",
        )
    return org


def load(session: Session, who: Principal, resident_id: int, *, lock: bool = False) -> Resident:
    org = organisation_of(who)
    stmt = select(Resident).where(Resident.id == resident_id)
    row = session.scalars(stmt.with_for_update() if lock else stmt).first()
    # Another organisation's resident is answered like a missing one: its existence is private.
    if row is None or row.organisation != org:
        raise NotFound("没有这个服务对象", "No such resident", code="resident_not_found")
    return row


def active_scopes(session: Session, resident_id: int) -> dict[str, Consent]:
    rows = session.scalars(
        select(Consent)
        .where(Consent.resident_id == resident_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.id)
    )
    return {c.scope: c for c in rows}


def _check_identity(data: s.ResidentIn) -> dt.date:
    problem = id_number_problem(data.id_number)
    if problem is not None:
        raise InvalidInput(
            f"身份证号码无效（{problem}）",
            f"Invalid resident ID number ({problem}; GB 11643 check)",
            code="invalid_id_number",
            field="id_number",
        )
    if data.phone:
        check_phone(data.phone)
    return birth_date_from_id(data.id_number)


def _needs_consent(field: str, zh: str, en: str) -> Unprocessable:
    return Unprocessable(zh, en, code="consent_required", field=field)


def _split(
    data: s.ResidentIn, born: dt.date, today: dt.date, scopes: dict[str, s.ConsentIn]
) -> tuple[list[PersonStatus], dict[str, object] | None, list[s.MemberIn]]:
    """(plain statuses, the sensitive part or None, household members kept in the clear)."""
    sensitive_statuses = [x for x in data.statuses if x in SENSITIVE_STATUSES]
    if data.sensitive is not None:
        sensitive_statuses += [x for x in data.sensitive.statuses if x not in sensitive_statuses]
    children = [m for m in data.household if age_on(m.birth_date, today) < CHILD_AGE]
    adults = [m for m in data.household if age_on(m.birth_date, today) >= CHILD_AGE]
    notes = data.sensitive.health_notes if data.sensitive is not None else ""
    consent = scopes.get("sensitive")
    if (sensitive_statuses or notes) and consent is None:
        raise _needs_consent(
            "sensitive",
            "失能、残疾、健康等敏感个人信息须先记录本人同意",
            "Sensitive information (失能, disability, health) needs a recorded consent first",
        )
    if children and (consent is None or consent.given_by != "guardian"):
        raise _needs_consent(
            "household",
            "不满十四周岁儿童的信息须由监护人同意",
            "Information about a child under 14 needs the consent of a guardian",
        )
    if age_on(born, today) < CHILD_AGE and any(c.given_by != "guardian" for c in scopes.values()):
        raise _needs_consent(
            "consents",
            "不满十四周岁者须由监护人同意",
            "A child under 14 consents through a guardian",
        )
    plain = [x for x in data.statuses if x not in SENSITIVE_STATUSES]
    if not (sensitive_statuses or notes or children):
        return plain, None, adults
    part: dict[str, object] = {
        "statuses": sensitive_statuses,
        "health_notes": notes,
        "children": msgspec.to_builtins(children),
    }
    return plain, part, adults


def register(
    session: Session,
    keys: Keyring,
    snap: DirectorySnapshot,
    who: Principal,
    data: s.ResidentIn,
    now: dt.datetime,
) -> Resident:
    org = organisation_of(who)
    born = _check_identity(data)
    today = now.date()
    scopes: dict[str, s.ConsentIn] = {}
    for c in data.consents:
        if c.scope in scopes:
            raise InvalidInput("同一范围的同意只需一次", "One consent per scope", field="consents")
        if c.given_by == "guardian" and not c.guardian_name:
            raise InvalidInput("请填写监护人姓名", "Name the guardian", field="guardian_name")
        scopes[c.scope] = c
    plain, part, adults = _split(data, born, today, scopes)
    home = snap.places.locate(data.home.lon, data.home.lat, data.home.crs, data.home.address)
    lon, lat = home.wgs84
    geo = snap.geography
    point = LonLat(lon, lat)
    area = geo.locator.locate(point) or geo.locator.nearest(point)
    lookup = keys.lookup_hash(data.id_number)
    clash = session.scalar(
        select(Resident.id).where(Resident.organisation == org, Resident.id_lookup == lookup)
    )
    if clash is not None:
        raise Conflict(
            "该身份证号码的服务对象已登记",
            "A resident with this ID number is already registered",
            code="resident_exists",
            field="id_number",
            extra={"resident_id": clash},
        )
    row = Resident(
        organisation=org,
        worker_account_id=who.account_id,
        name=data.name,
        id_sealed=keys.seal(data.id_number.strip().upper(), "resident.id_number"),
        id_mask=mask_id_number(data.id_number),
        id_lookup=lookup,
        birth_date=born,
        phone_sealed=keys.seal(data.phone.strip(), "resident.phone") if data.phone else None,
        phone_mask=mask_phone(data.phone) if data.phone else None,
        home_lon=lon,
        home_lat=lat,
        home_address=data.home.address or home.matched or "",
        area_code=area or "",
        statuses=[str(x) for x in plain],
        needs=[str(x) for x in data.needs],
        household=msgspec.to_builtins(adults),
        sensitive_sealed=keys.seal(msgspec.json.encode(part).decode(), SENSITIVE_CONTEXT)
        if part is not None
        else None,
        created_at=now,
        updated_at=now,
        version=1,
    )
    session.add(row)
    session.flush()
    for c in scopes.values():
        _add_consent(session, row.id, who, c, now)
    audit.record(
        session,
        now,
        who.account_id,
        "resident_registered",
        resident_id=row.id,
        id_number=row.id_mask,
        consents=sorted(scopes),
        sensitive_stored=part is not None,
    )
    return row


def _add_consent(
    session: Session, resident_id: int, who: Principal, c: s.ConsentIn, now: dt.datetime
) -> Consent:
    row = Consent(
        resident_id=resident_id,
        scope=c.scope,
        given_by=c.given_by,
        guardian_name=c.guardian_name,
        method=c.method,
        recorded_by=who.account_id,
        given_at=now,
        note=c.note,
    )
    session.add(row)
    session.flush()
    return row


def give_consent(
    session: Session, who: Principal, resident_id: int, c: s.ConsentIn, now: dt.datetime
) -> Consent:
    row = load(session, who, resident_id, lock=True)
    if c.scope in active_scopes(session, row.id):
        raise Conflict(
            "该范围的同意已记录", "This consent is already recorded", code="consent_exists"
        )
    if c.given_by == "guardian" and not c.guardian_name:
        raise InvalidInput("请填写监护人姓名", "Name the guardian", field="guardian_name")
    if age_on(row.birth_date, now.date()) < CHILD_AGE and c.given_by != "guardian":
        raise _needs_consent(
            "given_by",
            "不满十四周岁者须由监护人同意",
            "A child under 14 consents through a guardian",
        )
    consent = _add_consent(session, row.id, who, c, now)
    audit.record(
        session,
        now,
        who.account_id,
        "consent_given",
        resident_id=row.id,
        scope=c.scope,
        given_by=c.given_by,
        method=c.method,
        consent_id=consent.id,
    )
    return consent


def withdraw_consent(
    session: Session, who: Principal, resident_id: int, consent_id: int, note: str, now: dt.datetime
) -> Consent:
    row = load(session, who, resident_id, lock=True)
    consent = session.get(Consent, consent_id)
    if consent is None or consent.resident_id != row.id:
        raise NotFound("没有这项同意", "No such consent", code="consent_not_found")
    if consent.withdrawn_at is not None:
        raise Conflict(
            "该同意已撤回", "This consent was already withdrawn", code="consent_withdrawn"
        )
    consent.withdrawn_at = now
    erased: list[str] = []
    if consent.scope == "sensitive" and row.sensitive_sealed is not None:
        row.sensitive_sealed = None
        row.updated_at = now
        row.version += 1
        erased = ["sensitive.statuses", "sensitive.health_notes", "sensitive.children_under_14"]
    audit.record(
        session,
        now,
        who.account_id,
        "consent_withdrawn",
        resident_id=row.id,
        scope=consent.scope,
        consent_id=consent.id,
        erased=erased,
        note=note,
    )
    return consent


def reveal(
    session: Session, keys: Keyring, who: Principal, resident_id: int, now: dt.datetime
) -> s.Revealed:
    row = load(session, who, resident_id)
    if row.worker_account_id != who.account_id:
        raise Forbidden(
            "只有负责的社工可以查看完整证件号码和电话",
            "Only the resident's own social worker may see the full ID number and phone",
            code="not_owning_worker",
        )
    audit.record(session, now, who.account_id, "identifiers_revealed", resident_id=row.id)
    return s.Revealed(
        id=row.id,
        id_number=keys.open(row.id_sealed, "resident.id_number"),
        phone=keys.open(row.phone_sealed, "resident.phone") if row.phone_sealed else None,
    )


def find(
    session: Session, keys: Keyring, who: Principal, id_number: str | None, limit: int, offset: int
) -> tuple[int, list[Resident]]:
    org = organisation_of(who)
    where = [Resident.organisation == org]
    if id_number:
        where.append(Resident.id_lookup == keys.lookup_hash(id_number))
    total = session.scalar(select(func.count()).select_from(Resident).where(*where)) or 0
    rows = list(
        session.scalars(
            select(Resident).where(*where).order_by(Resident.id).limit(limit).offset(offset)
        )
    )
    return total, rows


def counts(session: Session, who: Principal) -> s.CaseloadCounts:
    if who.role is not Role.DISTRICT_ADMIN:
        raise Forbidden(
            "只有区管理员可以查看汇总",
            "Only the district administrator sees counts",
            code="role_forbidden",
        )
    rows = session.execute(
        select(
            Resident.organisation,
            func.count(),
            func.count(Resident.sensitive_sealed),
        )
        .group_by(Resident.organisation)
        .order_by(Resident.organisation)
    ).all()
    items = [
        s.OrganisationCount(organisation=o, residents=n, with_sensitive_data=k) for o, n, k in rows
    ]
    return s.CaseloadCounts(total=sum(i.residents for i in items), organisations=items)


def view(
    session: Session,
    keys: Keyring,
    snap: DirectorySnapshot,
    row: Resident,
    crs: Datum,
    today: dt.date,
) -> s.ResidentOut:
    consents = session.scalars(
        select(Consent).where(Consent.resident_id == row.id).order_by(Consent.id)
    )
    return resident_out(row, consents, keys, snap.places.area_names, crs, today)
