"""Conversions between WGS-84 (what we store) and the two obfuscated datums Chinese map apps use.

GCJ-02 (Amap, Tencent) and BD-09 (Baidu) are written here from the published formulas rather than
taken from a PyPI package: the candidates on PyPI are small single-author projects without
vectorised numpy versions, and the whole algorithm is ~40 lines.

The forward transforms are closed-form. Their inverses have no closed form, so they are solved by
fixed-point iteration ``w <- w - (f(w) - target)``: the offset varies by less than ~1 % per degree,
so each step shrinks the error ~100-fold and 3-5 steps reach 1e-12 degrees (≪ 0.1 mm).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from leye_yiyang.spatial.coords import LonLat

FloatArray = npt.NDArray[np.float64]
_Transform = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

# Krasovsky-like constants of the public GCJ-02 algorithm (not the WGS-84 ellipsoid).
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
_BD_DLON = 0.0065
_BD_DLAT = 0.006

_CHINA_LON = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)

# The inverses stop once forward(w) is within this of the target. The shift's derivative is
# ~3e-3, so the answer after that last step is ~3e-3 of it off: ~1e-12° (0.1 µm), and one fewer
# evaluation of the forward series than iterating the residual itself down to 1e-12°.
_INVERSE_TOL_DEG = 1e-9
_INVERSE_MAX_ITER = 10


class Datum(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def out_of_china(p: LonLat) -> bool:
    """True where GCJ-02 applies no offset (outside the algorithm's rough box around China)."""
    return not (_CHINA_LON[0] <= p.lon <= _CHINA_LON[1] and _CHINA_LAT[0] <= p.lat <= _CHINA_LAT[1])


def out_of_china_array(lons: FloatArray, lats: FloatArray) -> npt.NDArray[np.bool_]:
    lons = np.asarray(lons, dtype=np.float64)
    lats = np.asarray(lats, dtype=np.float64)
    return (
        (lons < _CHINA_LON[0])
        | (lons > _CHINA_LON[1])
        | (lats < _CHINA_LAT[0])
        | (lats > _CHINA_LAT[1])
    )


class _Ops(NamedTuple):
    """The handful of functions the formulas need, so one copy of each formula serves numpy arrays
    and plain floats (numpy on one point costs ~100 µs; math costs ~5 µs)."""

    sin: Callable[[Any], Any]
    cos: Callable[[Any], Any]
    sqrt: Callable[[Any], Any]
    abs: Callable[[Any], Any]
    radians: Callable[[Any], Any]
    hypot: Callable[[Any, Any], Any]
    atan2: Callable[[Any, Any], Any]


_NP = _Ops(np.sin, np.cos, np.sqrt, np.abs, np.radians, np.hypot, np.arctan2)
_MATH = _Ops(math.sin, math.cos, math.sqrt, abs, math.radians, math.hypot, math.atan2)


def _gcj_raw_offsets(x: Any, y: Any, m: _Ops) -> tuple[Any, Any]:
    """The two polynomial-plus-sine series, in the algorithm's pseudo-metres."""
    pi = math.pi
    common = (20.0 * m.sin(6.0 * x * pi) + 20.0 * m.sin(2.0 * x * pi)) * 2.0 / 3.0
    sqrt_abs_x = m.sqrt(m.abs(x))
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x + common
    dlat += (20.0 * m.sin(y * pi) + 40.0 * m.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * m.sin(y / 12.0 * pi) + 320.0 * m.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x + common
    dlon += (20.0 * m.sin(x * pi) + 40.0 * m.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * m.sin(x / 12.0 * pi) + 300.0 * m.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return dlon, dlat


def _gcj_shift(lons: Any, lats: Any, m: _Ops) -> tuple[Any, Any]:
    """GCJ-02 offset in degrees at a point inside China's box."""
    dlon, dlat = _gcj_raw_offsets(lons - 105.0, lats - 35.0, m)
    rad_lat = m.radians(lats)
    magic = 1.0 - _GCJ_EE * m.sin(rad_lat) ** 2
    sqrt_magic = m.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrt_magic * m.cos(rad_lat) * math.pi)
    return dlon, dlat


def _bd_forward(lons: Any, lats: Any, m: _Ops) -> tuple[Any, Any]:
    z = m.hypot(lons, lats) + 0.00002 * m.sin(lats * _X_PI)
    theta = m.atan2(lats, lons) + 0.000003 * m.cos(lons * _X_PI)
    return z * m.cos(theta) + _BD_DLON, z * m.sin(theta) + _BD_DLAT


def _wgs_to_gcj(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlon, dlat = _gcj_shift(lons, lats, _NP)
    outside = out_of_china_array(lons, lats)
    return np.where(outside, lons, lons + dlon), np.where(outside, lats, lats + dlat)


def _gcj_to_bd(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    lo, la = _bd_forward(lons, lats, _NP)
    return np.asarray(lo, dtype=np.float64), np.asarray(la, dtype=np.float64)


def _wgs_to_bd(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _gcj_to_bd(*_wgs_to_gcj(lons, lats))


def _invert(
    forward: _Transform, lons: FloatArray, lats: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Solve forward(w) == target by fixed-point iteration (the map is a near-identity shift)."""
    w_lon, w_lat = lons.copy(), lats.copy()
    for _ in range(_INVERSE_MAX_ITER):
        f_lon, f_lat = forward(w_lon, w_lat)
        r_lon, r_lat = f_lon - lons, f_lat - lats
        w_lon, w_lat = w_lon - r_lon, w_lat - r_lat
        worst = max(
            float(np.max(np.abs(r_lon), initial=0.0)), float(np.max(np.abs(r_lat), initial=0.0))
        )
        if worst < _INVERSE_TOL_DEG:
            break
    return w_lon, w_lat


def _gcj_to_wgs(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    w_lon, w_lat = _invert(_wgs_to_gcj, lons, lats)
    # The forward map leaves points outside the box alone, so the inverse must too.
    outside = out_of_china_array(lons, lats)
    return np.where(outside, lons, w_lon), np.where(outside, lats, w_lat)


def _bd_to_gcj(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _invert(_gcj_to_bd, lons, lats)


def _bd_to_wgs(lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _gcj_to_wgs(*_bd_to_gcj(lons, lats))


# ---- the same transforms on one point, with math instead of numpy ----


def _s_wgs_to_gcj(p: LonLat) -> LonLat:
    if out_of_china(p):
        return p
    dlon, dlat = _gcj_shift(p.lon, p.lat, _MATH)
    return LonLat(p.lon + dlon, p.lat + dlat)


def _s_gcj_to_bd(p: LonLat) -> LonLat:
    lon, lat = _bd_forward(p.lon, p.lat, _MATH)
    return LonLat(lon, lat)


def _s_invert(forward: Callable[[LonLat], LonLat], target: LonLat) -> LonLat:
    w = target
    for _ in range(_INVERSE_MAX_ITER):
        f = forward(w)
        r_lon, r_lat = f.lon - target.lon, f.lat - target.lat
        w = LonLat(w.lon - r_lon, w.lat - r_lat)
        if max(abs(r_lon), abs(r_lat)) < _INVERSE_TOL_DEG:
            break
    return w


def _s_gcj_to_wgs(p: LonLat) -> LonLat:
    return p if out_of_china(p) else _s_invert(_s_wgs_to_gcj, p)


def _s_bd_to_gcj(p: LonLat) -> LonLat:
    return _s_invert(_s_gcj_to_bd, p)


def _as_arrays(lons: npt.ArrayLike, lats: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    lo = np.asarray(lons, dtype=np.float64)
    la = np.asarray(lats, dtype=np.float64)
    if lo.shape != la.shape:
        raise ValueError("lons and lats must have the same shape")
    return lo, la


def from_wgs84_array(
    lons: npt.ArrayLike, lats: npt.ArrayLike, datum: Datum
) -> tuple[FloatArray, FloatArray]:
    """Vectorised WGS-84 -> ``datum``."""
    lo, la = _as_arrays(lons, lats)
    if datum is Datum.GCJ02:
        return _wgs_to_gcj(lo, la)
    if datum is Datum.BD09:
        return _wgs_to_bd(lo, la)
    return lo.copy(), la.copy()


def to_wgs84_array(
    lons: npt.ArrayLike, lats: npt.ArrayLike, datum: Datum
) -> tuple[FloatArray, FloatArray]:
    """Vectorised ``datum`` -> WGS-84."""
    lo, la = _as_arrays(lons, lats)
    if datum is Datum.GCJ02:
        return _gcj_to_wgs(lo, la)
    if datum is Datum.BD09:
        return _bd_to_wgs(lo, la)
    return lo.copy(), la.copy()


def wgs84_to_gcj02(p: LonLat) -> LonLat:
    return _s_wgs_to_gcj(p)


def gcj02_to_wgs84(p: LonLat) -> LonLat:
    return _s_gcj_to_wgs(p)


def gcj02_to_bd09(p: LonLat) -> LonLat:
    return _s_gcj_to_bd(p)


def bd09_to_gcj02(p: LonLat) -> LonLat:
    return _s_bd_to_gcj(p)


def wgs84_to_bd09(p: LonLat) -> LonLat:
    return _s_gcj_to_bd(_s_wgs_to_gcj(p))


def bd09_to_wgs84(p: LonLat) -> LonLat:
    return _s_gcj_to_wgs(_s_bd_to_gcj(p))


def to_wgs84(p: LonLat, datum: Datum) -> LonLat:
    """Convert a point given in ``datum`` (as a client app sends it) to WGS-84."""
    datum = Datum(datum)
    if datum is Datum.GCJ02:
        return gcj02_to_wgs84(p)
    if datum is Datum.BD09:
        return bd09_to_wgs84(p)
    return p


def from_wgs84(p: LonLat, datum: Datum) -> LonLat:
    """Convert a stored WGS-84 point to ``datum`` (as a client app expects it)."""
    datum = Datum(datum)
    if datum is Datum.GCJ02:
        return wgs84_to_gcj02(p)
    if datum is Datum.BD09:
        return wgs84_to_bd09(p)
    return p


def for_client(p: LonLat, datum: Datum) -> LonLat:
    """A stored WGS-84 point as an answer shows it: in the client's datum, rounded to 7
    decimals (~1 cm; more digits only carry the conversion's float noise)."""
    out = from_wgs84(p, datum)
    return LonLat(round(out.lon, 7), round(out.lat, 7))
