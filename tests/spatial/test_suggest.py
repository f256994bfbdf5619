"""Greedy site suggestions: deterministic, and each pick is the best one available."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import box

from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.coverage import Residents, distribute_residents, nearest_distances
from leye_yiyang.spatial.geodesic import distance_m, distances_m
from leye_yiyang.spatial.suggest import Suggestion, grid_candidates, suggest_sites

AREA = box(120.10, 33.35, 120.20, 33.43)
REACH = 720.0


def _setup() -> tuple[Residents, np.ndarray, list[LonLat]]:
    parts = [box(120.10, 33.35, 120.13, 33.38), box(120.15, 33.39, 120.20, 33.43), AREA]
    res = distribute_residents(parts, [8_000, 12_000, 20_000], 0.05, seed=2)
    existing = nearest_distances(res.lons, res.lats, np.array([120.12]), np.array([33.37]), REACH)
    return res, existing, grid_candidates(AREA, 800.0)


def _brute_gains(res: Residents, open_weight: np.ndarray, cands: list[LonLat]) -> np.ndarray:
    return np.array([open_weight[distances_m(c, res.lons, res.lats) <= REACH].sum() for c in cands])


def test_suggestions_are_reproducible() -> None:
    res, existing, cands = _setup()
    first = suggest_sites(res, existing, cands, REACH, 5)
    again = suggest_sites(res, existing, cands, REACH, 5)
    assert first == again
    assert len(first) == 5
    assert all(isinstance(s, Suggestion) for s in first)


def test_each_pick_is_the_best_remaining_candidate() -> None:
    res, existing, cands = _setup()
    picks = suggest_sites(res, existing, cands, REACH, 4)
    assert len(picks) == 4
    open_weight = np.where(existing <= REACH, 0.0, res.weights)
    for pick in picks:
        gains = _brute_gains(res, open_weight, cands)
        assert pick.candidate_index == int(np.argmax(gains))  # first maximum: lowest index
        assert pick.newly_covered == pytest.approx(gains.max())
        assert pick.point == cands[pick.candidate_index]
        open_weight[distances_m(pick.point, res.lons, res.lats) <= REACH] = 0.0
    gains = [p.newly_covered for p in picks]
    assert gains == sorted(gains, reverse=True)


def test_ties_go_to_the_lowest_candidate_index() -> None:
    res = Residents(np.array([120.15]), np.array([33.40]), np.array([7.0]), np.array([0]))
    same = LonLat(120.151, 33.40)
    picks = suggest_sites(res, np.array([np.inf]), [LonLat(121.0, 34.0), same, same], REACH, 3)
    assert picks == [Suggestion(same, 7.0, 1)]  # then nothing is left to cover: it stops


def test_nothing_to_suggest() -> None:
    res, _, cands = _setup()
    covered = np.zeros(len(res))
    assert suggest_sites(res, covered, cands, REACH, 3) == []
    assert suggest_sites(res, np.full(len(res), np.inf), [], REACH, 3) == []
    assert suggest_sites(res, np.full(len(res), np.inf), cands, REACH, 0) == []
    with pytest.raises(ValueError, match="one existing distance"):
        suggest_sites(res, np.zeros(3), cands, REACH, 1)


def test_grid_candidates_are_inside_and_spaced() -> None:
    cands = grid_candidates(AREA, 1_000.0)
    assert 80 <= len(cands) <= 100  # ~9.3 km × 8.9 km
    assert all(shapely.contains_xy(AREA, c.lon, c.lat) for c in cands)
    assert distance_m(cands[0], cands[1]) == pytest.approx(1_000.0, rel=1e-3)
    assert cands == sorted(cands, key=lambda c: (round(c.lat, 3), c.lon))  # south-west first
    tiny = box(120.1, 33.4, 120.1001, 33.4001)
    assert len(grid_candidates(tiny, 1_000.0)) == 1
    with pytest.raises(ValueError, match="positive"):
        grid_candidates(AREA, 0.0)
