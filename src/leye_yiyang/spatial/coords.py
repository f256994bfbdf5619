"""The one coordinate type of the project: longitude first, WGS-84 unless a name says otherwise."""

from __future__ import annotations

from typing import NamedTuple


class LonLat(NamedTuple):
    lon: float
    lat: float

    def latlon(self) -> tuple[float, float]:
        """geopy (and only geopy) wants latitude first: the one place that flips the order."""
        return (self.lat, self.lon)
