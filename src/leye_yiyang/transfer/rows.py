"""One sheet row to one facility record, or the reasons it cannot be one. Pure: no database.

Cells of a column the sheet leaves out keep the stored value on an update (`base`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import msgspec

from leye_yiyang.directory import schemas as s
from leye_yiyang.geocode.geocoder import Resolution
from leye_yiyang.ids import uscc_problem
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, to_wgs84
from leye_yiyang.transfer import cells
from leye_yiyang.transfer.cells import CellError
from leye_yiyang.transfer.schemas import Issue
from leye_yiyang.values import Eligibility, OpeningHours, Price
from leye_yiyang.vocab import (
    ACCESSIBILITY_LABELS,
    FACILITY_STATUS_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    Accessibility,
    FacilityKind,
    FacilityStatus,
    PersonStatus,
)

CHINA = dt.timezone(dt.timedelta(hours=8))
_DATUMS = {
    "wgs84": Datum.WGS84,
    "wgs-84": Datum.WGS84,
    "gps": Datum.WGS84,
    "gcj02": Datum.GCJ02,
    "gcj-02": Datum.GCJ02,
    "高德": Datum.GCJ02,
    "腾讯": Datum.GCJ02,
    "火星坐标": Datum.GCJ02,
    "bd09": Datum.BD09,
    "bd-09": Datum.BD09,
    "百度": Datum.BD09,
}


class RowError(Exception):
    def __init__(self, key: str | None, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.key, self.code, self.zh, self.en = key, code, zh, en


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool):
        raise RowError(key, "not_a_number", f"「{value}」不是数字", f"{value!r} is not a number")
    try:
        number = (
            float(value) if isinstance(value, int | float) else float(text(value).replace(",", ""))
        )
    except ValueError:
        raise RowError(
            key, "not_a_number", f"「{text(value)}」不是数字", f"{text(value)!r} is not a number"
        ) from None
    if not math.isfinite(number):
        raise RowError(key, "not_a_number", "数字无效", "Not a finite number")
    return number


def _whole(key: str, value: Any) -> int:
    number = _number(key, value)
    if not number.is_integer():
        raise RowError(
            key,
            "not_a_whole_number",
            f"「{text(value)}」应为整数",
            f"{text(value)!r} should be a whole number",
        )
    return int(number)


def _moment(key: str, value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), CHINA)
    raw = text(value).replace("/", "-")
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise RowError(
            key,
            "invalid_datetime",
            f"「{raw}」不是时间（如 2026-05-03 12:00）",
            f"{raw!r} is not a date and time",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


def datum_of(value: str) -> Datum:
    found = _DATUMS.get(value.strip().lower())
    if found is None:
        raise RowError(
            "crs",
            "unknown_datum",
            f"无法识别的坐标系「{value}」（wgs84、gcj02、bd09）",
            f"Unknown datum {value!r} (wgs84, gcj02, bd09)",
        )
    return found


def _guard(key: str, parse: Callable[[str], Any], value: Any) -> Any:
    try:
        return parse(text(value))
    except CellError as exc:
        raise RowError(key, exc.code, exc.zh, exc.en) from None


class RowInput(msgspec.Struct, kw_only=True):
    """The cells of one row by column key (only the columns the sheet has)."""

    number: int
    cells: dict[str, Any]
    point: tuple[float, float] | None = None  # a GeoJSON feature's geometry


class Located(msgspec.Struct, frozen=True, kw_only=True):
    lon: float
    lat: float
    matched: str | None = None


Geocode = Callable[[str], Resolution]


def locate(row: RowInput, default_datum: Datum, geocode: Geocode) -> Located | None:
    """WGS-84 coordinates from the row's own (in its datum), or from its address."""
    c = row.cells
    datum = datum_of(text(c["crs"])) if text(c.get("crs")) else default_datum
    lon_raw, lat_raw = text(c.get("lon")), text(c.get("lat"))
    if row.point is not None and not (lon_raw or lat_raw):
        lon_raw, lat_raw = str(row.point[0]), str(row.point[1])
    if lon_raw or lat_raw:
        if not (lon_raw and lat_raw):
            raise RowError(
                "lat" if lon_raw else "lon",
                "point_incomplete",
                "经度和纬度须同时填写",
                "Give both longitude and latitude",
            )
        lon, lat = _number("lon", lon_raw), _number("lat", lat_raw)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise RowError(
                "lon",
                "invalid_coordinates",
                f"坐标 ({lon}, {lat}) 无效",
                f"Coordinates ({lon}, {lat}) are out of range",
            )
        wgs = to_wgs84(LonLat(lon, lat), datum) if datum is not Datum.WGS84 else LonLat(lon, lat)
        return Located(lon=round(wgs.lon, 7), lat=round(wgs.lat, 7))
    address = text(c.get("address"))
    if not address:
        return None
    result = geocode(address)
    if result.status == "ambiguous":
        names = "、".join(m.matched for m in result.candidates[:5])
        raise RowError(
            "address",
            "address_ambiguous",
            f"地址「{address}」有多个可能的位置：{names}；请填写经纬度或写得更具体",
            f"Address {address!r} is ambiguous: {names}",
        )
    if result.best is None:
        raise RowError(
            "address",
            "address_not_found",
            f"离线地名库中找不到地址「{address}」，请填写经纬度",
            f"Address not found: {address!r}; give coordinates",
        )
    return Located(lon=result.best.point[0], lat=result.best.point[1], matched=result.best.matched)


@lru_cache(maxsize=4096)
def _services(cell: str) -> list[Any]:
    return msgspec.to_builtins(cells.parse_services(cell))  # type: ignore[no-any-return]


def _eligibility(c: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key in ("min_age", "max_age", "child_min_months", "child_max_months"):
        if key in c:
            out[key] = _whole(key, c[key]) if text(c[key]) else None
    if "statuses" in c:
        out["any_of_statuses"] = _guard(
            "statuses",
            lambda t: cells.parse_list(t, PersonStatus, STATUS_LABELS, "身份"),
            c["statuses"],
        )
    if "residence" in c:
        out["residence_area_codes"] = [
            t for t in cells.LIST_SEPARATORS.split(text(c["residence"])) if t
        ]
    if "eligibility_note" in c:
        out["note"] = text(c["eligibility_note"])
    return out


@lru_cache(maxsize=4096)
def _hours_cells(weekly: str | None, exceptions: str | None, holidays: str | None) -> OpeningHours:
    """Sheets repeat the same hours on many rows: each distinct text is parsed once."""
    return OpeningHours(
        weekly=cells.parse_weekly(weekly or ""),
        exceptions=cells.parse_exceptions(exceptions or ""),
        public_holidays=cells.parse_holidays(holidays) if holidays else "closed",  # type: ignore[arg-type]
    )


def _hours(c: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    if "weekly_hours" in c and "exceptions" in c and "public_holidays" in c:
        texts = (text(c["weekly_hours"]), text(c["exceptions"]), text(c["public_holidays"]))
        try:
            return _builtins(_hours_cells(*texts))  # type: ignore[no-any-return]
        except CellError:
            pass  # parsed again below, column by column, to name the one at fault
    old = msgspec.convert(base, OpeningHours) if base else OpeningHours()
    weekly = (
        _guard("weekly_hours", cells.parse_weekly, c["weekly_hours"])
        if "weekly_hours" in c
        else old.weekly
    )
    exceptions = (
        _guard("exceptions", cells.parse_exceptions, c["exceptions"])
        if "exceptions" in c
        else old.exceptions
    )
    holidays = old.public_holidays
    if "public_holidays" in c:
        holidays = (
            _guard("public_holidays", cells.parse_holidays, c["public_holidays"])
            if text(c["public_holidays"])
            else "closed"
        )
    hours = OpeningHours(weekly=weekly, exceptions=exceptions, public_holidays=holidays)
    out: dict[str, Any] = msgspec.to_builtins(hours)
    return out


@lru_cache(maxsize=4096)
def _priced(prices: str, subsidies: str) -> list[Any]:
    return msgspec.to_builtins(cells.attach_subsidies(cells.parse_prices(prices), subsidies))  # type: ignore[no-any-return]


def _builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _prices(c: dict[str, Any], base: list[Any]) -> list[Any]:
    if "prices" not in c and "subsidies" not in c:
        return base
    if "prices" in c and "subsidies" in c:
        try:
            return _priced(text(c["prices"]), text(c["subsidies"]))
        except CellError:
            pass  # parsed again below, to name the column at fault
    prices = (
        _guard("prices", cells.parse_prices, c["prices"])
        if "prices" in c
        else [
            Price(service=p.service, unit=p.unit, price_cny=p.price_cny)
            for p in msgspec.convert(base, list[Price])
        ]
    )
    if "subsidies" in c:
        prices = _guard("subsidies", lambda t: cells.attach_subsidies(prices, t), c["subsidies"])
    elif "prices" in c:  # keep the stored tiers of the services still priced
        tiers = {p.service: p.subsidies for p in msgspec.convert(base, list[Price])}
        prices = [
            Price(
                service=p.service,
                unit=p.unit,
                price_cny=p.price_cny,
                subsidies=tiers.get(p.service, []),
            )
            for p in prices
        ]
    return msgspec.to_builtins(prices)  # type: ignore[no-any-return]


_PLAIN = ("ref", "name", "address", "operator", "phone", "description", "area_code")


def record(
    row: RowInput, kind: FacilityKind | None, base: dict[str, Any], where: Located | None
) -> s.FacilityIn:
    """The facility this row describes (on top of `base`, the stored record or {}), validated by
    the same msgspec type the API and the fixtures use."""
    c = row.cells
    out: dict[str, Any] = dict(base)
    for key in _PLAIN:
        if key in c:
            out[key] = text(c[key]) or (None if key in ("ref", "area_code") else "")
    if text(c.get("kind")):
        row_kind = _guard(
            "kind", lambda t: cells.parse_choice(t, FacilityKind, KIND_LABELS, "类型"), c["kind"]
        )
        if kind is not None and row_kind is not kind:
            raise RowError(
                "kind",
                "kind_mismatch",
                f"类型「{KIND_LABELS[row_kind]}」与导入类型「{KIND_LABELS[kind]}」不符",
                f"Kind {row_kind.value} differs from the import's kind {kind.value}",
            )
        out["kind"] = row_kind.value
    elif kind is not None:
        out["kind"] = kind.value
    if where is not None:
        out["lon"], out["lat"] = where.lon, where.lat
    for key in ("capacity", "places_taken"):
        if key in c:
            out[key] = _whole(key, c[key]) if text(c[key]) else 0
    if "uscc" in c and text(c["uscc"]) and (why := uscc_problem(text(c["uscc"]))):
        raise RowError(
            "uscc",
            "invalid_uscc",
            f"统一社会信用代码无效（GB 32100：{why}）",
            f"Invalid unified social credit code (GB 32100: {why})",
        )
    if "services" in c:
        out["services"] = _guard("services", _services, c["services"])
    if "accessibility" in c:
        out["accessibility"] = _guard(
            "accessibility",
            lambda t: [
                a.value
                for a in cells.parse_list(t, Accessibility, ACCESSIBILITY_LABELS, "无障碍设施")
            ],
            c["accessibility"],
        )
    if "status" in c:
        out["status"] = _guard(
            "status",
            lambda t: (
                cells.parse_choice(t, FacilityStatus, FACILITY_STATUS_LABELS, "状态").value
                if t
                else "active"
            ),
            c["status"],
        )
    if "verified_at" in c:
        out["verified_at"] = (
            _moment("verified_at", c["verified_at"]).isoformat() if text(c["verified_at"]) else None
        )
    out["opening_hours"] = _hours(c, out.get("opening_hours") or {})
    out["prices"] = _prices(c, out.get("prices") or [])
    try:
        rules = msgspec.convert(_eligibility(c, out.get("eligibility") or {}), Eligibility)
        out["eligibility"] = msgspec.to_builtins(rules)
        return msgspec.convert(out, s.FacilityIn)
    except msgspec.ValidationError as exc:
        raise _from_validation(exc) from None


def _from_validation(exc: msgspec.ValidationError) -> RowError:
    message = str(exc)
    key = None
    if "at `$." in message:
        key = message.split("at `$.", 1)[1].split("`", 1)[0].split("[", 1)[0]
    zh = "取值无效"
    if "length >= 1" in message:
        zh = "必填，不能为空"
    elif "matching regex" in message and "[0-5][0-9]" in message:
        zh = "时间应在 00:00 至 24:00 之间"
    elif "matching regex" in message:
        zh = "含有不允许的字符"
    elif ">= 0" in message or "<=" in message:
        zh = "数值超出允许范围"
    return RowError(key, "invalid_value", f"{zh}（{message}）", f"Invalid value: {message}")


def issue(
    row: int, header: str | None, code: str, zh: str, en: str, severity: str = "error"
) -> Issue:
    return Issue(row=row, column=header, code=code, severity=severity, message_zh=zh, message_en=en)  # type: ignore[arg-type]


class KnownPoints(AreaLocator):
    """A locator that answers from one vectorised lookup of every row's point, made up front
    (one tree query per row was a tenth of an import), and asks the real one otherwise."""

    def __init__(self, inner: AreaLocator, points: list[LonLat]) -> None:
        self._inner = inner
        self._known = dict(
            zip(((p.lon, p.lat) for p in points), inner.locate_many(points), strict=True)
        )

    def locate(self, point: LonLat) -> str | None:
        key = (point.lon, point.lat)
        return self._known[key] if key in self._known else self._inner.locate(point)

    def nearest(self, point: LonLat) -> str | None:
        return self._inner.nearest(point)
