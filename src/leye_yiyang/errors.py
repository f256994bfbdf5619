"""Domain errors: what the domain code raises. `problems.py` is the one place that turns them (and
every other failure) into RFC 9457 problem+json.

Each error has a stable machine `code`, a Chinese and an English message, and where it applies
the offending `field`. Handlers never build error responses themselves."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"

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
