"""Can a seeker work a vacancy's shifts? A shift fits when all its days are days the seeker can
work and it lies inside the seeker's hours (from `available_from` to `must_leave_by`).

A full-time vacancy's shifts are its working pattern, so every one must fit; a part-time
vacancy's shifts are alternatives ("上午班或下午班"), so one is enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import msgspec

from leye_yiyang.rules.reasons import Reason
from leye_yiyang.values import Shift
from leye_yiyang.vocab import WEEKDAYS, Weekday

UNKNOWN_SCHEDULE = 0.5
_DAY_MINUTES = 24 * 60
_ZH = dict(zip(WEEKDAYS, ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True))
_EN = dict(zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


class Available(Protocol):
    @property
    def available_from(self) -> str | None: ...
    @property
    def must_leave_by(self) -> str | None: ...
    @property
    def days(self) -> Sequence[Weekday]: ...
    @property
    def part_time_ok(self) -> bool: ...


class ScheduleFit(msgspec.Struct, frozen=True, kw_only=True):
    score: float
    reason: Reason
    blockers: list[Reason]


def minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def days_text(days: Sequence[Weekday]) -> tuple[str, str]:
    """ "周一至周五" for a run of three or more days, else a list."""
    idx = sorted({WEEKDAYS.index(d) for d in days})
    if len(idx) >= 3 and idx[-1] - idx[0] == len(idx) - 1:
        a, b = WEEKDAYS[idx[0]], WEEKDAYS[idx[-1]]
        return f"{_ZH[a]}至{_ZH[b]}", f"{_EN[a]}–{_EN[b]}"
    return "、".join(_ZH[WEEKDAYS[i]] for i in idx), ", ".join(_EN[WEEKDAYS[i]] for i in idx)


def shift_text(shift: Shift) -> tuple[str, str]:
    d_zh, d_en = days_text(shift.days)
    overnight = minutes(shift.ends) <= minutes(shift.starts)
    next_zh, next_en = ("次日", " next day") if overnight else ("", "")
    return (
        f"{d_zh} {shift.starts}–{next_zh}{shift.ends}",
        f"{d_en} {shift.starts}–{shift.ends}{next_en}",
    )


def shift_conflicts(who: Available, shift: Shift) -> list[Reason]:
    """Why this seeker cannot work this shift; empty when they can."""
    out: list[Reason] = []
    missing = [d for d in shift.days if who.days and d not in who.days]
    if missing:
        m_zh, m_en = days_text(missing)
        out.append(
            Reason(
                code="schedule.day",
                zh=f"班次包括{m_zh}，不在可工作的日子里",
                en=f"The shift includes {m_en}, not among the days the seeker can work",
            )
        )
    lo = minutes(who.available_from) if who.available_from else 0
    hi = minutes(who.must_leave_by) if who.must_leave_by else _DAY_MINUTES
    start, end = minutes(shift.starts), minutes(shift.ends)
    if end <= start:
        # Overnight: it runs through both ends of the seeker's day.
        if lo > 0 or hi < _DAY_MINUTES:
            s_zh, s_en = shift_text(shift)
            out.append(
                Reason(
                    code="schedule.overnight",
                    zh=f"夜班（{s_zh}）超出可工作的时间",
                    en=f"The night shift ({s_en}) falls outside the hours the seeker can work",
                )
            )
        return out
    if start < lo:
        out.append(
            Reason(
                code="schedule.too_early",
                zh=f"班次{shift.starts}上班，早于能到岗的{who.available_from}",
                en=f"The shift starts at {shift.starts}, before the seeker can arrive "
                f"({who.available_from})",
            )
        )
    if end > hi:
        out.append(
            Reason(
                code="schedule.too_late",
                zh=f"班次{shift.ends}下班，晚于必须离开的{who.must_leave_by}",
                en=f"The shift ends at {shift.ends}, after {who.must_leave_by} when the seeker "
                "must leave",
            )
        )
    return out


def fit_schedule(who: Available, shifts: Sequence[Shift], *, part_time: bool) -> ScheduleFit:
    fit = _fit_shifts(who, shifts, part_time=part_time)
    if not (part_time and not who.part_time_ok):
        return fit
    refusal = Reason(
        code="schedule.part_time",
        zh="这是兼职岗位，求职者不考虑兼职",
        en="This is a part-time job and the seeker does not want part-time work",
    )
    blockers = [refusal, *fit.blockers]
    reason = Reason(
        code="schedule.conflict",
        zh="；".join(r.zh for r in blockers),
        en="; ".join(r.en for r in blockers),
    )
    return ScheduleFit(score=0.0, reason=reason, blockers=blockers)


def _fit_shifts(who: Available, shifts: Sequence[Shift], *, part_time: bool) -> ScheduleFit:
    if not shifts:
        reason = Reason(
            code="schedule.unknown",
            zh="岗位未注明班次，请向用人单位确认",
            en="The job gives no shifts; check with the employer",
        )
        return ScheduleFit(score=UNKNOWN_SCHEDULE, reason=reason, blockers=[])
    conflicts = [shift_conflicts(who, s) for s in shifts]
    fitting = [s for s, c in zip(shifts, conflicts, strict=True) if not c]
    works = bool(fitting) if part_time else len(fitting) == len(shifts)
    if works:
        s_zh, s_en = shift_text(fitting[0])
        several = part_time and len(shifts) > 1
        extra_zh = "（可选班次之一）" if several else ""
        extra_en = " (one of the shifts offered)" if several else ""
        reason = Reason(
            code="schedule.ok",
            zh=f"班次{s_zh}{extra_zh}在可工作时间内",
            en=f"The shift {s_en}{extra_en} is within the hours the seeker can work",
        )
        return ScheduleFit(score=1.0, reason=reason, blockers=[])
    found = [r for c in conflicts for r in c]
    reason = Reason(
        code="schedule.conflict",
        zh="；".join(r.zh for r in found),
        en="; ".join(r.en for r in found),
    )
    # Full time: the share of the pattern that works shows how near a miss it is.
    score = 0.0 if part_time else round(len(fitting) / len(shifts), 3)
    return ScheduleFit(score=score, reason=reason, blockers=found)
