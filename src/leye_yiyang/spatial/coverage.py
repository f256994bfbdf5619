"""Who is within reach of a facility: resident sampling and exact nearest-facility distances.

Residents are modelled as weighted points spread uniformly inside each community outline.
``nearest_distances`` then gives every point the exact geodesic distance to its nearest facility,
which ``coverage_by_group`` aggregates per community.

Exactness of ``nearest_distances``: a k-d tree over ECEF coordinates finds nearest neighbours by
chord (straight-line 3-D) distance, and the chord between two surface points is never longer than
their geodesic. For each resident we take the chord-nearest facilities and their exact geodesics;
if the best geodesic g found is ≤ the chord c_k of the last neighbour fetched, every facility not
fetched has geodesic ≥ its chord ≥ c_k ≥ g, so g is the true minimum. The rare residents where
that fails (chord and geodesic orders differ by < 1 mm at district scale) are re-queried with
more neighbours until it holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import MultiPolygon, Polygon

from leye_yiyang.spatial.density import banded_order
from leye_yiyang.spatial.geodesic import ecef, pairwise_distances_m

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Sampling rounds before a polygon is declared too thin to hold points.
_MAX_SAMPLING_ROUNDS = 200
# The k-d tree bound is widened a hair so that rounding cannot drop a facility at exactly cap_m;
# the exact geodesic then decides.
_BOUND_SLACK = 1e-9


@dataclass
class Residents:
    """Weighted resident points; ``group`` is the index of the community each point lies in."""

    lons: FloatArray
    lats: FloatArray
    weights: FloatArray
    group: IntArray

    def __len__(self) -> int:
        return int(self.lons.size)

    @cached_property
    def xyz(self) -> FloatArray:
        """ECEF coordinates, computed once: every coverage query needs them (~0.1 s at 680,000)."""
        return ecef(self.lons, self.lats)


class GroupCoverage(NamedTuple):
    covered: FloatArray  # weight within reach, per group
    population: FloatArray  # total weight, per group
    min_distance_m: FloatArray  # nearest facility over the group's points (+inf if none)


def distribute_residents(
    polygons: list[Polygon | MultiPolygon],
    populations: list[int],
    points_per_person: float,
    seed: int,
) -> Residents:
    """Seeded uniform points in each polygon; each polygon's weights sum to its population.

    Each polygon gets ``round(population × points_per_person)`` points (at least one if populated,
    at most one per person). Weights are whole numbers of people, so the per-polygon sums are
    exact in floating point.
    """
    if len(polygons) != len(populations):
        raise ValueError("one population per polygon")
    if not points_per_person > 0.0:
        raise ValueError("points_per_person must be positive")
    rng = np.random.default_rng(seed)
    parts: list[tuple[FloatArray, FloatArray, FloatArray, IntArray]] = []
    for g, (poly, pop) in enumerate(zip(polygons, populations, strict=True)):
        if pop < 0:
            raise ValueError(f"negative population for polygon {g}")
        n = min(pop, max(1, round(pop * points_per_person))) if pop > 0 else 0
        lons, lats = _sample_in(poly, n, rng)
        base, extra = divmod(pop, n) if n else (0, 0)
        weights = np.full(n, float(base))
        weights[:extra] += 1.0
        parts.append((lons, lats, weights, np.full(n, g, dtype=np.int64)))
    if not parts:
        empty = np.zeros(0, dtype=np.float64)
        return Residents(empty, empty.copy(), empty.copy(), np.zeros(0, dtype=np.int64))
    lons, lats = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    # Stored in a spatial order: the k-d tree queries of coverage run ~25 % faster on it.
    order = banded_order(lons, lats)
    return Residents(
        lons[order],
        lats[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
    )


def _sample_in(
    poly: Polygon | MultiPolygon, n: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Rejection sampling on the bounds; latitude drawn uniform in sin(lat) so area is uniform."""
    if n == 0:
        return np.zeros(0), np.zeros(0)
    if poly.is_empty or not poly.area > 0.0:
        raise ValueError("cannot place residents in an empty polygon")
    shapely.prepare(poly)
    minx, miny, maxx, maxy = poly.bounds
    s_lo, s_hi = math.sin(math.radians(miny)), math.sin(math.radians(maxy))
    hit_rate = max(poly.area / ((maxx - minx) * (maxy - miny)), 1e-3)
    got_lon: list[FloatArray] = []
    got_lat: list[FloatArray] = []
    have = 0
    for _ in range(_MAX_SAMPLING_ROUNDS):
        batch = int((n - have) / hit_rate * 1.2) + 16
        lon = rng.uniform(minx, maxx, batch)
        lat = np.degrees(np.arcsin(rng.uniform(s_lo, s_hi, batch)))
        inside = shapely.contains_xy(poly, lon, lat)
        got_lon.append(lon[inside][: n - have])
        got_lat.append(lat[inside][: n - have])
        have += got_lon[-1].size
        if have == n:
            return np.concatenate(got_lon), np.concatenate(got_lat)
    raise ValueError("polygon too thin to sample residents in")


def nearest_distances(
    residents_lons: FloatArray,
    residents_lats: FloatArray,
    facility_lons: FloatArray,
    facility_lats: FloatArray,
    cap_m: float,
    residents_xyz: FloatArray | None = None,
) -> FloatArray:
    """Exact geodesic metres from each resident to the nearest facility; +inf beyond ``cap_m``.
    ``residents_xyz``: the residents' ECEF coordinates if already known (``Residents.xyz``)."""
    r_lon = np.asarray(residents_lons, dtype=np.float64)
    r_lat = np.asarray(residents_lats, dtype=np.float64)
    f_lon = np.asarray(facility_lons, dtype=np.float64)
    f_lat = np.asarray(facility_lats, dtype=np.float64)
    out = np.full(r_lon.size, np.inf)
    if r_lon.size == 0 or f_lon.size == 0 or not cap_m >= 0.0:
        return out
    tree = cKDTree(ecef(f_lon, f_lat))
    xyz = ecef(r_lon, r_lat) if residents_xyz is None else residents_xyz
    bound = cap_m * (1.0 + _BOUND_SLACK) + 1e-6
    k = min(2, f_lon.size)
    chord, idx = _query(tree, xyz, k, bound)
    # First pass: exact geodesic only to the chord-nearest facility.
    found = np.isfinite(chord[:, 0])
    best = np.full(r_lon.size, np.inf)
    rows = np.flatnonzero(found)
    fac = idx[rows, 0]
    best[rows] = pairwise_distances_m(r_lon[rows], r_lat[rows], f_lon[fac], f_lat[fac])
    # (Only column 0 has an exact distance yet, so k == number of facilities proves nothing here.)
    settled = ~np.isfinite(chord[:, -1]) | (best <= chord[:, -1]) | (f_lon.size == 1)
    out[settled] = best[settled]
    pending = np.flatnonzero(~settled)
    while pending.size:
        k = min(4 * k, f_lon.size)
        chord, idx = _query(tree, xyz[pending], k, bound)
        best = _best_exact(r_lon[pending], r_lat[pending], f_lon, f_lat, idx, np.isfinite(chord))
        settled = ~np.isfinite(chord[:, -1]) | (best <= chord[:, -1]) | (k == f_lon.size)
        out[pending[settled]] = best[settled]
        pending = pending[~settled]
    out[out > cap_m] = np.inf
    return out


def _query(tree: cKDTree, xyz: FloatArray, k: int, bound: float) -> tuple[FloatArray, IntArray]:
    chord, idx = tree.query(xyz, k=k, distance_upper_bound=bound, workers=-1)
    n = xyz.shape[0]
    return np.asarray(chord, dtype=np.float64).reshape(n, k), np.asarray(idx).reshape(n, k)


def _best_exact(
    r_lon: FloatArray,
    r_lat: FloatArray,
    f_lon: FloatArray,
    f_lat: FloatArray,
    idx: IntArray,
    found: npt.NDArray[np.bool_],
) -> FloatArray:
    """Smallest exact geodesic over each row's fetched neighbours (+inf where none)."""
    rows, cols = np.nonzero(found)
    fac = idx[rows, cols]
    exact = np.full(idx.shape, np.inf)
    exact[rows, cols] = pairwise_distances_m(r_lon[rows], r_lat[rows], f_lon[fac], f_lat[fac])
    best: FloatArray = exact.min(axis=1)
    return best


def coverage_by_group(
    distances: FloatArray,
    weights: FloatArray,
    group: IntArray,
    n_groups: int,
    reach_m: float,
) -> GroupCoverage:
    """Per group: weight within ``reach_m`` of a facility, total weight, and nearest distance."""
    d = np.asarray(distances, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    g = np.asarray(group, dtype=np.int64)
    in_reach = np.where(d <= reach_m, w, 0.0)
    covered: FloatArray = np.bincount(g, weights=in_reach, minlength=n_groups).astype(np.float64)
    population: FloatArray = np.bincount(g, weights=w, minlength=n_groups).astype(np.float64)
    nearest = np.full(n_groups, np.inf)
    np.minimum.at(nearest, g, d)
    return GroupCoverage(covered[:n_groups], population[:n_groups], nearest)
