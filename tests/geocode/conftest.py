"""The gazetteer built from the real generated geography in geo/, shared by the geocode tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from tests.conftest import TINGHU

from leye_yiyang.geocode.gazetteer import Entry, entries_from_geojson
from leye_yiyang.geocode.geocoder import OfflineGeocoder

GEO = Path(__file__).resolve().parents[2] / "geo"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def collections() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return _load("subdistricts"), _load("communities"), _load("places")


@pytest.fixture(scope="session")
def entries(collections: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> list[Entry]:
    return entries_from_geojson(*collections)


@pytest.fixture(scope="session")
def geocoder(entries: list[Entry]) -> OfflineGeocoder:
    return tinghu_geocoder(entries)


def tinghu_geocoder(entries: list[Entry]) -> OfflineGeocoder:
    """A geocoder that strips Tinghu's address preamble, as the app builds it from geo/."""
    return OfflineGeocoder(entries, prefixes=TINGHU.prefixes, preamble=TINGHU.full_name)


@pytest.fixture(scope="session")
def polygons(
    collections: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> dict[str, BaseGeometry]:
    """Area code → polygon, for 街道/镇 and 社区/村 alike."""
    subdistricts, communities, _ = collections
    return {
        str(f["properties"]["code"]): shape(f["geometry"])
        for f in [*subdistricts["features"], *communities["features"]]
    }


@pytest.fixture(scope="session")
def by_name(entries: list[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.name, []).append(e)
    return out


@pytest.fixture(scope="session")
def area_code_of(entries: list[Entry]) -> dict[str, str]:
    """Area name → code (areas only; names of 街道/镇 and 社区/村 are unique in the data)."""
    return {e.name: e.area_code for e in entries if e.key.startswith("area:") and e.area_code}
