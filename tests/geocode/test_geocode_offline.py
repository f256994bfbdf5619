"""Specification of the offline geocoder on the real generated geography of 亭湖区."""

from __future__ import annotations

from collections import Counter

import pytest
from geopy.location import Location
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from tests.geocode.conftest import tinghu_geocoder

from leye_yiyang.geocode.gazetteer import Entry, facility_entry
from leye_yiyang.geocode.geocoder import MAX_QUERY_LEN, OfflineGeocoder, Resolution


def found(geocoder: OfflineGeocoder, query: str) -> Resolution:
    r = geocoder.resolve(query)
    assert r.status == "found", (query, r)
    assert r.best is not None
    assert r.candidates[0] == r.best
    return r


def inside(point: tuple[float, float], polygon: BaseGeometry) -> bool:
    return bool(polygon.contains(Point(point)))


# --- the queries social workers and residents actually type --------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "parent", "matched"),
    [
        ("五星街道万户新村", "万户新村", "五星街道", "五星街道 › 万户新村"),
        ("毓龙街道桥东社区", "桥东社区", "毓龙街道", "毓龙街道 › 桥东社区"),
        ("江苏省盐城市亭湖区毓龙街道桥东社区", "桥东社区", "毓龙街道", "毓龙街道 › 桥东社区"),
        ("毓龙桥东", "桥东社区", "毓龙街道", "毓龙街道 › 桥东社区"),
        ("亭湖区南洋镇利民村", "利民村", "南洋镇", "南洋镇 › 利民村"),
        ("南洋镇利民村", "利民村", "南洋镇", "南洋镇 › 利民村"),
        ("盐城市亭湖区新兴镇新场村", "新场村", "新兴镇", "新兴镇 › 新场村"),
        ("新场村", "新场村", "新兴镇", "新场村"),
        ("桥东居委会", "桥东社区", "毓龙街道", "桥东社区"),
        ("利民村村委会", "利民村", "南洋镇", "利民村"),
    ],
)
def test_area_queries_find_the_area_inside_its_polygon_and_its_parents(
    geocoder: OfflineGeocoder,
    polygons: dict[str, BaseGeometry],
    area_code_of: dict[str, str],
    query: str,
    name: str,
    parent: str,
    matched: str,
) -> None:
    best = found(geocoder, query).best
    assert best is not None
    assert (best.name, best.key) == (name, f"area:{area_code_of[name]}")
    assert best.matched == matched
    assert best.unresolved == ""
    assert inside(best.point, polygons[area_code_of[name]])
    assert inside(best.point, polygons[area_code_of[parent]])


def test_a_subdistrict_is_found_without_its_suffix(
    geocoder: OfflineGeocoder, polygons: dict[str, BaseGeometry], area_code_of: dict[str, str]
) -> None:
    best = found(geocoder, "五星").best
    assert best is not None
    assert (best.name, best.kind) == ("五星街道", "subdistrict")
    assert inside(best.point, polygons[area_code_of["五星街道"]])


def test_a_bare_town_name_means_the_town_not_its_seat_community(geocoder: OfflineGeocoder) -> None:
    # 南洋社区 lies inside 南洋镇: one answer at two sizes, not an ambiguity.
    best = found(geocoder, "南洋").best
    assert best is not None
    assert best.name == "南洋镇"


def test_a_road(geocoder: OfflineGeocoder, by_name: dict[str, list[Entry]]) -> None:
    best = found(geocoder, "解放南路").best
    assert best is not None
    assert (best.key, best.kind, best.score, best.unresolved) == ("place:解放南路", "road", 1.0, "")
    assert best.point == by_name["解放南路"][0].point


def test_a_house_number_is_reported_as_unresolved_not_ignored(geocoder: OfflineGeocoder) -> None:
    best = found(geocoder, "解放南路88号").best
    assert best is not None
    assert best.key == "place:解放南路"
    assert best.unresolved == "88号"
    assert 0.5 < best.score < 1.0


@pytest.mark.parametrize(
    ("query", "name", "unresolved"),
    [
        ("利民村五组", "利民村", "五组"),
        ("毓龙路33号3栋2单元", "毓龙路", "33号3栋2单元"),
        ("桥东社区养老院", "桥东社区", "养老院"),
        ("大洋湾附近", "大洋湾", "附近"),
    ],
)
def test_village_groups_building_numbers_and_service_words_are_detail(
    geocoder: OfflineGeocoder, query: str, name: str, unresolved: str
) -> None:
    best = found(geocoder, query).best
    assert best is not None
    assert (best.name, best.unresolved) == (name, unresolved)


def test_a_partial_name_is_a_near_match(geocoder: OfflineGeocoder) -> None:
    best = found(geocoder, "枯枝牡丹").best
    assert best is not None
    assert "枯枝牡丹" in best.name
    assert "近似" in best.matched
    assert best.score < 0.88  # below any exact alias


@pytest.mark.parametrize("query", ["五星路", "毓龙巷"])
def test_a_core_that_runs_on_into_an_unknown_name_is_not_that_area(
    geocoder: OfflineGeocoder, query: str
) -> None:
    # "五星路" is some road we do not know, not 五星街道 with "路" left over.
    assert geocoder.resolve(query).status == "not_found"


@pytest.mark.parametrize(
    ("half", "full"),
    [
        ("解放南路88号", "解放南路８８号"),
        ("毓龙街道桥东社区", "毓龙街道　桥东社区"),
        ("G204", "Ｇ２０４"),
        ("五星街道万户新村", " 五星街道，万户新村。"),
    ],
)
def test_full_width_and_punctuated_variants_resolve_identically(
    geocoder: OfflineGeocoder, half: str, full: str
) -> None:
    a, b = found(geocoder, half), found(geocoder, full)
    assert a.normalized == b.normalized
    assert a.best == b.best


# --- scoring order ----------------------------------------------------------------------------


def test_exact_beats_suffixless_beats_alias_beats_near_match() -> None:
    geocoder = OfflineGeocoder(
        [
            Entry("area:1", "毓龙街道", "subdistrict", (120.10, 33.39), "1"),
            Entry(
                "place:宝瓶湖公园", "宝瓶湖公园", "landmark", (120.15, 33.42), aliases=("宝瓶湖",)
            ),
        ]
    )
    scores = [
        found(geocoder, q).best.score  # type: ignore[union-attr]
        for q in ("毓龙街道", "毓龙", "宝瓶湖", "宝瓶湖公")
    ]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert scores[0] == 1.0


SYNTHETIC_NEW_VILLAGES = ("五星街道", "文峰街道")


@pytest.fixture(scope="module")
def with_two_xincun(
    entries: list[Entry], polygons: dict[str, BaseGeometry], area_code_of: dict[str, str]
) -> OfflineGeocoder:
    """Two communities both called 新村, one under each of two 街道."""
    extra = []
    for i, parent in enumerate(SYNTHETIC_NEW_VILLAGES):
        p = polygons[area_code_of[parent]].representative_point()
        code = f"{area_code_of[parent][:9]}9{i}9"
        extra.append(
            Entry(
                key=f"area:{code}",
                name="新村",
                kind="community",
                point=(p.x, p.y),
                area_code=code,
                parents=(parent,),
            )
        )
    return tinghu_geocoder([*entries, *extra])


def test_a_same_named_child_is_ambiguous_alone(with_two_xincun: OfflineGeocoder) -> None:
    r = with_two_xincun.resolve("新村")
    assert r.status == "ambiguous"
    assert r.best is None
    top_two = {c.key for c in r.candidates[:2]}
    assert len(top_two) == 2
    assert all(c.name == "新村" for c in r.candidates[:2])


@pytest.mark.parametrize("parent", SYNTHETIC_NEW_VILLAGES)
@pytest.mark.parametrize("form", ["{p}新村", "{core}新村"])
def test_the_parent_in_the_query_picks_the_child(
    with_two_xincun: OfflineGeocoder, area_code_of: dict[str, str], parent: str, form: str
) -> None:
    query = form.format(p=parent, core=parent.removesuffix("街道"))
    best = found(with_two_xincun, query).best
    assert best is not None
    assert best.name == "新村"
    assert best.area_code is not None
    assert best.area_code.startswith(area_code_of[parent][:9])


def test_an_alias_shared_by_places_far_apart_is_ambiguous(
    geocoder: OfflineGeocoder, entries: list[Entry]
) -> None:
    shared = Counter(a for e in entries for a in e.aliases)
    alias, count = shared.most_common(1)[0]
    assert count >= 2, "the data no longer has a shared alias (e.g. 解放路 for 解放南路/北路)"
    r = geocoder.resolve(alias)
    assert r.status == "ambiguous"
    assert len(r.candidates) >= 2
    assert {e.key for e in entries if alias in e.aliases} <= {c.key for c in r.candidates}
    ranked = [c.score for c in r.candidates]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize(
    "query",
    ["火星基地", "", "   ", "！？。", "亭湖区", "江苏省盐城市", "x", "五" * (MAX_QUERY_LEN + 1)],
)
def test_unknown_empty_noise_or_too_long_is_not_found(
    geocoder: OfflineGeocoder, query: str
) -> None:
    r = geocoder.resolve(query)
    assert (r.status, r.best, r.candidates) == ("not_found", None, [])


# --- the whole gazetteer ------------------------------------------------------------------------


def test_every_area_is_found_by_parent_and_name_inside_its_polygon(
    geocoder: OfflineGeocoder, entries: list[Entry], polygons: dict[str, BaseGeometry]
) -> None:
    areas = [e for e in entries if e.key.startswith("area:")]
    assert len(areas) == 188
    for e in areas:
        best = found(geocoder, "".join(e.parents) + e.name).best
        assert best is not None
        assert best.key == e.key, (e.name, best)
        assert e.area_code is not None
        assert inside(best.point, polygons[e.area_code])


def test_every_place_is_found_by_name_inside_its_area(
    geocoder: OfflineGeocoder, entries: list[Entry], polygons: dict[str, BaseGeometry]
) -> None:
    places = [e for e in entries if e.key.startswith("place:")]
    assert len(places) == 52
    for e in places:
        r = geocoder.resolve(e.name)
        assert r.status == "found", (e.name, r)
        assert r.best is not None
        assert e.area_code is not None
        # An estate named like its community (万户新村) may answer as the community: same place.
        assert r.best.key == e.key or r.best.area_code == e.area_code, (e.name, r.best)
        assert inside(r.best.point, polygons[e.area_code])


# --- facilities ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_facility(entries: list[Entry], by_name: dict[str, list[Entry]]) -> OfflineGeocoder:
    road = by_name["解放南路"][0]
    home = facility_entry(
        7,
        "亭湖区乐龄居家养老服务中心",
        "盐城市亭湖区解放南路88号",
        road.point[0] + 0.002,
        road.point[1],
        road.area_code,
        road.parents,
    )
    return tinghu_geocoder([*entries, home])


@pytest.mark.parametrize(
    "query",
    [
        "亭湖区乐龄居家养老服务中心",
        "乐龄居家养老服务中心",
        "解放南路88号",
        "盐城市亭湖区解放南路88号",
    ],
)
def test_a_facility_is_found_by_name_or_address(with_facility: OfflineGeocoder, query: str) -> None:
    best = found(with_facility, query).best
    assert best is not None
    assert (best.key, best.kind, best.unresolved) == ("facility:7", "facility", "")


def test_the_bare_road_still_means_the_road(with_facility: OfflineGeocoder) -> None:
    best = found(with_facility, "解放南路").best
    assert best is not None
    assert best.key == "place:解放南路"


# --- geopy's interface -----------------------------------------------------------------------


def test_geopy_geocode_returns_a_location_latitude_first(geocoder: OfflineGeocoder) -> None:
    best = found(geocoder, "毓龙街道桥东社区").best
    assert best is not None
    location = geocoder.geocode("毓龙街道桥东社区")
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == (best.point[1], best.point[0])
    assert location.point.latitude == best.point[1]
    assert location.raw["key"] == best.key
    assert location.raw["matched"] == "毓龙街道 › 桥东社区"
    assert "毓龙街道" in location.address
    assert "桥东社区" in location.address


def test_geopy_geocode_many_none_and_ambiguous(geocoder: OfflineGeocoder) -> None:
    assert geocoder.geocode("火星基地") is None
    r = geocoder.resolve("解放路")
    many = geocoder.geocode("解放路", exactly_one=False)
    assert isinstance(many, list)
    assert [loc.raw["key"] for loc in many] == [c.key for c in r.candidates]
    one = geocoder.geocode("解放路")
    assert isinstance(one, Location)
    assert one.raw["key"] == r.candidates[0].key
