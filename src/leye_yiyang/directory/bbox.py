"""The `bbox` filter: a map view asks only for what it shows.

`bbox=min_lon,min_lat,max_lon,max_lat` in the request's datum (as Leaflet's
`getBounds().toBBoxString()` writes it), turned into a WGS-84 box to filter stored points."""

from __future__ import annotations

import math

import msgspec

from leye_yiyang.errors import InvalidInput
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, to_wgs84

# GCJ-02 and BD-09 move a point by up to ~700 m from WGS-84 and not uniformly: a box converted by
# its corners alone can cut off points near its edges, so the converted box grows by this margin
# (degrees, ~1.1 km) and the exact test is left to the map, which only draws what is in view.
_DATUM_MARGIN_DEG = 0.01


class BBox(msgspec.Struct, frozen=True):
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def _bad(zh: str, en: str) -> InvalidInput:
    return InvalidInput(
        f"bbox 无效：{zh}（格式 min_lon,min_lat,max_lon,max_lat）",
        f"Invalid bbox: {en} (format min_lon,min_lat,max_lon,max_lat)",
        code="invalid_bbox",
        field="bbox",
    )


def parse_bbox(raw: str, datum: Datum = Datum.WGS84) -> BBox:
    """Parse and check a bbox given in `datum`; answer it in WGS-84."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise _bad(f"须为 4 个数，收到 {len(parts)} 个", f"expected 4 numbers, got {len(parts)}")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise _bad("含有非数字", "not all parts are numbers") from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise _bad("须为有限数值", "numbers must be finite")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise _bad("经度须在 −180…180", "longitudes must be within −180…180")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise _bad("纬度须在 −90…90", "latitudes must be within −90…90")
    if not (min_lon < max_lon and min_lat < max_lat):
        raise _bad("最小值须小于最大值", "each minimum must be less than its maximum")
    if datum is Datum.WGS84:
        return BBox(min_lon, min_lat, max_lon, max_lat)
    low = to_wgs84(LonLat(min_lon, min_lat), datum)
    high = to_wgs84(LonLat(max_lon, max_lat), datum)
    m = _DATUM_MARGIN_DEG
    return BBox(
        max(-180.0, low.lon - m),
        max(-90.0, low.lat - m),
        min(180.0, high.lon + m),
        min(90.0, high.lat + m),
    )
