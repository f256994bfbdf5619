"""Soak: a bounded mixed load on one server worker for a while, watching for errors and memory
growth. Nearby, circles, coverage, geocoding and the three matchers, in proportions a district's
day might have (mostly nearby), from a few keep-alive connections on loopback; the worker's RSS
sampled every few seconds. (No write endpoints exist yet; add them to MIX when they do.)

    python bench/soak.py [--seconds 600] [--warmup 60] [--connections 4] [--db URL]

Reports requests, errors, p50/p99 per endpoint and RSS growth after warm-up; writes
bench/results/soak.json. Targets: 0 errors, RSS growth < 10 %."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_http  # noqa: E402
import bench_match  # noqa: E402

MAX_REQUESTS = 5_000_000  # a bound in count as well as in time
KINDS = ["meal_hall", "day_care", "care_home", "childcare", "service_station"]
PLACES = ["桥东社区", "毓龙街道", "文峰街道", "五星街道", "先锋街道", "新兴镇", "南洋镇"]


def request_maker(rng: random.Random, points: list[tuple[float, float]]) -> dict[str, Any]:
    """Endpoint name -> (weight, function making (method, path, body))."""

    def point() -> tuple[float, float]:
        return rng.choice(points)

    def nearby() -> tuple[str, str, bytes | None]:
        lon, lat = point()
        q = {"lon": lon, "lat": lat, "kind": rng.choice(KINDS), "limit": 10}
        if rng.random() < 0.3:
            q["crs"] = "gcj02"
        return "GET", "/v1/facilities/nearby?" + urllib.parse.urlencode(q), None

    def circles() -> tuple[str, str, bytes | None]:
        lon, lat = point()
        q = {"lon": lon, "lat": lat, "minutes": rng.choice([5, 15])}
        return "GET", "/v1/circles?" + urllib.parse.urlencode(q), None

    def coverage() -> tuple[str, str, bytes | None]:
        q = {"kind": rng.choice(KINDS), "minutes": 15}
        return "GET", "/v1/coverage?" + urllib.parse.urlencode(q), None

    def geocode() -> tuple[str, str, bytes | None]:
        return "GET", "/v1/geocode?" + urllib.parse.urlencode({"q": rng.choice(PLACES)}), None

    def post(path: str, make: Any) -> Any:
        def build() -> tuple[str, str, bytes | None]:
            return "POST", path, json.dumps(make(rng, *point())).encode()

        return build

    return {
        "nearby": (70, nearby),
        "circles": (8, circles),
        "coverage": (2, coverage),
        "geocode": (8, geocode),
        "match_services": (6, post("/v1/match/services", bench_match.service_body)),
        "match_jobs": (4, post("/v1/match/jobs", bench_match.job_body)),
        "match_household": (2, post("/v1/match/household", bench_match.household_body)),
    }


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.total = 0


def client(port: int, seed: int, deadline: float, tally: Tally, stop: threading.Event) -> None:
    rng = random.Random(seed)
    makers = request_maker(rng, bench_http.sample_points(500, seed))
    names = list(makers)
    weights = [makers[n][0] for n in names]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < deadline and not stop.is_set():
        name = rng.choices(names, weights)[0]
        method, path, body = makers[name][1]()
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0  # no answer at all
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.total += 1
            tally.latencies[name].append(elapsed)
            if status != 200:
                tally.errors[name] += 1
                tally.statuses[name][status] += 1
            if tally.total >= MAX_REQUESTS:
                stop.set()
    conn.close()


def worker_pid(server: subprocess.Popen[bytes]) -> int:
    """Granian's worker process: the child of the server process."""
    for _ in range(50):
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("no worker process found")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def start(db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LEYE_DATABASE_URL": db_url, "LEYE_PORT": str(port)}
    env["LEYE_LOG_LEVEL"] = "WARNING"
    subprocess.run([BIN / "leye-yiyang", "db", "upgrade"], env=env, check=True, cwd=ROOT)
    subprocess.run([BIN / "leye-yiyang", "fixtures", "load"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen([BIN / "leye-yiyang", "serve"], env=env, cwd=ROOT)
    return bench_http.wait_until_up(server, port, "/ready")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600, help="load time after warm-up")
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite demo directory)")
    args = parser.parse_args()
    port = bench_match.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start(args.db or f"sqlite:///{tmp}/soak.db", port)
        try:
            pid = worker_pid(server)
            result = run(port, pid, args)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


def run(port: int, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    tally = Tally()
    stop = threading.Event()
    began = time.monotonic()
    deadline = began + args.warmup + args.seconds
    threads = [
        threading.Thread(target=client, args=(port, seed, deadline, tally, stop))
        for seed in range(args.connections)
    ]
    for t in threads:
        t.start()
    samples: list[tuple[float, float]] = []
    warm_rss = None
    warm_count = 0
    while any(t.is_alive() for t in threads):
        time.sleep(5)
        now = time.monotonic() - began
        samples.append((round(now, 1), round(rss_mb(pid), 1)))
        if warm_rss is None and now >= args.warmup:
            warm_rss = samples[-1][1]
            with tally.lock:  # figures after warm-up only
                warm_count = tally.total
                tally.latencies.clear()
                tally.errors.clear()
                tally.statuses.clear()
    for t in threads:
        t.join()
    final_rss = samples[-1][1]
    warm_rss = warm_rss or samples[0][1]
    per_endpoint = {
        name: {
            "requests": len(values),
            "errors": tally.errors.get(name, 0),
            "error_statuses": dict(tally.statuses.get(name, {})),
            "p50_ms": round(percentile(values, 0.50), 2),
            "p99_ms": round(percentile(values, 0.99), 2),
        }
        for name, values in sorted(tally.latencies.items())
    }
    measured = tally.total - warm_count
    errors = sum(tally.errors.values())
    growth = (final_rss - warm_rss) / warm_rss * 100
    return {
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "connections": args.connections,
        "requests": measured,
        "requests_per_second": round(measured / args.seconds, 1),
        "errors": errors,
        "rss_mb_after_warmup": warm_rss,
        "rss_mb_final": final_rss,
        "rss_mb_max": max(r for _, r in samples),
        "rss_growth_percent": round(growth, 2),
        "targets": {"zero_errors": errors == 0, "rss_growth_under_10_percent": growth < 10},
        "endpoints": per_endpoint,
        "rss_samples": samples,
    }


if __name__ == "__main__":
    main()
