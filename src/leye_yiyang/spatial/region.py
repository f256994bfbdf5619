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

    def contains(self, p: LonLat) -> bool:
        """True if ``p`` (WGS-84) lies inside the outline or within the margin (boundary counts)."""
        return bool(shapely.intersects_xy(self.area, p.lon, p.lat))

    def contains_many(self, lons: npt.ArrayLike, lats: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        result: npt.NDArray[np.bool_] = shapely.intersects_xy(
            self.area, np.asarray(lons, float), np.asarray(lats, float)
        )
        return result
