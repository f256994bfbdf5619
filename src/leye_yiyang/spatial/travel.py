"""Travel time from geodesic distance: "how many minutes away is this meal hall?"

The built-in model is the crow-flies model the planning standards themselves reason with::

    minutes = geodesic_distance * detour_factor / speed

Numbers and why:

* **walk, 60 m/min (3.6 km/h), detour 1.25.** GB 50180-2018's commentary plans with ~60 m/min, and
  its 15-minute life circle is stated as 800–1,000 m of *walking distance*. 15 min × 60 m/min =
  900 m of path, the middle of that range. Paths in Chinese urban grids are 1.2–1.4 × the
  straight line; with 1.25 the 900 m path reaches 720 m in a straight line. (The standard's
  5-minute circle, ~300 m, is 5 × 60 = 300 m of path, i.e. 240 m straight-line.)
* **senior_walk, 45 m/min, detour 1.25.** Elderly walking is ~40–50 m/min; same streets.
* **stroller, 50 m/min, detour 1.25.** A parent pushing a stroller is slowed by kerbs and crowds,
  about like a senior.
* **ebike, 250 m/min (15 km/h), detour 1.3.** The e-bike is the everyday vehicle in Yancheng;
  15 km/h is a moderate urban speed below the 25 km/h legal cap; roads detour a little more.
* **car, 400 m/min (24 km/h), detour 1.4.** A typical urban average including junctions and
  parking; one-way streets make the detour larger.

For every mode, minutes are a strictly increasing function of geodesic distance, so ranking by
travel time is the same as ranking by geodesic distance, and "reachable in t minutes" is "within
``reach_m(mode, t)`` metres". The spatial index can therefore answer travel-time questions with
exact geodesic queries. A deployment can plug a road router in behind :class:`TravelTimeModel`
(``create_app(settings, travel_model=...)``); its ``reach_m`` must then return an upper bound on
the straight-line distance reachable, so that index queries bounded by it never miss a facility,
and its ``profile`` the figures answers show (an average speed and detour for a router).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Polygon

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import GEOD

FloatArray = npt.NDArray[np.float64]


class TravelMode(StrEnum):
    WALK = "walk"
    SENIOR_WALK = "senior_walk"
    STROLLER = "stroller"
    EBIKE = "ebike"
    CAR = "car"


@dataclass(frozen=True)
class TravelProfile:
    mode: TravelMode
    speed_m_per_min: float
    detour_factor: float
    label_zh: str
    label_en: str

    def reach_m(self, minutes: float) -> float:
        """Straight-line metres covered in ``minutes`` (path metres / detour)."""
        return max(0.0, minutes) * self.speed_m_per_min / self.detour_factor

    def minutes(self, distances_m: FloatArray) -> FloatArray:
        d = np.asarray(distances_m, dtype=np.float64)
        return d * (self.detour_factor / self.speed_m_per_min)


PROFILES: Mapping[TravelMode, TravelProfile] = {
    p.mode: p
    for p in (
        TravelProfile(TravelMode.WALK, 60.0, 1.25, "步行", "Walking"),
        TravelProfile(TravelMode.SENIOR_WALK, 45.0, 1.25, "老年人步行", "Senior walking"),
        TravelProfile(TravelMode.STROLLER, 50.0, 1.25, "推婴儿车", "With a stroller"),
        TravelProfile(TravelMode.EBIKE, 250.0, 1.3, "电动自行车", "E-bike"),
        TravelProfile(TravelMode.CAR, 400.0, 1.4, "驾车", "Car"),
    )
}


@runtime_checkable
class TravelTimeModel(Protocol):
    """What the rest of the system needs from a travel-time model."""

    def profile(self, mode: TravelMode) -> TravelProfile:
        """The mode's name and the speed and detour answers report (for a router: averages)."""
        ...

    def reach_m(self, mode: TravelMode, minutes: float) -> float:
        """Upper bound on the geodesic metres reachable in ``minutes`` (bounds index queries)."""
        ...

    def minutes(self, mode: TravelMode, distances_m: FloatArray) -> FloatArray:
        """Travel minutes for each geodesic distance."""
        ...

    def reachable_area(self, mode: TravelMode, origin: LonLat, minutes: float) -> Polygon:
        """The WGS-84 area reachable from ``origin`` in ``minutes``."""
        ...


class CrowFliesModel:
    """Geodesic distance × detour factor ÷ speed; the reachable area is a geodesic circle."""

    def __init__(
        self, profiles: Mapping[TravelMode, TravelProfile] = PROFILES, vertices: int = 72
    ) -> None:
        missing = set(TravelMode) - set(profiles)
        if missing:
            raise ValueError(f"no profile for {sorted(missing)}")
        if vertices < 3:
            raise ValueError("a polygon needs at least 3 vertices")
        self.profiles = dict(profiles)
        self.vertices = vertices

    def profile(self, mode: TravelMode) -> TravelProfile:
        return self.profiles[TravelMode(mode)]

    def reach_m(self, mode: TravelMode, minutes: float) -> float:
        return self.profile(mode).reach_m(minutes)

    def minutes(self, mode: TravelMode, distances_m: FloatArray) -> FloatArray:
        return self.profile(mode).minutes(distances_m)

    def reachable_area(self, mode: TravelMode, origin: LonLat, minutes: float) -> Polygon:
        radius = self.reach_m(mode, minutes)
        n = self.vertices
        # Clockwise azimuths from north give a counter-clockwise ring in lon/lat once reversed.
        azimuths = np.linspace(360.0, 0.0, n, endpoint=False)
        lons, lats, _ = GEOD.fwd(
            np.full(n, origin.lon), np.full(n, origin.lat), azimuths, np.full(n, radius)
        )
        ring = np.column_stack([np.asarray(lons), np.asarray(lats)])
        return shapely.polygons(ring)
