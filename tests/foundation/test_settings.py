"""Configuration comes from the environment; a bad value stops the start with a clear message."""

from __future__ import annotations

import pytest

from leye_yiyang.cli import main
from leye_yiyang.settings import Settings, SettingsError


def test_defaults_use_an_sqlite_file_under_var_and_loopback_port_8000() -> None:
    s = Settings.from_env({})
    assert s.database_url == "sqlite:///var/leye-yiyang.db"
    assert (s.host, s.port, s.log_level) == ("127.0.0.1", 8000, "INFO")


def test_environment_values_are_honoured() -> None:
    s = Settings.from_env(
        {
            "LEYE_DATABASE_URL": "postgresql://u:p@localhost/leye",
            "LEYE_HOST": "0.0.0.0",
            "LEYE_PORT": "9000",
            "LEYE_LOG_LEVEL": "debug",
        }
    )
    assert s.database_url == "postgresql+psycopg://u:p@localhost/leye"
    assert (s.host, s.port, s.log_level) == ("0.0.0.0", 9000, "DEBUG")


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"LEYE_PORT": "eighty"}, "LEYE_PORT must be a whole number"),
        ({"LEYE_PORT": "70000"}, "LEYE_PORT must be between 1 and 65535"),
        ({"LEYE_LOG_LEVEL": "LOUD"}, "LEYE_LOG_LEVEL must be one of"),
        ({"LEYE_DATABASE_URL": "mysql://x"}, "LEYE_DATABASE_URL must be"),
        ({"LEYE_GEO_DIR": "/nonexistent"}, "has no district.geojson"),
    ],
)
def test_invalid_values_are_refused_with_the_variable_named(
    env: dict[str, str], fragment: str
) -> None:
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env(env)


def test_the_cli_stops_with_exit_code_2_and_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEYE_PORT", "-1")
    assert main(["db", "upgrade"]) == 2
    assert "LEYE_PORT must be between" in capsys.readouterr().err
