"""The write endpoints, what each needs, and which roles may call it: the table the role matrix
test walks. Paths name their targets symbolically ({meal}, {employer}, ...), resolved against
the records `conftest.targets` picks."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from leye_yiyang.ids import uscc_check_char

ADMIN, CIVIL, HEALTH, HRSS, WORKER, STAFF = (
    "district_admin", "civil_affairs", "health", "hrss", "social_worker", "provider_staff",
)  # fmt: skip
ROLES = (ADMIN, CIVIL, HEALTH, HRSS, WORKER, STAFF)
_serial = itertools.count(1)


def new_uscc() -> str:
    first = f"91320902MA{next(_serial):07d}"
    return first + uscc_check_char(first)


def facility(kind: str) -> Callable[[], dict[str, Any]]:
    return lambda: {
        "kind": kind,
        "name": f"测试{kind}{next(_serial)}",
        "address": "亭湖区文港路",
        "lon": 120.15,
        "lat": 33.38,
        "phone": "0515-88886666",
    }


def employer() -> dict[str, Any]:
    return {
        "uscc": new_uscc(),
        "name": f"测试企业{next(_serial)}",
        "industry": "物流",
        "size": "small",
        "workplaces": [{"name": "总部", "address": "亭湖区人民路1号", "lon": 120.14, "lat": 33.39}],
    }


def vacancy(employer_id: int) -> dict[str, Any]:
    return {
        "employer_id": employer_id,
        "title": "仓库管理员",
        "occupation_code": "4-02-05-01",
        "wage_min": 4000,
        "wage_max": 5000,
        "posted_on": "2026-11-01",
    }


def course(provider_id: int) -> dict[str, Any]:
    return {
        "provider_id": provider_id,
        "title": "叉车司机培训",
        "occupation_code": "4-02-05-01",
        "starts_on": "2027-01-10",
        "ends_on": "2027-02-10",
        "hours_total": 40,
    }


def same(value: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: value


# (name, method, path, body, roles that may, needs If-Match)
Case = tuple[str, str, str, Callable[..., dict[str, Any]] | None, frozenset[str], bool]
ANY_DEPT = frozenset({ADMIN})
CASES: list[Case] = [
    ("create meal hall", "POST", "/v1/facilities", facility("meal_hall"), frozenset({ADMIN, CIVIL}), False),
    ("create childcare", "POST", "/v1/facilities", facility("childcare"), frozenset({ADMIN, HEALTH}), False),
    ("create hr agency", "POST", "/v1/facilities", facility("hr_agency"), frozenset({ADMIN, HRSS}), False),
    ("own facility phone", "PATCH", "/v1/facilities/{meal}", same({"phone": "0515-80000001"}), frozenset({ADMIN, CIVIL, STAFF}), True),
    ("own facility places", "PATCH", "/v1/facilities/{meal}", same({"places_taken": 3}), frozenset({ADMIN, CIVIL, STAFF}), True),
    ("own facility name", "PATCH", "/v1/facilities/{meal}", same({"name": "幸福食堂"}), frozenset({ADMIN, CIVIL}), True),
    ("other meal hall phone", "PATCH", "/v1/facilities/{other_meal}", same({"phone": "0515-80000002"}), frozenset({ADMIN, CIVIL}), True),
    ("childcare phone", "PATCH", "/v1/facilities/{childcare}", same({"phone": "0515-80000003"}), frozenset({ADMIN, HEALTH}), True),
    ("school phone", "PATCH", "/v1/facilities/{school}", same({"phone": "0515-80000004"}), frozenset({ADMIN, HRSS}), True),
    ("suspend own facility", "POST", "/v1/facilities/{meal}/suspend", None, frozenset({ADMIN, CIVIL, STAFF}), True),
    ("reopen own facility", "POST", "/v1/facilities/{meal}/reopen", None, frozenset({ADMIN, CIVIL, STAFF}), True),
    ("suspend other meal hall", "POST", "/v1/facilities/{other_meal}/suspend", None, frozenset({ADMIN, CIVIL}), True),
    ("close meal hall", "POST", "/v1/facilities/{closing_meal}/close", None, frozenset({ADMIN, CIVIL}), True),
    ("verify meal hall", "POST", "/v1/facilities/{meal}/verify", None, frozenset({ADMIN, CIVIL}), True),
    ("verify childcare", "POST", "/v1/facilities/{childcare}/verify", None, frozenset({ADMIN, HEALTH}), True),
    ("create employer", "POST", "/v1/employers", employer, frozenset({ADMIN, HRSS}), False),
    ("patch employer", "PATCH", "/v1/employers/{employer}", same({"phone": "0515-80000005"}), frozenset({ADMIN, HRSS}), True),
    ("suspend employer", "POST", "/v1/employers/{employer}/suspend", None, frozenset({ADMIN, HRSS}), True),
    ("reopen employer", "POST", "/v1/employers/{employer}/reopen", None, frozenset({ADMIN, HRSS}), True),
    ("close employer", "POST", "/v1/employers/{closing_employer}/close", None, frozenset({ADMIN, HRSS}), True),
    ("verify employer", "POST", "/v1/employers/{employer}/verify", None, frozenset({ADMIN, HRSS}), True),
    ("create vacancy", "POST", "/v1/vacancies", vacancy, frozenset({ADMIN, HRSS}), False),
    ("patch vacancy", "PATCH", "/v1/vacancies/{vacancy}", same({"headcount": 3}), frozenset({ADMIN, HRSS}), True),
    ("suspend vacancy", "POST", "/v1/vacancies/{vacancy}/suspend", None, frozenset({ADMIN, HRSS}), True),
    ("reopen vacancy", "POST", "/v1/vacancies/{vacancy}/reopen", None, frozenset({ADMIN, HRSS}), True),
    ("close vacancy", "POST", "/v1/vacancies/{closing_vacancy}/close", None, frozenset({ADMIN, HRSS}), True),
    ("verify vacancy", "POST", "/v1/vacancies/{vacancy}/verify", None, frozenset({ADMIN, HRSS}), True),
    ("create course", "POST", "/v1/training-courses", course, frozenset({ADMIN, HRSS}), False),
    ("patch course", "PATCH", "/v1/training-courses/{course}", same({"seats_taken": 6}), frozenset({ADMIN, HRSS}), True),
    ("suspend course", "POST", "/v1/training-courses/{course}/suspend", None, frozenset({ADMIN, HRSS}), True),
    ("reopen course", "POST", "/v1/training-courses/{course}/reopen", None, frozenset({ADMIN, HRSS}), True),
    ("verify course", "POST", "/v1/training-courses/{course}/verify", None, frozenset({ADMIN, HRSS}), True),
    ("create account", "POST", "/v1/accounts", same({"name": "新社工", "role": "social_worker", "organisation": "社工站"}), ANY_DEPT, False),
    ("issue token", "POST", "/v1/accounts/{account}/tokens", same({"days": 7}), ANY_DEPT, False),
    ("revoke token", "POST", "/v1/tokens/{spare_token}/revoke", None, ANY_DEPT, False),
]  # fmt: skip
