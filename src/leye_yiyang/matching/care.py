"""Childcare around a parent's working day: which centre, near home or near the workplace, can
take each child from before a shift until after it.

A job works for a parent who takes the children (`takes_children`) when, for every child needing
childcare, some centre with a place for the child's age (its classes' month bands, its eligibility
rules, a place free) near home or near the workplace is open, in a regular week, on every working
day from drop-off to pick-up:

    drop-off = shift start − travel(childcare → work) − HANDOVER_MINUTES
    pick-up  = shift end + travel(work → childcare) + HANDOVER_MINUTES

and the trip home → childcare → work stays within the parent's commute limit. A full-time job
must be covered on all its shifts; a part-time job on one shift the parent can work.

Bounded work: fitting jobs are first screened with a cheap necessary condition (some usable centre
within reach of home is open, in its weekly hours, around every shift on every working day, before
any travel is added), so Saturday work or a 05:30 start never uses up the budget; then the K_JOBS
best remaining jobs (in the job ranking's order) × the K_CARE nearest usable centres near home and
near each workplace are checked exactly. Alternatives are the first `alternatives` jobs that work,
each with the centre that adds the least travel (then the lower price, then id). Elders' meals and
day care, and anything else asked for, come from the service ranking near home.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from leye_yiyang.matching import jobs_match as jm
from leye_yiyang.matching import schemas as m
from leye_yiyang.matching import services_match as sm
from leye_yiyang.matching.context import Context, context
from leye_yiyang.matching.needs import NEEDS
from leye_yiyang.rules.hours import covers
from leye_yiyang.rules.jobs import Seeker
from leye_yiyang.rules.profiles import Person
from leye_yiyang.rules.schedule import minutes as clock_minutes
from leye_yiyang.rules.schedule import shift_conflicts
from leye_yiyang.snapshot.views import FacilityView
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import GEOD
from leye_yiyang.spatial.index import Hit, PointIndex
from leye_yiyang.spatial.travel import TravelMode
from leye_yiyang.values import OpeningHours, Shift
from leye_yiyang.vocab import WEEKDAYS, FacilityKind

HANDOVER_MINUTES = 5
K_JOBS = 12
K_CARE = 4
K_SCREEN = 40
DAY = 24 * 60
Windows = dict[str, list[tuple[int, int]]]  # weekday → merged opening spans, clock minutes


@dataclass(frozen=True, slots=True)
class Child:
    label: str
    person: Person
    assessor: sm.Assessor  # childcare for this child, at the parent's mode and commute limit
    centres: PointIndex  # all active childcare centres; `usable` tells which this child may use
    near_home: list[Hit]
    windows: list[Windows | None]  # of the usable centres within reach
    # (day, start, end) → some centre is open around it; jobs share a few shift patterns, and at
    # 100,000 facilities thousands of centres are within an e-bike ride.
    around: dict[tuple[str, int, int], bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stop:
    child: Child
    facility: FacilityView
    to_care: float  # home → childcare, minutes
    to_work: float  # childcare → work, minutes
    drop: int  # clock minutes
    pick: int
    extra: float
    payable: float


def clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def reference_days(on: dt.date) -> dict[str, dt.date]:
    """A date for each weekday in the week from `on`: the regular week the hours are read for."""
    return {
        WEEKDAYS[(on + dt.timedelta(i)).weekday()].value: on + dt.timedelta(i) for i in range(7)
    }


def day_windows(f: FacilityView) -> Windows | None:
    """Merged opening intervals (clock minutes) per weekday of the regular week; None when a range
    runs past midnight, so that the centre is never used to rule a job out."""
    out: dict[str, list[tuple[int, int]]] = {}
    for day, ranges in f.hours.weekly.items():
        spans = sorted((clock_minutes(r.opens), clock_minutes(r.closes)) for r in ranges)
        if any(close <= open_ for open_, close in spans):
            return None
        merged: list[tuple[int, int]] = []
        for open_, close in spans:
            if merged and open_ <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], close))
            else:
                merged.append((open_, close))
        out[day.value] = merged
    return out


def could_cover(child: Child, job: jm.Scored, seeker: Seeker) -> bool:
    """The necessary condition: without travel, some usable centre near home is open around each
    shift on each of its days."""

    def open_around(day: str, start: int, end: int) -> bool:
        key = (day, start, end)
        found = child.around.get(key)
        if found is None:
            found = child.around[key] = any(
                w is None or any(o <= start and end <= c for o, c in w.get(day, ()))
                for w in child.windows
            )
        return found

    return any(
        all(
            open_around(
                d.value,
                clock_minutes(s.starts) - HANDOVER_MINUTES,
                clock_minutes(s.ends) + HANDOVER_MINUTES,
            )
            for s in shifts
            for d in s.days
        )
        for shifts in shifts_to_cover(job, seeker)
    )


def shifts_to_cover(job: jm.Scored, seeker: Seeker) -> list[list[Shift]]:
    """Alternative sets of shifts to cover: the whole pattern for a full-time job, any one
    workable shift for a part-time one."""
    v = job.entry.view
    if not v.shifts:
        return []
    if not v.part_time:
        return [list(v.shifts)]
    return [[s] for s in v.shifts if not shift_conflicts(seeker, s)]


def _open_from_to(
    hours: OpeningHours, windows: Windows | None, day: dt.date, drop: int, pick: int
) -> bool:
    """hours.covers on the regular week; for a centre without overnight ranges the same answer is
    read off its merged daily windows (tests hold the two equal), which is ~50x cheaper."""
    if windows is not None:
        spans = windows.get(WEEKDAYS[day.weekday()].value, ())
        return any(o <= drop and pick <= c for o, c in spans)
    start, end = dt.time(drop // 60, drop % 60), dt.time(pick // 60, pick % 60)
    return covers(hours, day, start, end)


def _covered(
    hours: OpeningHours,
    windows: Windows | None,
    shifts: list[Shift],
    lead: float,
    lag: float,
    days: dict[str, dt.date],
) -> tuple[int, int] | None:
    """(drop-off, pick-up) of the first shift when the centre is open around every shift."""
    times: tuple[int, int] | None = None
    for shift in shifts:
        drop = math.floor(clock_minutes(shift.starts) - lead)
        pick = math.ceil(clock_minutes(shift.ends) + lag)
        if drop < 0 or pick >= DAY or pick <= drop:
            return None  # overnight, or too early or late for any centre's day
        if not all(_open_from_to(hours, windows, days[d.value], drop, pick) for d in shift.days):
            return None
        times = times or (drop, pick)
    return times


class CarePlanner:
    def __init__(
        self, ctx: Context, seeker: Seeker, mode: TravelMode, children: list[Child]
    ) -> None:
        self.ctx = ctx
        self.seeker = seeker
        self.mode = mode
        self.children = children
        self.days = reference_days(ctx.on)
        self._regular: dict[int, OpeningHours] = {}
        self._windows: dict[int, Windows | None] = {}

    def minutes(self, a: LonLat, b: LonLat) -> float:
        d = float(GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2])
        return float(self.ctx.model.minutes(self.mode, np.array([d], dtype=np.float64))[0])

    def regular(self, f: FacilityView) -> OpeningHours:
        hours = self._regular.get(f.id)
        if hours is None:
            hours = self._regular[f.id] = OpeningHours(
                weekly=f.hours.weekly, public_holidays="open"
            )
        return hours

    def windows(self, f: FacilityView) -> Windows | None:
        if f.id not in self._windows:
            self._windows[f.id] = day_windows(f)
        return self._windows[f.id]

    def stop(self, child: Child, fid: int, job: jm.Scored, direct: float) -> Stop | None:
        f = self.ctx.snap.facilities[fid]
        to_care = self.minutes(self.ctx.point, f.point)
        to_work = self.minutes(f.point, job.entry.point)
        if to_care + to_work > self.seeker.max_commute_minutes:
            return None
        lead = lag = to_work + HANDOVER_MINUTES
        for shifts in shifts_to_cover(job, self.seeker):
            times = _covered(self.regular(f), self.windows(f), shifts, lead, lag, self.days)
            if times is not None:
                got = child.assessor.get(fid)
                payable = got.price.payable_cny if got and got.price else 0.0
                return Stop(
                    child,
                    f,
                    to_care,
                    to_work,
                    times[0],
                    times[1],
                    to_care + to_work - direct,
                    payable,
                )
        return None

    def best(self, child: Child, job: jm.Scored) -> Stop | None:
        reach = child.assessor.ctx.reach_m
        near_work = child.centres.nearest(
            job.entry.point, K_CARE, max_distance_m=reach, accept=usable(child.assessor)
        )
        fids = list(dict.fromkeys([h.id for h in child.near_home] + [h.id for h in near_work]))
        stops = [s for fid in fids if (s := self.stop(child, fid, job, job.minutes))]
        return min(stops, key=lambda s: (s.extra, s.payable, s.facility.id), default=None)


def usable(a: sm.Assessor) -> Callable[[int], bool]:
    """A centre the child may take a place at; assessed when a search first meets it (the
    assessor caches), so a dense district costs only the centres actually looked at."""

    def accept(fid: int) -> bool:
        got = a.get(fid)
        return got is not None and not got.blockers

    return accept


def child_of(ctx: Context, label: str, person: Person, mode: TravelMode, minutes: float) -> Child:
    cctx = context(ctx.snap, ctx.model, ctx.origin, person, ctx.at, mode, minutes)
    a = sm.Assessor(cctx, NEEDS[m.Need.CHILDCARE])
    centres = ctx.snap.index(FacilityKind.CHILDCARE)
    ok = usable(a)
    near = centres.nearest(ctx.point, K_CARE, max_distance_m=cctx.reach_m, accept=ok)
    # The screen looks at the nearest K_SCREEN usable centres; the exact check (`best`) looks at
    # K_CARE near home and K_CARE near each workplace.
    screen = centres.nearest(ctx.point, K_SCREEN, max_distance_m=cctx.reach_m, accept=ok)
    windows = [day_windows(ctx.snap.facilities[h.id]) for h in screen]
    return Child(
        label=label, person=person, assessor=a, centres=centres, near_home=near, windows=windows
    )
