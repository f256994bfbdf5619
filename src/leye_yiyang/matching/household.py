"""One plan for a household: services near home for each member's needs, and for each member
seeking work only the jobs whose hours and commute fit the childcare the household needs (the rule
and its bounds are in `matching.care`). The plan is the first choice for every member and need;
what could not be satisfied is said, with why, in Chinese and English; alternatives are ranked.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from leye_yiyang.circles.service import brief
from leye_yiyang.errors import InvalidInput
from leye_yiyang.matching import context as cx
from leye_yiyang.matching import jobs_match as jm
from leye_yiyang.matching import schemas as m
from leye_yiyang.matching import services_match as sm
from leye_yiyang.matching.care import (
    K_JOBS,
    CarePlanner,
    Child,
    Stop,
    child_of,
    clock,
    could_cover,
)
from leye_yiyang.matching.needs import NEEDS
from leye_yiyang.rules.jobs import Seeker
from leye_yiyang.rules.profiles import Person, age_on
from leye_yiyang.rules.reasons import Reason
from leye_yiyang.rules.schedule import shift_text
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.spatial.travel import TravelMode, TravelTimeModel

WORKING_AGE = 16


def care_stop(s: Stop, crs: Datum) -> m.ChildcareStop:
    got = s.child.assessor.get(s.facility.id)
    near: Literal["home", "work"] = "home" if s.to_care <= s.to_work else "work"
    return m.ChildcareStop(
        child=s.child.label,
        facility=brief(s.facility, crs),
        near=near,
        drop_off=clock(s.drop),
        pick_up=clock(s.pick),
        home_to_childcare_minutes=round(s.to_care, 2),
        childcare_to_work_minutes=round(s.to_work, 2),
        eligibility=sm.must(got).verdict,
        price=sm.must(got).price,
        places_free=s.facility.places_free if s.facility.capacity > 0 else None,
    )


def alternative(
    rank: int, job: jm.Scored, stops: list[Stop], ranked: jm.Ranked, ctx: cx.Context
) -> m.WorkAlternative:
    cat = ctx.snap.jobs
    option = jm.job_option(job, rank, ranked.seeker, cat.occupations, ctx.origin.crs)
    commute = job.minutes + sum(s.extra for s in stops)
    v = job.entry.view
    s_zh, s_en = shift_text(v.shifts[0]) if v.shifts else ("", "")
    zh = f"{job.entry.employer_name}·{v.title}（{s_zh}）"
    en = f"{v.title} at {job.entry.employer_name} ({s_en})"
    for s in stops:
        zh += f"；{s.child.label}在{s.facility.name}托育，{clock(s.drop)}前送、{clock(s.pick)}后接"
        en += f"; {s.child.label} at {s.facility.name}, drop off by {clock(s.drop)}, "
        en += f"collect from {clock(s.pick)}"
    return m.WorkAlternative(
        rank=rank,
        job=option,
        childcare=[care_stop(s, ctx.origin.crs) for s in stops],
        commute_minutes=round(commute, 2),
        extra_minutes=round(commute - job.minutes, 2),
        summary=Reason(code="plan.work", zh=zh, en=en),
    )


def work_plan(ctx: cx.Context, member: m.MemberIn, children: list[Child], n: int) -> m.WorkPlan:
    cat = ctx.snap.jobs
    work = member.work or m.SeekerIn()
    seeker = jm.seeker_of(work, cat.occupations, "work")
    ranked = jm.rank_jobs(cat, ctx.model, ctx.point, seeker, work.mode, ctx.on)
    fitting = ranked.fitting
    caring = children if member.takes_children else []
    planner = CarePlanner(ctx, seeker, work.mode, caring)
    alternatives: list[m.WorkAlternative] = []
    checked = 0
    for job in fitting:
        if caring and not all(could_cover(child, job, seeker) for child in caring):
            continue
        if checked >= (K_JOBS if caring else n):
            break
        checked += 1
        stops = [planner.best(child, job) for child in caring]
        if all(s is not None for s in stops):
            alternatives.append(
                alternative(len(alternatives) + 1, job, [s for s in stops if s], ranked, ctx)
            )
            if len(alternatives) >= n:
                break
    training = []
    if len(fitting) < jm.MIN_FITTING:
        training = jm.recommend_courses(
            cat, ctx.model, ctx.point, ranked, work.mode, ctx.on, ctx.origin.crs
        )
    unmet = None if alternatives else work_unmet(len(fitting), checked, caring, seeker)
    return m.WorkPlan(
        jobs_fitting_seeker=len(fitting),
        jobs_checked_for_care=checked if caring else 0,
        alternatives=alternatives,
        training=training,
        unmet=unmet,
    )


def work_unmet(fitting: int, checked: int, caring: list[Child], seeker: Seeker) -> Reason:
    limit = seeker.max_commute_minutes
    if not fitting:
        return Reason(
            code="work.none_fit",
            zh=f"通勤{limit}分钟以内没有符合技能、时间和其他条件的岗位",
            en=f"No job within a {limit}-minute commute fits the seeker's skills, hours and limits",
        )
    no_centre = [c for c in caring if not c.near_home]
    if no_centre:
        names = "、".join(c.label for c in no_centre)
        return Reason(
            code="work.no_childcare",
            zh=f"家附近（通勤{limit}分钟以内）没有能接收{names}且有空位的托育机构",
            en=f"No childcare centre within {limit} min of home has a place for "
            f"{', '.join(c.label for c in no_centre)}",
        )
    if not checked:
        return Reason(
            code="work.care_hours",
            zh=f"{fitting}个岗位符合求职者条件，但上班时间都超出附近托育机构的开放时间"
            "（如周六上班、清早或晚上的班次）",
            en=f"{fitting} job(s) fit the seeker, but all their hours fall outside the opening hours "
            "of the childcare centres nearby (Saturday work, early or late shifts)",
        )
    return Reason(
        code="work.care_hours",
        zh=f"{fitting}个岗位符合求职者条件，其中{checked}个时间上可能可行，但算上送托、接回路上的时间，"
        "都找不到从上班前送托到下班后接回一直开放、且有适龄空位的托育机构",
        en=f"{fitting} job(s) fit the seeker and {checked} might fit the childcare hours, but with "
        "the trips to and from childcare none has a centre with a place open from drop-off before "
        "work to pick-up after it",
    )


def _people(req: m.HouseholdRequest, codes: list[str], on: dt.date) -> list[Person]:
    people = []
    for i, mem in enumerate(req.members):
        person = cx.person_of(mem, codes, on, f"members[{i}]")
        age = age_on(person, on)
        if mem.seeks_work and age is not None and age < WORKING_AGE:
            raise InvalidInput(
                f"{mem.label}未满{WORKING_AGE}岁，不能登记求职",
                f"{mem.label} is under {WORKING_AGE} and cannot be registered as seeking work",
                code="not_working_age",
                field=f"members[{i}].seeks_work",
            )
        people.append(person)
    return people


Children = dict[tuple[TravelMode, int], list[Child]]


def member_plan(
    ctx: cx.Context,
    mem: m.MemberIn,
    person: Person,
    kids: list[tuple[str, Person]],
    n: int,
    children: Children,
) -> m.MemberPlan:
    mctx = cx.context(ctx.snap, ctx.model, ctx.origin, person, ctx.at, ctx.mode, ctx.minutes)
    needs = [sm.match_need(mctx, need, n, False) for need in dict.fromkeys(mem.needs)]
    work = None
    if mem.seeks_work:
        w = mem.work or m.SeekerIn()
        key = (w.mode, w.max_commute_minutes)  # the children's centres depend on nothing else
        if key not in children:
            children[key] = [
                child_of(ctx, lbl, p, w.mode, w.max_commute_minutes) for lbl, p in kids
            ]
        work = work_plan(ctx, mem, children[key], n)
    return m.MemberPlan(label=mem.label, age=age_on(person, ctx.on), needs=needs, work=work)


def plan_lines(members: list[m.MemberPlan]) -> tuple[list[Reason], list[m.Unsatisfied]]:
    lines: list[Reason] = []
    missing: list[m.Unsatisfied] = []
    for mp in members:
        for nr in mp.needs:
            spec = NEEDS[nr.need]
            if nr.unmet is not None:
                missing.append(m.Unsatisfied(member=mp.label, need=nr.need.value, reason=nr.unmet))
            if nr.options and nr.options[0].within_limit:
                top = nr.options[0]
                lines.append(
                    Reason(
                        code=f"plan.{nr.need.value}",
                        zh=f"{mp.label}·{spec.zh}：{top.facility.name}（{top.summary.zh}）",
                        en=f"{mp.label}, {spec.en}: {top.facility.name} ({top.summary.en})",
                    )
                )
        if mp.work is not None:
            if mp.work.unmet is not None:
                missing.append(m.Unsatisfied(member=mp.label, need="work", reason=mp.work.unmet))
            if mp.work.alternatives:
                s = mp.work.alternatives[0].summary
                lines.append(
                    Reason(
                        code=s.code, zh=f"{mp.label}·工作：{s.zh}", en=f"{mp.label}, work: {s.en}"
                    )
                )
    return lines, missing


def match_household(
    snap: DirectorySnapshot, model: TravelTimeModel, req: m.HouseholdRequest
) -> m.HouseholdResult:
    at = cx.when(req.at)
    origin = cx.locate_home(snap, req.home, req.crs)
    codes = cx.residence(snap, LonLat(*origin.wgs84))
    people = _people(req, codes, at.date())
    ctx = cx.context(snap, model, origin, Person(), at, req.mode, req.minutes)
    kids = [
        (mem.label, p)
        for mem, p in zip(req.members, people, strict=True)
        if m.Need.CHILDCARE in mem.needs
    ]
    children: Children = {}
    members = [
        member_plan(ctx, mem, p, kids, req.alternatives, children)
        for mem, p in zip(req.members, people, strict=True)
    ]
    lines, missing = plan_lines(members)
    return m.HouseholdResult(
        home=origin,
        residence=cx.area_refs(snap, codes),
        at=at,
        plan=lines,
        members=members,
        unsatisfied=missing,
    )
