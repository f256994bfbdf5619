"""Outside the demo the server refuses to start without well-formed keys for residents' data."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leye_yiyang.app import keyring_for
from leye_yiyang.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


def test_without_keys_only_the_demo_starts() -> None:
    assert keyring_for(Settings(demo=True)).active == "demo"
    with pytest.raises(SettingsError, match="LEYE_DATA_KEYS"):
        keyring_for(Settings(demo=False))


def test_a_malformed_key_names_the_setting_not_the_key() -> None:
    with pytest.raises(SettingsError, match=r"LEYE_DATA_KEYS\[k1\]") as info:
        keyring_for(Settings(demo=False, data_keys="k1:c2hvcnQ", lookup_key=KEY))
    assert "c2hvcnQ" not in str(info.value)
    assert keyring_for(Settings(demo=False, data_keys=f"k1:{KEY}", lookup_key=KEY)).active == "k1"


def test_serve_exits_2_outside_the_demo_without_keys(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LEYE_DEMO", "LEYE_DATA_KEYS")} | {
        "LEYE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "LEYE_GEO_DIR": str(ROOT / "geo"),
    }
    cli = Path(sys.executable).with_name("leye-yiyang")
    done = subprocess.run(
        [str(cli), "serve"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "LEYE_DATA_KEYS" in done.stderr
