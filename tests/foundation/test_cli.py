"""The command line a fresh machine runs: migrate, load, (serve) — exit codes and effects."""

from __future__ import annotations

from pathlib import Path

import pytest

from leye_yiyang.cli import main
from leye_yiyang.db import Database
from tests.conftest import FIXTURES, GEO


def test_upgrade_then_load_on_a_fresh_sqlite_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default database lives under ./var/, which does not exist
    monkeypatch.delenv("LEYE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    assert main(["db", "upgrade"]) == 0
    assert main(["fixtures", "load", "--fixtures", str(FIXTURES)]) == 0
    assert main(["fixtures", "load", "--fixtures", str(FIXTURES)]) == 0  # idempotent
    db = Database("sqlite:///var/leye-yiyang.db")
    assert db.directory_version() == 3
    db.dispose()


def test_a_failed_load_says_why_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEYE_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    assert main(["db", "upgrade"]) == 0
    empty = tmp_path / "fixtures"
    empty.mkdir()
    for f in FIXTURES.iterdir():
        (empty / f.name).write_bytes(f.read_bytes())
    (empty / "facilities.json").write_text(
        '[{"kind": "meal_hall", "name": "x", "address": "y", "lon": 116.4, "lat": 39.9}]'
    )
    assert main(["fixtures", "load", "--fixtures", str(empty)]) == 1
    assert "point_outside_district" in capsys.readouterr().err
