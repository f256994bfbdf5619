"""Specification of the gazetteer: what is in it, and how text is normalised before matching."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from tests.conftest import TINGHU

from leye_yiyang.geocode.gazetteer import (
    Entry,
    core_name,
    display_address,
    entries_from_geojson,
    facility_entry,
    normalize,
    surface_forms,
)

Collections = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]

# --- normalize ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("江苏省盐城市亭湖区毓龙街道桥东社区", "毓龙街道桥东社区"),
        ("中国江苏盐城亭湖五星街道", "五星街道"),
        ("盐城市亭湖区 解放南路 ８８号", "解放南路88号"),
        ("毓龙街道·桥东社区（居委会）", "毓龙街道桥东社区"),
        ("桥东社区居委会", "桥东社区"),
        ("桥东居民委员会", "桥东社区"),
        ("利民村村委会", "利民村"),
        ("利民村民委员会", "利民村"),
        ("Ｇ２０４", "g204"),
        # The preamble alone names nothing; but 盐城站 is not "站".
        ("江苏省盐城市亭湖区", ""),
        ("盐城站", "盐城站"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text, TINGHU.prefixes) == expected


def to_full_width(text: str) -> str:
    """The full-width forms a Chinese IME produces for ASCII (and U+3000 for the space)."""
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text, TINGHU.prefixes)
    assert normalize(once, TINGHU.prefixes) == once


@given(st.text(alphabet=st.one_of(ASCII, CJK, st.sampled_from("号路街道社区村镇"))))
def test_full_width_and_half_width_normalize_equally(text: str) -> None:
    assert normalize(to_full_width(text), TINGHU.prefixes) == normalize(text, TINGHU.prefixes)


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("五星街道", "五星"),
        ("南洋镇", "南洋"),
        ("桥东社区", "桥东"),
        ("利民村", "利民"),
        ("万户新村", None),  # 新村 is an estate word, not the 村 suffix
        ("新村", None),  # too short once stripped
        ("解放南路", None),
    ],
)
def test_core_name_drops_only_administrative_suffixes(name: str, core: str | None) -> None:
    assert core_name(name) == core


# --- the gazetteer built from geo/ --------------------------------------------------------------


def test_every_area_and_place_is_an_entry_with_a_unique_key(
    collections: Collections, entries: list[Entry]
) -> None:
    subdistricts, communities, places = collections
    expected = sum(len(fc["features"]) for fc in (subdistricts, communities, places))
    assert len(entries) == expected
    assert len({e.key for e in entries}) == len(entries)
    area_names = [e.name for e in entries if e.key.startswith("area:")]
    assert len(set(area_names)) == len(area_names), "area names are expected to be unique"


def test_area_points_lie_inside_their_polygons(
    entries: list[Entry], polygons: dict[str, BaseGeometry]
) -> None:
    areas = [e for e in entries if e.key.startswith("area:")]
    assert len(areas) == 188  # 街道/镇 and 社区/村 of the demo geography
    for e in areas:
        assert e.area_code is not None
        assert polygons[e.area_code].contains(Point(e.point)), e.name


def test_parents_come_from_parent_codes(by_name: dict[str, list[Entry]]) -> None:
    [qiaodong] = by_name["桥东社区"]
    assert (qiaodong.kind, qiaodong.parents) == ("community", ("毓龙街道",))
    assert qiaodong.key == f"area:{qiaodong.area_code}"
    [wuxing] = by_name["五星街道"]
    assert (wuxing.kind, wuxing.parents) == ("subdistrict", ())
    [xinchang] = by_name["新场村"]
    assert (xinchang.kind, xinchang.parents) == ("village", ("新兴镇",))
    assert by_name["南洋镇"][0].kind == "town"


def test_places_carry_aliases_and_the_chain_of_their_area(
    by_name: dict[str, list[Entry]],
) -> None:
    [road] = by_name["解放南路"]
    assert (road.key, road.kind) == ("place:解放南路", "road")
    assert "解放路" in road.aliases
    assert len(road.parents) == 2  # its 街道/镇, then its 社区/村
    assert road.parents[-1] in by_name
    assert by_name[road.parents[-1]][0].area_code == road.area_code


def test_surface_forms_of_an_area_include_the_suffixless_core(
    by_name: dict[str, list[Entry]],
) -> None:
    forms = {(f.text, f.kind) for f in surface_forms(by_name["五星街道"][0], TINGHU.prefixes)}
    assert forms == {("五星街道", "name"), ("五星", "core")}


def test_struct_feature_collections_are_accepted_too(collections: Collections) -> None:
    class FC(msgspec.Struct):
        type: str
        features: list[dict[str, Any]]

    structs = [FC(**fc) for fc in collections]
    assert entries_from_geojson(*structs) == entries_from_geojson(*collections)


def test_facility_entry() -> None:
    e = facility_entry(
        123, "乐龄助餐点", "盐城市亭湖区解放南路88号", 120.1, 33.4, "x", ["文峰街道"]
    )
    assert e == Entry(
        key="facility:123",
        name="乐龄助餐点",
        kind="facility",
        point=(120.1, 33.4),
        area_code="x",
        parents=("文峰街道",),
        address="盐城市亭湖区解放南路88号",
    )
    assert display_address(e) == e.address
    assert ("解放南路88号", "address") in {
        (f.text, f.kind) for f in surface_forms(e, TINGHU.prefixes)
    }


def test_display_address_of_an_area(by_name: dict[str, list[Entry]]) -> None:
    entry = by_name["桥东社区"][0]
    assert display_address(entry, TINGHU.full_name) == "江苏省盐城市亭湖区毓龙街道桥东社区"
