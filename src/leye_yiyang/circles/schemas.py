"""Edge types of the geo engine: nearby, circles, coverage, suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from leye_yiyang.geocode.points import Located
from leye_yiyang.geojson import AnyGeometry
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.spatial.travel import TravelMode
from leye_yiyang.vocab import FacilityKind, FacilityStatus

Minutes = Annotated[float, Meta(gt=0, le=180, description="travel minutes (0–180]")]


class Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class TravelInfo(Out, frozen=True, kw_only=True):
    mode: TravelMode
    speed_m_per_min: float
    detour_factor: float
    minutes: float | None
    reach_m: float | None


class FacilityBrief(Out, frozen=True, kw_only=True):
    id: int
    kind: FacilityKind
    name: str
    address: str
    lon: float
    lat: float
    area_code: str
    status: FacilityStatus
    phone: str
    places_free: int
    # So a resident can judge how current the entry is; None: never verified.
    verified_at: dt.datetime | None = None


class NearbyItem(Out, frozen=True, kw_only=True):
    facility: FacilityBrief
    distance_m: float
    travel_minutes: float
    open: bool
    next_opening: dt.datetime | None


class NearbyResult(Out, frozen=True, kw_only=True):
    origin: Located
    travel: TravelInfo
    open_at: dt.datetime
    items: list[NearbyItem]


# What nearby actually encodes: NearbyResult with each facility brief as JSON bytes encoded once
# per snapshot. Re-encoding ten briefs per request (Chinese names and addresses transcoded to
# UTF-8 every time) was a sixth of the request at 100,000 facilities. Not in the OpenAPI
# document; tests decode every answer strictly as NearbyResult.
class NearbyItemWire(msgspec.Struct, frozen=True, kw_only=True):
    facility: msgspec.Raw
    distance_m: float
    travel_minutes: float
    open: bool
    next_opening: dt.datetime | None


class NearbyResultWire(msgspec.Struct, frozen=True, kw_only=True):
    origin: Located
    travel: TravelInfo
    open_at: dt.datetime
    items: list[NearbyItemWire]


class CircleMember(Out, frozen=True, kw_only=True):
    id: int
    name: str
    distance_m: float
    travel_minutes: float


class StandardCheck(Out, frozen=True, kw_only=True):
    level: str
    minutes: float
    required: list[str]
    present: list[str]
    missing: list[str]
    missing_labels_zh: list[str]


class CircleResult(Out, frozen=True, kw_only=True):
    origin: Located
    travel: TravelInfo
    area: AnyGeometry
    facilities: dict[str, list[CircleMember]]
    standards: list[StandardCheck]


class CommunityCoverage(Out, frozen=True, kw_only=True):
    code: str
    name: str
    parent_code: str | None
    population: int
    covered_population: int
    share: float
    nearest_facility_m: float | None


class CoverageResult(Out, frozen=True, kw_only=True):
    kind: FacilityKind
    travel: TravelInfo
    directory_version: int
    resident_points: int
    population: int
    covered_population: int
    share: float
    communities: list[CommunityCoverage]


class Candidate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    lon: Annotated[float, Meta(ge=-180, le=180)]
    lat: Annotated[float, Meta(ge=-90, le=90)]


class SuggestRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: FacilityKind
    minutes: Minutes = 15
    mode: TravelMode = TravelMode.WALK
    sites: Annotated[int, Meta(ge=1, le=20)] = 3
    candidates: Annotated[list[Candidate], Meta(max_length=5000)] | None = None
    crs: Datum = Datum.WGS84


class SuggestedSite(Out, frozen=True, kw_only=True):
    rank: int
    lon: float
    lat: float
    crs: Datum
    area_code: str | None
    area_name: str | None
    newly_covered: int
    covered_after: int
    share_after: float


class SuggestResult(Out, frozen=True, kw_only=True):
    kind: FacilityKind
    travel: TravelInfo
    candidates_considered: int
    candidate_source: str
    covered_before: int
    population: int
    sites: list[SuggestedSite]
