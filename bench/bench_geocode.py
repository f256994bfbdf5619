"""Offline geocoder speed with a thousand gazetteer entries (the demo's areas and places plus
facilities whose names share most of their text, the expensive case for near matching), next to
a bare dictionary lookup of the same names as the baseline.

    python bench/bench_geocode.py"""

from __future__ import annotations

import json
import time
from pathlib import Path

from leye_yiyang.district import read_district
from leye_yiyang.geocode.gazetteer import entries_from_geojson, facility_entry
from leye_yiyang.geocode.geocoder import OfflineGeocoder

GEO = Path(__file__).resolve().parent.parent / "geo"
QUERIES = [
    "五星街道万户新村",
    "江苏省盐城市亭湖区毓龙街道桥东社区",
    "解放南路88号",
    "桥东社区居家养老服务站",
    "火星基地",
]
ROUNDS = 200


def main() -> None:
    district = read_district(GEO)
    layers = [
        json.loads((GEO / n).read_text())
        for n in ("subdistricts.geojson", "communities.geojson", "places.geojson")
    ]
    entries = entries_from_geojson(*layers)
    base = next(e for e in entries if e.name == "解放南路")
    facilities = [
        facility_entry(i, f"第{i}号居家养老服务站", f"解放南路{i}号", *base.point, None, ())
        for i in range(1000 - len(entries))
    ]
    geocoder = OfflineGeocoder(
        [*entries, *facilities], prefixes=district.prefixes, preamble=district.full_name
    )
    names = {e.name: e for e in [*entries, *facilities]}
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for q in QUERIES:
            geocoder.resolve(q)
    ours = (time.perf_counter() - start) * 1e6 / (ROUNDS * len(QUERIES))
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for q in QUERIES:
            names.get(q)
    bare = (time.perf_counter() - start) * 1e6 / (ROUNDS * len(QUERIES))
    print(
        f"geocoder, {len(entries) + len(facilities)} entries: {ours:.0f} µs/query; "
        f"bare dict lookup {bare:.2f} µs ({ours / bare:.0f}×); target ≤ 5,000 µs"
    )


if __name__ == "__main__":
    main()
