"""Reading the geography that does not change with the directory: areas from the database, the
service region, resident points and the gazetteer's place names from the geography folder, whose
district.json says what is particular to the district (buffer, seed, address preamble)."""

from __future__ import annotations

from pathlib import Path

import msgspec
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.district import DistrictFileError, read_district
from leye_yiyang.geocode.gazetteer import entries_from_geojson
from leye_yiyang.models import Area
from leye_yiyang.snapshot.views import AreaView, Geography
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.coverage import distribute_residents
from leye_yiyang.spatial.region import ServiceRegion


def load_geography(session: Session, geo_dir: Path, points_per_person: float) -> Geography:
    district_file = read_district(geo_dir)
    areas: dict[str, AreaView] = {}
    district: AreaView | None = None
    for a in session.scalars(select(Area).order_by(Area.code)):
        view = AreaView(
            code=a.code,
            name=a.name,
            level=a.level,
            parent_code=a.parent_code,
            population=a.population,
            population_60_plus=a.population_60_plus,
            population_0_3=a.population_0_3,
            centroid=LonLat(a.centroid_lon, a.centroid_lat),
            geometry=shape(a.geometry),
        )
        areas[a.code] = view
        if a.level == "district":
            district = view
    if district is None:
        raise RuntimeError("no district area loaded: run `leye-yiyang fixtures load`")
    if district.code != district_file.code:
        raise DistrictFileError(
            f"{geo_dir}/district.json names {district_file.code} but the database holds "
            f"{district.code} {district.name}: load this folder's areas (`leye-yiyang fixtures "
            "load`) or point LEYE_GEO_DIR at the folder they came from"
        )
    communities = [a for a in areas.values() if a.is_leaf]
    residents = distribute_residents(
        [a.geometry for a in communities],
        [a.population for a in communities],
        points_per_person,
        seed=district_file.resident_seed,
    )
    layers = [
        msgspec.json.decode((geo_dir / name).read_bytes())
        for name in ("subdistricts.geojson", "communities.geojson", "places.geojson")
    ]
    return Geography(
        areas=areas,
        communities=communities,
        region=ServiceRegion(district.geometry, district_file.service_buffer_m),
        district_name=district.name,
        district=district_file,
        locator=AreaLocator([a.code for a in communities], [a.geometry for a in communities]),
        residents=residents,
        places=entries_from_geojson(*layers),
    )
