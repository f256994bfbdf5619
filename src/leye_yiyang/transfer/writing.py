"""The directory as a sheet, in the very shape the import reads (export → import changes nothing),
and the empty template with its notes sheet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.geojson import Feature, FeatureCollection, Point
from leye_yiyang.models import Facility
from leye_yiyang.transfer import books, cells
from leye_yiyang.transfer.columns import COLUMNS
from leye_yiyang.transfer.rows import CHINA
from leye_yiyang.values import Eligibility, OpeningHours, Price, ServiceOffer
from leye_yiyang.vocab import (
    ACCESSIBILITY_LABELS,
    FACILITY_STATUS_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    Accessibility,
    FacilityKind,
    FacilityStatus,
)

ExportFormat = Literal["xlsx", "csv", "geojson"]
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
HEADERS = [c.zh for c in COLUMNS]


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def facility_cells(f: Facility) -> dict[str, Any]:
    hours = msgspec.convert(f.opening_hours, OpeningHours)
    rules = msgspec.convert(f.eligibility, Eligibility)
    prices = msgspec.convert(f.prices, list[Price])
    return {
        "ref": f.ref or "",
        "name": f.name,
        "kind": KIND_LABELS[FacilityKind(f.kind)],
        "address": f.address,
        "lon": f.lon,
        "lat": f.lat,
        "crs": "wgs84",
        "area_code": f.area_code,
        "phone": f.phone,
        "operator": f.operator,
        "uscc": "",
        "capacity": f.capacity,
        "places_taken": f.places_taken,
        "weekly_hours": cells.format_weekly(hours.weekly),
        "exceptions": cells.format_exceptions(hours.exceptions),
        "public_holidays": "休息" if hours.public_holidays == "closed" else "开放",
        "services": cells.format_services(msgspec.convert(f.services, list[ServiceOffer])),
        "prices": cells.format_prices(prices),
        "subsidies": cells.format_subsidies(prices),
        "min_age": _blank(rules.min_age),
        "max_age": _blank(rules.max_age),
        "child_min_months": _blank(rules.child_min_months),
        "child_max_months": _blank(rules.child_max_months),
        "statuses": cells.format_list(rules.any_of_statuses, STATUS_LABELS),
        "residence": "、".join(rules.residence_area_codes),
        "eligibility_note": rules.note,
        "accessibility": cells.format_list(
            msgspec.convert(f.accessibility, list[Accessibility]), ACCESSIBILITY_LABELS
        ),
        "status": FACILITY_STATUS_LABELS[FacilityStatus(f.status)],
        "description": f.description,
        "verified_at": f.verified_at.astimezone(CHINA).isoformat(timespec="seconds")
        if f.verified_at
        else "",
    }


def facilities(session: Session, kind: FacilityKind | None) -> Iterable[Facility]:
    stmt = select(Facility).order_by(Facility.ref, Facility.id)
    if kind is not None:
        stmt = stmt.where(Facility.kind == kind.value)
    return session.scalars(stmt.execution_options(yield_per=1000))


RULES = (
    (
        "导入规则",
        "先试导入（dry_run）查看逐行问题，再正式导入；正式导入全部成功或全部不导入。"
        "按「编号」更新已有机构，未改动的行不会产生修改记录。",
    ),
    ("公式", "含公式的单元格会被拒绝（不读取缓存结果），请「粘贴为数值」。不要合并单元格。"),
)
SHEET = "机构"


EXAMPLE: dict[str, Any] = {
    "ref": "meal-demo-01",
    "name": "示例社区长者食堂",
    "address": "亭湖区五星街道五星公寓1幢一楼",
    "lon": 120.088856,
    "lat": 33.371943,
    "crs": "wgs84",
    "phone": "0515-82643273",
    "operator": "五星街道办事处",
    "capacity": 80,
    "places_taken": 20,
    "weekly_hours": "周一至周五 06:30-08:00,10:30-13:00",
    "public_holidays": "休息",
    "services": "早餐、午餐",
    "prices": "午餐 11元/餐；早餐 4元/餐",
    "subsidies": "午餐 75–84周岁 减6元 年龄75-84",
    "min_age": 60,
    "eligibility_note": "凭身份证或老年卡就餐",
    "accessibility": "无障碍通道、扶手",
    "status": "正常",
    "verified_at": "2026-05-03T12:00:00+08:00",
}


def template(kind: FacilityKind) -> bytes:
    example = {**EXAMPLE, "kind": KIND_LABELS[kind]}
    rows = [HEADERS, [example.get(c.key, "") for c in COLUMNS]]
    return books.xlsx(SHEET, rows, notes=COLUMNS, rules=RULES)


def export(session: Session, kind: FacilityKind | None, fmt: ExportFormat) -> bytes:
    rows = (facility_cells(f) for f in facilities(session, kind))
    if fmt == "xlsx":
        return books.xlsx(SHEET, _with_header(rows))
    if fmt == "csv":
        return books.csv_bytes(_with_header(rows))
    features = [
        Feature(
            id=r["ref"],
            geometry=Point(coordinates=(r["lon"], r["lat"])),
            properties={c.zh: r[c.key] for c in COLUMNS if c.key not in ("lon", "lat")},
        )
        for r in rows
    ]
    return msgspec.json.encode(FeatureCollection(features=features))


def _with_header(rows: Iterable[dict[str, Any]]) -> Iterable[list[Any]]:
    yield HEADERS
    for r in rows:
        yield [r[c.key] for c in COLUMNS]
