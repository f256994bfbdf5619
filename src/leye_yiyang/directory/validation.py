"""Rules every directory write obeys, whether it comes from the API, an import or the fixtures.
Each failure names the offending field so a department can fix its spreadsheet row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leye_yiyang.directory import schemas as s
from leye_yiyang.district import District
from leye_yiyang.errors import InvalidInput, NotFound, Unprocessable
from leye_yiyang.ids import uscc_problem
from leye_yiyang.models import Area, Employer, Occupation
from leye_yiyang.rules.fairness import find_violations
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.values import OpeningHours, Workplace


def locate_in_district(
    locator: AreaLocator, point: LonLat, field: str, district: District | None = None
) -> str:
    code = locator.locate(point)
    if code is None:
        name = district.name_zh if district is not None else "本区"
        raise Unprocessable(
            f"坐标 ({point.lon}, {point.lat}) 不在{name}范围内",
            f"Point ({point.lon}, {point.lat}) is outside the district",
            code="point_outside_district",
            field=field,
        )
    return code


def _hours(hours: OpeningHours, where: str) -> None:
    ranges = [(f"weekly.{d}", r) for d, rs in hours.weekly.items() for r in rs]
    ranges += [(f"exceptions.{e.date}", r) for e in hours.exceptions for r in e.hours]
    for path, r in ranges:
        if r.opens >= r.closes:
            raise InvalidInput(
                f"开放时间 {r.opens}–{r.closes} 无效：开门须早于关门",
                f"Opening range {r.opens}-{r.closes} must open before it closes",
                code="invalid_opening_hours",
                field=f"{where}.opening_hours.{path}",
            )


def _range(lo: float | None, hi: float | None, field: str, zh: str) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise InvalidInput(
            f"{zh}下限 {lo} 大于上限 {hi}",
            f"{field}: minimum {lo} exceeds maximum {hi}",
            code="invalid_range",
            field=field,
        )


def check_facility(
    session: Session,
    rec: s.FacilityIn,
    locator: AreaLocator,
    where: str,
    district: District | None = None,
) -> str:
    area_code = locate_in_district(locator, LonLat(rec.lon, rec.lat), f"{where}.lon", district)
    if rec.area_code is not None and rec.area_code != area_code:
        if session.get(Area, rec.area_code) is None:
            raise NotFound(
                f"没有编码为 {rec.area_code} 的区域",
                f"No area with code {rec.area_code}",
                code="area_not_found",
                field=f"{where}.area_code",
            )
        raise Unprocessable(
            f"坐标位于 {area_code}，与填写的区域 {rec.area_code} 不符",
            f"The point lies in area {area_code}, not in the given area {rec.area_code}",
            code="area_mismatch",
            field=f"{where}.area_code",
        )
    if rec.places_taken > rec.capacity:
        raise InvalidInput(
            f"已占用名额 {rec.places_taken} 超过总容量 {rec.capacity}",
            f"places_taken {rec.places_taken} exceeds capacity {rec.capacity}",
            code="over_capacity",
            field=f"{where}.places_taken",
        )
    rules = rec.eligibility
    _range(rules.min_age, rules.max_age, f"{where}.eligibility.age", "年龄")
    _range(
        rules.child_min_months, rules.child_max_months, f"{where}.eligibility.child_months", "月龄"
    )
    _hours(rec.opening_hours, where)
    return area_code


def check_uscc(code: str, field: str) -> None:
    problem = uscc_problem(code)
    if problem is not None:
        raise InvalidInput(
            f"统一社会信用代码 {code} 无效（GB 32100 校验：{problem}）",
            f"Unified social credit code {code} is invalid (GB 32100 check: {problem})",
            code="invalid_uscc",
            field=field,
        )


def check_employer(
    rec: s.EmployerIn, locator: AreaLocator, where: str, district: District | None = None
) -> str:
    check_uscc(rec.uscc, f"{where}.uscc")
    codes = [
        locate_in_district(locator, LonLat(w.lon, w.lat), f"{where}.workplaces[{i}]", district)
        for i, w in enumerate(rec.workplaces)
    ]
    return codes[0]


def check_occupation(session: Session, code: str, field: str) -> None:
    if session.get(Occupation, code) is None:
        raise InvalidInput(
            f"职业编码 {code} 不在职业分类大典中",
            f"Occupation code {code} is not in the classification",
            code="unknown_occupation",
            field=field,
        )


def check_vacancy(
    session: Session,
    rec: s.VacancyIn,
    employers: dict[str, Employer],
    locator: AreaLocator,
    where: str,
    district: District | None = None,
) -> tuple[Employer, Workplace, str]:
    employer = employers.get(rec.employer_uscc)
    if employer is None:
        raise NotFound(
            f"没有信用代码为 {rec.employer_uscc} 的用人单位",
            f"No employer with code {rec.employer_uscc}",
            code="employer_not_found",
            field=f"{where}.employer_uscc",
        )
    check_occupation(session, rec.occupation_code, f"{where}.occupation_code")
    _range(rec.wage_min, rec.wage_max, f"{where}.wage", "月薪")
    if rec.expires_on is not None and rec.expires_on < rec.posted_on:
        raise InvalidInput(
            "截止日期早于发布日期",
            "expires_on is before posted_on",
            code="invalid_range",
            field=f"{where}.expires_on",
        )
    check_fair(rec, where, district)
    places = [Workplace(**w) if isinstance(w, dict) else w for w in employer.workplaces]
    if not 0 <= rec.workplace < len(places):
        raise InvalidInput(
            f"用人单位没有第 {rec.workplace} 个工作地点",
            f"The employer has no workplace number {rec.workplace}",
            code="unknown_workplace",
            field=f"{where}.workplace",
        )
    place = places[rec.workplace]
    point = LonLat(place.lon, place.lat)
    return employer, place, locate_in_district(locator, point, where, district)


def check_fair(rec: s.VacancyIn, where: str, district: District | None = None) -> None:
    """Refuse discriminatory criteria when they are written, citing the law they break; the
    district's own place names count as "local" ("限盐城籍")."""
    names = district.local_names if district is not None else ()
    violations = find_violations([rec.title, rec.description, *rec.requirements], names)
    if violations:
        first = violations[0]
        raise Unprocessable(
            f"招聘条件含有歧视性内容「{first.matched_text}」，违反{first.law_zh}",
            f"The vacancy contains a discriminatory criterion ({first.matched_text!r}), "
            f"contrary to {first.law_en}",
            code="discriminatory_criterion",
            field=f"{where}.requirements",
            extra={
                "violations": [
                    {
                        "category": v.category,
                        "text": v.matched_text,
                        "law_zh": v.law_zh,
                        "law_en": v.law_en,
                    }
                    for v in violations
                ]
            },
        )


def check_course(session: Session, rec: s.CourseIn, providers: dict[str, int], where: str) -> int:
    if rec.provider_ref not in providers:
        raise NotFound(
            f"没有编号为 {rec.provider_ref} 的培训机构",
            f"No provider with ref {rec.provider_ref}",
            code="provider_not_found",
            field=f"{where}.provider_ref",
        )
    check_occupation(session, rec.occupation_code, f"{where}.occupation_code")
    if rec.ends_on < rec.starts_on:
        raise InvalidInput(
            "结束日期早于开始日期",
            "ends_on is before starts_on",
            code="invalid_range",
            field=f"{where}.ends_on",
        )
    return providers[rec.provider_ref]


def check_seats(rec: s.CourseIn, field: str) -> None:
    if rec.seats_taken > rec.seats:
        raise InvalidInput(
            f"已报名 {rec.seats_taken} 超过名额 {rec.seats}",
            f"seats_taken {rec.seats_taken} exceeds seats {rec.seats}",
            code="over_capacity",
            field=field,
        )
