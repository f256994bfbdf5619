"""Job matching: open vacancies within a seeker's commute, scored by `matching.jobs`, ranked and
explained; training courses that close the skill gap when too few jobs fit.

Ranking rule (returned with every answer as `ranking`):

1. Only vacancies open on the day asked about (status open and not expired) whose workplace lies
   within the seeker's commute limit (`max_commute_minutes` by `mode`; exact geodesic search).
2. Only vacancies the seeker's words bear on: a listed skill related to a skill or occupation word
   the seeker gave, or an occupation they named or one in the same 小类 (the skills part scores
   above 0). A seeker who gives no words at all gets the nearest vacancies within reach. Of
   these, the nearest 300 are scored (a bound that matters only with tens of thousands of
   vacancies, where a common word finds thousands within an e-bike ride).
3. Fitting (no hard limit: education two steps short, a shift they cannot work, a commute over
   the limit, part-time work not wanted) before not fitting. Jobs that do not fit are listed
   apart, with what stands in the way, only with `include_excluded`.
4. Higher total score (skills 0.40, schedule 0.25, commute 0.20, wage 0.15), then the shorter
   commute, then id.

Training: when fewer than MIN_FITTING jobs fit, courses starting after the day asked about with a
seat free that teach what the seeker lacks: the skills the relevant vacancies ask for and the
seeker has not shown, and the skills of the occupations they named. A certificate (证) counts as
shown only when the seeker lists it in `certificates`: their words are what they can do or want. Ranked by how many of those
skills a course teaches (+1 when it trains for a named occupation), then distance, start, id.

Protected attributes never enter: `SeekerIn` and `Seeker` carry none (fairness.PROTECTED_FIELDS).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from leye_yiyang.circles.service import travel_info
from leye_yiyang.errors import InvalidInput, Unprocessable
from leye_yiyang.geocode.points import Located
from leye_yiyang.matching import schemas as m
from leye_yiyang.matching.context import locate_home, when
from leye_yiyang.rules.jobs import JobScore, Mode, Seeker, has_skill, score, skill_gap, words_of
from leye_yiyang.rules.occupations import OccupationCatalogue, normalise, related
from leye_yiyang.rules.reasons import Reason, money
from leye_yiyang.rules.schedule import minutes as clock_minutes
from leye_yiyang.rules.schedule import shift_conflicts
from leye_yiyang.snapshot.jobs import CourseEntry, JobsCatalogue, VacancyEntry
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.spatial.geodesic import GEOD
from leye_yiyang.spatial.travel import TravelMode, TravelTimeModel

MIN_FITTING = 3  # fewer fitting jobs than this and training is recommended
NO_WORDS_POOL = 100  # vacancies scored for a seeker who names no skill or occupation
GAP_FROM = 10  # the most relevant vacancies whose missing skills make up the gap
COURSES = 5
CODE = re.compile(r"^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$")
JOB_MODE: dict[TravelMode, Mode] = {
    TravelMode.WALK: "walk",
    TravelMode.SENIOR_WALK: "walk",
    TravelMode.STROLLER: "walk",
    TravelMode.EBIKE: "ebike",
    TravelMode.CAR: "car",
}

RANKING = Reason(
    code="ranking.jobs",
    zh="排序规则：只看当天有效、通勤时间以内、与求职者技能或职业相关的岗位；符合全部硬性条件的在前"
    "（不符合的仅在 include_excluded 时另列并说明原因），再按总分（技能0.40、时间0.25、通勤0.20、"
    "工资0.15）从高到低、通勤时间从短到长排列。",
    en="Ranking: only vacancies open that day, within the commute limit and related to the "
    "seeker's skills or occupations; jobs that meet every hard limit first (the others are listed "
    "apart, with reasons, only with include_excluded), then by total score (skills 0.40, "
    "schedule 0.25, commute 0.20, wage 0.15), then the shorter commute.",
)


@dataclass(frozen=True, slots=True)
class Scored:
    entry: VacancyEntry
    score: JobScore
    distance_m: float
    minutes: float

    @property
    def key(self) -> tuple[bool, float, float, int]:
        return (not self.score.fits, -self.score.total, self.minutes, self.entry.view.id)


@dataclass(frozen=True, slots=True)
class Ranked:
    seeker: Seeker
    terms: list[str]
    codes: list[str]
    scored: list[Scored]  # every relevant vacancy within reach, in rank order

    @property
    def fitting(self) -> list[Scored]:
        return [s for s in self.scored if s.score.fits]


def seeker_of(s: m.SeekerIn, occupations: OccupationCatalogue, field: str) -> Seeker:
    if (
        s.available_from
        and s.must_leave_by
        and clock_minutes(s.must_leave_by) <= clock_minutes(s.available_from)
    ):
        raise InvalidInput(
            "必须离开的时间须晚于能到岗的时间",
            "must_leave_by must be later than available_from",
            code="hours_inverted",
            field=f"{field}.must_leave_by",
        )
    codes = [w for w in s.occupations if CODE.match(w)]
    for code in codes:
        if code not in occupations:
            raise Unprocessable(
                f"职业分类中没有编码 {code}",
                f"No occupation with code {code}",
                code="unknown_occupation",
                field=f"{field}.occupations",
            )
    words = [w for w in s.occupations if not CODE.match(w)]
    return Seeker(
        skills=list(dict.fromkeys([*s.skills, *words])),
        certificates=list(dict.fromkeys(s.certificates)),
        occupation_codes=codes,
        education=s.education,
        experience_years=s.experience_years,
        desired_wage=s.desired_wage,
        available_from=s.available_from,
        must_leave_by=s.must_leave_by,
        days=list(s.days),
        part_time_ok=s.part_time_ok,
        max_commute_minutes=s.max_commute_minutes,
        mode=JOB_MODE[s.mode],
    )


def understood(seeker: Seeker, occupations: OccupationCatalogue) -> list[m.Understood]:
    out = []
    for word in seeker.skills:
        r = occupations.resolve(word)
        out.append(
            m.Understood(
                word=word,
                occupation_codes=r.codes,
                occupation_names=[occupations.name(c) or c for c in r.codes],
                skills=r.skills,
            )
        )
    return out


SCORED_POOL = 300


def rank_jobs(
    cat: JobsCatalogue,
    model: TravelTimeModel,
    point: LonLat,
    seeker: Seeker,
    mode: TravelMode,
    on: dt.date,
) -> Ranked:
    words = words_of(seeker, cat.occupations)
    terms, codes = words.terms, list(words.named)
    named = bool(terms or codes)
    relevant = cat.relevant(terms, codes) if named else None
    reach = model.reach_m(mode, seeker.max_commute_minutes)

    def accept(i: int) -> bool:
        return cat.vacancies[i].open_on(on)

    # Score at most the nearest SCORED_POOL relevant vacancies: scoring is ~0.1 ms each, and with
    # tens of thousands of vacancies a common word ("普工") finds thousands within an e-bike ride.
    k = min(len(relevant), SCORED_POOL) if relevant is not None else NO_WORDS_POOL
    among = cat.index.mask_of(relevant) if relevant else None
    hits = (
        cat.index.nearest(point, k, max_distance_m=reach, accept=accept, among=among) if k else []
    )
    times = model.minutes(mode, np.array([h.distance_m for h in hits], dtype=np.float64))
    scored = []
    for hit, t in zip(hits, times, strict=True):
        entry = cat.vacancies[hit.id]
        s = score(seeker, entry.view, float(t), cat.occupations, words)
        if named and s.skills.score <= 0:
            continue
        scored.append(Scored(entry, s, hit.distance_m, round(float(t), 2)))
    scored.sort(key=lambda s: s.key)
    return Ranked(seeker=seeker, terms=terms, codes=codes, scored=scored)


def vacancy_brief(e: VacancyEntry, crs: Datum) -> m.VacancyBrief:
    p = for_client(e.point, crs)
    v = e.view
    return m.VacancyBrief(
        id=v.id,
        ref=e.ref,
        title=v.title,
        occupation_code=v.occupation_code,
        occupation_name=e.occupation_name,
        employer_id=e.employer_id,
        employer_name=e.employer_name,
        address=e.address,
        lon=p.lon,
        lat=p.lat,
        area_code=e.area_code,
        wage_min=v.wage_min,
        wage_max=v.wage_max,
        shifts=list(v.shifts),
        part_time=v.part_time,
        headcount=e.headcount,
        education=v.education,
        experience_years=v.experience_years,
        expires_on=e.expires_on,
    )


def job_option(
    s: Scored, rank: int, seeker: Seeker, occupations: OccupationCatalogue, crs: Datum
) -> m.JobOption:
    sc = s.score
    return m.JobOption(
        rank=rank,
        vacancy=vacancy_brief(s.entry, crs),
        fits=sc.fits,
        total=sc.total,
        skills=sc.skills,
        schedule=sc.schedule,
        commute=sc.commute,
        wage=sc.wage,
        blockers=sc.blockers,
        notes=sc.notes,
        distance_m=round(s.distance_m, 1),
        travel_minutes=s.minutes,
        skill_gap=skill_gap(seeker, s.entry.view, occupations),
    )


def _gap(ranked: Ranked, occupations: OccupationCatalogue) -> dict[str, str]:
    """Normalised missing skill → its spelling, most often missing first."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    by_skills = sorted(ranked.scored, key=lambda s: (-s.score.skills.score, s.entry.view.id))
    for s in by_skills[:GAP_FROM]:
        for skill in skill_gap(ranked.seeker, s.entry.view, occupations):
            counts[normalise(skill)] += 1
            spelling.setdefault(normalise(skill), skill)
    for code in ranked.codes:
        occ = occupations.get(code)
        for skill in occ.skills if occ else []:
            norm = normalise(skill)
            if not has_skill(ranked.seeker, ranked.terms, skill):
                counts[norm] += 1
                spelling.setdefault(norm, skill)
    return {k: spelling[k] for k, _ in counts.most_common()}


def recommend_courses(
    cat: JobsCatalogue,
    model: TravelTimeModel,
    point: LonLat,
    ranked: Ranked,
    mode: TravelMode,
    on: dt.date,
    crs: Datum,
) -> list[m.CourseOption]:
    gap = _gap(ranked, cat.occupations)
    found: list[tuple[tuple[int, float, dt.date, int], CourseEntry, list[str], bool, float]] = []
    for c in cat.courses:
        if c.starts_on <= on or c.seats_free <= 0:
            continue
        teaches = [s for s in c.skills_taught if any(related(normalise(s), g) for g in gap)]
        same = c.occupation_code in ranked.codes
        overlap = len(teaches) + (1 if same else 0)
        if overlap == 0:
            continue
        distance = float(GEOD.inv(point.lon, point.lat, c.point.lon, c.point.lat)[2])
        found.append(((-overlap, distance, c.starts_on, c.id), c, teaches, same, distance))
    found.sort(key=lambda f: f[0])
    out = []
    for rank, (_, c, teaches, same, distance) in enumerate(found[:COURSES], start=1):
        t = float(model.minutes(mode, np.array([distance], dtype=np.float64))[0])
        out.append(course_option(c, rank, teaches, same, distance, t, ranked.seeker, crs))
    return out


def course_option(
    c: CourseEntry,
    rank: int,
    teaches: list[str],
    same: bool,
    distance: float,
    minutes: float,
    seeker: Seeker,
    crs: Datum,
) -> m.CourseOption:
    p = for_client(c.point, crs)
    fits = all(not shift_conflicts(seeker, s) for s in c.sessions)
    zh = [f"教授所缺技能：{'、'.join(teaches)}" if teaches else "面向求职者想做的职业"]
    en = [
        f"Teaches skills the seeker lacks: {', '.join(teaches)}"
        if teaches
        else "Trains for an occupation the seeker named"
    ]
    if same and teaches:
        zh.append(f"培训职业为{c.occupation_name}")
        en.append(f"trains for {c.occupation_name}")
    zh.append(f"{c.starts_on.month}月{c.starts_on.day}日开课，剩余{c.seats_free}个名额")
    en.append(f"starts {c.starts_on.isoformat()}, {c.seats_free} seats free")
    zh.append("政府补贴，学员免费" if c.subsidised else f"学费{money(c.fee_cny)}元")
    en.append("subsidised, free to the trainee" if c.subsidised else f"fee ¥{money(c.fee_cny)}")
    if not fits:
        zh.append("上课时间与可用时间有冲突")
        en.append("class times clash with the seeker's available hours")
    return m.CourseOption(
        rank=rank,
        id=c.id,
        ref=c.ref,
        title=c.title,
        occupation_code=c.occupation_code,
        occupation_name=c.occupation_name,
        provider_id=c.provider_id,
        provider_name=c.provider_name,
        lon=p.lon,
        lat=p.lat,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        sessions=list(c.sessions),
        hours_total=c.hours_total,
        subsidised=c.subsidised,
        fee_cny=c.fee_cny,
        seats_free=c.seats_free,
        distance_m=round(distance, 1),
        travel_minutes=round(minutes, 2),
        teaches=teaches,
        same_occupation=same,
        fits_schedule=fits,
        reason=Reason(code="training.course", zh="；".join(zh), en="; ".join(en)),
    )


def training_reason(fitting: int, courses: int) -> Reason:
    zh = f"符合条件的岗位只有{fitting}个（少于{MIN_FITTING}个）"
    en = f"Only {fitting} job(s) fit (fewer than {MIN_FITTING})"
    if courses:
        zh += "，推荐以下可补齐技能的培训课程"
        en += ", so here are courses that teach the missing skills"
    else:
        zh += "，暂时没有能补齐所缺技能、近期开课且有名额的培训课程"
        en += "; no upcoming course with seats free teaches the missing skills"
    return Reason(code="training.few_fit", zh=zh, en=en)


def match_jobs(
    snap: DirectorySnapshot, model: TravelTimeModel, req: m.JobMatchRequest
) -> m.JobMatchResult:
    at = when(req.at)
    origin: Located = locate_home(snap, req.home, req.crs)
    point = LonLat(*origin.wgs84)
    cat = snap.jobs
    seeker = seeker_of(req.seeker, cat.occupations, "seeker")
    ranked = rank_jobs(cat, model, point, seeker, req.seeker.mode, at.date())
    fitting = ranked.fitting
    options = [
        job_option(s, i, seeker, cat.occupations, req.crs)
        for i, s in enumerate(fitting[: req.limit], start=1)
    ]
    excluded = None
    if req.include_excluded:
        misfits = [s for s in ranked.scored if not s.score.fits][: req.limit]
        excluded = [
            job_option(s, i, seeker, cat.occupations, req.crs)
            for i, s in enumerate(misfits, start=1)
        ]
    training: list[m.CourseOption] = []
    why = None
    if len(fitting) < MIN_FITTING:
        training = recommend_courses(cat, model, point, ranked, req.seeker.mode, at.date(), req.crs)
        why = training_reason(len(fitting), len(training))
    return m.JobMatchResult(
        home=origin,
        on=at.date(),
        travel=travel_info(model, req.seeker.mode, req.seeker.max_commute_minutes),
        understood=understood(seeker, cat.occupations),
        ranking=RANKING,
        considered=len(ranked.scored),
        fitting=len(fitting),
        options=options,
        excluded=excluded,
        training=training,
        training_reason=why,
    )
