"""The HTTP benchmark side by side with an earlier version of the code, in one run: two
`leye-yiyang serve` workers (this tree and a baseline checkout, each with its own `.venv` and its
own copy of the demo directory), wrk taking turns on each, the order swapped every round so that
neither side always runs on the warmer machine.

    git worktree add /tmp/base <commit> && (cd /tmp/base && make venv)
    python bench/bench_versus.py --baseline /tmp/base [--rounds 3] [--duration 6] [--world N]

Cases: /health, two nearby searches (32 connections) and the three matchers (one connection, the
latency a single caller sees). `--world N` loads each tree's own generated world of N facilities
(its bench/load_world.py, same seed) on top of the demo directory. Needs `wrk`. Prints each
case's median req/s and p99 per side and the ratio; writes bench/results/versus[-world].json."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import bench_http
import bench_match
from bench_http import ROOT, sample_points, wait_until_up, wrk

PORTS = {"ours": 18082, "baseline": 18083}


def start(tree: Path, port: int, world: int) -> subprocess.Popen[bytes]:
    exe = tree / ".venv" / "bin" / "leye-yiyang"
    if not exe.exists():
        raise SystemExit(f"{exe} is missing: run `make venv` in {tree}")
    db = Path(tempfile.mkdtemp()) / "versus.db"
    env = {
        **os.environ,
        "LEYE_DATABASE_URL": f"sqlite:///{db}",
        "LEYE_PORT": str(port),
        "LEYE_LOG_LEVEL": "WARNING",
        "LEYE_RATE_LIMIT": "0",
    }
    env.pop("LEYE_GEO_DIR", None)  # each tree reads its own geography
    for step in (["db", "upgrade"], ["fixtures", "load"]):
        subprocess.run([exe, *step], env=env, check=True, cwd=tree, capture_output=True)
    if world:
        loader = [str(exe.parent / "python"), "bench/load_world.py", "--facilities", str(world)]
        subprocess.run(loader, env=env, check=True, cwd=tree, capture_output=True)
    server = subprocess.Popen([exe, "serve"], env=env, cwd=tree)
    return wait_until_up(server, port, what=str(tree))


Case = Callable[[int, int], dict[str, float]]  # (port, seconds) -> wrk's figures


def cpu_seconds(pid: int) -> float:
    """CPU time of a server and its worker processes (granian forks the workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def settle(servers: list[subprocess.Popen[bytes]], limit_s: float = 240.0) -> None:
    """Wait until no server works in the background any more (after a start each builds its
    snapshot's geocoder and job catalogue): less than 2 % of a core over 2 s."""
    deadline = time.monotonic() + limit_s
    before = sum(cpu_seconds(s.pid) for s in servers)
    while time.monotonic() < deadline:
        time.sleep(2.0)
        now = sum(cpu_seconds(s.pid) for s in servers)
        if now - before < 0.04:
            return
        before = now


def cases() -> dict[str, Case]:
    points = sample_points(500)
    gets = {
        "health": ["/health"],
        "nearby meal_hall k=10": [
            f"/v1/facilities/nearby?lon={lon:.6f}&lat={lat:.6f}&kind=meal_hall&limit=10"
            for lon, lat in points
        ],
        "nearby childcare gcj02 k=10": [
            f"/v1/facilities/nearby?lon={lon + 0.0045:.6f}&lat={lat - 0.002:.6f}"
            "&crs=gcj02&kind=childcare"
            for lon, lat in points
        ],
    }
    out: dict[str, Case] = {name: partial(_get, paths) for name, paths in gets.items()}
    rng = random.Random(7)
    makers = {
        "services": bench_match.service_body,
        "jobs": bench_match.job_body,
        "household": bench_match.household_body,
    }
    for name, make in makers.items():
        bodies = [json.dumps(make(rng, lon, lat), ensure_ascii=False) for lon, lat in points[:300]]
        out[f"match {name}, 1 connection"] = partial(_post, f"/v1/match/{name}", bodies)
    return out


def _get(paths: list[str], port: int, seconds: int) -> dict[str, float]:
    return wrk(paths, seconds, port=port)


def _post(path: str, bodies: list[str], port: int, seconds: int) -> dict[str, float]:
    bench_http.PORT = port  # wrk_post reads the module's port
    return bench_match.wrk_post(path, bodies, seconds, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--world", type=int, default=0, help="also load a world of N facilities")
    args = parser.parse_args()
    trees = {"ours": ROOT, "baseline": args.baseline.resolve()}
    servers = {side: start(tree, PORTS[side], args.world) for side, tree in trees.items()}
    runs: dict[str, dict[str, list[dict[str, float]]]] = {}
    measured = cases()
    try:
        settle(list(servers.values()))
        for side in PORTS:  # warm the memos and caches, as bench_match does
            for measure in measured.values():
                measure(PORTS[side], 1)
        for round_ in range(args.rounds):
            order = ["ours", "baseline"] if round_ % 2 == 0 else ["baseline", "ours"]
            for name, measure in measured.items():
                for side in order:
                    result = measure(PORTS[side], args.duration)
                    if result["non_2xx"]:
                        raise SystemExit(f"{side} {name}: {result['non_2xx']:.0f} non-2xx answers")
                    runs.setdefault(name, {}).setdefault(side, []).append(result)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=10)
    report(runs, args.rounds)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "versus-world.json" if args.world else "versus.json"
    (out / name).write_text(json.dumps(runs, indent=2))


def report(runs: dict[str, dict[str, list[dict[str, float]]]], rounds: int) -> None:
    print(f"median of {rounds} rounds; ours ÷ baseline")
    print(f"{'endpoint':30} {'baseline req/s':>14} {'ours req/s':>10} {'ratio':>6}  p99 ms b → o")
    for name, sides in runs.items():
        base = statistics.median(r["rps"] for r in sides["baseline"])
        ours = statistics.median(r["rps"] for r in sides["ours"])
        p99b = statistics.median(r.get("p99_ms", 0.0) for r in sides["baseline"])
        p99o = statistics.median(r.get("p99_ms", 0.0) for r in sides["ours"])
        print(f"{name:30} {base:14.0f} {ours:10.0f} {ours / base:6.2f}  {p99b:.1f} → {p99o:.1f}")
        rounds_text = ", ".join(
            f"{b['rps']:.0f}→{o['rps']:.0f}"
            for b, o in zip(sides["baseline"], sides["ours"], strict=True)
        )
        print(f"{'':30} rounds: {rounds_text}")


if __name__ == "__main__":
    main()
