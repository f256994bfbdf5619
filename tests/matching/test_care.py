"""The fast opening-window check the household planner uses gives exactly hours.covers' answer on
the regular week, for every childcare centre of the demo directory."""

from __future__ import annotations

import datetime as dt
import random

from leye_yiyang.matching.care import _open_from_to, day_windows, reference_days
from leye_yiyang.rules.hours import covers
from leye_yiyang.values import OpeningHours, TimeRange
from leye_yiyang.vocab import FacilityKind, Weekday


def test_windows_agree_with_hours_covers_for_every_centre(app: object) -> None:
    snap = app.state["snapshots"].current  # type: ignore[attr-defined]
    rng = random.Random(3)
    days = reference_days(dt.date(2026, 12, 1))
    centres = [f for f in snap.facilities.values() if f.kind is FacilityKind.CHILDCARE]
    assert centres
    for f in centres:
        regular = OpeningHours(weekly=f.hours.weekly, public_holidays="open")
        windows = day_windows(f)
        assert windows is not None
        for _ in range(60):
            day = days[rng.choice(list(Weekday)).value]
            drop = rng.randrange(6 * 60, 12 * 60)
            pick = rng.randrange(drop + 1, 20 * 60)
            expected = covers(
                regular, day, dt.time(drop // 60, drop % 60), dt.time(pick // 60, pick % 60)
            )
            assert _open_from_to(regular, windows, day, drop, pick) == expected


def test_touching_ranges_merge_and_overnight_ranges_fall_back_to_covers() -> None:
    split = OpeningHours(
        weekly={
            Weekday.MON: [
                TimeRange(opens="07:30", closes="12:00"),
                TimeRange(opens="12:00", closes="17:30"),
            ]
        }
    )
    monday = dt.date(2026, 11, 30)

    class Place:
        hours = split

    windows = day_windows(Place())  # type: ignore[arg-type]
    assert windows == {"mon": [(450, 1050)]}
    assert _open_from_to(split, windows, monday, 460, 1040)
    night = OpeningHours(weekly={Weekday.MON: [TimeRange(opens="20:00", closes="06:00")]})

    class Late:
        hours = night

    assert day_windows(Late()) is None  # type: ignore[arg-type]
    assert _open_from_to(night, None, monday, 21 * 60, 23 * 60)
