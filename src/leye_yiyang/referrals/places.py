"""Places a referral holds and takes, kept as counters beside each capacity.

Every change is one conditional UPDATE ("hold one if one is free"), so two senders racing for the
last place are decided by the database's row lock: exactly one UPDATE matches, on SQLite and on
PostgreSQL alike, and nothing is read and then written in between."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from leye_yiyang.db import mark_facilities_written
from leye_yiyang.errors import Conflict, NotFound, Unprocessable
from leye_yiyang.models import Facility, TrainingCourse, Vacancy


@dataclass(frozen=True, slots=True)
class Target:
    type: str  # facility | vacancy | course
    id: int
    name: str
    kind: str  # the facility's kind, or "vacancy" / "course"
    facility_id: int | None  # who receives: the facility (a course's provider); None: hrss


def find(session: Session, type_: str, ident: int) -> Target:
    if type_ == "facility":
        f = session.get(Facility, ident)
        if f is not None:
            if f.status != "active":
                raise Unprocessable(
                    "该机构目前不接收转介（暂停或关闭）",
                    "This facility takes no referrals now (suspended or closed)",
                    code="target_not_active",
                    field="target",
                )
            return Target("facility", f.id, f.name, f.kind, f.id)
    elif type_ == "vacancy":
        v = session.get(Vacancy, ident)
        if v is not None:
            if v.status != "open":
                raise Unprocessable(
                    "该岗位已不再招聘",
                    "This vacancy is no longer open",
                    code="target_not_active",
                    field="target",
                )
            return Target("vacancy", v.id, v.title, "vacancy", None)
    else:
        c = session.get(TrainingCourse, ident)
        if c is not None:
            return Target("course", c.id, c.title, "course", c.provider_id)
    raise NotFound(
        "没有这个转介对象", "No such facility, vacancy or course", code="target_not_found"
    )


def _no_place(target: Target) -> Conflict:
    return Conflict(
        f"“{target.name}”目前没有空余名额",
        f"No places free at {target.name!r}",
        code="no_places_free",
        field="target",
    )


def hold(session: Session, target: Target) -> None:
    if target.type == "facility":
        t = Facility.__table__
        stmt = (
            update(t)  # type: ignore[arg-type]
            .where(t.c.id == target.id, t.c.places_taken + t.c.places_held < t.c.capacity)
            .values(places_held=t.c.places_held + 1)
        )
    elif target.type == "vacancy":
        t = Vacancy.__table__
        stmt = (
            update(t)  # type: ignore[arg-type]
            .where(t.c.id == target.id, t.c.places_filled + t.c.places_held < t.c.headcount)
            .values(places_held=t.c.places_held + 1)
        )
    else:
        t = TrainingCourse.__table__
        stmt = (
            update(t)  # type: ignore[arg-type]
            .where(t.c.id == target.id, t.c.seats_taken + t.c.seats_held < t.c.seats)
            .values(seats_held=t.c.seats_held + 1)
        )
    if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
        raise _no_place(target)
    _changed(session, target)


def release(session: Session, target: Target, *, taken: bool) -> None:
    """Give back a held place (`taken=False`) or a taken one."""
    column = {
        ("facility", False): "places_held",
        ("facility", True): "places_taken",
        ("vacancy", False): "places_held",
        ("vacancy", True): "places_filled",
        ("course", False): "seats_held",
        ("course", True): "seats_taken",
    }[(target.type, taken)]
    t = _table(target)
    c = t.c[column]
    session.execute(update(t).where(t.c.id == target.id, c > 0).values({column: c - 1}))
    _changed(session, target)


def take(session: Session, target: Target) -> None:
    """The held place becomes a taken one (the referral was accepted)."""
    held, taken = {
        "facility": ("places_held", "places_taken"),
        "vacancy": ("places_held", "places_filled"),
        "course": ("seats_held", "seats_taken"),
    }[target.type]
    t = _table(target)
    values = {held: t.c[held] - 1, taken: t.c[taken] + 1}
    if target.type == "facility":
        # places_taken is a field departments edit under If-Match: moving it is a new version.
        values["version"] = t.c.version + 1
    session.execute(update(t).where(t.c.id == target.id, t.c[held] > 0).values(values))
    _changed(session, target)


def free(session: Session, target: Target) -> int:
    if target.type == "facility":
        f = session.execute(
            select(Facility.capacity, Facility.places_taken, Facility.places_held).where(
                Facility.id == target.id
            )
        ).one()
        return max(0, f[0] - f[1] - f[2])
    if target.type == "vacancy":
        v = session.execute(
            select(Vacancy.headcount, Vacancy.places_filled, Vacancy.places_held).where(
                Vacancy.id == target.id
            )
        ).one()
        return max(0, v[0] - v[1] - v[2])
    c = session.execute(
        select(TrainingCourse.seats, TrainingCourse.seats_taken, TrainingCourse.seats_held).where(
            TrainingCourse.id == target.id
        )
    ).one()
    return max(0, c[0] - c[1] - c[2])


def _table(target: Target) -> Table:
    model = {"facility": Facility, "vacancy": Vacancy, "course": TrainingCourse}[target.type]
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _changed(session: Session, target: Target) -> None:
    # Places free show in nearby and matching: the snapshot re-reads this facility.
    if target.type == "facility":
        mark_facilities_written(session, [target.id])
