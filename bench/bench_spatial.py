"""Benchmark of the spatial engine against its baselines, side by side in one run.

    python bench/bench_spatial.py [--sizes 1000,10000,100000] [--residents 680000]

For each directory size it measures, on the same seeded synthetic points (inside
geo/district.geojson when present, else the district's bounding box):

(a) ``PointIndex.nearest`` k=10 (and k=1), exact geodesic (µs/query);
(b) a bare shapely ``STRtree.query_nearest`` (k=1, planar degrees, not geodesic: the floor);
(c) brute-force geodesic scans: pyproj over all points, geopy per pair × size (µs/query);
(d) ``nearest_distances`` for every resident, one kind (size/7 facilities) and seven kinds (s);
(e) the ``PointIndex`` build time (ms);
(f) PostGIS ``ORDER BY geog <-> point LIMIT 10`` when LEYE_BENCH_POSTGIS_URL is set.

Timings are the best of ``--repeat`` runs: the machines this runs on are shared, and the
minimum is the least noisy estimate of the code's own cost. Results also go to
bench/results/spatial.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from leye_yiyang.spatial.coords import LonLat  # noqa: E402
from leye_yiyang.spatial.coverage import distribute_residents, nearest_distances  # noqa: E402
from leye_yiyang.spatial.density import banded_order  # noqa: E402
from leye_yiyang.spatial.geodesic import (  # noqa: E402
    ecef,
    geopy_distance_m,
    pairwise_distances_m,
)
from leye_yiyang.spatial.index import PointIndex  # noqa: E402

K = 10
KINDS = 7
BOX = box(119.98, 33.16, 120.55, 33.81)


def load_outline() -> tuple[Polygon | MultiPolygon, str]:
    path = ROOT / "geo" / "district.geojson"
    if not path.exists():
        return BOX, "bounding box 119.98-120.55 E, 33.16-33.81 N"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    district = [f for f in features if f["properties"].get("level", "district") == "district"]
    geom = shapely.geometry.shape((district or features)[0]["geometry"])
    return geom, "geo/district.geojson outline"


def sample(outline: Polygon | MultiPolygon, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    pts = distribute_residents([outline], [n], 1.0, seed)
    return pts.lons, pts.lats


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def brute_pyproj(origin: LonLat, lons: np.ndarray, lats: np.ndarray) -> list[int]:
    d = pairwise_distances_m(
        np.full(lons.size, origin.lon), np.full(lons.size, origin.lat), lons, lats
    )
    top = np.argpartition(d, min(K, d.size - 1))[:K]
    return [int(i) for i in top[np.lexsort((top, d[top]))]]


def bench_queries(
    lons: np.ndarray, lats: np.ndarray, queries: list[LonLat], repeat: int
) -> dict[str, Any]:
    n = lons.size
    ids = np.arange(n, dtype=np.int64)
    build_s = best_of(repeat, lambda: PointIndex(ids, lons, lats))
    index = PointIndex(ids, lons, lats)
    tree = shapely.STRtree(shapely.points(lons, lats))
    ours, ours_k1, strtree = [], [], []
    for _ in range(repeat):  # interleaved, so that a noisy moment hits all three alike
        ours.append(best_of(1, lambda: [index.nearest(q, K) for q in queries]))
        ours_k1.append(best_of(1, lambda: [index.nearest(q, 1) for q in queries]))
        strtree.append(
            best_of(1, lambda: [tree.query_nearest(shapely.Point(q.lon, q.lat)) for q in queries])
        )
    n_brute = max(3, min(len(queries), int(3e6 / n)))
    brute_q = queries[:n_brute]
    brute = best_of(1, lambda: [brute_pyproj(q, lons, lats) for q in brute_q]) / n_brute
    pairs = [(queries[i % len(queries)], LonLat(lons[i % n], lats[i % n])) for i in range(500)]
    per_pair = best_of(1, lambda: [geopy_distance_m(a, b) for a, b in pairs]) / len(pairs)
    verified = all(
        [h.id for h in index.nearest(q, K)] == brute_pyproj(q, lons, lats) for q in brute_q
    )
    return {
        "build_ms": build_s * 1e3,
        "ours_us": min(ours) / len(queries) * 1e6,
        "ours_k1_us": min(ours_k1) / len(queries) * 1e6,
        "strtree_us": min(strtree) / len(queries) * 1e6,
        "brute_pyproj_us": brute * 1e6,
        "brute_pyproj_queries": n_brute,
        "brute_geopy_us": per_pair * n * 1e6,
        "ours_equals_brute_force": verified,
    }


def bench_coverage(
    outline: Polygon | MultiPolygon,
    size: int,
    residents: tuple[np.ndarray, np.ndarray],
    cap_m: float,
    seed: int,
) -> dict[str, Any]:
    per_kind = max(1, size // KINDS)
    kinds = [sample(outline, per_kind, seed + 100 + j) for j in range(KINDS)]
    # Resident points are fixed geography: the service stores them in a spatial order and
    # computes their ECEF coordinates once (spatial/coverage.py); so does this benchmark.
    order = banded_order(*residents)
    r_lon, r_lat = residents[0][order], residents[1][order]
    xyz = ecef(r_lon, r_lat)
    one = best_of(2, lambda: nearest_distances(r_lon, r_lat, *kinds[0], cap_m, xyz))
    t0 = time.perf_counter()
    covered = [
        np.isfinite(nearest_distances(r_lon, r_lat, *kind, cap_m, xyz)).mean() for kind in kinds
    ]
    seven = time.perf_counter() - t0
    return {
        "facilities_per_kind": per_kind,
        "nearest_distances_one_kind_s": one,
        "nearest_distances_seven_kinds_s": seven,
        "share_within_cap": statistics.mean(covered),
    }


def bench_postgis(
    url: str, lons: np.ndarray, lats: np.ndarray, queries: list[LonLat]
) -> dict[str, Any]:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the environment
        return {"skipped": f"psycopg not importable: {exc}"}
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            conn.execute("DROP TABLE IF EXISTS bench_points")
            conn.execute(
                "CREATE TABLE bench_points (id bigint PRIMARY KEY, geog geography(Point, 4326))"
            )
            with conn.cursor().copy("COPY bench_points (id, geog) FROM STDIN") as copy:
                for i, (lo, la) in enumerate(zip(lons.tolist(), lats.tolist(), strict=True)):
                    copy.write_row((i, f"SRID=4326;POINT({lo!r} {la!r})"))
            conn.execute("CREATE INDEX ON bench_points USING gist (geog)")
            conn.execute("ANALYZE bench_points")
            sql = (
                "SELECT id, ST_Distance(geog, q) FROM bench_points, "
                "(SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography AS q) AS o "
                "ORDER BY geog <-> q LIMIT 10"
            )
            cur = conn.cursor()
            subset = queries[:500]
            seconds = best_of(
                2, lambda: [cur.execute(sql, (q.lon, q.lat)).fetchall() for q in subset]
            )
            conn.execute("DROP TABLE bench_points")
        return {"postgis_us": seconds / len(subset) * 1e6}
    except Exception as exc:  # the benchmark reports, it does not fail, on a broken database
        return {"skipped": f"PostGIS error: {exc}"}


def ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def print_table(results: list[dict[str, Any]]) -> None:
    head = (
        f"{'size':>7} {'build ms':>9} {'ours µs':>8} {'k=1 µs':>7} {'STRtree µs':>10} {'ours/STR':>8} "
        f"{'pyproj scan µs':>14} {'scan/ours':>9} {'geopy scan µs':>13} {'PostGIS µs':>10} "
        f"{'PG/ours':>7} {'1 kind s':>8} {'7 kinds s':>9} {'exact':>5}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        pg = r.get("postgis", {}).get("postgis_us")
        print(
            f"{r['size']:>7} {r['build_ms']:>9.1f} {r['ours_us']:>8.1f} {r['ours_k1_us']:>7.1f} "
            f"{r['strtree_us']:>10.1f} "
            f"{ratio(r['ours_us'], r['strtree_us']):>8} {r['brute_pyproj_us']:>14.0f} "
            f"{ratio(r['brute_pyproj_us'], r['ours_us']):>9} {r['brute_geopy_us']:>13.0f} "
            f"{(f'{pg:.1f}' if pg else '-'):>10} {ratio(pg, r['ours_us']):>7} "
            f"{r['nearest_distances_one_kind_s']:>8.2f} "
            f"{r['nearest_distances_seven_kinds_s']:>9.2f} "
            f"{'yes' if r['ours_equals_brute_force'] else 'NO':>5}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--residents", type=int, default=680_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--cap-m", type=float, default=5_000.0, help="nearest_distances cap")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "spatial.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    outline, outline_name = load_outline()
    started = time.perf_counter()
    q_lons, q_lats = sample(outline, args.queries, args.seed + 1)
    queries = [LonLat(lo, la) for lo, la in zip(q_lons.tolist(), q_lats.tolist(), strict=True)]
    residents = sample(outline, args.residents, args.seed + 2)
    postgis_url = os.environ.get("LEYE_BENCH_POSTGIS_URL")
    results: list[dict[str, Any]] = []
    for size in sizes:
        lons, lats = sample(outline, size, args.seed + size)
        row: dict[str, Any] = {"size": size, **bench_queries(lons, lats, queries, args.repeat)}
        row.update(bench_coverage(outline, size, residents, args.cap_m, args.seed + size))
        row["postgis"] = (
            bench_postgis(postgis_url, lons, lats, queries)
            if postgis_url
            else {"skipped": "LEYE_BENCH_POSTGIS_URL not set"}
        )
        results.append(row)
        print(f"  size {size}: done at {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(
        f"\nspatial benchmark: k={K}, {len(queries)} queries, {args.residents:,} residents, "
        f"cap {args.cap_m:.0f} m, points inside the {outline_name}; best of {args.repeat}\n"
    )
    print_table(results)
    for r in results:
        if "skipped" in r["postgis"]:
            print(f"\nPostGIS: skipped ({r['postgis']['skipped']})")
            break
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "k": K,
        "queries": len(queries),
        "residents": args.residents,
        "cap_m": args.cap_m,
        "points": outline_name,
        "repeat": args.repeat,
        "results": results,
        "total_s": time.perf_counter() - started,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out} ({report['total_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
