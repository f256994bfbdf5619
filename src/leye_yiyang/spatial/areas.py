"""Which community a point lies in: an STRtree over the community polygons."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry.base import BaseGeometry

from leye_yiyang.spatial.coords import LonLat


class AreaLocator:
    def __init__(self, codes: Sequence[str], polygons: Sequence[BaseGeometry]) -> None:
        self._codes = list(codes)
        self._polygons = list(polygons)
        for polygon in self._polygons:
            shapely.prepare(polygon)
        self._tree = shapely.STRtree(self._polygons)

    def locate(self, point: LonLat) -> str | None:
        """The code of the polygon containing the point; on a shared edge the lowest code wins."""
        hits = self._tree.query(shapely.Point(point.lon, point.lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return min(self._codes[int(i)] for i in hits)

    def locate_many(self, points: Sequence[LonLat]) -> list[str | None]:
        """`locate` for many points in one vectorised tree query (an import's rows)."""
        found: list[str | None] = [None] * len(points)
        if not points:
            return found
        geoms = shapely.points([p.lon for p in points], [p.lat for p in points])
        for i, j in zip(*self._tree.query(geoms, predicate="intersects"), strict=True):
            code = self._codes[int(j)]
            current = found[int(i)]
            if current is None or code < current:
                found[int(i)] = code
        return found

    def nearest(self, point: LonLat) -> str | None:
        """The nearest polygon, for points that fall in a sliver outside every community."""
        if not self._codes:
            return None
        index = self._tree.nearest(shapely.Point(point.lon, point.lat))
        return None if index is None else self._codes[int(index)]
