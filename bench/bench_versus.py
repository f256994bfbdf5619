"""The HTTP benchmark side by side with an earlier version of the code, in one run: two
`leye-yiyang serve` workers (this tree and a baseline checkout, each with its own `.venv` and its
own copy of the demo directory), wrk taking turns on each, the order swapped every round so that
neither side always runs on the warmer machine.

    git worktree add /tmp/base <commit> && (cd /tmp/base && make venv)
    python bench/bench_versus.py --baseline /tmp/base [--rounds 3] [--duration 6]

Needs `wrk`. Prints each case's median req/s and p99 per side and the ratio; writes
bench/results/versus.json."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_http import ROOT, sample_points, wrk

PORTS = {"ours": 18082, "baseline": 18083}


def start(tree: Path, port: int) -> subprocess.Popen[bytes]:
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
    server = subprocess.Popen([exe, "serve"], env=env, cwd=tree)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"{tree}: server did not start")


def cases() -> dict[str, list[str]]:
    points = sample_points(500)
    return {
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True, help="checkout of the old code")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=6)
    args = parser.parse_args()
    trees = {"ours": ROOT, "baseline": args.baseline.resolve()}
    servers = {side: start(tree, PORTS[side]) for side, tree in trees.items()}
    runs: dict[str, dict[str, list[dict[str, float]]]] = {}
    try:
        for round_ in range(args.rounds):
            order = ["ours", "baseline"] if round_ % 2 == 0 else ["baseline", "ours"]
            for name, paths in cases().items():
                for side in order:
                    result = wrk(paths, args.duration, port=PORTS[side])
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
    (out / "versus.json").write_text(json.dumps(runs, indent=2))


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
