"""2026 in the national working calendar: why chinese-calendar's floor is 1.11.

chinese-calendar 1.10 stops at 2025, so for 2026 the hours fall back to the weekly timetable and a
facility that follows the calendar would read as open on 13 statutory holidays. The dates below are
copied from chinese-calendar 1.11.0's own data (chinese_calendar/constants.py: `holidays` minus
`in_lieu_days` on weekdays, and `workdays` on weekends), which transcribes the State Council's
notice for 2026.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from leye_yiyang.rules.hours import day_plan
from leye_yiyang.values import OpeningHours, TimeRange
from leye_yiyang.vocab import Weekday

D = dt.date
MONDAY = [TimeRange(opens="08:00", closes="17:30")]
WEEKDAY = [TimeRange(opens="08:30", closes="17:00")]
MEAL_HALL = OpeningHours(
    weekly={
        Weekday.MON: MONDAY,
        Weekday.TUE: WEEKDAY,
        Weekday.WED: WEEKDAY,
        Weekday.THU: WEEKDAY,
        Weekday.FRI: WEEKDAY,
    }
)

# Statutory holidays of 2026 that fall on a weekday and are not 调休 days off in lieu.
STATUTORY_WEEKDAY_HOLIDAYS_2026 = [
    D(2026, 1, 1),  # New Year's Day
    D(2026, 2, 16),  # Spring Festival
    D(2026, 2, 17),
    D(2026, 2, 18),
    D(2026, 2, 19),
    D(2026, 4, 6),  # Tomb-sweeping Day
    D(2026, 5, 1),  # Labour Day
    D(2026, 5, 4),
    D(2026, 6, 19),  # Dragon Boat Festival
    D(2026, 9, 25),  # Mid-autumn Festival
    D(2026, 10, 1),  # National Day
    D(2026, 10, 2),
    D(2026, 10, 5),
]
SPRING_FESTIVAL_MAKE_UP_SATURDAY = D(2026, 2, 14)


def test_the_installed_calendar_has_the_13_statutory_weekday_holidays_of_2026() -> None:
    year = [D(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    statutory_on_weekdays = [
        day
        for day in year
        if day.weekday() < 5
        and chinese_calendar.is_holiday(day)
        and not chinese_calendar.is_in_lieu(day)
    ]
    assert statutory_on_weekdays == STATUTORY_WEEKDAY_HOLIDAYS_2026


def test_spring_festival_2026_closes_a_facility_that_follows_the_calendar() -> None:
    plan = day_plan(MEAL_HALL, D(2026, 2, 17))  # a Tuesday
    assert plan.calendar_known
    assert plan.source == "holiday"
    assert plan.holiday_en == "Spring Festival"
    assert plan.ranges == []


@pytest.mark.parametrize("day", STATUTORY_WEEKDAY_HOLIDAYS_2026)
def test_every_2026_statutory_weekday_holiday_is_a_day_off(day: dt.date) -> None:
    assert day_plan(MEAL_HALL, day).ranges == []


def test_the_2026_spring_festival_make_up_saturday_is_a_working_day() -> None:
    assert chinese_calendar.is_workday(SPRING_FESTIVAL_MAKE_UP_SATURDAY)
    plan = day_plan(MEAL_HALL, SPRING_FESTIVAL_MAKE_UP_SATURDAY)
    assert plan.source == "makeup_workday"
    assert plan.ranges == MONDAY
