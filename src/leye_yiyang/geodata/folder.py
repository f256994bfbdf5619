"""Reading a geography folder and running every check on it (checks.py): what `leye-yiyang geo
check DIR` prints. A file that cannot be read or decoded is itself a problem; the checks that
need it are skipped rather than failing on it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from leye_yiyang.district import DISTRICT_FILE, District, DistrictFileError, decode_district
from leye_yiyang.geodata.checks import (
    LAYERS,
    PLACES,
    Area,
    Problem,
    check_codes,
    check_nesting,
    check_places,
    read_areas,
)

REQUIRED = (DISTRICT_FILE, *LAYERS, PLACES)


class Report(msgspec.Struct, frozen=True):
    problems: list[Problem]
    summary: str


def _read_json(path: Path) -> tuple[Any, Problem | None]:
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, Problem(path.name, "", f"cannot be read as UTF-8 JSON: {exc}")


def check_folder(geo_dir: Path) -> Report:
    geo_dir = Path(geo_dir)
    if not geo_dir.is_dir():
        return Report([Problem(str(geo_dir), "", "is not a directory")], "")
    problems = [
        Problem(name, "", "required file is missing")
        for name in REQUIRED
        if not (geo_dir / name).is_file()
    ]
    district: District | None = None
    if (geo_dir / DISTRICT_FILE).is_file():
        try:
            district = decode_district((geo_dir / DISTRICT_FILE).read_bytes(), DISTRICT_FILE)
        except DistrictFileError as exc:
            message = str(exc).removeprefix(f"{DISTRICT_FILE}: ")
            problems.append(Problem(DISTRICT_FILE, "", message))
    layers: dict[str, list[Area]] = {}
    for name in LAYERS:
        if not (geo_dir / name).is_file():
            continue
        data, unreadable = _read_json(geo_dir / name)
        if unreadable is not None:
            problems.append(unreadable)
            continue
        layers[name], found = read_areas(name, data)
        problems += found
    if len(layers.get("district.geojson", [None])) != 1:
        problems.append(Problem("district.geojson", "", "must hold exactly one feature"))
    if district is not None:
        problems += check_codes(district, layers)
    problems += check_nesting(layers)
    if (geo_dir / PLACES).is_file():
        data, unreadable = _read_json(geo_dir / PLACES)
        found = [unreadable] if unreadable else check_places(data, layers.get(LAYERS[2], []))
        problems += found
    return Report(problems, _summary(district, layers))


def _summary(district: District | None, layers: dict[str, list[Area]]) -> str:
    if district is None:
        return ""
    people = sum(int(a.props["population"]) for a in layers.get("district.geojson", []))
    return (
        f"{district.name_zh} {district.name_en} ({district.code}): "
        f"{len(layers.get(LAYERS[1], []))} 街道/镇, {len(layers.get(LAYERS[2], []))} 社区/村, "
        f"population {people:,}"
    )
