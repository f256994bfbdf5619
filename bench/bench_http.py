"""Through-HTTP benchmark: one server worker (`leye-yiyang serve`, granian) on loopback, wrk with
one thread and 32 connections (on two cores a second wrk thread only takes CPU from the server),
the same run measuring /health (the ceiling of the stack) and the geo endpoints.

    python bench/bench_http.py [--duration 10] [--world 100000]

Needs `wrk` (Debian: apt-get install wrk). Writes bench/results/http.json."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 18081


def start_server(db_url: str, world: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LEYE_DATABASE_URL": db_url,
        "LEYE_PORT": str(PORT),
        "LEYE_LOG_LEVEL": "WARNING",
        "LEYE_RATE_LIMIT": "0",  # the benchmark is one client hammering on purpose
    }
    subprocess.run([BIN / "leye-yiyang", "db", "upgrade"], env=env, check=True, cwd=ROOT)
    subprocess.run([BIN / "leye-yiyang", "fixtures", "load"], env=env, check=True, cwd=ROOT)
    if world:
        subprocess.run(
            [BIN / "python", "bench/load_world.py", "--facilities", str(world)],
            env=env,
            check=True,
            cwd=ROOT,
        )
    server = subprocess.Popen([BIN / "leye-yiyang", "serve"], env=env, cwd=ROOT)
    return wait_until_up(server, PORT)


def wait_until_up(
    server: subprocess.Popen[bytes], port: int, path: str = "/health", what: str = "server"
) -> subprocess.Popen[bytes]:
    """`server` once it answers `path` (within a minute); killed otherwise."""
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"{what} did not answer {path}")


def sample_points(n: int, seed: int = 1) -> list[tuple[float, float]]:
    data = json.loads((ROOT / "geo" / "communities.geojson").read_text())
    rng = random.Random(seed)
    urban = [f for f in data["features"] if f["properties"]["level"] == "community"]
    points = []
    for _ in range(n):
        ring = rng.choice(urban)["geometry"]["coordinates"]
        while isinstance(ring[0][0], list):
            ring = ring[0]
        lon, lat = ring[rng.randrange(len(ring))]
        points.append((lon + rng.uniform(-0.002, 0.002), lat + rng.uniform(-0.002, 0.002)))
    return points


def wrk(
    paths: list[str], duration: int, connections: int = 32, port: int = PORT
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        script.write(
            "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
        )
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """req/s, p50/p90/p99 in ms and the non-2xx count from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    result = {"rps": rps}
    for pct in ("50", "90", "99"):
        m = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)", out)
        if m:
            scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
            result[f"p{pct}_ms"] = float(m.group(1)) * scale
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--world", type=int, default=0, help="also load a generated world of N facilities"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.world:  # kept for bench_refresh.py, which measures changes on the same world
        path = ROOT / "var" / "bench-world.db"
        path.parent.mkdir(exist_ok=True)
        for stale in path.parent.glob("bench-world.db*"):
            stale.unlink()
    else:
        path = Path(tempfile.mkdtemp()) / "bench.db"
    server = start_server(f"sqlite:///{path}", args.world)
    try:
        points = sample_points(500)
        cases = {
            "health": ["/health"],
            "nearby meal_hall k=10": [
                f"/v1/facilities/nearby?lon={lon:.6f}&lat={lat:.6f}&kind=meal_hall&limit=10"
                for lon, lat in points
            ],
            "nearby childcare gcj02 k=10": [
                f"/v1/facilities/nearby?lon={lon + 0.0045:.6f}&lat={lat - 0.002:.6f}&crs=gcj02&kind=childcare"
                for lon, lat in points
            ],
        }
        results = {name: wrk(paths, args.duration) for name, paths in cases.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    health = results["health"]["rps"]
    print(f"{'endpoint':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs /health':>10}")
    for name, r in results.items():
        print(
            f"{name:32} {r['rps']:9.0f} {r.get('p50_ms', 0):8.2f} {r.get('p99_ms', 0):8.2f} "
            f"{r['rps'] / health:10.2f}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"http{'-world' if args.world else ''}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
