"""Through-HTTP benchmark of matching: one server worker (granian) on loopback (started as in
bench_http.py), wrk POSTing a rotating set of request bodies from a Lua script.

Each endpoint is measured twice: with one connection (the latency a single caller sees; the
targets p99 ≤ 30 / 50 / 100 ms for services / jobs / household apply to it) and with eight (the
throughput one worker sustains, and the latency under that load).

    python bench/bench_match.py [--duration 10]

Needs `wrk`. Writes bench/results/match.json."""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_http  # noqa: E402

TARGET_P99_MS = {"services": 30.0, "jobs": 50.0, "household": 100.0}
NEEDS = [["meal"], ["day_care"], ["meal", "day_care"], ["childcare"], ["employment_service"]]
WORDS = [
    ["护工"],
    ["保洁"],
    ["厨师"],
    ["营业员", "收银员"],
    ["电工"],
    ["快递员"],
    ["焊工"],
    ["家政"],
    ["保安"],
    ["数据标注"],
    ["普工"],
    ["会计"],
]
AT = "2026-12-02T11:00:00+08:00"


def service_body(rng: random.Random, lon: float, lat: float) -> dict[str, Any]:
    needs = rng.choice(NEEDS)
    person: dict[str, Any] = {
        "age": rng.randint(60, 95),
        "statuses": rng.choice([[], ["dibao"], ["living_alone"]]),
    }
    if needs == ["childcare"]:
        person = {"birth_date": f"{rng.choice([2024, 2025])}-{rng.randint(1, 12):02d}-15"}
    return {
        "person": person,
        "home": {"lon": lon, "lat": lat},
        "needs": needs,
        "mode": rng.choice(["walk", "senior_walk"]),
        "minutes": rng.choice([10, 15, 20]),
        "at": AT,
    }


def job_body(rng: random.Random, lon: float, lat: float) -> dict[str, Any]:
    seeker: dict[str, Any] = {
        "occupations": rng.choice(WORDS),
        "max_commute_minutes": rng.choice([20, 30, 45]),
    }
    if rng.random() < 0.5:
        seeker["must_leave_by"] = rng.choice(["16:30", "17:30", "18:00"])
    return {"seeker": seeker, "home": {"lon": lon, "lat": lat}, "at": AT}


def household_body(rng: random.Random, lon: float, lat: float) -> dict[str, Any]:
    work = {"occupations": rng.choice(WORDS), "max_commute_minutes": rng.choice([20, 30])}
    members: list[dict[str, Any]] = [
        {"label": "母亲", "age": rng.randint(25, 40), "seeks_work": True, "work": work},
        {"label": "孩子", "birth_date": f"2025-{rng.randint(1, 9):02d}-10", "needs": ["childcare"]},
    ]
    if rng.random() < 0.5:
        members.append({"label": "奶奶", "age": rng.randint(70, 90), "needs": ["meal"]})
    return {"members": members, "home": {"lon": lon, "lat": lat}, "at": AT}


def free_port() -> int:
    """A port nobody listens on: another benchmark may hold bench_http's default."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def lua_script(path: str, bodies: list[str]) -> str:
    # Long brackets keep the UTF-8 JSON verbatim (LuaJIT has no \u escapes).
    items = ",\n".join(f"[==[{b}]==]" for b in bodies)
    return (
        f"local bodies = {{\n{items}\n}}\n"
        "local headers = {['Content-Type'] = 'application/json'}\n"
        f"request = function() return wrk.format('POST', '{path}', headers, "
        "bodies[math.random(#bodies)]) end\n"
    )


def wrk_post(path: str, bodies: list[str], duration: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        script.write(lua_script(path, bodies))
    threads = 1  # on two cores a second wrk thread only takes CPU from the server
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            script.name,
            f"http://127.0.0.1:{bench_http.PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {**bench_http.parse_wrk(out), "connections": float(connections)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--db", help="serve this database (e.g. the 100,000-facility world bench_http.py left)"
    )
    parser.add_argument(
        "--target-factor",
        type=float,
        default=1.0,
        help="scale the p99 targets (3 for the 100,000-facility world: 'within 3x')",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    rng = random.Random(7)
    points = bench_http.sample_points(300)
    makers = {"services": service_body, "jobs": job_body, "household": household_body}
    paths = {
        "services": "/v1/match/services",
        "jobs": "/v1/match/jobs",
        "household": "/v1/match/household",
    }
    bodies = {
        name: [json.dumps(make(rng, lon, lat), ensure_ascii=False) for lon, lat in points]
        for name, make in makers.items()
    }
    tmp = Path(tempfile.mkdtemp())
    bench_http.PORT = free_port()
    server = bench_http.start_server(args.db or f"sqlite:///{tmp}/bench.db", 0)
    try:
        results: dict[str, Any] = {}
        for name in makers:
            wrk_post(paths[name], bodies[name], 2, 1)  # warm the memo and caches
            results[name] = {
                "single": wrk_post(paths[name], bodies[name], args.duration, 1),
                "loaded": wrk_post(paths[name], bodies[name], args.duration, 8),
                "target_p99_ms": TARGET_P99_MS[name] * args.target_factor,
            }
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(
        f"{'endpoint':10} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
    )
    for name, r in results.items():
        for run in ("single", "loaded"):
            x = r[run]
            print(
                f"{name:10} {x['connections']:5.0f} {x['rps']:8.0f} {x.get('p50_ms', 0):8.2f} "
                f"{x.get('p90_ms', 0):8.2f} {x.get('p99_ms', 0):8.2f} {x['non_2xx']:8.0f}"
            )
        verdict = "meets" if r["single"].get("p99_ms", 1e9) <= r["target_p99_ms"] else "MISSES"
        print(f"{'':10} single-caller p99 target {r['target_p99_ms']:.0f} ms: {verdict}")
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": _cpus(),
        "platform": platform.platform(),
        "workers": 1,
        "duration_s": args.duration,
        "bodies_per_endpoint": len(points),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "match-world.json" if args.db else "match.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
