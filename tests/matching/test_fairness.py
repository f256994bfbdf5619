"""Vacancies may not set conditions on sex, ethnicity, religion, marriage or childbearing, hukou,
infectious-disease carriage or disability (《就业促进法》 Art. 3, 26–31; 《妇女权益保障法》
Art. 43), and matching may never read such attributes of a seeker."""

from __future__ import annotations

import msgspec
import pytest

from leye_yiyang.rules.fairness import (
    PROTECTED_FIELDS,
    ProtectedFieldError,
    assert_no_protected_fields,
    explain,
    find_violations,
    normalise,
    protected_fields_in,
)
from leye_yiyang.rules.jobs import Seeker, VacancyView
from tests.conftest import TINGHU

REFUSED = {
    "sex": [
        "限男性",
        "男性优先",
        "仅限女",
        "女士优先",
        "只招女工",
        "要求男性",
        "性别：男",
        "男性，45岁以下",
        "宝妈优先",
        "Male only",
        "women preferred",
        "must be a man",
        "Gender: female",
    ],
    "ethnicity": ["限汉族", "汉族优先", "少数民族勿扰", "不招少数民族", "民族：汉族", "Han only"],
    "religion": ["限佛教徒", "基督徒优先", "无宗教信仰", "信教者勿扰", "no Muslims"],
    "marriage_childbearing": [
        "已婚已育",
        "未婚",
        "三年内不生育",
        "已育优先",
        "暂无生育计划",
        "孕妇勿扰",
        "婚育情况",
        "限单身",
        "must be married",
        "no plans to have children",
        "Marital status",
    ],
    "hukou": [
        "本地户口",
        "限本市户籍",
        "城镇户口",
        "农村户口勿扰",
        "本地人优先",
        "外地人勿扰",
        "户籍：盐城",
        "限盐城籍",
        "local hukou required",
        "locals only",
    ],
    "infectious_disease": [
        "乙肝",
        "乙肝携带者勿扰",
        "HBsAg阴性",
        "大三阳",
        "小三阳",
        "乙肝两对半正常",
        "传染病携带者",
        "无传染病",
        "Hepatitis B negative",
        "no HBV",
    ],
    "disability": ["无残疾", "残疾人勿扰", "四肢健全"],
}

LAWFUL = [
    "男女不限",
    "性别不限",
    "不限性别",
    "男/女均可",
    "持健康证",
    "能适应夜班",
    "熟悉本地路况",
    "五险一金（含生育保险）",
    "享受婚假、产假、育儿假",
    "可协助办理本地户口",
    "户籍不限",
    "欢迎乙肝携带者应聘",
    "有乙肝疫苗接种记录者报销",
    "少数民族优先",
    "清真餐厅厨师",
    "身体健康",
    "水族馆饲养员",
    "女装店导购",
    "招聘男女服务员各2名",
    "提供单身公寓",
    "工作地点限本市",
    "35岁以下",
    "高中以上学历",
    "欢迎残疾人应聘",
    "male or female",
    "We hire regardless of sex, ethnicity, religion or marital status.",
    "Equal opportunity employer",
    "Night shifts required",
    "Must hold a food-handler certificate",
]


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in REFUSED.items() for t in texts]
)
def test_each_discriminatory_phrase_is_refused(category: str, text: str) -> None:
    found = find_violations([text], TINGHU.local_names)
    assert [v.category for v in found] == [category], found


@pytest.mark.parametrize("text", LAWFUL)
def test_lawful_phrases_pass(text: str) -> None:
    assert find_violations([text], TINGHU.local_names) == []


def test_the_law_is_cited_in_both_languages() -> None:
    [v] = find_violations(["男性优先"])
    assert v.law_zh == "《就业促进法》第二十七条、《妇女权益保障法》第四十三条"
    assert "Art. 27" in v.law_en
    assert "Art. 43 (2023)" in v.law_en
    [h] = find_violations(["限本市户籍"])
    assert h.law_zh == "《就业促进法》第三十一条"
    [b] = find_violations(["乙肝携带者勿扰"])
    assert b.law_zh == "《就业促进法》第三十条"


def test_spelling_tricks_are_folded() -> None:
    assert normalise("限 男 性，ＨＢｓＡｇ") == "限男性,hbsag"
    cats = {v.category for v in find_violations(["限 男 性", "ＨＢｓＡｇ阴性"])}
    assert cats == {"sex", "infectious_disease"}


def test_a_vacancy_is_read_title_requirements_and_description_together() -> None:
    texts = [
        "养老护理员",
        "男女不限，持健康证",
        "已婚已育女性优先",
        "限本地户口。能适应夜班，熟悉本地路况",
    ]
    found = find_violations(texts)
    assert {(v.text_index, v.category) for v in found} == {
        (2, "marriage_childbearing"),
        (2, "sex"),
        (3, "hukou"),
    }


def test_a_lawful_clause_does_not_excuse_its_neighbour() -> None:
    found = find_violations(["男女不限，男性优先"])
    assert [(v.category, v.matched_text) for v in found] == [("sex", "男性优先")]


def test_explanations_name_the_intermediary_duty() -> None:
    [v] = find_violations(["限汉族"])
    r = explain(v)
    assert "限汉族" in r.zh
    assert "第二十六条" in r.zh
    assert "Art. 26" in r.en


def test_the_seeker_type_carries_no_protected_attribute() -> None:
    assert protected_fields_in(Seeker) == []
    assert_no_protected_fields(Seeker)
    assert_no_protected_fields(Seeker(skills=["护工"]))
    assert_no_protected_fields(VacancyView)


class _Family(msgspec.Struct):
    hukou: str


class _BadSeeker(msgspec.Struct, rename="camel"):
    skills: list[str]
    marital_status: str
    family: list[_Family]


def test_a_seeker_type_with_protected_attributes_is_refused() -> None:
    assert protected_fields_in(_BadSeeker) == ["marital_status", "family.hukou"]
    with pytest.raises(ProtectedFieldError, match="marital_status"):
        assert_no_protected_fields(_BadSeeker)


def test_the_protected_list_covers_the_grounds_in_the_law() -> None:
    assert {
        "sex",
        "ethnicity",
        "religion",
        "marital_status",
        "children",
        "hukou",
        "hbv_status",
    } <= PROTECTED_FIELDS
