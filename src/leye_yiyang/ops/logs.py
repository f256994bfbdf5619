"""Log setup for the command line and the server's worker processes: every line carries the
request id, and `LEYE_LOG_FORMAT=json` writes one JSON object a line for log shippers.

What is logged is decided where it is logged: route templates and exception types, never query
strings, bodies or exception messages (they can carry an address or a name a resident typed)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from leye_yiyang.ops import requestid

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = requestid.current.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def config(level: str, fmt: str) -> dict[str, Any]:
    """A logging.config.dictConfig for our loggers and granian's, in plain text or JSON."""
    formatter: dict[str, Any] = {"()": JsonFormatter} if fmt == "json" else {"format": PLAIN_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "main",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"main": formatter},
        "handlers": {"console": handler},
        "loggers": {
            **{
                name: {"handlers": ["console"], "level": level, "propagate": False}
                for name in ("_granian", "granian", "leye_yiyang", "alembic")
            },
            # Alembic announces its plugins at INFO whenever the migration scripts are read.
            "alembic.runtime.plugins": {"level": "WARNING"},
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
    }
