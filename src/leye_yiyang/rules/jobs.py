"""How well a job seeker fits a vacancy: four scored parts and the hard limits, each explained.

Weights of the total (they sum to 1):
  skills 0.40    what the work is; the part a seeker can least bend
  schedule 0.25  care duties (a child to collect, an elder at home) fix the hours people can work
  commute 0.20   within the seeker's limit, shorter is better; over it is a hard limit
  wage 0.15      a soft preference: people weigh pay against the rest

Hard limits make `fits` False (the total is still computed, so a near miss can be shown with
what stands in the way): education two or more steps below the requirement, a shift the seeker
cannot work, a commute over the seeker's maximum, part-time work for someone who will not take it.

The seeker type carries nothing matching may not read (see fairness.PROTECTED_FIELDS); a test
holds it to that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, Protocol

import msgspec
from msgspec import Meta

from leye_yiyang.rules.occupations import (
    OccupationCatalogue,
    holds_certificate,
    is_certificate,
    minor_group,
    normalise,
    related,
)
from leye_yiyang.rules.reasons import Reason
from leye_yiyang.rules.schedule import ScheduleFit, fit_schedule
from leye_yiyang.values import Clock, Shift
from leye_yiyang.vocab import Education, Weekday

WEIGHTS: dict[str, float] = {"skills": 0.40, "schedule": 0.25, "commute": 0.20, "wage": 0.15}

# Credit for naming the vacancy's occupation, on top of the listed skills a seeker covers.
SAME_OCCUPATION = 0.6
SAME_MINOR_GROUP = 0.3
EXPERIENCE_SHORTFALL = 0.8  # factor on the skills part
EASY_COMMUTE_MINUTES = 10  # a short trip costs nothing
COMMUTE_AT_LIMIT = 0.4  # the commute part right at the seeker's maximum
WAGE_AT_TOP_OF_RANGE = 0.8  # wanting the most the range offers is a little less likely
WAGE_SHORTFALL_ZERO = 0.3  # pay this fraction below the wish scores nothing

# 普高 and 职高/技工 are parallel tracks at the same stage, so they rank equal.
EDUCATION_LEVEL: dict[Education, int] = {
    Education.NONE: 0,
    Education.PRIMARY: 1,
    Education.JUNIOR_SECONDARY: 2,
    Education.SENIOR_SECONDARY: 3,
    Education.VOCATIONAL: 3,
    Education.ASSOCIATE: 4,
    Education.BACHELOR: 5,
    Education.POSTGRADUATE: 6,
}
EDUCATION_LABELS: dict[Education, tuple[str, str]] = {
    Education.NONE: ("无学历", "no schooling"),
    Education.PRIMARY: ("小学", "primary school"),
    Education.JUNIOR_SECONDARY: ("初中", "junior secondary"),
    Education.SENIOR_SECONDARY: ("高中/中专", "senior secondary"),
    Education.VOCATIONAL: ("技工/职高", "vocational school"),
    Education.ASSOCIATE: ("大专", "associate degree"),
    Education.BACHELOR: ("本科", "bachelor's degree"),
    Education.POSTGRADUATE: ("研究生", "postgraduate degree"),
}

Mode = Literal["walk", "bicycle", "ebike", "transit", "car"]
MODE_LABELS: dict[str, tuple[str, str]] = {
    "walk": ("步行", "on foot"),
    "bicycle": ("骑自行车", "by bicycle"),
    "ebike": ("骑电动车", "by e-bike"),
    "transit": ("乘公交", "by bus"),
    "car": ("驾车", "by car"),
}


class Seeker(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A job seeker as matching sees them: what they can do and when and how far they can go.

    `available_from` / `must_leave_by` bound the working day ("16:45": the child is collected at
    17:00); `days` empty means any day. `mode` is how the caller computed the commute.
    `skills` are what the seeker can do or wants to do; only `certificates` says a certificate
    (证) is held.
    """

    skills: list[str] = []
    certificates: list[str] = []
    occupation_codes: list[str] = []
    education: Education | None = None  # not stated: noted, never a hard limit
    experience_years: Annotated[int, Meta(ge=0, le=60)] = 0
    desired_wage: Annotated[int, Meta(ge=0, le=1_000_000)] | None = None
    available_from: Clock | None = None
    must_leave_by: Clock | None = None
    days: list[Weekday] = []
    part_time_ok: bool = True
    max_commute_minutes: Annotated[int, Meta(ge=1, le=240)] = 30
    mode: Mode = "walk"


class VacancyView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str
    occupation_code: str
    skills: list[str] = []
    education: Education = Education.NONE
    experience_years: int = 0
    wage_min: int
    wage_max: int
    shifts: list[Shift] = []
    part_time: bool = False


class VacancyLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def occupation_code(self) -> str: ...
    @property
    def skills(self) -> Sequence[str]: ...
    @property
    def education(self) -> Education: ...
    @property
    def experience_years(self) -> int: ...
    @property
    def wage_min(self) -> int: ...
    @property
    def wage_max(self) -> int: ...
    @property
    def shifts(self) -> Sequence[Shift]: ...
    @property
    def part_time(self) -> bool: ...


def view_of(v: VacancyLike) -> VacancyView:
    """The scoring view of any vacancy-shaped object (VacancyOut, a row)."""
    return VacancyView(
        id=v.id,
        title=v.title,
        occupation_code=v.occupation_code,
        skills=list(v.skills),
        education=v.education,
        experience_years=v.experience_years,
        wage_min=v.wage_min,
        wage_max=v.wage_max,
        shifts=list(v.shifts),
        part_time=v.part_time,
    )


class Part(msgspec.Struct, frozen=True, kw_only=True):
    score: float  # 0–1
    weight: float
    reason: Reason


class JobScore(msgspec.Struct, frozen=True, kw_only=True):
    vacancy_id: int
    fits: bool
    total: float  # weighted sum of the parts, 0–1
    skills: Part
    schedule: Part
    commute: Part
    wage: Part
    blockers: list[Reason]  # why it does not fit; empty when it fits
    notes: list[Reason]  # facts worth saying that change nothing on their own


class Words(msgspec.Struct, frozen=True):
    """What a seeker's words come to, the same for every vacancy: the normalised terms (with
    the catalogue skills they name) and the occupation codes named (code → the word)."""

    terms: list[str]
    named: dict[str, str]


def words_of(seeker: Seeker, occupations: OccupationCatalogue) -> Words:
    named = dict.fromkeys(seeker.occupation_codes, "")
    for code, word in occupations.codes_for_words(seeker.skills).items():
        named.setdefault(code, word)
    return Words(terms=_seeker_terms(seeker, occupations), named=named)


def score(
    seeker: Seeker,
    vacancy: VacancyView,
    commute_minutes: float | None,
    occupations: OccupationCatalogue,
    words: Words | None = None,
) -> JobScore:
    """`words` is `words_of(seeker, occupations)`, passed in when one seeker is scored against
    many vacancies."""
    blockers: list[Reason] = []
    notes: list[Reason] = []
    said = words if words is not None else words_of(seeker, occupations)
    skills_score, skills_reason = _skills(seeker, vacancy, occupations, notes, said)
    sched: ScheduleFit = fit_schedule(seeker, vacancy.shifts, part_time=vacancy.part_time)
    blockers.extend(sched.blockers)
    commute_score, commute_reason = _commute(seeker, commute_minutes, blockers)
    wage_score, wage_reason = _wage(seeker.desired_wage, vacancy.wage_min, vacancy.wage_max)
    _education(seeker.education, vacancy.education, blockers, notes)
    parts = {
        "skills": Part(score=skills_score, weight=WEIGHTS["skills"], reason=skills_reason),
        "schedule": Part(score=sched.score, weight=WEIGHTS["schedule"], reason=sched.reason),
        "commute": Part(score=commute_score, weight=WEIGHTS["commute"], reason=commute_reason),
        "wage": Part(score=wage_score, weight=WEIGHTS["wage"], reason=wage_reason),
    }
    total = round(sum(p.score * p.weight for p in parts.values()), 3)
    return JobScore(
        vacancy_id=vacancy.id,
        fits=not blockers,
        total=total,
        blockers=blockers,
        notes=notes,
        **parts,
    )


def has_skill(seeker: Seeker, terms: list[str], skill: str) -> bool:
    """A listed skill the seeker has shown: related to one of their terms, or for a certificate,
    one they hold. Words never stand for a certificate: "护理员" matches the name of both the
    养老护理员证 and the 医疗护理员证 and holds neither."""
    if is_certificate(skill):
        return holds_certificate(seeker.certificates, skill)
    s = normalise(skill)
    return any(related(t, s) for t in terms)


def _seeker_terms(seeker: Seeker, occupations: OccupationCatalogue) -> list[str]:
    """The seeker's own words plus the catalogue skills those words name ("烹饪" → "中式烹饪")."""
    terms = [normalise(w) for w in seeker.skills]
    for word in seeker.skills:
        terms.extend(normalise(s) for s in occupations.resolve(word).skills)
    return list(dict.fromkeys(t for t in terms if t))


def skill_gap(
    seeker: Seeker, vacancy: VacancyView, occupations: OccupationCatalogue | None = None
) -> list[str]:
    """Vacancy skills the seeker has not shown, in the vacancy's wording: what a course should
    teach."""
    terms = _seeker_terms(seeker, occupations or OccupationCatalogue([]))
    return [s for s in vacancy.skills if not has_skill(seeker, terms, s)]


def _occupation_credit(
    named: dict[str, str], vacancy: VacancyView, occupations: OccupationCatalogue
) -> tuple[float, Reason | None]:
    target = vacancy.occupation_code
    title = occupations.name(target) or vacancy.title
    if target in named:
        word = named[target]
        said_zh = f"“{word}”即" if word else "求职者的职业是"
        said_en = f"“{word}” is" if word else "The seeker's occupation is"
        return SAME_OCCUPATION, Reason(
            code="skills.same_occupation",
            zh=f"{said_zh}本岗位的职业：{title}",
            en=f"{said_en} this job's occupation: {title} ({target})",
        )
    near = next((c for c in named if minor_group(c) == minor_group(target)), None)
    if near is not None:
        near_name = occupations.name(near) or near
        return SAME_MINOR_GROUP, Reason(
            code="skills.same_minor_group",
            zh=f"{near_name}与{title}同属一个职业小类，经验相近",
            en=f"{near_name} ({near}) is in the same occupation group as {title} ({target})",
        )
    return 0.0, None


def _skills(
    seeker: Seeker,
    vacancy: VacancyView,
    occupations: OccupationCatalogue,
    notes: list[Reason],
    words: Words,
) -> tuple[float, Reason]:
    credit, occ_reason = _occupation_credit(words.named, vacancy, occupations)
    zh: list[str] = []
    en: list[str] = []
    if vacancy.skills:
        have = [s for s in vacancy.skills if has_skill(seeker, words.terms, s)]
        coverage = len(have) / len(vacancy.skills)
        value = coverage + (1 - coverage) * credit
        listed = "、".join(have) if have else "无"
        zh.append(f"掌握岗位所需{len(vacancy.skills)}项技能中的{len(have)}项（{listed}）")
        en.append(f"Has {len(have)} of the {len(vacancy.skills)} skills the job asks for")
    else:
        value = credit / SAME_OCCUPATION if credit else 0.0
        zh.append("岗位未列出具体技能")
        en.append("The job lists no specific skills")
    if occ_reason is not None:
        zh.append(occ_reason.zh)
        en.append(occ_reason.en)
    elif not vacancy.skills:
        zh.append("求职者的技能与该职业不对应")
        en.append("The seeker's skills do not point to this occupation")
    if seeker.experience_years < vacancy.experience_years:
        value *= EXPERIENCE_SHORTFALL
        notes.append(
            Reason(
                code="experience.short",
                zh=f"工作经验{seeker.experience_years}年，岗位要求{vacancy.experience_years}年",
                en=f"{seeker.experience_years} years of experience; the job asks for "
                f"{vacancy.experience_years}",
            )
        )
    return round(value, 3), Reason(code="skills", zh="；".join(zh), en="; ".join(en))


def _commute(seeker: Seeker, minutes: float | None, blockers: list[Reason]) -> tuple[float, Reason]:
    how_zh, how_en = MODE_LABELS[seeker.mode]
    limit = seeker.max_commute_minutes
    if minutes is None:
        return 0.5, Reason(code="commute.unknown", zh="通勤时间未知", en="Commute time not known")
    m = round(minutes)
    if minutes > limit:
        reason = Reason(
            code="commute.too_far",
            zh=f"{how_zh}通勤约{m}分钟，超过可接受的{limit}分钟",
            en=f"About {m} min {how_en}, over the limit of {limit} min",
        )
        blockers.append(reason)
        return 0.0, reason
    if minutes <= EASY_COMMUTE_MINUTES or limit <= EASY_COMMUTE_MINUTES:
        value = 1.0
    else:
        share = (minutes - EASY_COMMUTE_MINUTES) / (limit - EASY_COMMUTE_MINUTES)
        value = 1.0 - (1.0 - COMMUTE_AT_LIMIT) * share
    return round(value, 3), Reason(
        code="commute.ok",
        zh=f"{how_zh}通勤约{m}分钟，在{limit}分钟以内",
        en=f"About {m} min {how_en}, within the limit of {limit} min",
    )


def _wage(desired: int | None, low: int, high: int) -> tuple[float, Reason]:
    high = max(low, high)
    offer_zh = f"月薪{low}–{high}元" if high > low else f"月薪{low}元"
    offer_en = f"¥{low}–{high} a month" if high > low else f"¥{low} a month"
    if desired is None:
        return 1.0, Reason(
            code="wage.no_wish",
            zh=f"{offer_zh}；求职者未填写期望工资",
            en=f"Pays {offer_en}; no expected wage given",
        )
    if desired <= low:
        return 1.0, Reason(
            code="wage.meets",
            zh=f"{offer_zh}，不低于期望的{desired}元",
            en=f"Pays {offer_en}, at or above the ¥{desired} wanted",
        )
    if desired <= high:
        value = 1.0 - (1.0 - WAGE_AT_TOP_OF_RANGE) * (desired - low) / (high - low)
        return round(value, 3), Reason(
            code="wage.in_range",
            zh=f"期望的{desired}元在{offer_zh}的范围内",
            en=f"The ¥{desired} wanted is within the range of {offer_en}",
        )
    short = (desired - high) / desired
    value = max(0.0, WAGE_AT_TOP_OF_RANGE * (1.0 - short / WAGE_SHORTFALL_ZERO))
    pct = round(short * 100)
    return round(value, 3), Reason(
        code="wage.below_wish",
        zh=f"{offer_zh}，最高比期望的{desired}元低{pct}%",
        en=f"Pays {offer_en}, at most {pct}% below the ¥{desired} wanted",
    )


def _education(
    has: Education | None, needs: Education, blockers: list[Reason], notes: list[Reason]
) -> None:
    needs_zh, needs_en = EDUCATION_LABELS[needs]
    if has is None:
        if needs != Education.NONE:
            notes.append(
                Reason(
                    code="education.unknown",
                    zh=f"未填写学历，岗位要求{needs_zh}",
                    en=f"Education not given; the job asks for {needs_en}",
                )
            )
        return
    gap = EDUCATION_LEVEL[needs] - EDUCATION_LEVEL[has]
    if gap <= 0:
        return
    has_zh, has_en = EDUCATION_LABELS[has]
    if gap == 1:
        notes.append(
            Reason(
                code="education.one_below",
                zh=f"学历{has_zh}，比要求的{needs_zh}低一级，可向用人单位说明经验",
                en=f"Education ({has_en}) is one step below the {needs_en} asked for; "
                "experience may make up for it",
            )
        )
        return
    blockers.append(
        Reason(
            code="education.below",
            zh=f"学历{has_zh}，低于要求的{needs_zh}",
            en=f"Education ({has_en}) is below the {needs_en} required",
        )
    )
