"""OpenAPI documentation of the problem+json answers an operation can give (one helper, so the
documented set of errors stays next to the operation that raises them)."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec

from leye_yiyang.problems import PROBLEM_JSON, Problem

_WHY = {
    400: "Invalid input (problem+json names the field)",
    401: "No token, or a malformed, expired or revoked one (WWW-Authenticate: Bearer)",
    403: "The account's role or scope does not cover this record",
    404: "No such record",
    409: "Conflict with the stored state",
    412: "If-Match names a version that is no longer current; the body names the current one",
    422: "Well-formed but impossible (outside the service region, discriminatory text, ...)",
    428: "If-Match is required for this update",
    429: "Too many requests from this client; see Retry-After",
}

WRITE = (400, 401, 403, 404, 409, 422, 429)
UPDATE = (*WRITE, 412, 428)
AUTH_READ = (400, 401, 403, 404, 429)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=_WHY[status]
        )
        for status in sorted(set(statuses))
    }
