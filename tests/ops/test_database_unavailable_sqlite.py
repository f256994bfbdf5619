"""SQLite's ways of being unavailable: a file that cannot be opened, a database locked by
another process. Each is a 503 database_unavailable with Retry-After, never a 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from leye_yiyang.app import create_app
from leye_yiyang.db import database_unavailable
from leye_yiyang.settings import Settings


def test_a_database_file_that_cannot_be_opened_is_unavailable_not_an_error(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "leye.db"
    directory.mkdir()  # a directory where the file should be: "unable to open database file"
    broken = Settings(database_url=f"sqlite:///{directory}", geo_dir=settings.geo_dir)
    ours = logging.getLogger("leye_yiyang")  # may not propagate to caplog's root handler
    ours.addHandler(caplog.handler)
    try:
        with TestClient(create_app(broken)) as client:
            assert client.get("/health").status_code == 200
            ready = client.get("/ready")
            listing = client.get("/v1/facilities")
    finally:
        ours.removeHandler(caplog.handler)
    assert ready.status_code == 503
    assert ready.json()["code"] == "database_unavailable"
    assert ready.json()["extra"]["not_ready"] == ["database"]
    assert ready.headers["retry-after"] == "5"
    assert listing.status_code == 503
    assert listing.headers["content-type"].startswith("application/problem+json")
    assert listing.json()["code"] == "database_unavailable"
    assert listing.headers["retry-after"] == "5"
    assert caplog.text.count("database unavailable") == 1  # once, at start
    assert "Traceback" not in caplog.text
    assert "internal error" not in caplog.text


def test_a_locked_database_is_classified_unavailable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    holder = create_engine(url)
    waiter = create_engine(url, connect_args={"timeout": 0.1})
    with holder.connect() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.commit()
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        with pytest.raises(OperationalError) as raised, waiter.connect() as other:
            other.execute(text("SELECT x FROM t"))
        conn.rollback()
    assert "locked" in str(raised.value)
    assert database_unavailable(raised.value)
    holder.dispose()
    waiter.dispose()


def test_a_syntax_error_is_not_mistaken_for_an_outage(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    # sqlite3 raises OperationalError for this too; it is a bug of ours, so a 500.
    with pytest.raises(OperationalError) as raised, engine.connect() as conn:
        conn.execute(text("SELEC 1"))
    engine.dispose()
    assert not database_unavailable(raised.value)
