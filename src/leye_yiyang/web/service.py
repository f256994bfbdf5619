"""The map's configuration and the pages' Content-Security-Policy. Framework-free."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast
from urllib.parse import urlsplit

from shapely.geometry import shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leye_yiyang.district import read_district
from leye_yiyang.models import Area, DirectoryState, Facility
from leye_yiyang.settings import Settings
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.spatial.travel import TravelMode
from leye_yiyang.vocab import KIND_LABELS, FacilityKind, FacilityStatus
from leye_yiyang.web import schemas as w

# What a map view may ask for at once; the page says "zoom in" past it.
MAX_MARKERS = 5000

_BASE_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data: blob:",
    "style-src": "'self'",
    "script-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def basemap_source(url: str) -> str:
    """The CSP source for a tile URL template: its origin, a `{s}` subdomain as a wildcard."""
    parts = urlsplit(url)
    host = parts.netloc
    if "{s}" in host:
        labels = host.split(".")
        host = ".".join("*" if "{s}" in label else label for label in labels)
    return f"{parts.scheme}://{host}"


def content_security_policy(settings: Settings, *, inline_styles: bool = False) -> str:
    """Only the server itself, and the basemap's tile host for images when one is configured.

    `inline_styles` is for the Redoc page alone: its styled-components write `<style>` elements
    at run time and render nothing without them, and its search runs in a worker made from a
    blob. Scripts stay file-only there too."""
    policy = dict(_BASE_POLICY)
    if settings.basemap_url:
        policy["img-src"] += " " + basemap_source(settings.basemap_url)
    if inline_styles:
        policy["style-src"] = "'self' 'unsafe-inline'"
        policy["worker-src"] = "'self' blob:"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def map_config(session: Session, settings: Settings) -> w.MapConfig:
    version = session.scalar(select(DirectoryState.version).where(DirectoryState.id == 1)) or 0
    count, latest, oldest = session.execute(
        select(func.count(), func.max(Facility.verified_at), func.min(Facility.verified_at)).where(
            Facility.status == FacilityStatus.ACTIVE.value
        )
    ).one()
    crs = cast(Literal["wgs84", "gcj02"], settings.basemap_crs)
    basemap = None
    if settings.basemap_url:
        basemap = w.Basemap(
            url=settings.basemap_url,
            crs=crs,
            attribution=settings.basemap_attribution,
            subdomains=settings.basemap_subdomains,
        )
    district = read_district(Path(settings.geo_dir))
    return w.MapConfig(
        district_zh=district.name_zh,
        district_en=district.name_en,
        basemap=basemap,
        crs=crs if basemap else "wgs84",
        kinds=[w.KindInfo(code=k.value, label_zh=KIND_LABELS[k]) for k in FacilityKind],
        modes=[m.value for m in TravelMode],
        freshness=w.Freshness(
            directory_version=int(version),
            facilities=int(count),
            latest_verified_at=latest,
            oldest_verified_at=oldest,
        ),
        max_markers=MAX_MARKERS,
        bounds=district_bounds(session, Datum(crs if basemap else "wgs84")),
    )


def district_bounds(session: Session, datum: Datum) -> tuple[float, float, float, float] | None:
    geometry = session.scalar(select(Area.geometry).where(Area.level == "district").limit(1))
    if geometry is None:
        return None
    min_lon, min_lat, max_lon, max_lat = shape(geometry).bounds
    low = for_client(LonLat(min_lon, min_lat), datum)
    high = for_client(LonLat(max_lon, max_lat), datum)
    return (low.lon, low.lat, high.lon, high.lat)
