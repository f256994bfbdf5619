"""Domain errors: what the domain code raises. `problems.py` is the one place that turns them (and
every other failure) into RFC 9457 problem+json.

Each error has a stable machine `code`, a Chinese and an English message, and where it applies
the offending `field`. Handlers never build error responses themselves."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    default_headers: dict[str, str] = {}

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        field: str | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.field = field
        if code:
            self.code = code
        self.extra = extra or {}
        # Response headers the problem needs (WWW-Authenticate, ETag).
        self.headers: dict[str, str] = dict(type(self).default_headers)


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class Unprocessable(DomainError):
    """Well-formed but impossible: a point outside the district, an ambiguous address."""

    status = 422
    code = "unprocessable"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    """Authenticated, but this account's role or scope does not cover the record."""

    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    """No usable credentials: answered with `WWW-Authenticate: Bearer`."""

    status = 401
    code = "unauthenticated"
    default_headers = {"WWW-Authenticate": 'Bearer realm="leye-yiyang"'}


class PreconditionFailed(DomainError):
    """If-Match named a version that is no longer current."""

    status = 412
    code = "version_mismatch"


class PreconditionRequired(DomainError):
    """An update without If-Match: refusing it keeps a blind write from overwriting another."""

    status = 428
    code = "if_match_required"
