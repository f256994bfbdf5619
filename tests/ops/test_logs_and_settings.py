"""Log lines carry the request id, in plain text or as one JSON object a line; the operations
settings refuse what they cannot use."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest

from leye_yiyang.ops import logs, requestid
from leye_yiyang.settings import Settings, SettingsError

NAMES = ["", "_granian", "granian", "leye_yiyang", "alembic", "alembic.runtime.plugins"]


def captured_line(fmt: str) -> str:
    # dictConfig changes process-wide loggers: put them back for the tests after this one.
    saved = [
        (lg, list(lg.handlers), lg.level, lg.propagate) for lg in map(logging.getLogger, NAMES)
    ]
    logging.config.dictConfig(logs.config("INFO", fmt))
    stream = io.StringIO()
    handler = logging.getLogger("leye_yiyang").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    token = requestid.current.set("req-77")
    try:
        logging.getLogger("leye_yiyang.test").warning("refresh failed on %s", "/v1/facilities")
    finally:
        requestid.current.reset(token)
        for lg, handlers, level, propagate in saved:
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate
    return stream.getvalue()


def test_a_json_log_line_is_one_object_with_the_request_id() -> None:
    line = captured_line("json")
    assert line.count("\n") == 1
    entry = json.loads(line)
    assert entry["request_id"] == "req-77"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "leye_yiyang.test"
    assert entry["message"] == "refresh failed on /v1/facilities"


def test_a_plain_log_line_names_the_request_id() -> None:
    assert "[req-77] refresh failed on /v1/facilities" in captured_line("plain")


def test_the_operations_settings_are_read() -> None:
    s = Settings.from_env(
        {
            "LEYE_LOG_FORMAT": "JSON",
            "LEYE_METRICS_ALLOW": "10.1.0.0/16, ::1",
            "LEYE_METRICS_TOKEN": "a-long-enough-token",
            "LEYE_SHUTDOWN_SECONDS": "45",
        }
    )
    assert s.log_format == "json"
    assert s.metrics_allow == ("10.1.0.0/16", "::1/128")
    assert s.metrics_token == "a-long-enough-token"
    assert s.shutdown_seconds == 45


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LEYE_LOG_FORMAT", "xml"),
        ("LEYE_METRICS_ALLOW", "10.1.0.0/16,intranet"),
        ("LEYE_METRICS_TOKEN", "short"),
        ("LEYE_SHUTDOWN_SECONDS", "0"),
    ],
)
def test_unusable_operations_settings_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})
