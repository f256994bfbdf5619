"""Working days on the national calendar: weekends and statutory holidays are off, 调休 make-up
Saturdays and Sundays are working days. Deadlines that a person must meet (a facility answering a
referral) count these, so a hold sent before the Spring Festival does not lapse during it."""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar

TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


@functools.lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool:
    """The national calendar's answer; for a year it has not published, Monday to Friday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The same wall-clock time (Asia/Shanghai) `days` working days after `start`'s day.

    A hold sent on a Friday afternoon with three working days lapses on Wednesday afternoon; sent
    on the eve of a week-long holiday, it lapses three working days after the holiday."""
    if days < 0:
        raise ValueError("days must not be negative")
    local = start.astimezone(TZ)
    day = local.date()
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return dt.datetime.combine(day, local.timetz())
