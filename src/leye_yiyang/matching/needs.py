"""What each need asks for: the kinds of place and the services that answer it, and its name."""

from __future__ import annotations

from dataclasses import dataclass

from leye_yiyang.matching import schemas as m
from leye_yiyang.vocab import FacilityKind, ServiceCode

K = FacilityKind
S = ServiceCode


@dataclass(frozen=True, slots=True)
class NeedSpec:
    kinds: tuple[FacilityKind, ...]
    services: tuple[ServiceCode, ...]  # in the order a price is looked for
    zh: str
    en: str
    delivered: bool = False  # the need itself says the meal is brought home


NEEDS: dict[m.Need, NeedSpec] = {
    m.Need.MEAL: NeedSpec((K.MEAL_HALL,), (S.LUNCH, S.DINNER, S.HOME_DELIVERY), "助餐", "meals"),
    m.Need.MEAL_DELIVERY: NeedSpec(
        (K.MEAL_HALL,),
        (S.LUNCH, S.DINNER, S.HOME_DELIVERY),
        "送餐上门",
        "meals delivered",
        delivered=True,
    ),
    m.Need.DAY_CARE: NeedSpec(
        (K.DAY_CARE,), (S.DAY_CARE_FULL, S.DAY_CARE_HALF), "日间照料", "day care"
    ),
    m.Need.CARE_HOME: NeedSpec(
        (K.CARE_HOME,), (S.LONG_TERM_CARE, S.RESPITE), "养老机构", "a care home"
    ),
    m.Need.CHILDCARE: NeedSpec(
        (K.CHILDCARE,),
        (S.CHILDCARE_FULL_DAY, S.CHILDCARE_HALF_DAY, S.CHILDCARE_HOURLY),
        "托育",
        "childcare",
    ),
    m.Need.EMPLOYMENT_SERVICE: NeedSpec(
        (K.SERVICE_STATION, K.HR_AGENCY),
        (S.JOB_REFERRAL, S.GIG_WORK, S.CAREER_GUIDANCE, S.RECRUITMENT),
        "就业服务",
        "employment services",
    ),
    m.Need.TRAINING: NeedSpec(
        (K.TRAINING_SCHOOL,), (S.SKILLS_TRAINING,), "职业技能培训", "training"
    ),
}
