"""Where a k-nearest search should start: a radius from the local density of the points.

Only a starting guess: any radius gives exact answers (the search grows a box that is too small
and cuts the candidates of one too large), but the guess decides how much work a query does. One
radius for the whole set, from its average density, is ten times too wide in a town centre and
too narrow in the fields; a coarse grid of counts gives each neighbourhood its own.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import meridian_radius, parallel_radius

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Cells per side at most; about one point a cell on average below that.
MAX_CELLS = 128
# Points the radius is sized to hold per point asked for: with 2, about 6 queries in 7 settle in
# one box (1.5: 4 in 5, and the second box costs more than the extra candidates).
POINTS_PER_K = 2.0
_RAD = math.pi / 180.0


class StartRadius:
    """Radius expected to hold ~POINTS_PER_K·k points around an origin, from a grid of point counts
    smoothed over each cell's 3×3 neighbourhood; the whole set's average outside the grid."""

    def __init__(self, lons: FloatArray, lats: FloatArray) -> None:
        n = int(lons.size)
        self._cells = 0
        self._radii: list[float] = []
        self._lon0 = self._lat0 = self._per_lon = self._per_lat = 0.0
        self._average = 1.0
        if n == 0:
            return
        mid_lat = abs(float(np.mean(lats))) * _RAD
        span_lon = max(float(np.ptp(lons)), 1e-12)
        span_lat = max(float(np.ptp(lats)), 1e-12)
        width = max(span_lon * _RAD * parallel_radius(mid_lat), 1.0)
        height = max(span_lat * _RAD * meridian_radius(mid_lat), 1.0)
        cells = int(min(MAX_CELLS, max(1.0, math.sqrt(n))))
        self._lon0, self._lat0 = float(lons.min()), float(lats.min())
        self._per_lon, self._per_lat = cells / span_lon, cells / span_lat
        col = np.minimum(((lons - self._lon0) * self._per_lon).astype(np.int64), cells - 1)
        row = np.minimum(((lats - self._lat0) * self._per_lat).astype(np.int64), cells - 1)
        counts = np.zeros((cells, cells), dtype=np.float64)
        np.add.at(counts, (row, col), 1.0)
        cell_area = width * height / (cells * cells)
        # An irregular outline inside a large bounding box must not dilute the average: count
        # only the area of occupied cells.
        occupied = int(np.count_nonzero(counts))
        self._average = _radius(n / (occupied * cell_area))
        padded = np.pad(counts, 1)
        near = sum(
            padded[1 + dr : 1 + dr + cells, 1 + dc : 1 + dc + cells]
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
        )
        density = np.asarray(near, dtype=np.float64) / (9.0 * cell_area)
        with np.errstate(divide="ignore"):
            radii = np.where(
                density > 0, np.sqrt(POINTS_PER_K / (math.pi * density)), self._average
            )
        self._radii = np.maximum(radii, 1.0).ravel().tolist()
        self._cells = cells

    def __call__(self, origin: LonLat, k: float) -> float:
        col = int((origin.lon - self._lon0) * self._per_lon)
        row = int((origin.lat - self._lat0) * self._per_lat)
        cells = self._cells
        if 0 <= col < cells and 0 <= row < cells:
            base = self._radii[row * cells + col]
        else:
            base = self._average
        return base * math.sqrt(k)


def _radius(density_per_m2: float) -> float:
    return max(1.0, math.sqrt(POINTS_PER_K / (math.pi * density_per_m2)))


def banded_order(lons: FloatArray, lats: FloatArray) -> IntArray:
    """A permutation visiting points in bands of latitude, west to east within a band: points
    stored in this order keep neighbours near each other in memory (index candidates, k-d tree
    queries over residents)."""
    if lons.size < 2:
        return np.arange(lons.size, dtype=np.int64)
    bands = max(1, int(math.sqrt(lons.size) / 2))
    span = max(float(np.ptp(lats)), 1e-12)
    band = np.minimum(((lats - lats.min()) / span * bands).astype(np.int64), bands - 1)
    return np.lexsort((lons, band)).astype(np.int64)
