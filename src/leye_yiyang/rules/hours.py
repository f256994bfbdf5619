"""Opening hours in Asia/Shanghai: open now, next opening, and whether a span of a day is covered.

Rules in order: a dated exception decides its day; otherwise, when the facility follows the
national working calendar, statutory holidays close it and weekend 调休 make-up working days open
it with its Monday hours; otherwise the weekly hours hold. A range whose closing time is not after
its opening time runs past midnight ("00:00"–"24:00" is all day, "22:00"–"06:00" overnight).

chinese_calendar only knows the years the State Council has published. For other years the weekly
hours are used and the result says the calendar was not known, so nobody promises a meal on a day
that may turn out to be a holiday.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Literal, cast
from zoneinfo import ZoneInfo

import chinese_calendar
import msgspec

from leye_yiyang.rules.reasons import Reason
from leye_yiyang.values import OpeningHours, TimeRange
from leye_yiyang.vocab import WEEKDAYS, Weekday

TZ = ZoneInfo("Asia/Shanghai")
SEARCH_DAYS = 21

_DAY = dt.timedelta(days=1)
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Source = Literal["exception", "holiday", "makeup_workday", "weekly"]
Interval = tuple[dt.datetime, dt.datetime]


class DayPlan(msgspec.Struct, frozen=True, kw_only=True):
    """The hours of one calendar day and which rule gave them."""

    day: dt.date
    ranges: list[TimeRange]
    source: Source
    calendar_known: bool = True
    holiday_zh: str = ""
    holiday_en: str = ""
    note: str = ""


class OpenState(msgspec.Struct, frozen=True, kw_only=True):
    open_now: bool
    next_opening: dt.datetime | None  # start of the next period after the current moment
    closes_at: dt.datetime | None  # end of the current period; None if closed or open throughout
    calendar_known: bool  # False when a day looked at lies in a year chinese_calendar lacks
    reason: Reason


def local(at: dt.datetime) -> dt.datetime:
    """Naive datetimes are China Standard Time (one zone for every district); aware ones are
    converted to it."""
    return at.replace(tzinfo=TZ) if at.tzinfo is None else at.astimezone(TZ)


@functools.lru_cache(maxsize=8192)
def _holiday_detail(day: dt.date) -> tuple[bool, str | None] | None:
    """(is a day off, holiday name) from chinese_calendar, or None for a year it does not know.
    Cached: chinese_calendar scans its whole table to validate each date (~50 µs a call), and
    nearby search asks about the same few days for every facility."""
    try:
        is_off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return bool(is_off), cast("str | None", name)


def _holiday_zh(name: str) -> str:
    try:
        return str(chinese_calendar.Holiday(name).chinese)
    except (AttributeError, ValueError):
        return name


def day_plan(hours: OpeningHours, day: dt.date) -> DayPlan:
    for ex in hours.exceptions:
        if ex.date == day:
            ranges = [] if ex.closed else list(ex.hours)
            return DayPlan(day=day, ranges=ranges, source="exception", note=ex.note)
    weekly = list(hours.weekly.get(WEEKDAYS[day.weekday()], []))
    if hours.public_holidays == "open":
        return DayPlan(day=day, ranges=weekly, source="weekly")
    detail = _holiday_detail(day)
    if detail is None:
        return DayPlan(day=day, ranges=weekly, source="weekly", calendar_known=False)
    is_off, name = detail
    if is_off and name is not None:
        # A named day off is a statutory holiday, including the weekend days inside its week.
        return DayPlan(
            day=day, ranges=[], source="holiday", holiday_zh=_holiday_zh(name), holiday_en=name
        )
    if not is_off and day.weekday() >= 5:
        monday = list(hours.weekly.get(Weekday.MON, []))
        return DayPlan(day=day, ranges=monday, source="makeup_workday")
    return DayPlan(day=day, ranges=weekly, source="weekly")


def day_hours(hours: OpeningHours, day: dt.date) -> list[TimeRange]:
    return day_plan(hours, day).ranges


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def _intervals(plan: DayPlan) -> list[Interval]:
    midnight = dt.datetime.combine(plan.day, dt.time(0), tzinfo=TZ)
    out: list[Interval] = []
    for r in plan.ranges:
        opens, closes = _minutes(r.opens), _minutes(r.closes)
        if closes <= opens:
            closes += 24 * 60
        out.append(
            (midnight + dt.timedelta(minutes=opens), midnight + dt.timedelta(minutes=closes))
        )
    return sorted(out)


class _Seen:
    """What the walk over days has looked at, for the calendar_known flag and the reasons."""

    def __init__(self) -> None:
        self.calendar_known = True
        self.unknown_years: set[int] = set()
        self.plans: dict[dt.date, DayPlan] = {}

    def note(self, plan: DayPlan) -> None:
        self.plans[plan.day] = plan
        if not plan.calendar_known:
            self.calendar_known = False
            self.unknown_years.add(plan.day.year)


def _periods(
    hours: OpeningHours, first: dt.date, last: dt.date, seen: _Seen
) -> Iterator[tuple[dt.datetime, dt.datetime, bool]]:
    """Open periods (start, end, runs past the horizon) with touching ranges merged, day by day
    and lazily, so a caller that stops early never consults the calendar for later days."""
    cur: Interval | None = None
    day = first
    while day <= last:
        plan = day_plan(hours, day)
        seen.note(plan)
        for start, end in _intervals(plan):
            if cur is not None and start <= cur[1]:
                cur = (cur[0], max(cur[1], end))
                continue
            if cur is not None:
                yield cur[0], cur[1], False
            cur = (start, end)
        day += _DAY
        # Later days' ranges start at their own midnight: a period ending before it is final.
        if cur is not None and cur[1] < dt.datetime.combine(day, dt.time(0), tzinfo=TZ):
            yield cur[0], cur[1], False
            cur = None
    if cur is not None:
        yield cur[0], cur[1], True


def _state(
    hours: OpeningHours, at: dt.datetime, seen: _Seen
) -> tuple[Interval | None, bool, dt.datetime | None]:
    """(the period containing `at`, whether it runs past the horizon, the next opening)."""
    today = at.date()
    current: Interval | None = None
    endless = False
    for start, end, truncated in _periods(
        hours, today - _DAY, today + dt.timedelta(SEARCH_DAYS), seen
    ):
        if start <= at < end:
            current, endless = (start, end), truncated
        elif start > at:
            return current, endless, start
    return current, endless, None


def is_open(hours: OpeningHours, at: dt.datetime) -> bool:
    at = local(at)
    today = at.date()
    return any(s <= at < e for s, e, _ in _periods(hours, today - _DAY, today, _Seen()))


def next_opening(hours: OpeningHours, at: dt.datetime) -> dt.datetime | None:
    """Start of the next open period strictly after `at` (a period under way does not count),
    looking up to SEARCH_DAYS ahead."""
    return _state(hours, local(at), _Seen())[2]


class Timetable:
    """The merged open periods of one set of hours seen from one local day: from the day before
    (a period may run past midnight) to SEARCH_DAYS ahead, the window `next_opening` searches.

    Built once per (hours, day) and then answered by bisection: nearby search asks about the same
    facilities for every request, and walking the calendar each time was most of its cost."""

    __slots__ = ("_ends", "_start_times", "_starts", "day", "hours")

    def __init__(self, hours: OpeningHours, day: dt.date) -> None:
        self.hours = hours
        self.day = day
        periods = list(_periods(hours, day - _DAY, day + dt.timedelta(SEARCH_DAYS), _Seen()))
        self._start_times = [start for start, _, _ in periods]
        self._starts = [start.timestamp() for start, _, _ in periods]
        self._ends = [end.timestamp() for _, end, _ in periods]

    def state(self, moment: float) -> tuple[bool, dt.datetime | None]:
        """(open at `moment`, the next opening strictly after it), `moment` a POSIX timestamp
        within `day` (local time): the same answers as `is_open` and `next_opening`."""
        # Periods are merged, so they do not overlap: only the last one starting at or before
        # the moment can contain it, and the one after it is the next opening.
        i = bisect.bisect_right(self._starts, moment)
        open_now = i > 0 and moment < self._ends[i - 1]
        upcoming = self._start_times[i] if i < len(self._starts) else None
        return open_now, upcoming


def open_state(hours: OpeningHours, at: dt.datetime) -> OpenState:
    at = local(at)
    seen = _Seen()
    current, endless, upcoming = _state(hours, at, seen)
    closes = None if current is None or endless else current[1]
    return OpenState(
        open_now=current is not None,
        next_opening=upcoming,
        closes_at=closes,
        calendar_known=seen.calendar_known,
        reason=_explain(at, current is not None, closes, upcoming, seen),
    )


def covers(hours: OpeningHours, day: dt.date, start: dt.time, end: dt.time) -> bool:
    """Open without a break from `start` to `end` on `day` (an `end` not after `start` is on the
    next day, as with opening ranges)."""
    begin = dt.datetime.combine(day, start, tzinfo=TZ)
    finish = dt.datetime.combine(day, end, tzinfo=TZ)
    if finish <= begin:
        finish += _DAY
    periods = _periods(hours, day - _DAY, finish.date(), _Seen())
    return any(s <= begin and finish <= e for s, e, _ in periods)


def _when(moment: dt.datetime, now: dt.datetime) -> tuple[str, str]:
    clock = moment.strftime("%H:%M")
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"今天{clock}", f"today at {clock}"
    if days == 1:
        return f"明天{clock}", f"tomorrow at {clock}"
    d, wd = moment.date(), moment.weekday()
    return (
        f"{d.month}月{d.day}日（{_WEEKDAY_ZH[wd]}）{clock}",
        f"{_WEEKDAY_EN[wd]} {d.day} {d.strftime('%b')} at {clock}",
    )


def _explain(
    now: dt.datetime,
    open_now: bool,
    closes: dt.datetime | None,
    upcoming: dt.datetime | None,
    seen: _Seen,
) -> Reason:
    today = seen.plans.get(now.date())
    zh: list[str] = []
    en: list[str] = []
    if today is not None and today.source == "holiday":
        zh.append(f"今天是{today.holiday_zh}假期，暂停服务")
        en.append(f"Closed today for the {today.holiday_en} holiday")
    elif today is not None and today.source == "makeup_workday":
        zh.append("今天是调休工作日，按周一时间开放")
        en.append("Today is a make-up working day, so Monday hours apply")
    elif today is not None and today.source == "exception" and today.note:
        zh.append(f"今天另有安排（{today.note}）")
        en.append(f"Special hours today ({today.note})")
    if open_now:
        code = "open"
        if closes is None:
            zh.append("正在营业，全天开放")
            en.append("Open now, around the clock")
        else:
            when_zh, when_en = _when(closes, now)
            zh.append(f"正在营业，{when_zh}关门")
            en.append(f"Open now, closes {when_en}")
    elif upcoming is not None:
        code = "closed"
        when_zh, when_en = _when(upcoming, now)
        zh.append(f"现在未营业，下次开门：{when_zh}")
        en.append(f"Closed now, next opens {when_en}")
    else:
        code = "closed_no_hours"
        zh.append(f"现在未营业，未来{SEARCH_DAYS}天内没有开放时间")
        en.append(f"Closed now, with no opening hours in the next {SEARCH_DAYS} days")
    zh_text, en_text = "，".join(zh), "; ".join(en)
    if not seen.calendar_known:
        years = "、".join(str(y) for y in sorted(seen.unknown_years))
        years_en = ", ".join(str(y) for y in sorted(seen.unknown_years))
        zh_text += f"（{years}年节假日安排尚未公布，按常规时间推算）"
        en_text += f" ({years_en} public holidays not yet published; based on regular hours)"
    return Reason(code=code, zh=zh_text, en=en_text)
