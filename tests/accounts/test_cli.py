"""`leye-yiyang accounts create|list|revoke`: the token is printed once and works; a revoked
one does not; list never shows a secret."""

from __future__ import annotations

import datetime as dt

import pytest

from leye_yiyang.accounts import tokens
from leye_yiyang.cli import main
from leye_yiyang.db import Database
from leye_yiyang.errors import Unauthenticated
from tests.conftest import GEO


def test_create_list_revoke(
    edit_url: str,
    edit_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LEYE_DATABASE_URL", edit_url)
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    assert (
        main(
            ["accounts", "create", "--role", "civil_affairs", "--name", "区民政局", "--days", "30"]
        )
        == 0
    )
    printed = capsys.readouterr().out.splitlines()
    secret = printed[-1]
    token_id = int(printed[1].split()[1].rstrip(","))
    with edit_db.transaction() as session:
        assert tokens.authenticate(session, f"Bearer {secret}", tokens_now()).name == "区民政局"

    assert main(["accounts", "list"]) == 0
    listing = capsys.readouterr().out
    assert "区民政局" in listing
    assert secret not in listing

    assert main(["accounts", "revoke", str(token_id)]) == 0
    with edit_db.transaction() as session, pytest.raises(Unauthenticated):
        tokens.authenticate(session, f"Bearer {secret}", tokens_now())


def test_a_provider_account_needs_its_facility(
    edit_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEYE_DATABASE_URL", edit_url)
    monkeypatch.setenv("LEYE_GEO_DIR", str(GEO))
    assert main(["accounts", "create", "--role", "provider_staff", "--name", "食堂"]) == 1
    assert "scope_required" in capsys.readouterr().err


def tokens_now() -> dt.datetime:
    from leye_yiyang.accounts.service import now

    return now()
