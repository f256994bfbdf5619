"""A stored resident as its worker is shown it: identifiers masked, home in the asked datum,
sensitive information only while its consent stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec

from leye_yiyang.caseload import schemas as s
from leye_yiyang.caseload.protect import Keyring
from leye_yiyang.models_casework import Consent, Resident
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.vocab import PersonStatus, ServiceCode

SENSITIVE_CONTEXT = "resident.sensitive"  # the sealed part's associated data


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def sensitive_part(keys: Keyring, row: Resident) -> dict[str, object] | None:
    if row.sensitive_sealed is None:
        return None
    value: dict[str, object] = msgspec.json.decode(
        keys.open(row.sensitive_sealed, SENSITIVE_CONTEXT)
    )
    return value


def consent_out(c: Consent) -> s.ConsentOut:
    return s.ConsentOut(
        id=c.id,
        scope=c.scope,  # type: ignore[arg-type]
        given_by=c.given_by,
        method=c.method,
        guardian_name=c.guardian_name,
        recorded_by=c.recorded_by,
        given_at=c.given_at,
        withdrawn_at=c.withdrawn_at,
        note=c.note,
    )


def _members(raw: Iterable[object], today: dt.date) -> list[s.MemberOut]:
    members = msgspec.convert(list(raw), list[s.MemberIn])
    return [
        s.MemberOut(
            relation=m.relation,
            birth_date=m.birth_date,
            age=age_on(m.birth_date, today),
            name=m.name,
        )
        for m in members
    ]


def resident_out(
    row: Resident,
    consents: Iterable[Consent],
    keys: Keyring,
    area_names: dict[str, str],
    crs: Datum,
    today: dt.date,
) -> s.ResidentOut:
    home = for_client(LonLat(row.home_lon, row.home_lat), crs)
    part = sensitive_part(keys, row)
    sensitive = None
    if part is not None:
        sensitive = s.SensitiveOut(
            statuses=[PersonStatus(x) for x in part.get("statuses", [])],  # type: ignore[attr-defined]
            health_notes=str(part.get("health_notes", "")),
            children_under_14=_members(part.get("children", []), today),  # type: ignore[arg-type]
        )
    return s.ResidentOut(
        id=row.id,
        name=row.name,
        id_number=row.id_mask,
        phone=row.phone_mask,
        birth_date=row.birth_date,
        age=age_on(row.birth_date, today),
        home=s.HomeOut(
            lon=home.lon,
            lat=home.lat,
            crs=crs,
            address=row.home_address,
            area_code=row.area_code,
            area_name=area_names.get(row.area_code, ""),
        ),
        statuses=[PersonStatus(x) for x in row.statuses],
        needs=[ServiceCode(x) for x in row.needs],
        household=_members(row.household, today),
        sensitive=sensitive,
        consents=[consent_out(c) for c in consents],
        worker_account_id=row.worker_account_id,
        organisation=row.organisation,
        version=row.version,
    )
