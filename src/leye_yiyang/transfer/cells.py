"""The text a spreadsheet cell holds for our structured values, both ways: `parse_*` reads what a
department types (Chinese labels or machine codes), `format_*` writes the canonical form, which
`parse_*` reads back to the same value (the export → import round trip rests on that).

Each parser raises CellError with a Chinese and an English message; the reader adds row and column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from leye_yiyang.values import DatedHours, OpeningHours, Price, ServiceOffer, Subsidy, TimeRange
from leye_yiyang.vocab import (
    PRICE_UNIT_LABELS,
    SERVICE_LABELS,
    STATUS_LABELS,
    WEEKDAYS,
    PersonStatus,
    ServiceCode,
    Weekday,
)

E = TypeVar("E", bound=StrEnum)
DAY_LABELS = dict(
    zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)
)
_DAY_ALIASES = {**{v: k for k, v in DAY_LABELS.items()}, "周天": Weekday.SUN, "星期日": Weekday.SUN}
_DAY_ALIASES |= {f"星期{v[1]}": k for k, v in DAY_LABELS.items()}
_ENTRIES = re.compile(r"[；;\n]+")
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
_RANGE = re.compile(r"^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$")
_NUMBER = r"(\d+(?:\.\d+)?)"


class CellError(ValueError):
    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


def entries(text: str) -> list[str]:
    return [e.strip() for e in _ENTRIES.split(text) if e.strip()]


_CHOICES: dict[tuple[type[StrEnum], int], dict[str, Any]] = {}


def parse_choice(text: str, enum: type[E], labels: Mapping[E, str], what_zh: str) -> E:
    value = text.strip()
    key = (enum, id(labels))
    table: dict[str, Any] | None = _CHOICES.get(key)
    if table is None:  # labels are module constants: one table per (enum, labels) pair
        table = {m.value: m for m in enum} | {label: m for m, label in labels.items()}
        _CHOICES[key] = table
    found = table.get(value)
    if found is not None:
        return found
    known = "、".join(labels.get(m, m.value) for m in enum)
    raise CellError(
        "unknown_value",
        f"无法识别的{what_zh}「{value}」，可填：{known}",
        f"Unknown value {value!r}; expected one of: {', '.join(m.value for m in enum)}",
    )


def parse_list(text: str, enum: type[E], labels: Mapping[E, str], what_zh: str) -> list[E]:
    return [parse_choice(t, enum, labels, what_zh) for t in LIST_SEPARATORS.split(text) if t]


def format_list(values: Iterable[E], labels: Mapping[E, str]) -> str:
    return "、".join(labels.get(v, v.value) for v in values)


def _clock(text: str) -> str:
    hh, mm = text.split(":")
    return f"{int(hh):02d}:{mm}"


def parse_ranges(text: str) -> list[TimeRange]:
    out = []
    for part in re.split(r"[,，、]", text):
        m = _RANGE.match(part.strip())
        if not m:
            raise CellError(
                "invalid_hours",
                f"时间段「{part}」应写成 08:30-11:30",
                f"Time range {part!r} should look like 08:30-11:30",
            )
        out.append(TimeRange(opens=_clock(m[1]), closes=_clock(m[2])))
    return out


def _day(token: str) -> Weekday:
    t = token.strip().lower()
    if t in _DAY_ALIASES:
        return _DAY_ALIASES[t]
    try:
        return Weekday(t)
    except ValueError:
        raise CellError(
            "invalid_hours",
            f"无法识别的星期「{token}」（周一…周日）",
            f"Unknown weekday {token!r} (mon…sun)",
        ) from None


def weekdays_in(spec: str) -> list[Weekday]:
    days: list[Weekday] = []
    for part in re.split(r"[、,，]", spec):
        bounds = re.split(r"至|-|–|~", part)
        if len(bounds) == 2:
            lo, hi = WEEKDAYS.index(_day(bounds[0])), WEEKDAYS.index(_day(bounds[1]))
            days += list(WEEKDAYS[lo : hi + 1])
        else:
            days.append(_day(part))
    return days


def parse_weekly(text: str) -> dict[Weekday, list[TimeRange]]:
    """`周一至周五 06:30-08:00,10:30-13:00；周六 08:00-12:00`."""
    weekly: dict[Weekday, list[TimeRange]] = {}
    for entry in entries(text):
        spec, _, ranges = entry.partition(" ")
        if not ranges.strip():
            raise CellError(
                "invalid_hours",
                f"「{entry}」缺少时间段，应写成 周一至周五 08:30-11:30",
                f"{entry!r} has no time range",
            )
        for day in weekdays_in(spec):
            weekly[day] = [*weekly.get(day, []), *parse_ranges(ranges.strip())]
    return {d: weekly[d] for d in WEEKDAYS if d in weekly}


def day_runs(days: list[Weekday]) -> str:
    idx = sorted(WEEKDAYS.index(d) for d in days)
    runs: list[list[int]] = []
    for i in idx:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [
        DAY_LABELS[WEEKDAYS[r[0]]] + (f"至{DAY_LABELS[WEEKDAYS[r[-1]]]}" if len(r) > 2 else "")
        if len(r) != 2
        else f"{DAY_LABELS[WEEKDAYS[r[0]]]}、{DAY_LABELS[WEEKDAYS[r[1]]]}"
        for r in runs
    ]
    return "、".join(parts)


def format_ranges(ranges: Iterable[TimeRange]) -> str:
    return ",".join(f"{r.opens}-{r.closes}" for r in ranges)


def format_weekly(weekly: Mapping[Weekday, list[TimeRange]]) -> str:
    groups: dict[str, list[Weekday]] = {}
    for day in WEEKDAYS:
        if weekly.get(day):
            groups.setdefault(format_ranges(weekly[day]), []).append(day)
    return "；".join(f"{day_runs(days)} {ranges}" for ranges, days in groups.items())


def parse_exceptions(text: str) -> list[DatedHours]:
    """`2026-10-01 休息 国庆；2026-10-08 09:00-12:00 调整`."""
    out = []
    for entry in entries(text):
        parts = entry.split(maxsplit=2)
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError:
            raise CellError(
                "invalid_date",
                f"「{parts[0]}」不是日期（2026-10-01）",
                f"{parts[0]!r} is not a date (2026-10-01)",
            ) from None
        if len(parts) < 2:
            raise CellError(
                "invalid_hours",
                f"「{entry}」应写「休息」或时间段",
                f"{entry!r}: give 休息 or hours",
            )
        note = parts[2] if len(parts) > 2 else ""
        if parts[1] in ("休息", "closed"):
            out.append(DatedHours(date=day, closed=True, note=note))
        else:
            out.append(DatedHours(date=day, hours=parse_ranges(parts[1]), note=note))
    return out


def format_exceptions(items: Iterable[DatedHours]) -> str:
    return "；".join(
        " ".join(
            x
            for x in (e.date.isoformat(), "休息" if e.closed else format_ranges(e.hours), e.note)
            if x
        )
        for e in items
    )


def parse_holidays(text: str) -> str:
    value = text.strip()
    if value in ("休息", "closed", "节假日休息"):
        return "closed"
    if value in ("开放", "open", "照常", "节假日开放"):
        return "open"
    raise CellError(
        "unknown_value",
        f"节假日应填「休息」或「开放」，而不是「{value}」",
        f"Public holidays: 'closed' or 'open', not {value!r}",
    )


def hours_of(weekly: str, exceptions: str, holidays: str) -> OpeningHours:
    return OpeningHours(
        weekly=parse_weekly(weekly),
        exceptions=parse_exceptions(exceptions),
        public_holidays=parse_holidays(holidays) if holidays.strip() else "closed",  # type: ignore[arg-type]
    )


def _service(token: str) -> ServiceCode:
    return parse_choice(token, ServiceCode, SERVICE_LABELS, "服务")


def parse_services(text: str) -> list[ServiceOffer]:
    """`早餐、午餐`, or one per line with an age band in months and a note: `全日托 6-36月 乳儿班…`."""
    out: list[ServiceOffer] = []
    for entry in entries(text):
        if not re.search(r"\s", entry):
            out += [ServiceOffer(code=_service(t)) for t in re.split(r"[、,，]", entry) if t]
            continue
        head, _, rest = entry.partition(" ")
        band = re.match(rf"^{_NUMBER}\s*-\s*{_NUMBER}\s*月\s*", rest)
        lo = hi = None
        if band:
            lo, hi = int(float(band[1])), int(float(band[2]))
            rest = rest[band.end() :]
        out.append(
            ServiceOffer(
                code=_service(head), min_child_months=lo, max_child_months=hi, note=rest.strip()
            )
        )
    return out


def format_services(offers: list[ServiceOffer]) -> str:
    if all(
        o.min_child_months is None and o.max_child_months is None and not o.note for o in offers
    ):
        return "、".join(SERVICE_LABELS[o.code] for o in offers)
    lines = []
    for o in offers:
        band = (
            f"{o.min_child_months}-{o.max_child_months}月"
            if o.min_child_months is not None and o.max_child_months is not None
            else ""
        )
        lines.append(
            " ".join(x for x in (SERVICE_LABELS[o.code], band, o.note) if x)
            or SERVICE_LABELS[o.code]
        )
    return "\n".join(lines)


_UNIT_ALIASES = {v: k for k, v in PRICE_UNIT_LABELS.items()} | {k: k for k in PRICE_UNIT_LABELS}


def parse_prices(text: str) -> list[Price]:
    """`午餐 11元/餐；早餐 4元/餐`."""
    out = []
    for entry in entries(text):
        m = re.match(rf"^(\S+)\s+{_NUMBER}\s*元?\s*/\s*(\S+)$", entry)
        if not m or m[3] not in _UNIT_ALIASES:
            units = "、".join(PRICE_UNIT_LABELS.values())
            raise CellError(
                "invalid_price",
                f"收费「{entry}」应写成「午餐 11元/餐」（单位：{units}）",
                f"Price {entry!r} should look like 'lunch 11/meal'",
            )
        out.append(Price(service=_service(m[1]), unit=_UNIT_ALIASES[m[3]], price_cny=float(m[2])))  # type: ignore[arg-type]
    return out


def format_prices(prices: list[Price]) -> str:
    return "；".join(
        f"{SERVICE_LABELS[p.service]} {p.price_cny:g}元/{PRICE_UNIT_LABELS[p.unit]}" for p in prices
    )


def _subsidy(entry: str) -> tuple[ServiceCode, Subsidy]:
    tokens = entry.split()
    cut = next((i for i, t in enumerate(tokens) if re.fullmatch(rf"减{_NUMBER}元?", t)), None)
    if cut is None or cut < 2:
        raise CellError(
            "invalid_subsidy",
            f"补贴「{entry}」应写成「午餐 75–84周岁 减6元 年龄75-84 身份低保、残疾」",
            f"Subsidy {entry!r} should look like 'lunch <label> 减6元 [年龄75-84] [身份dibao,…]'",
        )
    amount = float(tokens[cut][1:].rstrip("元"))
    lo = hi = None
    statuses: list[PersonStatus] = []
    for t in tokens[cut + 1 :]:
        if m := re.fullmatch(r"年龄(\d*)-(\d*)", t):
            lo, hi = (int(m[1]) if m[1] else None), (int(m[2]) if m[2] else None)
        elif t.startswith("身份"):
            statuses = parse_list(t[2:], PersonStatus, STATUS_LABELS, "身份")
        else:
            raise CellError(
                "invalid_subsidy",
                f"补贴「{entry}」中「{t}」无法识别（年龄a-b 或 身份…）",
                f"Subsidy {entry!r}: unknown part {t!r}",
            )
    tier = Subsidy(
        label=" ".join(tokens[1:cut]),
        amount_cny=amount,
        min_age=lo,
        max_age=hi,
        any_of_statuses=statuses,
    )
    return _service(tokens[0]), tier


def attach_subsidies(prices: list[Price], text: str) -> list[Price]:
    tiers: dict[ServiceCode, list[Subsidy]] = {}
    for entry in entries(text):
        code, tier = _subsidy(entry)
        if code not in {p.service for p in prices}:
            raise CellError(
                "subsidy_without_price",
                f"补贴对应的服务「{SERVICE_LABELS[code]}」在收费中没有价格",
                f"Subsidy for {code.value}, which has no price",
            )
        tiers.setdefault(code, []).append(tier)
    out, used = [], set()
    for p in prices:
        if p.service in tiers and p.service not in used:
            used.add(p.service)
            p = Price(
                service=p.service, unit=p.unit, price_cny=p.price_cny, subsidies=tiers[p.service]
            )
        out.append(p)
    return out


def format_subsidies(prices: list[Price]) -> str:
    lines = []
    for p in prices:
        for t in p.subsidies:
            age = (
                f"年龄{'' if t.min_age is None else t.min_age}-{'' if t.max_age is None else t.max_age}"
                if t.min_age is not None or t.max_age is not None
                else ""
            )
            who = (
                f"身份{format_list(t.any_of_statuses, STATUS_LABELS)}" if t.any_of_statuses else ""
            )
            lines.append(
                " ".join(
                    x
                    for x in (SERVICE_LABELS[p.service], t.label, f"减{t.amount_cny:g}元", age, who)
                    if x
                )
            )
    return "\n".join(lines)
