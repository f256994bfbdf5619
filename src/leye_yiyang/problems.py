"""The one place that turns every failure into RFC 9457 application/problem+json: domain errors,
the framework's validation and routing errors, and anything unexpected (a bare 500)."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.orm.exc import StaleDataError

from leye_yiyang.errors import DomainError

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
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Problem]:
    response = problem(
        request, exc.status, exc.code, exc.zh, exc.en, field=exc.field, extra=exc.extra
    )
    response.headers.update(exc.headers)
    return response


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
        return problem(request, 405, "method_not_allowed", "不支持该请求方法", "Method not allowed")
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
    log.error("internal error %s on %s %s", type(exc).__name__, request.method, request.url.path)
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
    HTTPException: _http,
    Exception: _internal,
}
