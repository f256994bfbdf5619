"""`leye-yiyang geo check DIR`: a district folder is validated before anyone adopts it. Both real
folders pass; each deliberately broken copy of the small one is refused, the problem named."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leye_yiyang.cli import main
from leye_yiyang.geodata.folder import check_folder
from tests.conftest import GEO
from tests.second_district.conftest import LINAN_GEO

Edit = Callable[[Path], None]


def test_the_tinghu_folder_passes_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "check", str(GEO)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "亭湖区" in out and "320902" in out
    assert "14 街道/镇, 174 社区/村, population 680,000" in out


def test_the_second_district_passes() -> None:
    report = check_folder(LINAN_GEO)
    assert report.problems == []
    assert report.summary == (
        "临安区 Lin'an District (330112): 3 街道/镇, 9 社区/村, population 96,000"
    )


def layer(folder: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / name).read_text(encoding="utf-8"))
    return data


def save(folder: Path, name: str, data: Any) -> None:
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def edit_feature(name: str, code: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    def apply(folder: Path) -> None:
        data = layer(folder, name)
        [feature] = [f for f in data["features"] if f["properties"].get("code") == code]
        change(feature)
        save(folder, name, data)

    return apply


def remove(name: str) -> Edit:
    return lambda folder: (folder / name).unlink()


def set_crs(folder: Path) -> None:
    data = layer(folder, "communities.geojson")
    data["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    save(folder, "communities.geojson", data)


def swap(feature: dict[str, Any]) -> None:
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"][0] = [[lat, lon] for lon, lat in ring]


def open_ring(feature: dict[str, Any]) -> None:
    feature["geometry"]["coordinates"][0].pop()


def bowtie(feature: dict[str, Any]) -> None:
    ring = feature["geometry"]["coordinates"][0]
    ring[1], ring[2] = ring[2], ring[1]


def shift_east(feature: dict[str, Any]) -> None:
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"][0] = [[lon + 0.05, lat] for lon, lat in ring]


def setter(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda feature: feature["properties"].__setitem__(key, value)


def district_file(**changes: Any) -> Edit:
    def apply(folder: Path) -> None:
        data = json.loads((folder / "district.json").read_text(encoding="utf-8"))
        data.update(changes)
        for key in [k for k, v in changes.items() if v is None]:
            del data[key]
        (folder / "district.json").write_text(json.dumps(data, ensure_ascii=False))

    return apply


SHIJING = "330112001001"  # 石镜社区, in 锦城街道
BROKEN: dict[str, tuple[Edit, str]] = {
    "missing places": (remove("places.geojson"), "places.geojson: required file is missing"),
    "missing district file": (remove("district.json"), "district.json: required file is missing"),
    "projected crs": (set_crs, "communities.geojson: declares CRS 'EPSG:3857'"),
    "swapped lon/lat": (
        edit_feature("communities.geojson", SHIJING, swap),
        "communities.geojson: 330112001001 石镜社区: position [30.",
    ),
    "unclosed ring": (
        edit_feature("communities.geojson", SHIJING, open_ring),
        "330112001001 石镜社区: a ring is not closed",
    ),
    "self-intersection": (
        edit_feature("communities.geojson", SHIJING, bowtie),
        "330112001001 石镜社区: invalid polygon: Self-intersection",
    ),
    "child outside parent": (
        edit_feature("communities.geojson", SHIJING, shift_east),
        "330112001001 石镜社区: extends",
    ),
    "parent left uncovered": (
        edit_feature("communities.geojson", SHIJING, shift_east),
        "subdistricts.geojson: 330112001000 锦城街道: ",
    ),
    "bad code": (
        edit_feature("communities.geojson", SHIJING, setter("code", "33011200100X")),
        "33011200100X 石镜社区: code must be 12 digits",
    ),
    "unknown parent": (
        edit_feature("communities.geojson", SHIJING, setter("parent_code", "330112009000")),
        "parent_code '330112009000' is unknown",
    ),
    "population sum": (
        edit_feature("communities.geojson", SHIJING, setter("population", 14_000)),
        "330112001000 锦城街道: population is 53,000 but its 4 children sum to 52,200",
    ),
    "wrong level": (
        edit_feature("subdistricts.geojson", "330112002000", setter("level", "village")),
        "330112002000 锦北街道: level 'village': expected subdistrict or town",
    ),
    "district code differs": (
        district_file(code="330110"),
        "district.geojson: 330112 临安区: code differs from district.json's '330110'",
    ),
    "district file field missing": (
        district_file(name_zh=None),
        "district.json: Object missing required field `name_zh`",
    ),
    "district file field wrong": (
        district_file(service_buffer_m=-5),
        "district.json: Expected `float` >= 0.0 - at `$.service_buffer_m`",
    ),
    "place outside its area": (
        lambda folder: _move_place(folder, "玲珑山", (119.70, 30.27)),
        "places.geojson: 玲珑山: lies outside its area 330112003001 玲珑社区",
    ),
}


def _move_place(folder: Path, name: str, lonlat: tuple[float, float]) -> None:
    data = layer(folder, "places.geojson")
    [feature] = [f for f in data["features"] if f["properties"]["name"] == name]
    feature["geometry"]["coordinates"] = list(lonlat)
    save(folder, "places.geojson", data)


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_folder_is_refused_with_the_problem_named(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "geo"
    shutil.copytree(LINAN_GEO, folder)
    edit, expected = BROKEN[case]
    edit(folder)
    assert main(["geo", "check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert "problem(s)" in err.splitlines()[-1]


def test_a_folder_that_is_not_there_is_one_clear_problem(tmp_path: Path) -> None:
    report = check_folder(tmp_path / "nowhere")
    assert [str(p) for p in report.problems] == [f"{tmp_path / 'nowhere'}: is not a directory"]
