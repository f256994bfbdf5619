"""The request id: taken from the caller when it is well-formed, otherwise made here, and carried
by every log line written while the request runs (a context variable, which worker threads of
sync handlers inherit)."""

from __future__ import annotations

import itertools
import os
import re
from contextvars import ContextVar

HEADER = b"x-request-id"
# Long enough for a UUID or a balancer's trace id, short and plain enough to be safe in a log line.
_WELL_FORMED = re.compile(rb"[A-Za-z0-9._-]{1,64}")

current: ContextVar[str] = ContextVar("leye_request_id", default="-")
# A made id is this process's random prefix and a counter: unique across processes and
# restarts, without a system call per request (os.urandom measured ~10x the cost).
_PREFIX = os.urandom(5).hex()
_COUNTER = itertools.count(1)


def _new_prefix() -> None:  # server workers may be forked from a process that imported this
    global _PREFIX
    _PREFIX = os.urandom(5).hex()


os.register_at_fork(after_in_child=_new_prefix)


def accept_or_make(raw: bytes | None) -> str:
    """The caller's id when it is 1-64 characters of [A-Za-z0-9._-], otherwise a new random one."""
    if raw is not None and _WELL_FORMED.fullmatch(raw):
        return raw.decode("ascii")
    return f"{_PREFIX}{next(_COUNTER):06x}"
