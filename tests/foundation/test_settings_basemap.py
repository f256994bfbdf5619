"""The map's optional basemap is configured from the environment and checked at start."""

from __future__ import annotations

import pytest

from leye_yiyang.settings import Settings, SettingsError

TILES = "https://tiles.example.cn/{z}/{x}/{y}.png"


def test_no_basemap_by_default() -> None:
    s = Settings.from_env({})
    assert (s.basemap_url, s.basemap_crs) == ("", "wgs84")


def test_a_gcj02_basemap_is_read_with_its_attribution() -> None:
    s = Settings.from_env(
        {
            "LEYE_BASEMAP_URL": TILES,
            "LEYE_BASEMAP_CRS": "GCJ02",
            "LEYE_BASEMAP_ATTRIBUTION": "© 某图源",
            "LEYE_BASEMAP_SUBDOMAINS": "0123",
        }
    )
    assert (s.basemap_url, s.basemap_crs, s.basemap_attribution) == (TILES, "gcj02", "© 某图源")
    assert s.basemap_subdomains == "0123"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"LEYE_BASEMAP_CRS": "bd09"}, "LEYE_BASEMAP_CRS must be wgs84 or gcj02"),
        ({"LEYE_BASEMAP_URL": "ftp://x/{z}/{x}/{y}"}, "LEYE_BASEMAP_URL must be an http"),
        ({"LEYE_BASEMAP_URL": "https://tiles.example.cn/tile.png"}, "with {z}, {x} and {y}"),
    ],
)
def test_a_bad_basemap_setting_is_refused_with_the_variable_named(
    env: dict[str, str], fragment: str
) -> None:
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env(env)
