"""`make bench`: every benchmark in one run, side by side with its baselines.

1. bench_spatial.py — nearest (ours vs bare STRtree vs brute-force geodesic vs PostGIS if
   LEYE_BENCH_POSTGIS_URL is set), coverage of 680,000 residents, index rebuild; 1k→100k.
2. bench_http.py — one server worker (granian) under wrk: /health vs nearby, on the demo directory and on a
   generated world of 100,000 facilities (left in var/bench-world.db).
   bench_refresh.py — on that world: how fast one change becomes searchable, readers meanwhile.
3. bench_match.py — matching endpoints p50/p99 through HTTP.
4. eval_report.py — precision@3 over the labelled evaluation set.
5. bench_import.py — 10,000-row .xlsx dry run and apply by phase vs a bare read; nearby during
   an apply; the streamed HSDS export of the 100,000-facility world.
6. bench_versus.py — when LEYE_BENCH_BASELINE names a checkout of earlier code (with its own
   .venv): /health, nearby and the three matchers against that code, taking turns in the same
   run, on the demo directory and on each tree's own 100,000-facility world.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORLD_DB = f"sqlite:///{HERE.parent / 'var' / 'bench-world.db'}"
WORLD_ARGS: list[str] = ["--world", "100000"]
STEPS = [
    ["bench_spatial.py"],
    ["bench_http.py"],
    ["bench_http.py", "--world", "100000"],
    ["bench_refresh.py"],
    ["bench_match.py"],
    ["bench_match.py", "--db", WORLD_DB, "--target-factor", "3"],
    ["bench_geocode.py"],
    ["bench_import.py"],
    ["eval_report.py"],
]


def main() -> int:
    failed = 0
    baseline = os.environ.get("LEYE_BENCH_BASELINE")
    steps = list(STEPS)
    if baseline:
        for world in ([], WORLD_ARGS):
            steps.append(["bench_versus.py", "--baseline", baseline, *world])
    for step in steps:
        print(f"\n=== {' '.join(step)}", flush=True)
        env = {**os.environ}
        if step[0] == "bench_refresh.py":
            env["LEYE_DATABASE_URL"] = WORLD_DB
        result = subprocess.run(
            [sys.executable, str(HERE / step[0]), *step[1:]], check=False, env=env
        )
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
