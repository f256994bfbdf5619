"""The request's view of the read model: one snapshot and the travel-time model."""

from __future__ import annotations

from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.travel import TravelTimeModel


class GeoContext:
    """What a geo request needs: one snapshot (taken once, so the request sees one consistent
    directory) and the travel-time model. One dependency rather than two: litestar resolves
    sibling dependencies in a task group, which costs more than the nearby search itself."""

    __slots__ = ("snapshot", "travel")

    def __init__(self, snapshot: DirectorySnapshot, travel: TravelTimeModel) -> None:
        self.snapshot = snapshot
        self.travel = travel
