"""Where to build next: greedy maximal covering over candidate sites (default: every community's
representative point), reproducible for the same directory and request."""

from __future__ import annotations

from leye_yiyang.circles import schemas as c
from leye_yiyang.circles.service import resident_distances, travel_info
from leye_yiyang.geocode.points import check_coordinates, check_in_region
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import for_client, to_wgs84
from leye_yiyang.spatial.suggest import suggest_sites
from leye_yiyang.spatial.travel import TravelTimeModel


def _candidates(snap: DirectorySnapshot, req: c.SuggestRequest) -> tuple[list[LonLat], str]:
    geo = snap.geography
    if req.candidates is None:
        return [a.centroid for a in geo.communities], "community_centroids"
    points = []
    for i, cand in enumerate(req.candidates):
        check_coordinates(cand.lon, cand.lat)
        wgs = to_wgs84(LonLat(cand.lon, cand.lat), req.crs)
        try:
            check_in_region(wgs, geo.region, geo.district_name)
        except Exception as exc:
            exc.field = f"candidates[{i}]"  # type: ignore[attr-defined]
            raise
        points.append(wgs)
    return points, "request"


def suggest(
    snap: DirectorySnapshot, model: TravelTimeModel, req: c.SuggestRequest
) -> c.SuggestResult:
    geo = snap.geography
    reach = model.reach_m(req.mode, req.minutes)
    candidates, source = _candidates(snap, req)
    distances = resident_distances(snap, req.kind, reach)
    weights = geo.residents.weights
    population = sum(a.population for a in geo.communities)
    covered = float(weights[distances <= reach].sum())
    picks = suggest_sites(geo.residents, distances, candidates, reach, req.sites)
    sites = []
    running = covered
    locator = geo.locator
    for rank, pick in enumerate(picks, start=1):
        running += pick.newly_covered
        out = for_client(pick.point, req.crs)
        code = locator.locate(pick.point)
        sites.append(
            c.SuggestedSite(
                rank=rank,
                lon=out.lon,
                lat=out.lat,
                crs=req.crs,
                area_code=code,
                area_name=geo.areas[code].name if code else None,
                newly_covered=round(pick.newly_covered),
                covered_after=round(running),
                share_after=round(running / population, 4) if population else 0.0,
            )
        )
    return c.SuggestResult(
        kind=req.kind,
        travel=travel_info(model, req.mode, req.minutes),
        candidates_considered=len(candidates),
        candidate_source=source,
        covered_before=round(covered),
        population=population,
        sites=sites,
    )
