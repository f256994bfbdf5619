"""Geometry helpers for build_geo.py: all shape work happens in metres on a local plane.

The plane is an equidistant cylindrical projection centred on the urban core (120.131E, 33.385N)
on a sphere of the local Gaussian mean radius: an *affine* map of lon/lat, so an edge that is
straight in metres is straight in the output too, and a vertex that lies on a neighbour's edge
stays on it (up to the 6-decimal rounding). Scale error is below 0.6% over the district; every
area reported or asserted is geodesic (WGS-84 ellipsoid), never planar.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

# sqrt(M * N) of WGS-84 at 33.385N is 6,369,670 m.
PROJECTED_CRS = "+proj=eqc +lat_ts=33.385 +lat_0=33.385 +lon_0=120.131 +R=6369670 +units=m +no_defs"
_TO_XY = Transformer.from_crs("EPSG:4326", PROJECTED_CRS, always_xy=True)
_TO_LL = Transformer.from_crs(PROJECTED_CRS, "EPSG:4326", always_xy=True)
_GEOD = Geod(ellps="WGS84")
Rng = np.random.Generator


def _apply(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, move)


def to_xy(geom: BaseGeometry) -> BaseGeometry:
    return _apply(geom, _TO_XY)


def _round6(coords: np.ndarray) -> np.ndarray:
    # Python's round() is correctly rounded, so the JSON shows at most 6 decimals.
    return np.array([[round(float(x), 6), round(float(y), 6)] for x, y in coords])


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """Project back to WGS-84, round to 6 decimals (~0.1 m) and orient exteriors CCW (RFC 7946)."""
    ll = shapely.transform(_apply(geom, _TO_LL), _round6)
    return shapely.orient_polygons(shapely.remove_repeated_points(ll), exterior_cw=False)


def point_xy(lon: float, lat: float) -> Point:
    x, y = _TO_XY.transform(lon, lat)
    return Point(x, y)


def geodesic_km2(geom_ll: BaseGeometry) -> float:
    """Geodesic area on the WGS-84 ellipsoid; positive for CCW exteriors."""
    area, _ = _GEOD.geometry_area_perimeter(geom_ll)
    return float(area) / 1e6


def xy_km2(geom_xy: BaseGeometry) -> float:
    return geodesic_km2(to_lonlat(geom_xy))


def _smoothed_noise(rng: Rng, n: int, half_width: int) -> np.ndarray:
    """Gaussian noise on a ring, box-smoothed over 2 * half_width + 1 neighbours."""
    noise = rng.normal(0.0, 1.0, n)
    total = np.zeros(n)
    for k in range(-half_width, half_width + 1):
        total += np.roll(noise, k)
    return total / (2 * half_width + 1)


def noisy_polygon(anchors: Sequence[tuple[float, float]], rng: Rng, max_vertices: int) -> Polygon:
    """A hand-drawn lon/lat vertex list, made irregular: densified, wobbled along the local
    normal with smoothed noise, Chaikin-smoothed once, then simplified to <= max_vertices."""
    xy = np.array([_TO_XY.transform(lon, lat) for lon, lat in anchors])
    dense: list[np.ndarray] = []
    for a, b in zip(xy, np.roll(xy, -1, axis=0), strict=True):
        steps = max(2, int(np.hypot(*(b - a)) // 900.0))
        dense.extend(a + (b - a) * t for t in np.arange(steps) / steps)
    pts = np.array(dense)
    tangent = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
    normal = np.column_stack([tangent[:, 1], -tangent[:, 0]])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    offset = _smoothed_noise(rng, len(pts), 1) * 350.0 + _smoothed_noise(rng, len(pts), 4) * 900.0
    pts = pts + normal * offset[:, None]
    after = np.roll(pts, -1, axis=0)  # one Chaikin pass: two points per edge, at 1/4 and 3/4
    pts = np.stack([0.75 * pts + 0.25 * after, 0.25 * pts + 0.75 * after], axis=1).reshape(-1, 2)
    poly = Polygon(pts)
    assert poly.is_valid, "noisy outline self-intersects"
    tolerance = 20.0
    while len(poly.exterior.coords) - 1 > max_vertices:
        poly = Polygon(pts).simplify(tolerance)
        tolerance *= 1.15
    return poly


def tune_area(main: Polygon, fixed_km2: float, target_km2: float) -> Polygon:
    """Grow or shrink `main` by a mitred buffer so main + fixed part hit target_km2 (geodesic)."""
    low, high = -2_000.0, 2_000.0
    best = main
    for _ in range(50):
        mid = (low + high) / 2
        best = main.buffer(mid, join_style="mitre", mitre_limit=3.0)
        area = xy_km2(best) + fixed_km2
        if abs(area - target_km2) < 0.005:
            break
        low, high = (mid, high) if area < target_km2 else (low, mid)
    assert isinstance(best, Polygon)
    return best


def blob(centre: Point, radius: float, rng: Rng, vertices: int = 40) -> Polygon:
    """An irregular star-shaped blob: radius modulated by a few low harmonics."""
    theta = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    r = np.full(vertices, radius)
    for k in (2, 3, 5):
        r += radius * rng.uniform(0.03, 0.08) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    return Polygon(np.column_stack([centre.x + r * np.cos(theta), centre.y + r * np.sin(theta)]))


def _absorb(cores: list[Polygon], orphans: list[Polygon]) -> list[Polygon]:
    """Give each stray fragment to the core it shares the longest border with."""
    while orphans:
        orphan = orphans.pop(0)
        touch = [core.intersection(orphan.buffer(1.0)).area for core in cores]
        best = int(np.argmax(touch))
        if touch[best] <= 0.0:
            orphans.append(orphan)  # touches only other orphans for now
            continue
        merged = shapely.union(cores[best], orphan)
        assert isinstance(merged, Polygon), "fragment did not merge into one polygon"
        cores[best] = merged
    return cores


def voronoi_tiles(parent: Polygon, seeds: Sequence[Point]) -> list[Polygon]:
    """Voronoi cells of `seeds` clipped to `parent`, one connected polygon per seed, in seed order.
    Fragments cut off by the parent's concave outline are merged into a neighbour."""
    cells = shapely.voronoi_polygons(
        MultiPoint(list(seeds)), extend_to=parent.envelope.buffer(5_000), ordered=True
    )
    cores: list[Polygon] = []
    orphans: list[Polygon] = []
    for seed, cell in zip(seeds, cells.geoms, strict=True):
        parts = [p for p in shapely.get_parts(parent.intersection(cell)) if isinstance(p, Polygon)]
        core = max(parts, key=lambda p: (p.distance(seed) == 0.0, p.area))
        cores.append(core)
        orphans.extend(p for p in parts if p is not core and p.area > 0.0)
    return _absorb(cores, orphans)


def relaxed_seeds(parent: Polygon, count: int, rng: Rng, rounds: int = 8) -> list[Point]:
    """`count` random points in `parent`, spread evenly by a few rounds of Lloyd relaxation."""
    x0, y0, x1, y1 = parent.bounds
    shapely.prepare(parent)
    seeds: list[Point] = []
    while len(seeds) < count:
        p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if parent.contains(p):
            seeds.append(p)
    for _ in range(rounds if count > 1 else 0):
        tiles = voronoi_tiles(parent, seeds)
        seeds = [t.centroid if parent.contains(t.centroid) else t.point_on_surface() for t in tiles]
    return seeds


def split_counts(parts: Sequence[Polygon], total: int) -> list[int]:
    """Share `total` seeds among the parts of a multi-part parent by area, at least one each."""
    areas = np.array([p.area for p in parts])
    counts = np.maximum(1, np.floor(areas / areas.sum() * total)).astype(int)
    while counts.sum() < total:
        counts[int(np.argmax(areas / counts))] += 1
    assert counts.sum() == total
    return [int(c) for c in counts]


def tile(parent: Polygon | MultiPolygon, count: int, rng: Rng) -> list[Polygon]:
    """Tile `parent` into `count` connected, roughly even cells."""
    parts = list(parent.geoms) if isinstance(parent, MultiPolygon) else [parent]
    tiles: list[Polygon] = []
    for part, n in zip(parts, split_counts(parts, count), strict=True):
        tiles.extend(voronoi_tiles(part, relaxed_seeds(part, n, rng)) if n > 1 else [part])
    return tiles


def make_coverage(polys: Sequence[Polygon | MultiPolygon]) -> list[Polygon | MultiPolygon]:
    """Insert every vertex a neighbour has on a shared border (T-junctions) so that all shared
    edges are vertex-for-vertex identical: a valid polygonal coverage."""
    tree = shapely.STRtree(list(polys))
    out: list[Polygon | MultiPolygon] = []
    for i, poly in enumerate(polys):
        near = [j for j in tree.query(poly.buffer(0.01)) if j != i]
        ref = MultiPoint(shapely.get_coordinates([polys[j] for j in near]))
        snapped = shapely.snap(poly, ref, 0.001)
        assert isinstance(snapped, type(poly)), "snapping changed the geometry type"
        assert snapped.is_valid
        out.append(snapped)
    assert bool(shapely.coverage_is_valid(out)), "tiles do not form a clean coverage"
    return out
