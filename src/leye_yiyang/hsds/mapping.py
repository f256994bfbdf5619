"""Our directory in HSDS terms. Pure: a facility row in, HSDS Structs out.

One facility is one HSDS service delivered at one location (the facility's own), provided by the
organization that runs it (grouped by operator name; a facility without one stands for itself)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

import msgspec

from leye_yiyang.hsds import schemas as h
from leye_yiyang.hsds.ids import entity_uuid, facility_key
from leye_yiyang.models import Facility
from leye_yiyang.values import Eligibility, OpeningHours, Price, ServiceOffer
from leye_yiyang.vocab import (
    ACCESSIBILITY_LABELS,
    KIND_LABELS,
    PRICE_UNIT_LABELS,
    SERVICE_LABELS,
    STATUS_LABELS,
    WEEKDAYS,
    Accessibility,
    FacilityKind,
    Weekday,
)

STATUS = {"active": "active", "temporarily_closed": "temporarily closed", "closed": "inactive"}
ICAL_DAYS = {d: d.value[:2].upper() for d in Weekday}
# Tinghu's postal addresses: 盐城市亭湖区, 224000 (the district's main code).
CITY, REGION, PROVINCE, POSTAL_CODE, COUNTRY = "盐城市", "亭湖区", "江苏省", "224000", "CN"
UTC_OFFSET_HOURS = 8.0


class Ids(msgspec.Struct, frozen=True):
    service: str
    location: str
    service_at_location: str
    organization: str

    @classmethod
    def of(cls, f: Facility) -> Ids:
        return cls.of_key(f.id, f.ref, f.operator)

    @classmethod
    def of_key(cls, facility_id: int, ref: str | None, operator: str) -> Ids:
        key = facility_key(ref, facility_id)
        org_key = f"operator:{operator}" if operator else f"facility:{key}"
        return cls(
            service=entity_uuid("service", key),
            location=entity_uuid("location", key),
            service_at_location=entity_uuid("service_at_location", key),
            organization=entity_uuid("organization", org_key),
        )


def _iso(t: dt.datetime | None) -> str:
    return (t or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()


def eligibility_description(e: Eligibility) -> str | None:
    parts: list[str] = []
    if e.min_age is not None or e.max_age is not None:
        lo = f"{e.min_age}" if e.min_age is not None else ""
        hi = f"{e.max_age}" if e.max_age is not None else ""
        parts.append(f"年龄 {lo}–{hi} 周岁" if hi else f"{lo} 周岁及以上")
    if e.child_min_months is not None or e.child_max_months is not None:
        parts.append(f"婴幼儿月龄 {e.child_min_months or 0}–{e.child_max_months or ''} 个月")
    if e.any_of_statuses:
        parts.append("须为：" + "、".join(STATUS_LABELS[s] for s in e.any_of_statuses))
    if e.residence_area_codes:
        parts.append("限居住于：" + "、".join(e.residence_area_codes))
    if e.note:
        parts.append(e.note)
    return "；".join(parts) or None


def age_bounds(e: Eligibility) -> tuple[float | None, float | None]:
    """Years; a childcare band in months becomes fractional years."""
    lo: float | None = e.min_age
    hi: float | None = e.max_age
    if lo is None and e.child_min_months is not None:
        lo = round(e.child_min_months / 12, 2)
    if hi is None and e.child_max_months is not None:
        hi = round(e.child_max_months / 12, 2)
    return lo, hi


def _price_option(p: Price) -> str:
    return f"{SERVICE_LABELS[p.service]}（每{PRICE_UNIT_LABELS[p.unit]}）"


def cost_options(prices: list[Price], sid: str) -> list[h.CostOption]:
    """The list price of each service, then what each subsidy tier leaves the resident to pay."""
    out: list[h.CostOption] = []
    for i, p in enumerate(prices):
        option = _price_option(p)
        out.append(
            h.CostOption(
                id=entity_uuid("cost_option", f"{sid}:{i}"),
                service_id=sid,
                option=option,
                currency="CNY",
                amount=p.price_cny,
                amount_description=f"{option}原价 {p.price_cny:g} 元",
            )
        )
        for j, tier in enumerate(p.subsidies):
            paid = max(0.0, round(p.price_cny - tier.amount_cny, 2))
            out.append(
                h.CostOption(
                    id=entity_uuid("cost_option", f"{sid}:{i}:{j}"),
                    service_id=sid,
                    option=f"{option}·{tier.label}",
                    currency="CNY",
                    amount=paid,
                    amount_description=f"补贴 {tier.amount_cny:g} 元后自付 {paid:g} 元（{tier.label}）",
                )
            )
    return out


def fees_description(prices: list[Price]) -> str | None:
    if not prices:
        return None
    return "；".join(f"{_price_option(p)} {p.price_cny:g} 元" for p in prices)


def schedules(hours: OpeningHours, sid: str) -> list[h.Schedule]:
    """Weekly hours as iCal WEEKLY rules (days with the same hours share one rule per range);
    dated exceptions as schedules valid on that one day, with no hours when closed."""
    holidays = (
        "法定节假日休息（调休上班日按周一时间开放）"
        if hours.public_holidays == "closed"
        else "法定节假日照常开放"
    )
    out: list[h.Schedule] = []
    days = [(d, tuple((r.opens, r.closes) for r in hours.weekly.get(d, []))) for d in WEEKDAYS]
    by_hours = sorted((rs, d) for d, rs in days if rs)
    for ranges, group in groupby(by_hours, key=lambda x: x[0]):
        byday = ",".join(ICAL_DAYS[d] for _, d in sorted(group, key=lambda x: WEEKDAYS.index(x[1])))
        for opens, closes in ranges:
            out.append(
                h.Schedule(
                    id=entity_uuid("schedule", f"{sid}:{byday}:{opens}"),
                    service_id=sid,
                    freq="WEEKLY",
                    wkst="MO",
                    byday=byday,
                    opens_at=opens,
                    closes_at=closes,
                    timezone=UTC_OFFSET_HOURS,
                    notes=holidays,
                )
            )
    for e in hours.exceptions:
        day = e.date.isoformat()
        ranges_ = [(r.opens, r.closes) for r in e.hours] if not e.closed else [(None, None)]
        for opens, closes in ranges_:
            out.append(
                h.Schedule(
                    id=entity_uuid("schedule", f"{sid}:{day}:{opens}"),
                    service_id=sid,
                    valid_from=day,
                    valid_to=day,
                    dtstart=day,
                    until=day,
                    opens_at=opens,
                    closes_at=closes,
                    timezone=UTC_OFFSET_HOURS,
                    description=("当日休息" if e.closed else "当日特别开放时间")
                    + (f"：{e.note}" if e.note else ""),
                )
            )
    return out


def _services_text(offers: list[ServiceOffer]) -> str:
    return "、".join(SERVICE_LABELS[o.code] for o in offers)


def service_brief(f: Facility, ids: Ids | None = None) -> h.ServiceBrief:
    return _full(f, ids or Ids.of(f), brief=True)


def _full(f: Facility, ids: Ids, *, brief: bool) -> h.ServiceBrief:
    rules = msgspec.convert(f.eligibility, Eligibility)
    prices = msgspec.convert(f.prices, list[Price])
    offers = msgspec.convert(f.services, list[ServiceOffer])
    lo, hi = age_bounds(rules)
    kind_label = KIND_LABELS[FacilityKind(f.kind)]
    description = f.description or f"{kind_label}：{_services_text(offers)}"
    common = {
        "id": ids.service,
        "organization_id": ids.organization,
        "name": f.name,
        "alternate_name": kind_label,
        "description": description,
        "status": STATUS[f.status],
        "fees_description": fees_description(prices),
        "eligibility_description": eligibility_description(rules),
        "minimum_age": lo,
        "maximum_age": hi,
        "assured_date": f.verified_at.date().isoformat() if f.verified_at else None,
        "last_modified": _iso(f.updated_at),
    }
    if brief:
        return h.ServiceBrief(**common)  # type: ignore[arg-type]
    hours = msgspec.convert(f.opening_hours, OpeningHours)
    phones = _phones(f, ids)
    return h.Service(
        **common,  # type: ignore[arg-type]
        phones=phones,
        schedules=schedules(hours, ids.service),
        service_at_locations=[service_at_location(f, ids)],
        languages=[
            h.Language(
                id=entity_uuid("language", ids.service),
                name="中文",
                code="zh",
                service_id=ids.service,
            )
        ],
        organization=organization(f.operator or f.name, ids.organization),
        cost_options=cost_options(prices, ids.service),
        contacts=_contacts(f, ids, phones),
        capacities=_capacities(f, ids),
    )


def service(f: Facility) -> h.Service:
    result = _full(f, Ids.of(f), brief=False)
    assert isinstance(result, h.Service)
    return result


def _phones(f: Facility, ids: Ids) -> list[h.Phone]:
    if not f.phone:
        return []
    return [
        h.Phone(
            id=entity_uuid("phone", ids.service),
            number=f.phone,
            type="voice",
            service_id=ids.service,
        )
    ]


def _contacts(f: Facility, ids: Ids, phones: list[h.Phone]) -> list[h.Contact]:
    if not f.operator:
        return []
    cid = entity_uuid("contact", ids.service)
    return [
        h.Contact(
            id=cid,
            name=f.operator,
            title="运营方",
            service_id=ids.service,
            phones=[
                msgspec.structs.replace(p, id=entity_uuid("phone", cid), contact_id=cid)
                for p in phones
            ],
        )
    ]


def _capacities(f: Facility, ids: Ids) -> list[h.ServiceCapacity]:
    if f.capacity <= 0:
        return []
    unit_name = (
        "托位"
        if f.kind == FacilityKind.CHILDCARE
        else "床位"
        if f.kind == FacilityKind.CARE_HOME
        else "名额"
    )
    return [
        h.ServiceCapacity(
            id=entity_uuid("service_capacity", ids.service),
            service_id=ids.service,
            unit=h.Unit(id=entity_uuid("unit", unit_name), name=unit_name, scheme="leye-yiyang"),
            available=max(0, f.capacity - f.places_taken),
            maximum=f.capacity,
            updated=_iso(f.updated_at),
        )
    ]


def location(f: Facility, ids: Ids) -> h.Location:
    access = msgspec.convert(f.accessibility, list[Accessibility])
    return h.Location(
        id=ids.location,
        location_type="physical",
        name=f.name,
        organization_id=ids.organization,
        latitude=f.lat,
        longitude=f.lon,
        external_identifier=f.ref,
        external_identifier_type="leye-yiyang ref" if f.ref else None,
        addresses=[
            h.Address(
                id=entity_uuid("address", ids.location),
                location_id=ids.location,
                address_1=f.address,
                city=CITY,
                region=REGION,
                state_province=PROVINCE,
                postal_code=POSTAL_CODE,
                country=COUNTRY,
                address_type="physical",
            )
        ],
        accessibility=[
            h.Accessibility(
                id=entity_uuid("accessibility", f"{ids.location}:{a.value}"),
                location_id=ids.location,
                description=ACCESSIBILITY_LABELS[a],
                details=a.value,
            )
            for a in access
        ],
    )


def service_at_location(f: Facility, ids: Ids | None = None) -> h.ServiceAtLocation:
    ids = ids or Ids.of(f)
    return h.ServiceAtLocation(
        id=ids.service_at_location,
        service_id=ids.service,
        location_id=ids.location,
        description=f"{f.name}（{f.address}）",
        location=location(f, ids),
    )


def service_at_location_brief(f: Facility) -> h.ServiceAtLocationBrief:
    ids = Ids.of(f)
    return h.ServiceAtLocationBrief(
        id=ids.service_at_location,
        service_id=ids.service,
        location_id=ids.location,
        description=f"{f.name}（{f.address}）",
    )


def organization(name: str, oid: str) -> h.Organization:
    return h.Organization(id=oid, name=name, description=f"{name}（亭湖区民生服务提供方）")
