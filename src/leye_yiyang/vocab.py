"""Closed vocabularies shared by storage, the API and matching. Values are stable machine codes;
each carries its Chinese label, which is what residents and social workers see."""

from __future__ import annotations

from enum import StrEnum


class FacilityKind(StrEnum):
    MEAL_HALL = "meal_hall"  # 长者幸福食堂 / 助餐点
    DAY_CARE = "day_care"  # 日间照料中心
    CARE_HOME = "care_home"  # 嵌入式小微养老机构 / 养老院
    CHILDCARE = "childcare"  # 托育机构
    SERVICE_STATION = "service_station"  # 社区服务站 / 就业服务站
    TRAINING_SCHOOL = "training_school"  # 技能培训学校
    HR_AGENCY = "hr_agency"  # 人力资源服务机构


KIND_LABELS: dict[FacilityKind, str] = {
    FacilityKind.MEAL_HALL: "长者幸福食堂/助餐点",
    FacilityKind.DAY_CARE: "日间照料中心",
    FacilityKind.CARE_HOME: "嵌入式小微养老机构/养老院",
    FacilityKind.CHILDCARE: "托育机构",
    FacilityKind.SERVICE_STATION: "社区服务站/就业服务站",
    FacilityKind.TRAINING_SCHOOL: "技能培训学校",
    FacilityKind.HR_AGENCY: "人力资源服务机构",
}


class FacilityStatus(StrEnum):
    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily_closed"
    CLOSED = "closed"


class AreaLevel(StrEnum):
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"  # 街道
    TOWN = "town"  # 镇
    COMMUNITY = "community"  # 社区
    VILLAGE = "village"  # 村


class PersonStatus(StrEnum):
    LIVING_ALONE = "living_alone"  # 独居
    EMPTY_NEST = "empty_nest"  # 空巢
    DISABLED_ADL = "disabled_adl"  # 失能 (needs help with daily living)
    EXTREME_POVERTY = "extreme_poverty"  # 特困
    DIBAO = "dibao"  # 低保
    NEAR_DIBAO = "near_dibao"  # 低保边缘
    DISABILITY = "disability"  # 残疾 (holds a disability card)
    MILITARY_FAMILY = "military_family"  # 军烈属 / 优抚对象
    ADVANCED_AGE = "advanced_age"  # 高龄
    SPECIAL_FAMILY = "special_family"  # 计划生育特殊家庭


STATUS_LABELS: dict[PersonStatus, str] = {
    PersonStatus.LIVING_ALONE: "独居",
    PersonStatus.EMPTY_NEST: "空巢",
    PersonStatus.DISABLED_ADL: "失能",
    PersonStatus.EXTREME_POVERTY: "特困",
    PersonStatus.DIBAO: "低保",
    PersonStatus.NEAR_DIBAO: "低保边缘",
    PersonStatus.DISABILITY: "残疾",
    PersonStatus.MILITARY_FAMILY: "军烈属",
    PersonStatus.ADVANCED_AGE: "高龄",
    PersonStatus.SPECIAL_FAMILY: "计划生育特殊家庭",
}


class ServiceCode(StrEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    HOME_DELIVERY = "home_delivery"  # 送餐上门
    DAY_CARE_FULL = "day_care_full"  # 全日托老
    DAY_CARE_HALF = "day_care_half"
    RESPITE = "respite"  # 喘息服务
    LONG_TERM_CARE = "long_term_care"  # 长期照护 (care home bed)
    REHABILITATION = "rehabilitation"
    CHILDCARE_FULL_DAY = "childcare_full_day"  # 全日托
    CHILDCARE_HALF_DAY = "childcare_half_day"  # 半日托
    CHILDCARE_HOURLY = "childcare_hourly"  # 计时托
    JOB_REFERRAL = "job_referral"  # 就业推荐
    GIG_WORK = "gig_work"  # 零工驿站
    CAREER_GUIDANCE = "career_guidance"  # 职业指导
    SKILLS_TRAINING = "skills_training"
    RECRUITMENT = "recruitment"  # 招聘/人力资源服务


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)


class Accessibility(StrEnum):
    STEP_FREE = "step_free"  # 无障碍通道
    ELEVATOR = "elevator"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HANDRAILS = "handrails"
    HEARING_LOOP = "hearing_loop"
    ACCESSIBLE_PARKING = "accessible_parking"


class Education(StrEnum):
    NONE = "none"
    PRIMARY = "primary"  # 小学
    JUNIOR_SECONDARY = "junior_secondary"  # 初中
    SENIOR_SECONDARY = "senior_secondary"  # 高中/中专
    VOCATIONAL = "vocational"  # 技工/职高
    ASSOCIATE = "associate"  # 大专
    BACHELOR = "bachelor"
    POSTGRADUATE = "postgraduate"


class EmployerSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class VacancyStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"  # paused by the department; reopened later
    CLOSED = "closed"


class RecordStatus(StrEnum):
    """Employers and training courses: suspended or closed ones are not offered."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"
