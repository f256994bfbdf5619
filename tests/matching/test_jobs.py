"""Scoring a seeker against a vacancy: skills through the occupation classification, hours a
carer can keep, commute limits, wage wishes; hard limits say plainly why a job does not fit."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from leye_yiyang.directory.schemas import VacancyOut
from leye_yiyang.rules.jobs import (
    WEIGHTS,
    Seeker,
    VacancyView,
    score,
    skill_gap,
    view_of,
)
from leye_yiyang.rules.occupations import Occupation, OccupationCatalogue, normalise
from leye_yiyang.values import Shift
from leye_yiyang.vocab import Education, VacancyStatus, Weekday

W = Weekday
WEEK = [W.MON, W.TUE, W.WED, W.THU, W.FRI]

# A few entries shaped like the 2022 大典 (codes as the fixtures use them).
CATALOGUE = OccupationCatalogue(
    [
        Occupation(
            code="4-10-01-05",
            name="养老护理员",
            synonyms=["护工", "护理员", "养老护理"],
            skills=["生活照料", "基础护理", "康复护理", "失智照护"],
        ),
        Occupation(
            code="4-10-01-06",
            name="家政服务员",
            synonyms=["保姆", "钟点工", "家政"],
            skills=["家居保洁", "家庭烹饪"],
        ),
        Occupation(
            code="4-03-02-01",
            name="中式烹调师",
            synonyms=["厨师", "做饭", "炒菜"],
            skills=["中式烹饪", "刀工", "食品安全"],
        ),
        Occupation(
            code="4-03-02-02", name="中式面点师", synonyms=["面点师", "白案"], skills=["面点制作"]
        ),
    ]
)

CARE_JOB = VacancyView(
    id=1,
    title="日间照料中心护理员",
    occupation_code="4-10-01-05",
    skills=["生活照料", "基础护理"],
    education=Education.JUNIOR_SECONDARY,
    wage_min=3500,
    wage_max=4500,
    shifts=[Shift(days=WEEK, starts="08:00", ends="17:00")],
)
KITCHEN_JOB = VacancyView(
    id=2,
    title="长者食堂厨师",
    occupation_code="4-03-02-01",
    skills=["中式烹饪", "食品安全"],
    wage_min=4000,
    wage_max=5000,
    shifts=[Shift(days=WEEK, starts="09:00", ends="14:00")],
)


def test_text_is_normalised_before_matching() -> None:
    assert normalise("　护工 ") == "护工"
    assert normalise("ＰＣ  Skills") == "pc skills"


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("护工", "4-10-01-05"),
        ("厨师", "4-03-02-01"),
        ("做饭", "4-03-02-01"),
        ("养老护理员", "4-10-01-05"),
        ("养老护理", "4-10-01-05"),
        ("　保姆", "4-10-01-06"),
    ],
)
def test_a_seekers_words_find_the_occupation(word: str, code: str) -> None:
    assert CATALOGUE.resolve(word).codes == [code]


def test_a_word_can_name_catalogue_skills() -> None:
    assert CATALOGUE.resolve("烹饪").skills == ["家庭烹饪", "中式烹饪"]
    assert CATALOGUE.resolve("没有的词").codes == []


def test_huli_gong_finds_the_care_worker_job() -> None:
    s = score(Seeker(skills=["护工"]), CARE_JOB, 15, CATALOGUE)
    assert s.fits
    assert s.skills.score == 0.6  # same occupation, no listed skill shown
    assert "养老护理员" in s.skills.reason.zh
    assert "“护工”即本岗位的职业" in s.skills.reason.zh


def test_listed_skills_count_fully_and_the_occupation_fills_the_rest() -> None:
    both = score(Seeker(skills=["生活照料", "基础护理"]), CARE_JOB, 15, CATALOGUE)
    assert both.skills.score == 1.0
    half = score(Seeker(skills=["护工", "生活照料"]), CARE_JOB, 15, CATALOGUE)
    assert half.skills.score == 0.8  # 1/2 covered + 1/2 × 0.6
    assert "掌握岗位所需2项技能中的1项（生活照料）" in half.skills.reason.zh


def test_the_same_minor_group_gives_partial_credit() -> None:
    s = score(Seeker(skills=["保姆"]), CARE_JOB, 15, CATALOGUE)
    assert s.skills.score == 0.3
    assert s.skills.reason.code == "skills"
    assert "同属一个职业小类" in s.skills.reason.zh


def test_an_occupation_code_given_directly_counts() -> None:
    s = score(Seeker(occupation_codes=["4-03-02-01"]), KITCHEN_JOB, 15, CATALOGUE)
    assert s.skills.score == 0.6


def test_unrelated_skills_score_nothing() -> None:
    s = score(Seeker(skills=["面点制作"]), CARE_JOB, 15, CATALOGUE)
    assert s.skills.score == 0.0
    assert s.fits  # weak, but nothing forbids it


def test_must_leave_by_1645_cannot_take_a_shift_ending_at_1700() -> None:
    parent = Seeker(skills=["护工"], must_leave_by="16:45")
    s = score(parent, CARE_JOB, 15, CATALOGUE)
    assert not s.fits
    assert s.schedule.score == 0.0
    [b] = s.blockers
    assert b.code == "schedule.too_late"
    assert b.zh == "班次17:00下班，晚于必须离开的16:45"
    assert b.en == "The shift ends at 17:00, after 16:45 when the seeker must leave"


def test_leaving_exactly_at_the_end_of_the_shift_is_fine() -> None:
    s = score(Seeker(must_leave_by="17:00", available_from="08:00"), CARE_JOB, 15, CATALOGUE)
    assert s.fits
    assert s.schedule.score == 1.0
    assert s.schedule.reason.zh == "班次周一至周五 08:00–17:00在可工作时间内"


def test_a_shift_starting_before_the_seeker_can_arrive() -> None:
    s = score(Seeker(available_from="08:30"), CARE_JOB, 15, CATALOGUE)
    assert [b.code for b in s.blockers] == ["schedule.too_early"]


def test_days_the_seeker_cannot_work() -> None:
    job = msgspec.structs.replace(
        KITCHEN_JOB, shifts=[Shift(days=[*WEEK, W.SAT], starts="09:00", ends="14:00")]
    )
    s = score(Seeker(days=WEEK), job, 10, CATALOGUE)
    assert not s.fits
    assert s.blockers[0].zh == "班次包括周六，不在可工作的日子里"


def test_a_full_time_pattern_must_fit_whole_but_part_time_shifts_are_alternatives() -> None:
    morning = Shift(days=WEEK, starts="08:00", ends="12:00")
    afternoon = Shift(days=WEEK, starts="13:00", ends="17:00")
    parent = Seeker(must_leave_by="12:30")
    full = msgspec.structs.replace(CARE_JOB, shifts=[morning, afternoon])
    part = msgspec.structs.replace(full, part_time=True)
    s_full = score(parent, full, 10, CATALOGUE)
    assert not s_full.fits
    assert s_full.schedule.score == 0.5  # half the pattern works: a near miss
    s_part = score(parent, part, 10, CATALOGUE)
    assert s_part.fits
    assert "可选班次之一" in s_part.schedule.reason.zh


def test_a_night_shift_does_not_fit_a_bounded_day() -> None:
    night = msgspec.structs.replace(
        CARE_JOB, shifts=[Shift(days=WEEK, starts="22:00", ends="06:00")]
    )
    assert not score(Seeker(must_leave_by="16:45"), night, 10, CATALOGUE).fits
    assert score(Seeker(), night, 10, CATALOGUE).fits


def test_part_time_work_for_someone_who_will_not_take_it() -> None:
    part = msgspec.structs.replace(CARE_JOB, part_time=True)
    s = score(Seeker(part_time_ok=False), part, 10, CATALOGUE)
    assert not s.fits
    assert s.blockers[0].code == "schedule.part_time"


def test_no_shifts_given_is_neither_good_nor_bad() -> None:
    s = score(Seeker(), msgspec.structs.replace(CARE_JOB, shifts=[]), 10, CATALOGUE)
    assert s.fits
    assert s.schedule.score == 0.5


@pytest.mark.parametrize(
    ("minutes", "part", "fits"),
    [(5, 1.0, True), (10, 1.0, True), (20, 0.7, True), (30, 0.4, True), (31, 0.0, False)],
)
def test_commute_within_and_over_the_limit(minutes: float, part: float, fits: bool) -> None:
    s = score(Seeker(max_commute_minutes=30, mode="ebike"), CARE_JOB, minutes, CATALOGUE)
    assert s.commute.score == part
    assert s.fits is fits


def test_a_commute_over_the_limit_is_explained() -> None:
    s = score(Seeker(max_commute_minutes=20, mode="ebike"), CARE_JOB, 35, CATALOGUE)
    assert s.blockers[0].zh == "骑电动车通勤约35分钟，超过可接受的20分钟"
    assert s.blockers[0].en == "About 35 min by e-bike, over the limit of 20 min"


def test_an_unknown_commute_is_neutral() -> None:
    s = score(Seeker(), CARE_JOB, None, CATALOGUE)
    assert s.fits
    assert s.commute.score == 0.5


@pytest.mark.parametrize(
    ("wish", "part"),
    [(None, 1.0), (3000, 1.0), (3500, 1.0), (4000, 0.9), (4500, 0.8), (5000, 0.533), (7000, 0.0)],
)
def test_wage_wishes(wish: int | None, part: float) -> None:
    assert score(Seeker(desired_wage=wish), CARE_JOB, 10, CATALOGUE).wage.score == part


def test_a_wage_wish_is_never_a_hard_limit() -> None:
    s = score(Seeker(desired_wage=9000), CARE_JOB, 10, CATALOGUE)
    assert s.fits
    assert "低" in s.wage.reason.zh


@pytest.mark.parametrize(
    ("has", "fits", "noted"),
    [
        (Education.SENIOR_SECONDARY, True, False),
        (Education.PRIMARY, True, True),  # one step below 初中
        (Education.NONE, False, False),  # two steps below
    ],
)
def test_education_one_step_below_is_a_note_two_is_a_limit(
    has: Education, fits: bool, noted: bool
) -> None:
    s = score(Seeker(education=has), CARE_JOB, 10, CATALOGUE)
    assert s.fits is fits
    assert any(n.code == "education.one_below" for n in s.notes) is noted


def test_education_not_given_is_noted_not_held_against() -> None:
    s = score(Seeker(), CARE_JOB, 10, CATALOGUE)
    assert s.fits
    assert [n.zh for n in s.notes] == ["未填写学历，岗位要求初中"]


def test_vocational_school_equals_senior_secondary() -> None:
    job = msgspec.structs.replace(CARE_JOB, education=Education.SENIOR_SECONDARY)
    s = score(Seeker(education=Education.VOCATIONAL), job, 10, CATALOGUE)
    assert s.fits
    assert s.notes == []


def test_short_experience_lowers_the_skills_part() -> None:
    job = msgspec.structs.replace(CARE_JOB, experience_years=2)
    s = score(Seeker(skills=["生活照料", "基础护理"], experience_years=1), job, 10, CATALOGUE)
    assert s.skills.score == 0.8
    assert s.notes[0].code == "experience.short"


def test_the_total_is_the_documented_weighted_sum() -> None:
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    s = score(Seeker(skills=["护工"], desired_wage=4000), CARE_JOB, 20, CATALOGUE)
    parts = (s.skills, s.schedule, s.commute, s.wage)
    assert [p.weight for p in parts] == [0.40, 0.25, 0.20, 0.15]
    assert s.total == pytest.approx(sum(p.score * p.weight for p in parts), abs=1e-3)
    assert s.total == pytest.approx(0.4 * 0.6 + 0.25 * 1.0 + 0.2 * 0.7 + 0.15 * 0.9, abs=1e-3)


def test_a_better_fit_ranks_higher() -> None:
    cook = Seeker(skills=["做饭", "食品安全"], must_leave_by="16:45")
    kitchen = score(cook, KITCHEN_JOB, 12, CATALOGUE)
    care = score(cook, CARE_JOB, 12, CATALOGUE)
    assert kitchen.fits
    assert not care.fits
    assert kitchen.total > care.total


def test_skill_gap_lists_what_a_course_should_teach() -> None:
    job = msgspec.structs.replace(CARE_JOB, skills=["生活照料", "基础护理", "失智照护"])
    assert skill_gap(Seeker(skills=["生活照料"]), job) == ["基础护理", "失智照护"]
    assert skill_gap(Seeker(skills=["烹饪"]), KITCHEN_JOB, CATALOGUE) == ["食品安全"]


def test_seeker_input_is_strict_and_uses_clock_strings() -> None:
    raw = '{"skills": ["护工"], "must_leave_by": "16:45", "days": ["mon"], "mode": "ebike"}'
    s = msgspec.json.decode(raw, type=Seeker)
    assert s.must_leave_by == "16:45"
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"must_leave_by": "4:45pm"}', type=Seeker)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"gender": "f"}', type=Seeker)


def test_view_of_a_published_vacancy() -> None:
    out = VacancyOut(
        id=7,
        ref=None,
        employer_id=1,
        employer_name="文峰街道综合养老服务中心",
        title="护理员",
        occupation_code="4-10-01-05",
        occupation_name="养老护理员",
        skills=["生活照料"],
        education=Education.NONE,
        experience_years=0,
        wage_min=3500,
        wage_max=4200,
        shifts=CARE_JOB.shifts,
        part_time=False,
        headcount=2,
        status=VacancyStatus.OPEN,
        posted_on=dt.date(2026, 6, 1),
        expires_on=None,
        address="",
        lon=120.13,
        lat=33.38,
        area_code="320902",
        verified_at=None,
        version=1,
    )
    v = view_of(out)
    assert (v.id, v.occupation_code, v.wage_max) == (7, "4-10-01-05", 4200)
    assert score(Seeker(skills=["护工"]), v, 10, CATALOGUE).fits
