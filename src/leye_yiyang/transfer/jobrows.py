"""One job-side sheet row to the record the editing API and the loaders take (EmployerIn,
VacancyIn, CourseIn), or the reasons it cannot be one. Pure: no database.

Cells of a column the sheet leaves out keep the stored value on an update (`base`)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

import msgspec

from leye_yiyang.directory import schemas as s
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import cells
from leye_yiyang.transfer.cells import CellError
from leye_yiyang.transfer.jobcolumns import EDUCATION_LABELS, SIZE_LABELS, VACANCY_STATUS_LABELS
from leye_yiyang.transfer.rows import CHINA, Geocode, RowError, RowInput, locate, text
from leye_yiyang.values import Shift, Workplace
from leye_yiyang.vocab import Education, EmployerSize, VacancyStatus

E = TypeVar("E", bound=StrEnum)
_WORDS = re.compile(r"[、,，;；\n]+")
_LINES = re.compile(r"[；;\n]+")
_YES = {"是": True, "有": True, "true": True, "yes": True, "1": True, "y": True}
_NO = {"否": False, "无": False, "false": False, "no": False, "0": False, "n": False, "": False}


class Occupations(msgspec.Struct, frozen=True, kw_only=True):
    """The occupations table as the rows need it: code → name, and every name or synonym →
    the codes it may mean."""

    names: dict[str, str]
    codes_of: dict[str, list[str]]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, list[str]]]) -> Occupations:
        names: dict[str, str] = {}
        exact: dict[str, list[str]] = {}
        other: dict[str, list[str]] = {}
        for code, name, synonyms in rows:
            names[code] = name
            exact.setdefault(name, []).append(code)
            for word in synonyms:
                other.setdefault(word, []).append(code)
        # An occupation's own name wins over another's synonym.
        codes_of = {w: sorted(set(c)) for w, c in other.items()} | exact
        return cls(names=names, codes_of=codes_of)


def to_plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


def number(key: str, value: Any) -> float:
    raw = text(value).replace(",", "")
    try:
        found = float(value) if isinstance(value, int | float) else float(raw)
    except ValueError:
        raise RowError(
            key, "not_a_number", f"「{raw}」不是数字", f"{raw!r} is not a number"
        ) from None
    if isinstance(value, bool) or not math.isfinite(found):
        raise RowError(key, "not_a_number", f"「{raw}」不是数字", f"{raw!r} is not a number")
    return found


def whole(key: str, value: Any) -> int:
    found = number(key, value)
    if not found.is_integer():
        raise RowError(
            key, "not_a_whole_number", f"「{text(value)}」应为整数", f"{text(value)!r} is not whole"
        )
    return int(found)


def day(key: str, value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = text(value).replace("/", "-").split(" ")[0].split("T")[0]
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise RowError(
            key, "invalid_date", f"「{raw}」不是日期（如 2026-10-14）", f"{raw!r} is not a date"
        ) from None


def moment(key: str, value: Any) -> str | None:
    """A time as the database gives it back (UTC), so an unchanged cell compares equal."""
    if not text(value):
        return None
    if isinstance(value, dt.datetime):
        found = value
    elif isinstance(value, dt.date):
        found = dt.datetime.combine(value, dt.time())
    else:
        try:
            found = dt.datetime.fromisoformat(text(value).replace("/", "-"))
        except ValueError:
            raise RowError(
                key,
                "invalid_datetime",
                f"「{text(value)}」不是时间（如 2026-05-03 12:00）",
                f"{text(value)!r} is not a date and time",
            ) from None
    found = found if found.tzinfo else found.replace(tzinfo=CHINA)
    return found.astimezone(dt.UTC).isoformat()


def flag(key: str, value: Any) -> bool:
    raw = text(value).lower()
    if isinstance(value, bool):
        return value
    if raw in _YES or raw in _NO:
        return _YES.get(raw, False)
    raise RowError(key, "unknown_value", f"「{raw}」应填 是 或 否", f"{raw!r}: expected 是 or 否")


def words(value: Any) -> list[str]:
    return [w.strip() for w in _WORDS.split(text(value)) if w.strip()]


def lines(value: Any) -> list[str]:
    return [w.strip() for w in _LINES.split(text(value)) if w.strip()]


def choice(key: str, value: Any, enum: type[E], labels: Mapping[E, str], what: str) -> E:
    try:
        return cells.parse_choice(text(value), enum, labels, what)
    except CellError as exc:
        raise RowError(key, exc.code, exc.zh, exc.en) from None


def _education(key: str, value: Any) -> str:
    return choice(key, value, Education, EDUCATION_LABELS, "学历").value


def _vacancy_status(key: str, value: Any) -> str:
    return choice(key, value, VacancyStatus, VACANCY_STATUS_LABELS, "状态").value


def _size(key: str, value: Any) -> str:
    return choice(key, value, EmployerSize, SIZE_LABELS, "规模").value


def parse_shifts(key: str, value: Any) -> list[dict[str, Any]]:
    """`周一至周五 08:30-17:30；周六 09:00-12:00`: each entry one shift (days and one range)."""
    out = []
    try:
        for entry in cells.entries(text(value)):
            spec, _, ranges = entry.partition(" ")
            for r in cells.parse_ranges(ranges.strip()):
                days = [d.value for d in cells.weekdays_in(spec)]
                out.append({"days": days, "starts": r.opens, "ends": r.closes})
    except CellError as exc:
        raise RowError(key, "invalid_shifts", exc.zh, exc.en) from None
    return out


def format_shifts(shifts: Iterable[Shift]) -> str:
    return "；".join(f"{cells.day_runs(list(x.days))} {x.starts}-{x.ends}" for x in shifts)


def format_places(places: Iterable[Workplace]) -> str:
    return "\n".join(f"{p.name}|{p.address}|{p.lon},{p.lat}" for p in places)


def parse_places(value: Any, number_: int, datum: Datum, geocode: Geocode) -> list[dict[str, Any]]:
    """「名称|地址|经度,纬度」 a line; a line without coordinates is placed by its address."""
    out = []
    for line in (x.strip() for x in text(value).splitlines()):
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        if len(parts) not in (2, 3):
            raise RowError(
                "more_workplaces",
                "invalid_workplace",
                f"工作地点「{line}」应写成「名称|地址|经度,纬度」",
                f"Workplace {line!r} should read name|address|lon,lat",
            )
        lon, _, lat = (parts[2] if len(parts) == 3 else "").replace("，", ",").partition(",")
        probe = RowInput(number=number_, cells={"address": parts[1], "lon": lon, "lat": lat})
        try:
            where = locate(probe, datum, geocode)
        except RowError as exc:
            raise RowError("more_workplaces", exc.code, exc.zh, exc.en) from None
        assert where is not None  # the address is there
        out.append({"name": parts[0], "address": parts[1], "lon": where.lon, "lat": where.lat})
    return out


def _set(out: dict[str, Any], c: dict[str, Any], key: str, parse: Any, empty: Any) -> None:
    if key in c:
        out[key] = parse(key, c[key]) if text(c[key]) else empty


def _plain(out: dict[str, Any], c: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if key in c:
            out[key] = text(c[key])


def _convert(values: dict[str, Any], kind: type[Any]) -> Any:
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        message = str(exc)
        key = None
        if "missing required field `" in message:
            key = message.split("missing required field `", 1)[1].split("`", 1)[0]
        elif "at `$." in message:
            key = message.split("at `$.", 1)[1].split("`", 1)[0].split("[", 1)[0]
        zh = (
            "必填，不能为空"
            if "required field" in message or "length >= 1" in message
            else "取值无效"
        )
        raise RowError(
            key, "invalid_value", f"{zh}（{message}）", f"Invalid value: {message}"
        ) from None


def employer_in(
    row: RowInput, base: dict[str, Any], datum: Datum, geocode: Geocode
) -> s.EmployerIn:
    c = row.cells
    out = dict(base)
    _plain(out, c, "name", "industry", "phone")
    if "uscc" in c:
        out["uscc"] = text(c["uscc"]).upper()
    _set(out, c, "size", _size, None)
    places = list(out.get("workplaces") or [])
    if any(k in c for k in ("workplace_name", "address", "lon", "lat")):
        first = dict(places[0]) if places else {"name": "", "address": ""}
        _plain(first, c, "address")
        if "workplace_name" in c:
            first["name"] = text(c["workplace_name"])
        where = locate(row, datum, geocode)
        if where is not None:
            first["lon"], first["lat"] = where.lon, where.lat
        places = [first, *places[1:]]
    if "more_workplaces" in c:
        places = places[:1] + parse_places(c["more_workplaces"], row.number, datum, geocode)
    out["workplaces"] = places
    out.pop("area_code", None)  # derived from the first workplace (checked by the caller)
    return _convert(out, s.EmployerIn)  # type: ignore[no-any-return]


def vacancy_in(row: RowInput, base: dict[str, Any], occupation: str | None) -> s.VacancyIn:
    c = row.cells
    out = dict(base)
    _plain(out, c, "ref", "title", "description")
    if "employer_uscc" in c:
        out["employer_uscc"] = text(c["employer_uscc"]).upper()
    if occupation is not None:
        out["occupation_code"] = occupation
    for key, parse in (("skills", words), ("requirements", lines)):
        if key in c:
            out[key] = parse(c[key])
    _set(out, c, "education", _education, Education.NONE.value)
    _set(out, c, "experience_years", whole, 0)
    _set(out, c, "wage_min", whole, None)
    _set(out, c, "wage_max", whole, None)
    _set(out, c, "shifts", parse_shifts, [])
    _set(out, c, "part_time", flag, False)
    _set(out, c, "headcount", whole, 1)
    _set(out, c, "status", _vacancy_status, VacancyStatus.OPEN.value)
    _set(out, c, "posted_on", day, None)
    _set(out, c, "expires_on", day, None)
    out = {k: v for k, v in out.items() if v is not None or k == "expires_on"}
    return _convert(out, s.VacancyIn)  # type: ignore[no-any-return]


def course_in(row: RowInput, base: dict[str, Any], occupation: str | None) -> s.CourseIn:
    c = row.cells
    out = dict(base)
    _plain(out, c, "ref", "provider_ref", "title")
    if occupation is not None:
        out["occupation_code"] = occupation
    if "skills_taught" in c:
        out["skills_taught"] = words(c["skills_taught"])
    _set(out, c, "starts_on", day, None)
    _set(out, c, "ends_on", day, None)
    _set(out, c, "sessions", parse_shifts, [])
    _set(out, c, "hours_total", whole, None)
    _set(out, c, "subsidised", flag, False)
    _set(out, c, "fee_cny", number, 0.0)
    _set(out, c, "seats", whole, 0)
    _set(out, c, "seats_taken", whole, 0)
    out = {k: v for k, v in out.items() if v is not None}
    return _convert(out, s.CourseIn)  # type: ignore[no-any-return]


def occupation_of(row: RowInput, occupations: Occupations) -> str | None:
    """The occupation code the row names (by code, or by name through the table); None when the
    row names none (an update keeps the stored one)."""
    code, name = text(row.cells.get("occupation_code")), text(row.cells.get("occupation"))
    if not name:
        return code or None
    found = occupations.codes_of.get(name, [])
    if code:
        if found and code not in found:
            raise RowError(
                "occupation",
                "occupation_mismatch",
                f"职业「{name}」与职业编码 {code} 不一致",
                f"Occupation {name!r} does not match code {code}",
            )
        return code
    if len(found) > 1:
        options = "、".join(f"{c} {occupations.names[c]}" for c in found)
        raise RowError(
            "occupation",
            "occupation_ambiguous",
            f"职业「{name}」可能是：{options}；请填写职业编码",
            f"Occupation {name!r} is ambiguous: {', '.join(found)}; give the code",
        )
    if not found:
        raise RowError(
            "occupation",
            "unknown_occupation",
            f"职业分类大典中没有「{name}」，请填写职业编码",
            f"No occupation named {name!r}; give the code",
        )
    return found[0]
