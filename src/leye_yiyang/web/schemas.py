"""What the map page reads at start (`GET /map/config`): its basemap, its vocabularies, and how
fresh the directory is. A JSON endpoint rather than inline script, which the page's CSP forbids."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec


class Basemap(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    crs: Literal["wgs84", "gcj02"]
    attribution: str
    subdomains: str


class KindInfo(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label_zh: str


class Freshness(msgspec.Struct, frozen=True, kw_only=True):
    directory_version: int
    facilities: int
    latest_verified_at: dt.datetime | None
    oldest_verified_at: dt.datetime | None


class MapConfig(msgspec.Struct, frozen=True, kw_only=True):
    district_zh: str  # 亭湖区: the page's title names the district it serves
    district_en: str
    basemap: Basemap | None
    crs: Literal["wgs84", "gcj02"]  # the datum the page asks for and draws in
    kinds: list[KindInfo]
    modes: list[str]
    freshness: Freshness
    max_markers: int
    # The district's extent in `crs` (min_lon, min_lat, max_lon, max_lat): the page sets its
    # view from it and asks for boundaries and facilities at once.
    bounds: tuple[float, float, float, float] | None
