"""Online geocoding behind the same ``Resolution`` answer as the offline geocoder.

Chinese map services answer in their own obfuscated datums (Baidu in BD-09, Amap and Tencent in
GCJ-02); storing such a point unconverted puts it several hundred metres off. The wrapper therefore
knows the datum of the service it wraps and converts every result to WGS-84 before anything else
sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.geocoders import BaiduV3
from geopy.location import Location

from leye_yiyang.district import District
from leye_yiyang.errors import Unavailable
from leye_yiyang.geocode.gazetteer import NATIONAL_PREFIXES, Entry, Prefixes, normalize
from leye_yiyang.geocode.geocoder import (
    Match,
    OfflineGeocoder,
    Resolution,
    kind_rank,
    not_found,
    query_too_long,
)
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, to_wgs84

_RANK_STEP = 0.05


class AddressResolver(Protocol):
    """What the HTTP layer needs: text in, ``Resolution`` out."""

    def resolve(self, query: str) -> Resolution: ...


def _score(raw: Mapping[str, Any], rank: int) -> float:
    """The service's own confidence where it gives one, else a rank-based guess."""
    # Baidu reports confidence 0..100, Nominatim an importance 0..1.
    if isinstance(raw.get("confidence"), int | float):
        return max(0.0, min(1.0, float(raw["confidence"]) / 100.0))
    if isinstance(raw.get("importance"), int | float):
        return max(0.0, min(1.0, float(raw["importance"])))
    return max(0.0, 1.0 - _RANK_STEP * rank)


class DatumAwareGeocoder:
    """Any geopy geocoder, with results converted from the service's datum to WGS-84.

    Online services search all of China: a bare "解放南路" needs `context` (the district's
    District.full_name, 江苏省盐城市亭湖区) to mean ours, unless it already holds one of
    `markers` (盐城, 亭湖)."""

    def __init__(
        self,
        geocoder: Any,  # a geopy Geocoder; geopy has no type information
        datum: Datum,
        *,
        context: str = "",
        markers: tuple[str, ...] = (),
        prefixes: Prefixes = NATIONAL_PREFIXES,
        timeout: float | None = None,
        many: bool = True,
    ) -> None:
        self._geocoder = geocoder
        self.datum = Datum(datum)
        self._context = context
        self._markers = markers
        self._prefixes = prefixes
        self._timeout = timeout
        # Whether the service answers a list: geopy's BaiduV3 asked for one (exactly_one=False)
        # iterates the keys of the single result Baidu sends.
        self._many = many

    @classmethod
    def for_district(
        cls,
        geocoder: Any,
        datum: Datum,
        district: District,
        timeout: float | None = None,
        many: bool = True,
    ) -> DatumAwareGeocoder:
        return cls(
            geocoder,
            datum,
            context=district.full_name,
            markers=district.markers,
            prefixes=district.prefixes,
            timeout=timeout,
            many=many,
        )

    def resolve(self, query: str) -> Resolution:
        """found (best first, all results as candidates) or not_found; service errors (geopy's
        GeocoderServiceError and friends) propagate so the caller can answer 502/503."""
        if query_too_long(query):
            return not_found(query)
        n = normalize(query, self._prefixes)
        if len(n) < 2:
            return not_found(query, n)
        text = query.strip()
        if self._context and not any(m in text for m in self._markers):
            text = self._context + text
        result = self._geocoder.geocode(text, exactly_one=not self._many, timeout=self._timeout)
        locations = _as_list(result)
        if not locations:
            return not_found(query, n)
        matches = [self._match(loc, rank) for rank, loc in enumerate(locations)]
        matches.sort(key=lambda m: (-m.score, kind_rank(m.kind)))
        return Resolution("found", query, n, matches[0], matches)

    def _match(self, location: Location, rank: int) -> Match:
        raw: Mapping[str, Any] = location.raw if isinstance(location.raw, Mapping) else {}
        service_point = LonLat(float(location.longitude), float(location.latitude))
        wgs = to_wgs84(service_point, self.datum)
        ident = raw.get("uid") or raw.get("place_id") or rank
        return Match(
            key=f"online:{self.datum.value}:{ident}",
            name=str(location.address),
            kind="online",
            point=(wgs.lon, wgs.lat),
            area_code=None,
            matched=f"在线地理编码（{self.datum.value} → WGS-84）：{location.address}",
            score=round(_score(raw, rank), 4),
        )


def _as_list(result: Any) -> list[Location]:
    if result is None:
        return []
    if isinstance(result, Location):
        return [result]
    return list(result)


ONLINE = ("baidu",)
"""The online services `online_geocoder` can wrap (LEYE_GEOCODER)."""


def online_geocoder(
    name: str,
    api_key: str,
    district: District,
    *,
    base_url: str | None = None,
    timeout: float = 5.0,
) -> DatumAwareGeocoder:
    """The named online service behind the datum-aware wrapper. `base_url` sends its requests
    elsewhere than the provider's host (a regional proxy; a test's fake of the service)."""
    choice = name.strip().lower()
    if choice != "baidu":
        raise ValueError(f"unknown online geocoder {name!r}: expected one of {', '.join(ONLINE)}")
    if not api_key:
        raise ValueError("the baidu geocoder needs an api_key (Baidu Maps AK)")
    scheme = urlsplit(base_url).scheme if base_url else "https"
    service = BaiduV3(api_key=api_key, scheme=scheme, timeout=timeout)
    if base_url:
        # geopy fixes Baidu's host in the URL it builds; the path and parameters stay Baidu's.
        service.api = base_url.rstrip("/") + service.api_path
    return DatumAwareGeocoder.for_district(
        service, Datum.BD09, district, timeout=timeout, many=False
    )


class OfflineFirst:
    """The offline gazetteer first (it knows the district's own communities, named places and
    every facility, and answers without a network); the online service only for what it does
    not know. A service failure is a 503, never a silent "not found"."""

    def __init__(self, offline: AddressResolver, online: AddressResolver) -> None:
        self.offline = offline
        self.online = online

    def resolve(self, query: str) -> Resolution:
        result = self.offline.resolve(query)
        if result.status != "not_found":
            return result
        try:
            return self.online.resolve(query)
        except GeopyError:
            raise Unavailable(
                "在线地理编码服务暂时不可用，请稍后再试，或改用经纬度",
                "The online geocoder is unavailable; try again later, or send lon/lat",
                code="geocoder_unavailable",
                field="address",
            ) from None


def build_geocoder(
    name: str,
    entries: Iterable[Entry],
    api_key: str | None,
    district: District,
    base_url: str | None = None,
) -> OfflineGeocoder | OfflineFirst:
    """Choose "offline" (the default, no network) or an online service (`ONLINE`) behind the
    offline gazetteer. Both provide ``resolve(query) -> Resolution``."""
    offline = OfflineGeocoder(entries, prefixes=district.prefixes, preamble=district.full_name)
    choice = (name or "offline").strip().lower()
    if choice == "offline":
        return offline
    if choice not in ONLINE:
        raise ValueError(f"unknown geocoder {name!r}: expected 'offline' or {', '.join(ONLINE)}")
    online = online_geocoder(choice, api_key or "", district, base_url=base_url)
    return OfflineFirst(offline, online)
