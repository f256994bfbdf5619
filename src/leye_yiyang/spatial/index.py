"""Exact k-nearest and radius queries by geodesic distance, by filter and refine.

A query for radius R asks the STRtree for the lon/lat box that provably holds every point within
geodesic distance R of the origin (:func:`_search_box`), brackets each candidate's geodesic
distance between two cheap bounds (:func:`_upper_weights`, :func:`_lower_weights`), computes the
exact geodesic (pyproj, Karney) only for candidates whose lower bound could still place them in
the answer, and
grows R until the k-th accepted distance is ≤ R. Every step only ever discards a point whose
distance is provably larger than that of k already-known points, so the result equals a
brute-force scan over all points, ties broken by id.

Why the bounds hold. On the ellipsoid the line element is ds² = M(φ)²dφ² + (N(φ)cosφ)²dλ², with
M the meridian radius (smallest at the equator, a(1-e²) = 6,335,439 m) and N·cosφ the parallel
radius (N ≥ a). Hence

* a path of length R changes latitude by at most R/M_min (110,574 m per degree is below the
  minimum 110,574.3 m), and longitude by at most R/(a·cos φ_max) where φ_max bounds |φ| on it;
* upper bound: the straight line in (φ, λ) from origin to point is a path no longer than
  sqrt((M_max·Δφ)² + (NC_max·Δλ)²), with the maxima over the latitudes it crosses;
* lower bound: if the geodesic is ≤ T, it stays within T/M_min of the origin's latitude, and its
  length ≥ sqrt((M_lo·Δφ)² + (NC_lo·Δλ)²) with minima over that band (Minkowski's inequality).

At district scale the bracket is ~1e-4 relative wide, so the exact step runs on about k points.
The candidate stage works on Python floats: for the ~20 candidates of a typical query that is
faster than a dozen numpy calls on tiny arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import shapely

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.density import StartRadius, banded_order
from leye_yiyang.spatial.geodesic import (
    GEOD,
    WGS84_A,
    WGS84_E2,
    meridian_radius,
    parallel_radius,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Metres per degree of latitude can never be smaller than this (equator: 110,574.27 m).
_M_PER_DEG_LAT_MIN = 110_574.0
_M_MIN = WGS84_A * (1.0 - WGS84_E2)
_RAD = math.pi / 180.0
# Rounding in the float64 bound arithmetic is ~1e-15 relative; widen every bound far beyond it.
_SLACK = 1e-9
_HALF_PI = math.pi / 2.0
# Up to this many exact distances, pyproj's per-point call is faster than its array call.
_SCALAR_BATCH = 24
# Up to this many points, computing every exact distance beats the candidate search (measured:
# 38 points, 25 µs against 70).
SCAN_BELOW = 64


class Hit(NamedTuple):
    id: int
    distance_m: float


class _Box(NamedTuple):
    lon_lo: float
    lat_lo: float
    lon_hi: float
    lat_hi: float
    wraps: bool  # the box spans every longitude, so Δλ must be wrapped to [-180, 180]


def _search_box(origin: LonLat, radius_m: float) -> _Box:
    """A lon/lat box holding every point within geodesic ``radius_m`` of ``origin``."""
    dlat = radius_m / _M_PER_DEG_LAT_MIN * (1.0 + _SLACK) + _SLACK
    lat_lo, lat_hi = origin.lat - dlat, origin.lat + dlat
    if lat_lo <= -90.0 or lat_hi >= 90.0:
        return _Box(-180.0, max(lat_lo, -90.0), 180.0, min(lat_hi, 90.0), True)
    phi_max = max(abs(lat_lo), abs(lat_hi)) * _RAD
    dlon = radius_m / (_RAD * WGS84_A * math.cos(phi_max)) * (1.0 + _SLACK) + _SLACK
    lon_lo, lon_hi = origin.lon - dlon, origin.lon + dlon
    if lon_lo < -180.0 or lon_hi > 180.0:
        return _Box(-180.0, lat_lo, 180.0, lat_hi, True)
    return _Box(lon_lo, lat_lo, lon_hi, lat_hi, False)


# The radii of curvature are looked up on a 1e-4 rad (~640 m) latitude grid, rounded outward
# (the larger radius for an upper bound, the smaller for a lower one): a cache hit instead of four
# transcendental calls per query, for a bracket looser by < 1e-4 relative.
_LAT_STEP = 1e-4


@lru_cache(maxsize=32_768)
def _m_at(step: int) -> float:
    return meridian_radius(min(step * _LAT_STEP, _HALF_PI)) * _RAD


@lru_cache(maxsize=32_768)
def _nc_at(step: int) -> float:
    return parallel_radius(min(step * _LAT_STEP, _HALF_PI)) * _RAD


def _upper_weights(box: _Box) -> tuple[float, float]:
    """(NC_max², M_max²) in m²/deg² over the box's latitudes: Δlon², Δlat² -> upper bound²."""
    lo_abs = 0.0 if box.lat_lo <= 0.0 <= box.lat_hi else min(abs(box.lat_lo), abs(box.lat_hi))
    hi_abs = max(abs(box.lat_lo), abs(box.lat_hi))
    # M grows and N·cosφ shrinks with |φ|.
    m_max = _m_at(math.ceil(hi_abs * _RAD / _LAT_STEP)) * (1.0 + _SLACK)
    nc_max = _nc_at(math.floor(lo_abs * _RAD / _LAT_STEP)) * (1.0 + _SLACK)
    return nc_max * nc_max, m_max * m_max


def _lower_weights(origin: LonLat, threshold_m: float) -> tuple[float, float]:
    """(NC_lo², M_lo²): a lower bound² for every point whose geodesic is ≤ ``threshold_m``."""
    band = threshold_m / _M_MIN * (1.0 + _SLACK)
    phi0 = abs(origin.lat) * _RAD
    m_lo = _m_at(math.floor(max(0.0, phi0 - band) / _LAT_STEP)) * (1.0 - _SLACK)
    nc_lo = _nc_at(math.ceil(min(_HALF_PI, phi0 + band) / _LAT_STEP)) * (1.0 - _SLACK)
    return nc_lo * nc_lo, m_lo * m_lo


# (lon, lat, id, Δlon², Δlat²) with Δ in degrees and Δlon taken the short way round. A plain
# tuple: building a NamedTuple per candidate would cost more than the whole bound computation.
_Candidate = tuple[float, float, int, float, float]


class PointIndex:
    """Immutable index over WGS-84 points, each with an int64 id. Sets of at most
    ``scan_below`` points are answered by computing every distance."""

    def __init__(
        self,
        ids: npt.ArrayLike,
        lons: npt.ArrayLike,
        lats: npt.ArrayLike,
        scan_below: int = SCAN_BELOW,
    ) -> None:
        ids_in = np.asarray(ids, dtype=np.int64)
        lons_in = np.asarray(lons, dtype=np.float64)
        lats_in = np.asarray(lats, dtype=np.float64)
        _validate(ids_in, lons_in, lats_in)
        # Stored in bands of latitude, west to east within a band, so that the Python objects of
        # points near each other are allocated near each other: a query's ~30 candidates then
        # sit in a few runs of memory, not scattered over a heap of a million objects (at
        # 100,000 facilities under HTTP load that scatter cost more than the arithmetic).
        order = banded_order(lons_in, lats_in)
        self._ids: IntArray = np.ascontiguousarray(ids_in[order])
        self._lons: FloatArray = np.ascontiguousarray(lons_in[order])
        self._lats: FloatArray = np.ascontiguousarray(lats_in[order])
        for arr in (self._ids, self._lons, self._lats):
            arr.setflags(write=False)
        # Python floats per point: the candidate stage runs on ~20 of them per query, where
        # list indexing beats numpy's per-call overhead.
        self._points: list[tuple[float, float, int]] = list(
            zip(self._lons.tolist(), self._lats.tolist(), self._ids.tolist(), strict=True)
        )
        self._tree = shapely.STRtree(shapely.points(self._lons, self._lats))
        self._start_radius = StartRadius(self._lons, self._lats)
        self._scan_below = scan_below

    def __len__(self) -> int:
        return int(self._ids.size)

    @property
    def ids(self) -> IntArray:
        return self._ids

    @property
    def lons(self) -> FloatArray:
        return self._lons

    @property
    def lats(self) -> FloatArray:
        return self._lats

    def mask_of(self, ids: Iterable[int]) -> BoolArray:
        """Which rows hold one of ``ids``: the ``among`` of :meth:`nearest`."""
        return np.isin(self._ids, np.fromiter(ids, dtype=np.int64))

    def nearest(
        self,
        origin: LonLat,
        k: int,
        max_distance_m: float | None = None,
        accept: Callable[[int], bool] | None = None,
        among: BoolArray | None = None,
    ) -> list[Hit]:
        """The ``k`` accepted points closest to ``origin``, sorted by (distance_m, id).

        ``among`` (from :meth:`mask_of`) limits the answer to a subset. Unlike ``accept`` it is
        applied to the candidates in bulk, and the first box is sized for the subset's density:
        for a subset much sparser than the index (the vacancies a seeker's words are relevant
        to, among all) the search then no longer gathers and judges every point of ever
        larger boxes one by one."""
        _check_origin(origin)
        if k <= 0 or self._ids.size == 0:
            return []
        cap = math.inf if max_distance_m is None else float(max_distance_m)
        if not cap >= 0.0:
            return []
        if self._ids.size <= self._scan_below:
            return self._scan(origin, k, cap, accept, among)
        share = 1.0
        if among is not None:
            subset = int(np.count_nonzero(among))
            if subset == 0:
                return []
            share = subset / self._ids.size
        verdicts: dict[int, bool] = {}
        radius = min(self._start_radius(origin, k / share), cap)
        while True:
            box = _search_box(origin, radius)
            rows = self._candidates(box)
            complete = rows.size == self._ids.size
            if among is not None:
                rows = rows[among[rows]]
            cands = self._gather(origin, box, rows)
            if accept is not None:
                cands = [c for c in cands if _verdict(c[2], accept, verdicts)]
            threshold = cap
            if len(cands) >= k:
                wx, wy = _upper_weights(box)
                upper = sorted([wx * c[3] + wy * c[4] for c in cands])
                threshold = min(math.sqrt(upper[k - 1]) * (1.0 + _SLACK), cap)
            if threshold <= radius or complete:
                return _refine(origin, cands, threshold, cap, k)
            # ≥ k points are known within `threshold`, so a box of that size settles it; 1 % more
            # so that the bigger box's slightly looser bounds cannot push the k-th out again.
            radius = threshold * 1.01 if len(cands) >= k else min(2.0 * radius, cap)

    def within(self, origin: LonLat, radius_m: float) -> list[Hit]:
        """Every point with geodesic distance ≤ ``radius_m``, sorted by (distance_m, id)."""
        _check_origin(origin)
        if self._ids.size == 0 or not radius_m >= 0.0:
            return []
        if self._ids.size <= self._scan_below:
            return self._scan(origin, None, radius_m, None)
        box = _search_box(origin, radius_m)
        cands = self._gather(origin, box, self._candidates(box))
        return _refine(origin, cands, radius_m, radius_m, None)

    def _scan(
        self,
        origin: LonLat,
        k: int | None,
        cap: float,
        accept: Callable[[int], bool] | None,
        among: BoolArray | None = None,
    ) -> list[Hit]:
        """Every point's exact distance in one vectorised call: for a handful of points (a
        small district's meal halls) cheaper than any candidate search."""
        d = _distances_into(origin, self._lons.copy(), self._lats.copy())
        order = np.lexsort((self._ids, d)).tolist()
        distances = d.tolist()
        hits: list[Hit] = []
        for row in order:
            d = distances[row]
            if d > cap or (k is not None and len(hits) == k):
                break
            if among is not None and not among[row]:
                continue
            ident = self._points[row][2]
            if accept is None or accept(ident):
                hits.append(Hit(ident, d))
        return hits

    def _candidates(self, box: _Box) -> IntArray:
        # An array argument skips shapely's scalar wrapping, which costs more than the search.
        geom = np.array([shapely.box(box.lon_lo, box.lat_lo, box.lon_hi, box.lat_hi)])
        return np.asarray(self._tree.query(geom)[1], dtype=np.int64)

    def _gather(self, origin: LonLat, box: _Box, rows: IntArray) -> list[_Candidate]:
        lon0, lat0 = origin
        picked = map(self._points.__getitem__, rows.tolist())
        if box.wraps:
            return [
                (x, y, i, (dx := (x - lon0 + 180.0) % 360.0 - 180.0) * dx, (dy := y - lat0) * dy)
                for x, y, i in picked
            ]
        return [(x, y, i, (dx := x - lon0) * dx, (dy := y - lat0) * dy) for x, y, i in picked]


def _verdict(ident: int, accept: Callable[[int], bool], verdicts: dict[int, bool]) -> bool:
    # Growing boxes see the same points again; ask `accept` once per point and query.
    verdict = verdicts.get(ident)
    if verdict is None:
        verdict = verdicts[ident] = bool(accept(ident))
    return verdict


def _refine(
    origin: LonLat, cands: list[_Candidate], threshold: float, cap: float, k: int | None
) -> list[Hit]:
    """Exact distances for the candidates that could be ≤ threshold; sorted, capped, cut."""
    if math.isfinite(threshold):
        lx, ly = _lower_weights(origin, threshold)
        limit = threshold * threshold * (1.0 + _SLACK)
        cands = [c for c in cands if lx * c[3] + ly * c[4] <= limit]
    pairs = _exact_pairs(origin, cands)
    if math.isfinite(cap):
        pairs = [pair for pair in pairs if pair[0] <= cap]
    return [Hit(ident, d) for d, ident in pairs[:k]]


def _exact_pairs(origin: LonLat, cands: list[_Candidate]) -> list[tuple[float, int]]:
    """(geodesic metres, id) for each candidate, sorted."""
    lon0, lat0 = origin
    if len(cands) <= _SCALAR_BATCH:
        # pyproj's scalar fast path beats its array wrapper for a handful of points.
        inv = GEOD.inv
        return sorted([(inv(lon0, lat0, c[0], c[1])[2], c[2]) for c in cands])
    lon2 = np.array([c[0] for c in cands], dtype=np.float64)
    lat2 = np.array([c[1] for c in cands], dtype=np.float64)
    d = _distances_into(origin, lon2, lat2).tolist()
    return sorted(zip(d, [c[2] for c in cands], strict=True))


def _distances_into(origin: LonLat, lons: FloatArray, lats: FloatArray) -> FloatArray:
    """Geodesic metres from ``origin``, computed in place in the caller's own (scratch) arrays:
    on these hot paths pyproj's three fresh output arrays cost ~20 µs more
    (`geodesic.distances_m` is the general form)."""
    n = lons.size
    GEOD.inv(np.full(n, origin.lon), np.full(n, origin.lat), lons, lats, inplace=True)
    return lons  # with inplace=True the distances land in the longitude buffer


def _validate(ids: IntArray, lons: FloatArray, lats: FloatArray) -> None:
    if not (ids.ndim == lons.ndim == lats.ndim == 1 and ids.size == lons.size == lats.size):
        raise ValueError("ids, lons and lats must be 1-D arrays of the same length")
    if ids.size and not (np.all(np.isfinite(lons)) and np.all(np.isfinite(lats))):
        raise ValueError("coordinates must be finite")
    if ids.size and (np.abs(lons).max() > 180.0 or np.abs(lats).max() > 90.0):
        raise ValueError("coordinates must be WGS-84 degrees: |lon| ≤ 180, |lat| ≤ 90")


def _check_origin(origin: LonLat) -> None:
    if not (abs(origin.lon) <= 180.0 and abs(origin.lat) <= 90.0):
        raise ValueError(f"origin {origin!r} is not a WGS-84 lon/lat")
