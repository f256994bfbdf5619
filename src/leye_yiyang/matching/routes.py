"""HTTP for matching: services for a person, jobs for a seeker, one plan for a household.

Handlers parse, call the use case and return; errors are domain errors (problem+json). Request
bodies describe people, so they are never logged, and nothing is stored: every answer is computed
from the in-memory directory snapshot of the moment.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.exceptions import ValidationException

from leye_yiyang.matching import schemas as m
from leye_yiyang.matching.household import match_household
from leye_yiyang.matching.jobs_match import match_jobs
from leye_yiyang.matching.services_match import match_services
from leye_yiyang.problems import EXCEPTION_HANDLERS, Problem, problem, problem_responses
from leye_yiyang.rules.fairness import PROTECTED_FIELDS
from leye_yiyang.snapshot.context import GeoContext

_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_PROTECTED = frozenset(_key(f) for f in PROTECTED_FIELDS)


def refuse_protected(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Problem]:
    """A body that sends a protected attribute to job or household matching is refused, like
    any unknown field, but with the reason spelled out; anything else is the usual 400."""
    items = exc.extra if isinstance(exc.extra, list) else []
    for item in items if not request.url.path.endswith("/services") else []:
        found = (
            _UNKNOWN_FIELD.search(str(item.get("message", ""))) if isinstance(item, dict) else None
        )
        if found and _key(found.group(1)) in _PROTECTED:
            name = found.group(1)
            key = item.get("key")
            return problem(
                request,
                400,
                "protected_attribute",
                f"请求中含有“{name}”：求职匹配不接收、也不使用性别、民族、宗教信仰、婚育、户籍、"
                "传染病病原携带、残疾等信息（《就业促进法》第三条、第二十六至三十一条，"
                "《妇女权益保障法》第四十三条），请删除该字段",
                f"The request carries “{name}”: job matching neither accepts nor uses sex, "
                "ethnicity, religion, marriage or children, household registration, carrier or "
                "disability status (Employment Promotion Law Art. 3, 26–31; Law on the Protection "
                "of Women's Rights Art. 43). Remove the field.",
                field=f"{key}.{name}" if key else name,
            )
    handler = EXCEPTION_HANDLERS[ValidationException]
    response: Response[Problem] = handler(request, exc)
    return response


class MatchController(Controller):
    path = "/v1/match"
    tags = ["matching"]
    exception_handlers = {ValidationException: refuse_protected}

    @post(
        "/services",
        sync_to_thread=False,
        status_code=200,
        responses=problem_responses(404, 422, 503),
        summary="Services a person may use near home, per need, ranked and explained",
    )
    def services(self, geo: GeoContext, data: m.ServiceMatchRequest) -> m.ServiceMatchResult:
        return match_services(geo.snapshot, geo.travel, data)

    @post(
        "/jobs",
        sync_to_thread=False,
        status_code=200,
        responses=problem_responses(404, 422, 503),
        summary="Open vacancies within a seeker's commute, scored; training when few fit",
    )
    def jobs(self, geo: GeoContext, data: m.JobMatchRequest) -> m.JobMatchResult:
        return match_jobs(geo.snapshot, geo.travel, data)

    @post(
        "/household",
        sync_to_thread=False,
        status_code=200,
        responses=problem_responses(404, 422, 503),
        summary="One plan for a household: jobs that fit the childcare it needs, services nearby",
    )
    def household(self, geo: GeoContext, data: m.HouseholdRequest) -> m.HouseholdResult:
        return match_household(geo.snapshot, geo.travel, data)
