"""Who may apply an import: the one place that decides it.

Interim, until accounts and roles (issue 9) are merged: a dry run is open to anyone (it changes
nothing and the directory is public); applying needs the operator's import token
(LEYE_IMPORT_TOKEN, sent as `Authorization: Bearer …`), and with no token configured imports
can only be dry-run. Every kind is allowed to that token's holder (the district administrator)."""

from __future__ import annotations

import hmac

from leye_yiyang.errors import DomainError
from leye_yiyang.transfer.service import Denier
from leye_yiyang.vocab import FacilityKind


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    status = 401
    code = "token_required"


def check_apply(configured_token: str, authorization: str | None) -> None:
    if not configured_token:
        raise Forbidden(
            "本服务未开放正式导入（未设置 LEYE_IMPORT_TOKEN），只能试导入",
            "Applying imports is not enabled here (LEYE_IMPORT_TOKEN is unset); dry runs only",
            code="imports_not_enabled",
        )
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), configured_token.encode()):
        raise Unauthenticated(
            "正式导入须携带有效的导入令牌（Authorization: Bearer …）",
            "Applying an import needs a valid import token (Authorization: Bearer …)",
        )


def any_kind(_kind: FacilityKind) -> tuple[str, str, str] | None:
    return None


def denier() -> Denier:
    return any_kind
