"""The district file: what the code knows of the district it serves comes from here, and a bad
file stops the start with a message that names the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from leye_yiyang.directory.validation import locate_in_district
from leye_yiyang.district import DistrictFileError, decode_district, read_district
from leye_yiyang.errors import Unprocessable
from leye_yiyang.geocode.gazetteer import normalize
from leye_yiyang.rules.fairness import find_violations
from leye_yiyang.settings import Settings, SettingsError
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from tests.conftest import GEO, TINGHU
from tests.second_district.conftest import LINAN_GEO

LINAN = read_district(LINAN_GEO)


def test_tinghus_file_says_what_the_code_used_to_hard_wire() -> None:
    assert (TINGHU.code, TINGHU.name_zh, TINGHU.name_en) == ("320902", "亭湖区", "Tinghu District")
    assert TINGHU.full_name == "江苏省盐城市亭湖区"
    assert TINGHU.service_buffer_m == 2000 and TINGHU.resident_seed == 680_000
    assert TINGHU.coverage_total_label == "合计 total"
    assert TINGHU.markers == ("盐城", "亭湖")
    # Longest first, the country always: "亭湖区" is stripped before "亭湖" could be.
    assert TINGHU.prefixes == (
        "中华人民共和国", "江苏省", "盐城市", "亭湖区", "江苏", "盐城", "亭湖", "中国",
    )  # fmt: skip


def test_short_forms_are_derived_when_the_file_lists_no_prefixes() -> None:
    district = decode_district(
        '{"code": "330112", "name_zh": "临安区", "name_en": "Lin\'an", "province": "浙江省",'
        ' "city": "杭州市"}'.encode()
    )
    assert district.local_names == ("浙江省", "浙江", "杭州市", "杭州", "临安区", "临安")
    assert set(district.prefixes) == {*district.local_names, "中国", "中华人民共和国"}
    assert district.service_buffer_m == 2000 and district.coverage_total_label == "合计 total"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{", "district.json: Input data was truncated"),
        (b'{"code": "3209"}', "Expected `str` matching regex"),
        ('{"code": "320902", "name_zh": "亭湖区"}'.encode(), "missing required field `name_en`"),
        (
            b'{"code": "320902", "name_zh": "xx", "name_en": "xx", "province": "xx", '
            b'"city": "yy", "colour": "red"}',
            "unknown field `colour`",
        ),
    ],
)
def test_a_bad_district_file_names_what_is_wrong(raw: bytes, fragment: str) -> None:
    with pytest.raises(DistrictFileError, match=r"district\.json") as caught:
        decode_district(raw)
    assert fragment in str(caught.value)


def test_a_folder_without_a_district_file_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "district.geojson").write_bytes((GEO / "district.geojson").read_bytes())
    with pytest.raises(SettingsError, match=r"district\.json: cannot be read"):
        Settings.from_env({"LEYE_GEO_DIR": str(tmp_path)})
    (tmp_path / "district.json").write_text('{"code": "320902"}')
    with pytest.raises(SettingsError, match="missing required field"):
        Settings.from_env({"LEYE_GEO_DIR": str(tmp_path)})


def test_the_geocoder_strips_each_districts_own_preamble_only() -> None:
    assert normalize("浙江省杭州市临安区锦城街道", LINAN.prefixes) == "锦城街道"
    assert normalize("江苏省盐城市亭湖区锦城街道", LINAN.prefixes) == "江苏省盐城市亭湖区锦城街道"
    assert normalize("江苏省盐城市亭湖区五星街道", TINGHU.prefixes) == "五星街道"
    assert normalize("中国临安锦城街道", LINAN.prefixes) == "锦城街道"


def test_a_hukou_restriction_is_caught_in_the_districts_own_names() -> None:
    [found] = find_violations(["限临安户籍"], LINAN.local_names)
    assert (found.category, found.matched_text) == ("hukou", "限临安户籍")
    [found] = find_violations(["杭州本地人优先"], LINAN.local_names)
    assert found.category == "hukou"
    [found] = find_violations(["限盐城籍"], TINGHU.local_names)
    assert found.category == "hukou"


def test_a_point_outside_is_refused_in_the_districts_name() -> None:
    locator = AreaLocator([], [])
    with pytest.raises(Unprocessable, match="outside the district") as caught:
        locate_in_district(locator, LonLat(116.4, 39.9), "lon", LINAN)
    assert "不在临安区范围内" in caught.value.zh
