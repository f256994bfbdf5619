"""Exact distances on the WGS-84 ellipsoid.

Every distance the project reports comes from Karney's geodesic algorithm (via PROJ's geodesic
routines in ``pyproj.Geod``), accurate to ~15 nm. ``geopy_distance_m`` runs the same algorithm
through geographiclib's pure-Python port; tests and benchmarks use it as an independent
brute-force reference.

Also here: ECEF coordinates (for chord-distance k-d trees; the chord between two surface points
is never longer than the geodesic between them) and the ellipsoid's radii of curvature, which the
index uses to bracket geodesic distances cheaply.
"""

from __future__ import annotations

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from geopy.distance import geodesic as _geopy_geodesic
from pyproj import Geod, Transformer

from leye_yiyang.spatial.coords import LonLat

FloatArray = npt.NDArray[np.float64]

WGS84_A = 6378137.0
WGS84_F = 1.0 / 298.257223563
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)

GEOD = Geod(ellps="WGS84")
_ECEF = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)

# Below this many pairs a thread pool costs more than it saves.
_PARALLEL_MIN = 50_000


def meridian_radius(abs_lat_rad: float) -> float:
    """M(φ): radius of curvature along the meridian; grows from the equator to the poles."""
    s = math.sin(abs_lat_rad)
    return WGS84_A * (1.0 - WGS84_E2) / math.pow(1.0 - WGS84_E2 * s * s, 1.5)


def parallel_radius(abs_lat_rad: float) -> float:
    """N(φ)·cos φ: radius of the parallel circle; shrinks from the equator to the poles."""
    s = math.sin(abs_lat_rad)
    return max(0.0, WGS84_A * math.cos(abs_lat_rad) / math.sqrt(1.0 - WGS84_E2 * s * s))


def distance_m(a: LonLat, b: LonLat) -> float:
    """Geodesic distance in metres between two WGS-84 points."""
    _, _, dist = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    return float(dist)


def distances_m(origin: LonLat, lons: FloatArray, lats: FloatArray) -> FloatArray:
    """Geodesic distances in metres from ``origin`` to every (lon, lat)."""
    lo = np.asarray(lons, dtype=np.float64)
    la = np.asarray(lats, dtype=np.float64)
    return pairwise_distances_m(np.full_like(lo, origin.lon), np.full_like(la, origin.lat), lo, la)


def _inv(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> FloatArray:
    if lon1.size == 0:
        return np.zeros(0, dtype=np.float64)
    _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(dist, dtype=np.float64)


def pairwise_distances_m(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Element-wise geodesic distances; big batches are split over threads (PROJ drops the GIL)."""
    n = lon1.size
    workers = min(os.cpu_count() or 1, max(1, n // _PARALLEL_MIN))
    if workers <= 1:
        return _inv(lon1, lat1, lon2, lat2)
    bounds = np.linspace(0, n, workers + 1).astype(np.int64).tolist()
    slices = [slice(s, e) for s, e in itertools.pairwise(bounds)]
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(lambda s: _inv(lon1[s], lat1[s], lon2[s], lat2[s]), slices))
    return np.concatenate(parts)


def geopy_distance_m(a: LonLat, b: LonLat) -> float:
    """The same geodesic through geopy/geographiclib: the slow, independent reference."""
    return float(_geopy_geodesic(a.latlon(), b.latlon(), ellipsoid="WGS-84").meters)


def ecef(lons: FloatArray, lats: FloatArray) -> FloatArray:
    """Earth-centred Earth-fixed metres (EPSG:4978) at ellipsoid height 0, shape (n, 3)."""
    lo = np.asarray(lons, dtype=np.float64)
    la = np.asarray(lats, dtype=np.float64)
    if lo.size == 0:
        return np.zeros((0, 3), dtype=np.float64)
    x, y, z = _ECEF.transform(lo, la, np.zeros_like(lo))
    return np.column_stack([x, y, z])


# Radii of curvature tabulated every 1e-4 rad (~640 m) of |latitude|; bounds read the entry on
# the safe side (the larger radius for an upper bound, the smaller for a lower one), which costs
# < 1e-4 relative tightness and saves two transcendental functions per pair.
_LAT_STEP = 1e-4
_STEPS = np.minimum(np.arange(math.ceil(math.pi / 2.0 / _LAT_STEP) + 1) * _LAT_STEP, math.pi / 2.0)
_SIN = np.sin(_STEPS)
_M_TABLE = WGS84_A * (1.0 - WGS84_E2) / (1.0 - WGS84_E2 * _SIN * _SIN) ** 1.5
_NC_TABLE = np.maximum(WGS84_A * np.cos(_STEPS) / np.sqrt(1.0 - WGS84_E2 * _SIN * _SIN), 0.0)


def _radius_bounds(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, ...]:
    """(M_hi, NC_hi, M_lo, NC_lo): max and min of M and N·cosφ over |φ| in [lo, hi] (radians)."""
    lo_i = np.floor(lo / _LAT_STEP).astype(np.int64)
    hi_i = np.minimum(np.ceil(hi / _LAT_STEP).astype(np.int64), _STEPS.size - 1)
    # M grows with |φ|, N·cosφ shrinks.
    return _M_TABLE[hi_i], _NC_TABLE[lo_i], _M_TABLE[lo_i], _NC_TABLE[hi_i]


def within_distance(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray, radius_m: float
) -> npt.NDArray[np.bool_]:
    """Element-wise: is the geodesic between the two points ≤ ``radius_m``? Exact, and fast.

    Most pairs are decided by two cheap bounds (see ``index.py`` for the proof): every point within
    R lies within R/M_min of the first point's latitude, and inside that band the geodesic lies
    between sqrt((M_lo·Δφ)² + (NC_lo·Δλ)²) and sqrt((M_hi·Δφ)² + (NC_hi·Δλ)²). Only pairs whose
    bounds straddle R (a sliver ~1e-4·R wide at district scale) get an exact Karney distance.
    """
    band = radius_m / (WGS84_A * (1.0 - WGS84_E2)) * (1.0 + 1e-9)  # radians of latitude
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians((lon2 - lon1 + 180.0) % 360.0 - 180.0)
    in_band = np.abs(dphi) <= band
    abs1 = np.abs(phi1)
    hi = np.minimum(abs1 + band, np.pi / 2.0)
    lo = np.where(band >= abs1, 0.0, abs1 - band)  # a band across the equator reaches φ = 0
    m_max, nc_max, m_min, nc_min = _radius_bounds(lo, hi)
    p, q = dphi * dphi, dlam * dlam
    upper_sq = m_max * m_max * p + nc_max * nc_max * q
    lower_sq = m_min * m_min * p + nc_min * nc_min * q
    r_sq = radius_m * radius_m
    sure = in_band & (upper_sq * (1.0 + 1e-9) <= r_sq)
    maybe = np.flatnonzero(in_band & ~sure & (lower_sq * (1.0 - 1e-9) <= r_sq))
    exact = pairwise_distances_m(lon1[maybe], lat1[maybe], lon2[maybe], lat2[maybe])
    sure[maybe] = exact <= radius_m
    result: npt.NDArray[np.bool_] = sure
    return result
