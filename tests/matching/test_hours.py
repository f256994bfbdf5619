"""Opening hours in Tinghu time, with the national working calendar (chinese_calendar):
statutory holidays close a facility that follows it, weekend 调休 make-up working days open it
with its Monday hours, dated exceptions decide their own day."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leye_yiyang.rules.hours import (
    TZ,
    Timetable,
    covers,
    day_hours,
    day_plan,
    is_open,
    next_opening,
    open_state,
)
from leye_yiyang.values import DatedHours, OpeningHours, TimeRange
from leye_yiyang.vocab import Weekday

D, T, W = dt.date, dt.time, Weekday


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=TZ)


def tr(opens: str, closes: str) -> TimeRange:
    return TimeRange(opens=opens, closes=closes)


MONDAY = [tr("08:00", "17:30")]
WEEKDAY = [tr("08:30", "17:00")]
SATURDAY = [tr("09:00", "12:00")]
DAY_CARE = OpeningHours(
    weekly={
        W.MON: MONDAY,
        W.TUE: WEEKDAY,
        W.WED: WEEKDAY,
        W.THU: WEEKDAY,
        W.FRI: WEEKDAY,
        W.SAT: SATURDAY,
    },
    exceptions=[
        DatedHours(date=D(2026, 6, 11), closed=True, note="消防检查"),
        DatedHours(date=D(2026, 10, 2), hours=[tr("09:00", "11:00")], note="节日值班"),
    ],
)
ALL_DAY = OpeningHours(weekly={d: [tr("00:00", "24:00")] for d in W}, public_holidays="open")

# 2026 make-up working days as published in chinese_calendar's data (State Council notice).
MAKEUP_SATURDAY, MAKEUP_SUNDAY = D(2026, 10, 10), D(2026, 9, 20)


def test_the_make_up_days_used_here_are_the_real_2026_ones() -> None:
    workdays_2026 = {
        d for d in chinese_calendar.get_workdays(D(2026, 1, 1), D(2026, 12, 31)) if d.weekday() >= 5
    }
    assert workdays_2026 == {
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        MAKEUP_SUNDAY,
        MAKEUP_SATURDAY,
    }


def test_an_ordinary_wednesday() -> None:
    assert day_hours(DAY_CARE, D(2026, 6, 10)) == WEEKDAY
    assert not is_open(DAY_CARE, at(2026, 6, 10, 8, 29))
    assert is_open(DAY_CARE, at(2026, 6, 10, 8, 30))
    assert is_open(DAY_CARE, at(2026, 6, 10, 16, 59))
    assert not is_open(DAY_CARE, at(2026, 6, 10, 17, 0))


def test_a_weekend() -> None:
    assert is_open(DAY_CARE, at(2026, 6, 13, 10))  # Saturday morning
    assert not is_open(DAY_CARE, at(2026, 6, 13, 13))
    assert day_hours(DAY_CARE, D(2026, 6, 14)) == []  # Sunday


def test_national_day_is_closed_even_on_a_thursday() -> None:
    plan = day_plan(DAY_CARE, D(2026, 10, 1))
    assert (plan.ranges, plan.source, plan.holiday_zh) == ([], "holiday", "国庆节")
    state = open_state(DAY_CARE, at(2026, 10, 1, 10))
    assert not state.open_now
    assert state.reason.zh.startswith("今天是国庆节假期，暂停服务")
    assert "National Day" in state.reason.en


def test_weekend_days_inside_a_holiday_week_are_closed_too() -> None:
    assert day_hours(DAY_CARE, D(2026, 10, 3)) == []  # a Saturday of the National Day week


@pytest.mark.parametrize("day", [MAKEUP_SATURDAY, MAKEUP_SUNDAY])
def test_a_make_up_working_day_opens_with_monday_hours(day: dt.date) -> None:
    plan = day_plan(DAY_CARE, day)
    assert (plan.ranges, plan.source) == (MONDAY, "makeup_workday")
    assert is_open(DAY_CARE, dt.datetime.combine(day, T(17, 15), tzinfo=TZ))
    assert "调休" in open_state(DAY_CARE, dt.datetime.combine(day, T(9), tzinfo=TZ)).reason.zh


def test_a_facility_that_ignores_the_calendar_keeps_its_weekly_hours() -> None:
    hours = OpeningHours(weekly=DAY_CARE.weekly, public_holidays="open")
    assert day_hours(hours, D(2026, 10, 1)) == WEEKDAY
    assert day_hours(hours, MAKEUP_SATURDAY) == SATURDAY


def test_a_dated_exception_decides_its_day() -> None:
    assert day_hours(DAY_CARE, D(2026, 6, 11)) == []
    state = open_state(DAY_CARE, at(2026, 6, 11, 10))
    assert not state.open_now
    assert "消防检查" in state.reason.zh
    assert state.next_opening == at(2026, 6, 12, 8, 30)


def test_an_exception_overrides_a_holiday() -> None:
    assert is_open(DAY_CARE, at(2026, 10, 2, 10))
    assert not is_open(DAY_CARE, at(2026, 10, 2, 12))


def test_next_opening_skips_the_holiday_week() -> None:
    # Wednesday 30 Sep after closing; 1–7 Oct off except the 2 Oct duty morning.
    assert next_opening(DAY_CARE, at(2026, 9, 30, 18)) == at(2026, 10, 2, 9)
    assert next_opening(DAY_CARE, at(2026, 10, 2, 12)) == at(2026, 10, 8, 8, 30)
    state = open_state(DAY_CARE, at(2026, 10, 2, 12))
    assert state.reason.zh == "今天另有安排（节日值班），现在未营业，下次开门：10月8日（周四）08:30"
    assert state.reason.en.endswith("Closed now, next opens Thu 8 Oct at 08:30")


def test_next_opening_ignores_the_period_under_way() -> None:
    # Open now; Thursday 11 June is closed for the fire inspection, so Friday.
    assert next_opening(DAY_CARE, at(2026, 6, 10, 10)) == at(2026, 6, 12, 8, 30)


def test_open_state_while_open() -> None:
    state = open_state(DAY_CARE, at(2026, 6, 10, 10))
    assert state.open_now
    assert state.closes_at == at(2026, 6, 10, 17)
    assert state.calendar_known
    assert state.reason.zh == "正在营业，今天17:00关门"
    assert state.reason.en == "Open now, closes today at 17:00"


def test_an_unknown_year_falls_back_to_weekly_hours_and_says_so() -> None:
    # chinese_calendar has no data for 2031: 1 Jan 2031 (a Wednesday) gets the weekly hours.
    assert day_hours(DAY_CARE, D(2031, 1, 1)) == WEEKDAY
    state = open_state(DAY_CARE, at(2031, 1, 1, 10))
    assert state.open_now
    assert not state.calendar_known
    assert "2031年节假日安排尚未公布" in state.reason.zh
    assert "2031 public holidays not yet published" in state.reason.en


def test_naive_times_are_tinghu_time_and_aware_ones_are_converted() -> None:
    assert is_open(DAY_CARE, dt.datetime(2026, 6, 10, 10, 0))
    utc = dt.datetime(2026, 6, 10, 2, 30, tzinfo=dt.UTC)  # 10:30 in Tinghu
    assert is_open(DAY_CARE, utc)
    assert not is_open(DAY_CARE, dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC))  # 18:00


def test_24_00_closes_at_midnight() -> None:
    evening = OpeningHours(weekly={d: [tr("18:00", "24:00")] for d in W}, public_holidays="open")
    assert is_open(evening, at(2026, 6, 10, 23, 59))
    assert not is_open(evening, at(2026, 6, 11, 0, 0))
    assert open_state(evening, at(2026, 6, 10, 20)).closes_at == at(2026, 6, 11, 0)


def test_round_the_clock_has_no_closing_time() -> None:
    state = open_state(ALL_DAY, at(2026, 10, 1, 3))
    assert state.open_now
    assert state.closes_at is None
    assert state.next_opening is None
    assert state.reason.zh == "正在营业，全天开放"


def test_an_overnight_range_runs_into_the_next_morning() -> None:
    night = OpeningHours(weekly={W.WED: [tr("22:00", "06:00")]}, public_holidays="open")
    assert is_open(night, at(2026, 6, 11, 3))  # Thursday 03:00, from Wednesday night
    assert not is_open(night, at(2026, 6, 11, 6))


def test_nothing_in_three_weeks() -> None:
    state = open_state(OpeningHours(), at(2026, 6, 10, 10))
    assert state.next_opening is None
    assert state.reason.code == "closed_no_hours"


CHILDCARE = OpeningHours(
    weekly={d: [tr("07:30", "17:30")] for d in (W.MON, W.TUE, W.WED, W.THU, W.FRI)}
)


def test_covers_a_working_day_with_drop_off_and_pick_up_time() -> None:
    wed = D(2026, 6, 10)
    assert covers(CHILDCARE, wed, T(7, 30), T(17, 30))
    assert not covers(CHILDCARE, wed, T(7, 0), T(17, 0))
    assert not covers(CHILDCARE, wed, T(8, 0), T(18, 0))
    assert not covers(CHILDCARE, D(2026, 10, 1), T(8, 0), T(17, 0))  # National Day


def test_covers_needs_no_break_but_touching_ranges_join() -> None:
    split = OpeningHours(weekly={W.WED: [tr("08:00", "12:00"), tr("13:00", "17:00")]})
    touching = OpeningHours(weekly={W.WED: [tr("08:00", "12:00"), tr("12:00", "17:00")]})
    wed = D(2026, 6, 10)
    assert not covers(split, wed, T(8), T(17))
    assert covers(split, wed, T(13), T(17))
    assert covers(touching, wed, T(8), T(17))


def test_covers_a_span_past_midnight() -> None:
    assert covers(ALL_DAY, D(2026, 6, 10), T(20), T(6))


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)))
def test_next_opening_is_the_first_open_minute_after_a_closed_one(when: dt.datetime) -> None:
    nxt = next_opening(DAY_CARE, when)
    if nxt is None:
        return
    assert nxt > when.replace(tzinfo=TZ)
    assert is_open(DAY_CARE, nxt)
    assert not is_open(DAY_CARE, nxt - dt.timedelta(minutes=1))


clocks = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 24), st.sampled_from([0, 15, 30, 45])
).filter(lambda c: c <= "24:00")
ranges = st.lists(st.builds(tr, clocks, clocks), max_size=3)
random_hours = st.builds(
    OpeningHours,
    weekly=st.dictionaries(st.sampled_from(list(W)), ranges),
    exceptions=st.lists(
        st.builds(
            DatedHours,
            date=st.dates(D(2026, 9, 25), D(2026, 10, 15)),
            closed=st.booleans(),
            hours=ranges,
        ),
        max_size=3,
        unique_by=lambda e: e.date,
    ),
    public_holidays=st.sampled_from(["closed", "open"]),
)


@settings(max_examples=300, deadline=None)
@given(
    random_hours,
    st.datetimes(min_value=dt.datetime(2026, 9, 25), max_value=dt.datetime(2026, 10, 15)),
)
def test_a_days_timetable_answers_exactly_as_the_calendar_walk(
    hours: OpeningHours, when: dt.datetime
) -> None:
    """Nearby search answers open/next-opening from a per-day timetable; around the National Day
    holiday and its make-up days, with overnight ranges and exceptions, it must agree."""
    moment = when.replace(tzinfo=TZ)
    table = Timetable(hours, moment.date())
    assert table.state(moment.timestamp()) == (is_open(hours, moment), next_opening(hours, moment))
