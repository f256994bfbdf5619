"""Brute-force references and the ranking checker shared by the spatial tests.

The reference distances come from geopy (geographiclib, pure Python), independent of the pyproj
code under test. Both implement Karney's algorithm, so they agree to ~1e-9 m; the checker demands
the exact same ids in the exact same order except where two reference distances are within
``TOL`` of each other, where either order is a correct answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.geodesic import geopy_distance_m
from leye_yiyang.spatial.index import Hit

TOL = 1e-6  # metres

DISTRICT_LON = (119.98, 120.55)
DISTRICT_LAT = (33.16, 33.81)


def geopy_truth(
    origin: LonLat, ids: Iterable[int], lons: Iterable[float], lats: Iterable[float]
) -> dict[int, float]:
    return {
        int(i): geopy_distance_m(origin, LonLat(float(lo), float(la)))
        for i, lo, la in zip(ids, lons, lats, strict=True)
    }


def check_ranking(
    hits: list[Hit],
    truth: dict[int, float],
    k: int | None,
    cap: float = math.inf,
    accept: Callable[[int], bool] | None = None,
) -> None:
    """Assert ``hits`` is the brute-force answer: the k accepted points nearest, within ``cap``."""
    ok = accept or (lambda _i: True)
    eligible = sorted((d, i) for i, d in truth.items() if ok(i) and d <= cap + TOL)
    sure = [e for e in eligible if e[0] <= cap - TOL]
    limit = len(eligible) if k is None else k
    assert min(limit, len(sure)) <= len(hits) <= min(limit, len(eligible)), (hits, eligible[:5])
    ids = [h.id for h in hits]
    assert len(set(ids)) == len(ids), "an id is repeated"
    assert [(h.distance_m, h.id) for h in hits] == sorted((h.distance_m, h.id) for h in hits)
    for pos, hit in enumerate(hits):
        assert ok(hit.id), f"id {hit.id} was not accepted"
        assert abs(hit.distance_m - truth[hit.id]) <= TOL, (hit, truth[hit.id])
        want_d, want_id = eligible[pos]
        assert abs(hit.distance_m - want_d) <= TOL, (pos, hit, eligible[pos])
        neighbours = [eligible[j][0] for j in (pos - 1, pos + 1) if 0 <= j < len(eligible)]
        if not any(abs(d - want_d) <= TOL for d in neighbours):
            assert hit.id == want_id, (pos, hit, eligible[pos])


def brute_nearest_distances(
    r_lons: np.ndarray, r_lats: np.ndarray, f_lons: np.ndarray, f_lats: np.ndarray, cap: float
) -> list[float]:
    out = []
    for rlo, rla in zip(r_lons.tolist(), r_lats.tolist(), strict=True):
        best = math.inf
        for flo, fla in zip(f_lons.tolist(), f_lats.tolist(), strict=True):
            best = min(best, geopy_distance_m(LonLat(rlo, rla), LonLat(flo, fla)))
        out.append(best if best <= cap else math.inf)
    return out
