"""The request id: taken from the caller when it is well-formed, otherwise made here, and carried
by every log line written while the request runs (a context variable, which worker threads of
sync handlers inherit)."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

HEADER = b"x-request-id"
# Long enough for a UUID or a balancer's trace id, short and plain enough to be safe in a log line.
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._-]{1,64}")

current: ContextVar[str] = ContextVar("leye_request_id", default="-")


def accept_or_make(raw: bytes | None) -> str:
    """The caller's id when it is 1-64 characters of [A-Za-z0-9._-], otherwise a new random one."""
    if raw is not None and _WELL_FORMED.fullmatch(raw):
        return raw.decode("ascii")
    return os.urandom(8).hex()
