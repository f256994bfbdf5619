"""A seeker's words are skills or wishes; only `certificates` says a certificate (证) is held."""

from __future__ import annotations

import pytest

from leye_yiyang.rules.jobs import Seeker, VacancyView, score, skill_gap
from leye_yiyang.rules.occupations import (
    Occupation,
    OccupationCatalogue,
    holds_certificate,
    is_certificate,
)

CATALOGUE = OccupationCatalogue(
    [
        Occupation(
            code="4-10-01-05",
            name="养老护理员",
            synonyms=["护工", "护理员"],
            skills=["生活照料", "养老护理员证"],
        ),
        Occupation(
            code="4-14-01-02",
            name="医疗护理员",
            synonyms=["护工", "陪护"],
            skills=["陪护", "医疗护理员证"],
        ),
    ]
)
CARE_JOB = VacancyView(
    id=1,
    title="养老护理员",
    occupation_code="4-10-01-05",
    skills=["生活照料", "养老护理员证"],
    wage_min=3500,
    wage_max=4500,
)


@pytest.mark.parametrize(
    ("skill", "expected"),
    [("养老护理员证", True), ("健康证", True), ("教师资格证书", True), ("护理员", False)],
)
def test_a_skill_ending_in_zheng_names_a_certificate(skill: str, expected: bool) -> None:
    assert is_certificate(skill) is expected


@pytest.mark.parametrize(
    ("held", "required", "expected"),
    [
        (["养老护理员证"], "养老护理员证", True),
        (["养老护理员证书"], "养老护理员证", True),  # 证书 and 证 are the same paper
        (["养老护理员"], "养老护理员证", True),
        (["低压电工作业证"], "电工证", True),
        (["医疗护理员证"], "养老护理员证", False),
        (["护理员证"], "养老护理员证", False),  # a wider name does not cover a narrower one
        ([], "健康证", False),
    ],
)
def test_a_certificate_is_held_only_for_what_it_is_for(
    held: list[str], required: str, expected: bool
) -> None:
    assert holds_certificate(held, required) is expected


def test_a_seeker_who_says_huliyuan_holds_no_certificate_and_lacks_it() -> None:
    seeker = Seeker(skills=["护理员", "生活照料"])
    assert skill_gap(seeker, CARE_JOB, CATALOGUE) == ["养老护理员证"]
    s = score(seeker, CARE_JOB, 10.0, CATALOGUE)
    assert s.skills.reason.zh.startswith("掌握岗位所需2项技能中的1项（生活照料）")


def test_a_certificate_listed_in_certificates_is_held() -> None:
    seeker = Seeker(skills=["护理员", "生活照料"], certificates=["养老护理员证"])
    assert skill_gap(seeker, CARE_JOB, CATALOGUE) == []
    s = score(seeker, CARE_JOB, 10.0, CATALOGUE)
    assert s.skills.reason.zh.startswith("掌握岗位所需2项技能中的2项")


def test_a_certificate_written_as_a_skill_is_a_wish_not_a_holding() -> None:
    seeker = Seeker(skills=["护理员", "生活照料", "养老护理员证"])
    assert skill_gap(seeker, CARE_JOB, CATALOGUE) == ["养老护理员证"]
