"""The compact page a map asks for on every move, answered from the in-memory snapshot when it
can be: the active facilities of a kind inside a box. The database answers the same question by
scanning every row (SQLite: ~0.9 s at 100,000 facilities, whatever the box); the snapshot's
coordinate arrays answer it in a few milliseconds. Same rows, same order (by id) as
`service.facility_points`, which answers every other filter."""

from __future__ import annotations

import numpy as np

from leye_yiyang.directory import schemas as s
from leye_yiyang.directory.bbox import BBox
from leye_yiyang.snapshot.views import DirectorySnapshot
from leye_yiyang.spatial.datums import Datum, for_client
from leye_yiyang.vocab import FacilityKind


def active_points_in_box(
    snap: DirectorySnapshot,
    kind: FacilityKind | None,
    box: BBox | None,
    limit: int,
    offset: int,
    datum: Datum = Datum.WGS84,
) -> s.FacilityPoints:
    index = snap.index(kind)  # active facilities only
    ids, lons, lats = index.ids, index.lons, index.lats
    if box is not None:
        inside = (
            (lons >= box.min_lon)
            & (lons <= box.max_lon)
            & (lats >= box.min_lat)
            & (lats <= box.max_lat)
        )
        ids = ids[inside]
    chosen = np.sort(ids)
    items = []
    for ident in chosen[offset : offset + limit].tolist():
        f = snap.facilities[ident]
        point = for_client(f.point, datum)
        items.append((ident, f.kind.value, point.lon, point.lat, f.name, f.status.value))
    return s.FacilityPoints(
        total=int(chosen.size), limit=limit, offset=offset, crs=datum.value, items=items
    )
