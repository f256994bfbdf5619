"""Generate the project's *modelled* reference geography of 亭湖区 (see geo/README.md).

Run: .venv/bin/python geo/build_geo.py   (deterministic: byte-identical output on every run)
Writes geo/district.geojson, geo/subdistricts.geojson, geo/communities.geojson, geo/places.geojson
and asserts the tiling, population and place invariants on the files it wrote.
"""

from __future__ import annotations

# ruff: noqa: E402
import sys

sys.dont_write_bytecode = True  # write nothing but the four GeoJSON files (no __pycache__)

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from geo_checks import run_checks
from geo_data import (
    CHAOYANG,
    CHAOYANG_TOTAL,
    COMMUNITY_WORDS,
    CORE,
    DISTRICT,
    DIVISIONS,
    FIXED,
    MAIN_ANCHORS,
    NORTH_ANCHORS,
    OLD_ESTATES,
    PLACES,
    SEED,
    TARGET_AREA_KM2,
    TOTAL_POPULATION,
    URBAN_RADIUS_M,
    VILLAGE_PREFIXES,
    VILLAGE_SUFFIXES,
    Division,
    Place,
)
from geo_shapes import (
    Rng,
    blob,
    make_coverage,
    noisy_polygon,
    point_xy,
    tile,
    to_lonlat,
    tune_area,
    voronoi_tiles,
    xy_km2,
)
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

GEO_DIR = Path(__file__).resolve().parent

# kind -> (population draw range, share aged 60+, share aged 0-3); populations are rescaled later.
PROFILES: dict[str, tuple[tuple[int, int], tuple[float, float], tuple[float, float]]] = {
    "urban": ((3_500, 8_500), (0.21, 0.28), (0.022, 0.030)),
    "old": ((3_500, 6_500), (0.28, 0.32), (0.015, 0.022)),
    "suburban": ((3_000, 7_000), (0.24, 0.29), (0.020, 0.027)),
    "seat": ((3_500, 6_000), (0.25, 0.30), (0.018, 0.024)),
    "village": ((1_500, 3_300), (0.28, 0.33), (0.014, 0.020)),
}


@dataclass
class Unit:
    """A district, 街道/镇 or 社区/村 while it is being built (geometry in local-plane metres)."""

    code: str
    name: str
    level: str
    parent_code: str
    geom: BaseGeometry
    kind: str = ""  # population profile of a 社区/村: urban, old, suburban, seat or village
    population: int = 0
    population_60_plus: int = 0
    population_0_3: int = 0
    population_source: str = "modelled"
    children: list[Unit] = field(default_factory=list)


def build_outline(rng: Rng) -> tuple[Polygon, Polygon]:
    """The main outline and the separate northern piece, tuned to TARGET_AREA_KM2 together."""
    north = noisy_polygon(NORTH_ANCHORS, rng, max_vertices=12)
    main = noisy_polygon(MAIN_ANCHORS, rng, max_vertices=56)
    return tune_area(main, xy_km2(north), TARGET_AREA_KM2), north


def build_divisions(main: Polygon, north: Polygon, rng: Rng) -> list[Unit]:
    """Six urban 街道 tile an irregular urban zone round the core; the other eight tile the rest."""
    urban_zone = blob(point_xy(*CORE), URBAN_RADIUS_M, rng)
    assert main.buffer(-500.0).contains(urban_zone), "urban zone must lie well inside"
    rural = main.difference(urban_zone)
    urban_divs = [d for d in DIVISIONS if d.urban]
    outer_divs = [d for d in DIVISIONS if not d.urban]
    shapes: list[Polygon | MultiPolygon] = []
    for area, divs in ((urban_zone, urban_divs), (rural, outer_divs)):
        seeds = [point_xy(*d.seed) for d in divs]
        assert all(area.contains(s) for s in seeds), "a division seed lies outside its zone"
        shapes.extend(voronoi_tiles(area, seeds))
    order = [*urban_divs, *outer_divs]
    huangjian = next(i for i, d in enumerate(order) if d.name == "黄尖镇")
    shapes[huangjian] = MultiPolygon([shapes[huangjian], north])
    shapes = make_coverage(shapes)
    by_name = {d.name: s for d, s in zip(order, shapes, strict=True)}
    return [Unit(d.code, d.name, d.level, DISTRICT["code"], by_name[d.name]) for d in DIVISIONS]


class Names:
    """Deterministic, district-wide unique names for invented communities and villages."""

    def __init__(self, rng: Rng) -> None:
        taken = {f.name.removesuffix("社区").removesuffix("村") for f in FIXED}
        words = [w for w in COMMUNITY_WORDS if w not in taken]
        combos = [p + s for p in VILLAGE_PREFIXES for s in VILLAGE_SUFFIXES]
        combos = [c for c in combos if c not in taken and c not in words]
        order_c: list[int] = rng.permutation(len(words)).tolist()
        order_v: list[int] = rng.permutation(len(combos)).tolist()
        self._communities: Iterator[str] = iter([words[i] + "社区" for i in order_c])
        self._villages: Iterator[str] = iter([combos[i] + "村" for i in order_v])

    def community(self) -> str:
        return next(self._communities)

    def village(self) -> str:
        return next(self._villages)


def child_names(div: Division, names: Names) -> list[tuple[str, str]]:
    """(name, level) for a division's children: published names first, then invented ones."""
    fixed = [f for f in FIXED if f.parent == div.name]
    comms = [f.name for f in fixed if f.level == "community"]
    vills = [f.name for f in fixed if f.level == "village"]
    if div.level == "town":
        comms = [div.name.removesuffix("镇") + "社区"]  # the town seat
    comms += [names.community() for _ in range(div.communities - len(comms))]
    vills += [names.village() for _ in range(div.villages - len(vills))]
    return [(n, "community") for n in comms] + [(n, "village") for n in vills]


def child_kind(div: Division, name: str, level: str) -> str:
    if level == "village":
        return "village"
    if div.level == "town":
        return "seat"
    if not div.urban:
        return "suburban"
    return "old" if name in OLD_ESTATES else "urban"


def build_children(parent: Unit, div: Division, names: Names, rng: Rng) -> list[Unit]:
    """Tile a division; the cells nearest its seed become 社区, the outer ones 村."""
    assert isinstance(parent.geom, Polygon | MultiPolygon)
    cells = tile(parent.geom, div.communities + div.villages, rng)
    seed = point_xy(*div.seed)
    cells.sort(key=lambda c: c.distance(seed) + c.representative_point().distance(seed))
    units = []
    counters = {"community": 0, "village": 200}
    for cell, (name, level) in zip(cells, child_names(div, names), strict=True):
        counters[level] += 1
        code = parent.code[:9] + f"{counters[level]:03d}"
        kind = child_kind(div, name, level)
        units.append(Unit(code, name, level, parent.code, cell, kind=kind))
    return units


def largest_remainder(raw: np.ndarray, total: int) -> list[int]:
    """Integers proportional to `raw` that sum to exactly `total`."""
    exact = raw / raw.sum() * total
    ints = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - ints), kind="stable")[: total - int(ints.sum())]:
        ints[i] += 1
    return [int(v) for v in ints]


def assign_populations(units: list[Unit], rng: Rng) -> None:
    """Published figures where the domain notes give them; modelled draws scaled to the total."""
    raw = np.array([rng.uniform(*PROFILES[u.kind][0]) for u in units])
    published = {f.name: f.population for f in FIXED if f.population is not None}
    chaoyang = [i for i, u in enumerate(units) if u.name in CHAOYANG]
    pinned = [i for i, u in enumerate(units) if u.name in published]
    free = [i for i in range(len(units)) if i not in chaoyang and i not in pinned]
    for i in pinned:
        units[i].population = published[units[i].name]
        units[i].population_source = "published"
    for i, pop in zip(chaoyang, largest_remainder(raw[chaoyang], CHAOYANG_TOTAL), strict=True):
        units[i].population = pop
    rest = TOTAL_POPULATION - CHAOYANG_TOTAL - sum(published.values())
    for i, pop in zip(free, largest_remainder(raw[free], rest), strict=True):
        units[i].population = pop
    for u in units:
        _, aged, infants = PROFILES[u.kind]
        u.population_60_plus = round(u.population * rng.uniform(*aged))
        u.population_0_3 = round(u.population * rng.uniform(*infants))


def roll_up(parent: Unit) -> None:
    for attr in ("population", "population_60_plus", "population_0_3"):
        setattr(parent, attr, sum(getattr(c, attr) for c in parent.children))


def locate(place: Place, area: BaseGeometry, communities: list[Unit]) -> Point:
    """The place's modelled point, moved just inside `area` (and off community borders)."""
    p = point_xy(place.lon, place.lat)
    inner = area.buffer(-60.0)
    if not inner.contains(p):
        p = nearest_points(inner, p)[0]
    home = next(c for c in communities if c.geom.contains(p))
    if home.geom.exterior.distance(p) < 25.0:
        p = nearest_points(home.geom.buffer(-25.0), p)[0]
    return p


def office_places(divisions: list[Unit]) -> list[Place]:
    """A seat point (街道办事处 / 镇人民政府) per division, inside its first (central) community."""
    out = []
    for div, unit in zip(DIVISIONS, divisions, strict=True):
        short = div.name.removesuffix("街道").removesuffix("镇")
        if div.level == "town":
            name, alias = f"{div.name}人民政府", f"{short}镇政府"
        else:
            name, alias = f"{div.name}办事处", f"{short}街道办"
        out.append(Place(name, "landmark", (alias,), *div.seed, unit.children[0].name))
    return out


def place_features(divisions: list[Unit]) -> list[dict[str, Any]]:
    communities = [c for d in divisions for c in d.children]
    areas: dict[str, BaseGeometry] = {u.name: u.geom for u in [*divisions, *communities]}
    feats = []
    for place in [*PLACES, *office_places(divisions)]:
        p = locate(place, areas[place.within], communities)
        home = next(c for c in communities if c.geom.contains(p))
        props = {"name": place.name, "kind": place.kind, "aliases": list(place.aliases)}
        feats.append(feature({**props, "area_code": home.code}, to_lonlat(p)))
    return feats


def feature(props: dict[str, Any], geom_ll: BaseGeometry) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom_ll)}


def unit_feature(u: Unit, *, extra: bool = True) -> dict[str, Any]:
    props: dict[str, Any] = {
        "code": u.code,
        "name": u.name,
        "level": u.level,
        "parent_code": u.parent_code,
        "population": u.population,
        "population_60_plus": u.population_60_plus,
        "population_0_3": u.population_0_3,
    }
    if extra:
        props["modelled"] = True
    if u.level in ("community", "village"):
        props["population_source"] = u.population_source
    return feature(props, to_lonlat(u.geom))


def write_collection(name: str, features: list[dict[str, Any]]) -> None:
    """One feature per line: compact, yet diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    (GEO_DIR / name).write_text(text, encoding="utf-8")


def build() -> None:
    rng = np.random.default_rng(SEED)
    main, north = build_outline(rng)
    district = Unit(
        DISTRICT["code"],
        DISTRICT["name"],
        "district",
        DISTRICT["parent_code"],
        MultiPolygon([main, north]),
    )
    divisions = build_divisions(main, north, rng)
    names = Names(rng)
    for div, unit in zip(DIVISIONS, divisions, strict=True):
        unit.children = build_children(unit, div, names, rng)
    communities = [c for d in divisions for c in d.children]
    for c, geom in zip(communities, make_coverage([c.geom for c in communities]), strict=True):
        c.geom = geom
    assign_populations(communities, rng)
    for unit in divisions:
        roll_up(unit)
    district.children = divisions
    roll_up(district)
    write_collection("district.geojson", [unit_feature(district, extra=False)])
    write_collection("subdistricts.geojson", [unit_feature(u) for u in divisions])
    write_collection("communities.geojson", [unit_feature(c) for c in communities])
    write_collection("places.geojson", place_features(divisions))


if __name__ == "__main__":
    build()
    run_checks(GEO_DIR)
