"""`leye-yiyang import`: the same dry run and apply from the command line, quiet when piped."""

from __future__ import annotations

from pathlib import Path

import pytest

from leye_yiyang.cli import main
from leye_yiyang.db import Database
from tests.conftest import GEO
from tests.transfer.conftest import SAMPLES, loaded_database


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = loaded_database(tmp_path / "cli.db")
    monkeypatch.setenv("LEYE_DATABASE_URL", url)
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    return url


def test_a_dry_run_prints_each_problem_and_exits_1(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    version = Database(cli_db).directory_version()
    code = main(["import", str(SAMPLES / "hrss-jobs.csv"), "--kind", "facility", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "create 20, update 0, unchanged 0, reject 4" in out
    assert "row 12\t纬度\terror\tpoint_incomplete" in out
    assert "校验" not in err  # no progress bar when not on a terminal
    assert Database(cli_db).directory_version() == version


def test_an_apply_with_rejected_rows_changes_nothing(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    version = Database(cli_db).directory_version()
    assert main(["import", str(SAMPLES / "hrss-jobs.csv"), "--kind", "facility"]) == 1
    assert "import_rejected" in capsys.readouterr().err
    assert Database(cli_db).directory_version() == version


def test_a_clean_sheet_applies(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "ok.csv"
    sheet.write_text(
        "编号,名称,地址,经度,纬度\ncli-1,命令行食堂,亭湖区五星街道,120.0889,33.3719\n",
        encoding="utf-8",
    )
    version = Database(cli_db).directory_version()
    assert main(["import", str(sheet), "--kind", "meal_hall"]) == 0
    assert "create 1" in capsys.readouterr().out
    assert Database(cli_db).directory_version() == version + 1
