"""What a service circle should contain, from GB 50180-2018 and the district's own promise.

The levels are not nested obligations in the standard's sense: a place that reaches the 15-minute
level must still have every 5-minute facility, so the 15-minute list repeats them."""

from __future__ import annotations

from dataclasses import dataclass

from leye_yiyang.vocab import FacilityKind as K


@dataclass(frozen=True)
class Requirement:
    """Satisfied when at least one of `any_of` kinds is inside the circle."""

    key: str
    any_of: tuple[K, ...]
    label_zh: str
    label_en: str
    source: str


@dataclass(frozen=True)
class CircleStandard:
    level: str
    minutes: float
    requirements: tuple[Requirement, ...]


MEALS = Requirement(
    "meals",
    (K.MEAL_HALL,),
    "社区食堂/长者助餐点",
    "community canteen / senior meal point",
    "GB 50180-2018 五分钟生活圈; 民发〔2023〕58号",
)
DAY_CARE = Requirement(
    "day_care",
    (K.DAY_CARE, K.CARE_HOME),
    "老年人日间照料中心（托老所）",
    "elderly day care",
    "GB 50180-2018 五分钟生活圈",
)
CHILDCARE = Requirement(
    "childcare",
    (K.CHILDCARE,),
    "托儿所/托育机构",
    "childcare for 0–3-year-olds",
    "GB 50180-2018 五分钟生活圈",
)
SERVICE_STATION = Requirement(
    "service_station",
    (K.SERVICE_STATION,),
    "社区服务站",
    "community service station",
    "GB 50180-2018 五分钟生活圈",
)
CARE_HOME = Requirement(
    "care_home",
    (K.CARE_HOME,),
    "养老院/嵌入式养老机构",
    "care home",
    "GB 50180-2018 十五分钟生活圈",
)
EMPLOYMENT = Requirement(
    "employment",
    (K.SERVICE_STATION, K.HR_AGENCY, K.TRAINING_SCHOOL),
    "就业服务（就业服务站、人力资源机构或培训学校）",
    "employment services or job training",
    "TD/T 1062-2021 就业引导; 15分钟就业服务圈",
)

STANDARDS: tuple[CircleStandard, ...] = (
    CircleStandard("5min", 5, (MEALS, DAY_CARE, CHILDCARE, SERVICE_STATION)),
    CircleStandard(
        "15min", 15, (MEALS, DAY_CARE, CHILDCARE, SERVICE_STATION, CARE_HOME, EMPLOYMENT)
    ),
)
