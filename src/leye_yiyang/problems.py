"""The one place that turns every failure into RFC 9457 application/problem+json: domain errors,
the framework's validation and routing errors, and anything unexpected (a bare 500); and the one
place the OpenAPI document learns those answers (`problem_responses`, `document_problems`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from leye_yiyang.db import database_unavailable
from leye_yiyang.errors import DatabaseUnavailable, DomainError

if TYPE_CHECKING:
    from litestar import Litestar

log = logging.getLogger("leye_yiyang.errors")
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://leye-yiyang.example/problems/"


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    type: str
    title: str
    status: int
    code: str
    detail: str
    message_zh: str
    message_en: str
    instance: str | None = None
    field: str | None = None
    errors: list[dict[str, Any]] | None = None
    extra: dict[str, Any] | None = None
    request_id: str | None = None


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    zh: str,
    en: str,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    retry_after: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        type=PROBLEM_BASE + code,
        title=code.replace("_", " "),
        status=status,
        code=code,
        detail=f"{zh} / {en}",
        message_zh=zh,
        message_en=en,
        instance=request.url.path,
        field=field,
        errors=errors,
        extra=extra or None,
        request_id=request.state.get("request_id"),  # set by ops/middleware.py
    )
    if retry_after is not None:
        headers = {**(headers or {}), "Retry-After": str(retry_after)}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Problem]:
    response = problem(
        request,
        exc.status,
        exc.code,
        exc.zh,
        exc.en,
        field=exc.field,
        extra=exc.extra,
        retry_after=exc.retry_after,
    )
    response.headers.update(exc.headers)
    return response


def _database(request: Request[Any, Any, Any], exc: SQLAlchemyError) -> Response[Problem]:
    # An outage is expected and logged once by the refresh loop, not once per request.
    if database_unavailable(exc):
        return _domain(request, DatabaseUnavailable())
    return _internal(request, exc)


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    errors: list[dict[str, Any]] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            errors.append({k: item[k] for k in ("key", "source", "message") if k in item})
    field = errors[0].get("key") if errors else None
    detail = errors[0].get("message", exc.detail) if errors else exc.detail
    if "larger than" in str(exc.detail).lower() or exc.status_code == 413:
        return problem(request, 413, "body_too_large", "请求体过大", "Request body too large")
    return problem(
        request,
        400,
        "validation_failed",
        f"请求参数无效：{field or '请求体'}（{detail}）",
        f"Invalid request: {field or 'body'}: {detail}",
        field=field,
        errors=errors or None,
    )


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if isinstance(exc, NotFoundException):
        return problem(request, 404, "route_not_found", "没有这个地址", "No such route")
    if isinstance(exc, MethodNotAllowedException):
        # RFC 9110 §15.5.6: a 405 names the methods the resource does support (litestar puts them
        # in the exception's headers).
        return problem(
            request,
            405,
            "method_not_allowed",
            "不支持该请求方法",
            "Method not allowed",
            headers=exc.headers,
        )
    if status == 413:
        return problem(request, 413, "body_too_large", "请求体过大", "Request body too large")
    if status == 429:
        return _too_many(request, exc)
    if status == 415:
        return problem(request, 415, "unsupported_media_type", "不支持的内容类型", str(exc.detail))
    if status < 500:
        return problem(request, status, "bad_request", f"请求无效：{exc.detail}", str(exc.detail))
    return _internal(request, exc)


def _too_many(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    """The rate limiter's refusal, with Retry-After (seconds until the window resets)."""
    headers = dict(exc.headers or {})
    retry = headers.get("RateLimit-Reset", "60")
    response = problem(
        request,
        429,
        "rate_limited",
        f"请求过于频繁，请 {retry} 秒后再试",
        f"Too many requests; retry in {retry} s",
    )
    response.headers.update({**headers, "Retry-After": retry})
    return response


def _stale(request: Request[Any, Any, Any], exc: StaleDataError) -> Response[Problem]:
    return problem(
        request,
        409,
        "edit_conflict",
        "该记录已被他人修改，请刷新后重试",
        "The record was changed by someone else; reload and try again",
    )


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    # Log the type and route only: exception messages can carry personal data.
    # The route template, not the path: a path no route serves can hold anything a caller typed.
    route = request.scope.get("path_template", "unmatched")
    log.error("internal error %s on %s %s", type(exc).__name__, request.method, route)
    return problem(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "internal_error",
        "服务器内部错误，请稍后再试",
        "Internal server error; please try again later",
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: _domain,
    ValidationException: _validation,
    StaleDataError: _stale,
    SQLAlchemyError: _database,
    HTTPException: _http,
    Exception: _internal,
}


# --- the OpenAPI document ------------------------------------------------------------------------

_MEANING: dict[int, str] = {
    400: "Invalid request: a parameter or body field is malformed, missing or out of range "
    "(`code` and `field` say which)",
    401: "No token, or a malformed, expired or revoked one (WWW-Authenticate: Bearer)",
    403: "Signed in, but the account's role or scope does not cover this record or action",
    404: "Not found: the resource, or a place the request names (`address_not_found`, ...)",
    409: "Conflicts with the current state (`code` says how)",
    412: "Precondition failed: `If-Match` does not name the current version (ETag)",
    413: "Request body too large",
    415: "Unsupported request media type",
    422: "Well-formed but not answerable as asked (`code` says why, e.g. outside the service "
    "region, or an ambiguous address with its candidates in `extra`)",
    428: "Precondition required: send `If-Match` with the ETag you read",
    429: "Too many requests: wait `Retry-After` seconds",
    500: "Internal error; nothing of the request is echoed",
    503: "A service the answer depends on did not answer: the database (`database_unavailable`, "
    "with Retry-After) or the online geocoder, when configured; try again later",
}

COMMON_PROBLEMS: tuple[int, ...] = (400, 500, 503)
"""What every operation can answer: bad input (framework validation, control characters), an
unexpected failure, and the database being unavailable (an in-memory answer too, while no
snapshot has been loaded yet). An app-wide limiter would add 429 here."""

BODY_PROBLEMS: tuple[int, ...] = (413,)
"""What every operation with a request body can answer besides."""

# What the signed-in operations answer beyond the common ones: a write, an update of a stored
# version (If-Match), and a read of records only some accounts may see.
WRITE: tuple[int, ...] = (400, 401, 403, 404, 409, 422, 429)
UPDATE: tuple[int, ...] = (*WRITE, 412, 428)
AUTH_READ: tuple[int, ...] = (400, 401, 403, 404, 429)


def problem_responses(
    *statuses: int, meanings: Mapping[int, str] | None = None
) -> dict[int, ResponseSpec]:
    """The OpenAPI responses for these statuses: the Problem schema as application/problem+json.

    A route lists what it answers beyond the common ones in its decorator, e.g.
    ``@get(..., responses=problem_responses(404, 422))``; `document_problems` adds the rest.
    `meanings` words a status the way one route means it (an import's 415, say)."""
    own = meanings or {}
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=own.get(status) or _MEANING.get(status, HTTPStatus(status).phrase),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in sorted(set(statuses))
    }


def document_problems(app: Litestar, common: tuple[int, ...] = COMMON_PROBLEMS) -> None:
    """Give every documented operation of `app` the common problem responses (and the body ones
    where it takes a body), keeping what the route itself declared. This also replaces
    litestar's own 400 (application/json with status_code/detail/extra, which this API never
    sends). Call it once the app is built, before the document is first generated."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            statuses = list(common)
            if "data" in handler.parsed_fn_signature.parameters:
                statuses.extend(BODY_PROBLEMS)
            handler.responses = {**problem_responses(*statuses), **(handler.responses or {})}
