"""The area the service answers for: the district outline plus a margin.

Buffers are drawn in metres, so the outline is moved into a local azimuthal equidistant
projection centred on its centroid (distances from the centre are exact; across a ~60 km
district the scale error elsewhere is < 0.01 %), buffered there, and moved back to WGS-84.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from leye_yiyang.spatial.coords import LonLat

FloatArray = npt.NDArray[np.float64]

DEFAULT_MARGIN_M = 2_000.0
# Vertices per quarter circle in buffered corners: ~1.5 degrees of arc each.
_BUFFER_QUAD_SEGS = 16


class LocalFrame:
    """Metres east/north in an azimuthal equidistant projection centred on ``center``."""

    def __init__(self, center: LonLat) -> None:
        self.center = center
        crs = CRS.from_proj4(
            f"+proj=aeqd +lat_0={center.lat!r} +lon_0={center.lon!r} +ellps=WGS84 +units=m"
        )
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self._inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def forward(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        x, y = self._fwd.transform(np.asarray(lons, float), np.asarray(lats, float))
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def inverse(self, xs: npt.ArrayLike, ys: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        lon, lat = self._inv.transform(np.asarray(xs, float), np.asarray(ys, float))
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def to_local(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda xy: np.column_stack(self.forward(xy[:, 0], xy[:, 1])))

    def to_wgs84(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda xy: np.column_stack(self.inverse(xy[:, 0], xy[:, 1])))


def centroid_of(outline: BaseGeometry) -> LonLat:
    c = outline.centroid
    return LonLat(float(c.x), float(c.y))


class ServiceRegion:
    """A WGS-84 (Multi)Polygon outline grown by ``margin_m`` metres."""

    def __init__(self, outline: Polygon | MultiPolygon, margin_m: float = DEFAULT_MARGIN_M) -> None:
        if outline.is_empty:
            raise ValueError("the service region needs a non-empty outline")
        if not margin_m >= 0.0:
            raise ValueError("margin_m must be ≥ 0")
        self.outline = outline
        self.margin_m = float(margin_m)
        self.frame = LocalFrame(centroid_of(outline))
        local = self.frame.to_local(outline).buffer(self.margin_m, quad_segs=_BUFFER_QUAD_SEGS)
        self.area: BaseGeometry = self.frame.to_wgs84(local)
        shapely.prepare(self.area)
        self._cells = _CellVerdicts(self.area)

    def contains(self, p: LonLat) -> bool:
        """True if ``p`` (WGS-84) lies inside the outline or within the margin (boundary counts)."""
        verdict = self._cells.verdict(p.lon, p.lat)
        if verdict is not None:
            return verdict
        return bool(shapely.intersects_xy(self.area, p.lon, p.lat))

    def contains_many(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        result: npt.NDArray[np.bool_] = shapely.intersects_xy(
            self.area, np.asarray(lons, float), np.asarray(lats, float)
        )
        return result


class _CellVerdicts:
    """A grid over the area's bounding box with each cell known to lie wholly inside the area,
    wholly outside it, or across its edge. Every request's point is checked against the region,
    and the exact test on a ~300-vertex outline costs more than the rest of locating it; with the
    grid only points in an edge cell pay for it."""

    def __init__(self, area: BaseGeometry, cells: int = 128) -> None:
        self._lon0, self._lat0, lon1, lat1 = area.bounds
        self._cells = cells
        self._per_lon = cells / max(lon1 - self._lon0, 1e-12)
        self._per_lat = cells / max(lat1 - self._lat0, 1e-12)
        cols, rows = np.meshgrid(np.arange(cells), np.arange(cells))
        boxes = shapely.box(
            self._lon0 + cols.ravel() / self._per_lon,
            self._lat0 + rows.ravel() / self._per_lat,
            self._lon0 + (cols.ravel() + 1) / self._per_lon,
            self._lat0 + (rows.ravel() + 1) / self._per_lat,
        )
        # A closed cell inside the area: every point of it, edges included, is inside. A closed
        # cell not meeting the area: none is. Both tests are on closed sets, as intersects_xy is.
        inside = shapely.contains(area, boxes) & ~shapely.intersects(area.boundary, boxes)
        outside = ~shapely.intersects(area, boxes)
        self._verdicts: list[bool | None] = [
            True if i else False if o else None
            for i, o in zip(inside.tolist(), outside.tolist(), strict=True)
        ]

    def verdict(self, lon: float, lat: float) -> bool | None:
        """True or False when the point's cell decides it; None when it needs the exact test:
        beyond the grid, or so near a cell's edge that rounding could misplace it."""
        x = (lon - self._lon0) * self._per_lon
        y = (lat - self._lat0) * self._per_lat
        col, row = int(x), int(y)
        if not (0 <= col < self._cells and 0 <= row < self._cells):
            return None
        if not (_EDGE < x - col < 1.0 - _EDGE and _EDGE < y - row < 1.0 - _EDGE):
            return None
        return self._verdicts[row * self._cells + col]


# A millionth of a cell (~mm): far beyond float rounding, far below any real point's precision.
_EDGE = 1e-6
