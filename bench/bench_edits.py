"""Edits through the API, side by side in one run (real `leye-yiyang serve` processes on loopback):

1. visibility: a facility moved by PATCH on server A, then polled with nearby on server B
   (PostgreSQL: LISTEN/NOTIFY) until it is the nearest; and on A itself, whether the very next
   nearby request sees it. p50/p99 over --edits edits.
2. write cost: authenticated PATCH of a facility (token check, If-Match, history row, stamp,
   the write's own snapshot refresh) one after another, next to an unauthenticated GET of the
   same record: req/s and p99, and their ratio. On SQLite and on PostgreSQL.
3. readers during edits: wrk on nearby alone, then with PATCHes streaming in: p99 and worst.

    python bench/bench_edits.py [--edits 50] [--seconds 5]
    LEYE_BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:55443/bench python bench/bench_edits.py

Writes bench/results/edits.json."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_http import parse_wrk

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTS = (18301, 18302)
NEAR = (120.2201, 33.3301)  # a quiet corner: the moved facility is the only meal hall here
AWAY = (120.1311, 33.3851)


def _env(db_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "LEYE_DATABASE_URL": db_url,
        "LEYE_PORT": str(port),
        "LEYE_LOG_LEVEL": "WARNING",
        "LEYE_RATE_LIMIT": "0",
        "LEYE_INDEX_REFRESH_SECONDS": "30",  # only the notification can be fast on B
    }


def prepare(db_url: str) -> str:
    env = _env(db_url, PORTS[0])
    for step in (["db", "upgrade"], ["fixtures", "load"]):
        subprocess.run([BIN / "leye-yiyang", *step], env=env, check=True, cwd=ROOT)
    made = subprocess.run(
        [BIN / "leye-yiyang", "accounts", "create", "--role", "civil_affairs", "--name", "bench"],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return made.strip().splitlines()[-1]


def serve(db_url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([BIN / "leye-yiyang", "serve"], env=_env(db_url, port), cwd=ROOT)
    for _ in range(240):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SystemExit("server did not start")


class Client:
    def __init__(self, port: int, token: str | None = None) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            sent["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=sent)
        r = self.conn.getresponse()
        raw = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, json.loads(raw) if raw else None


def nearest_meal(c: Client, point: tuple[float, float]) -> int | None:
    _, _, body = c.call(
        "GET", f"/v1/facilities/nearby?lon={point[0]}&lat={point[1]}&kind=meal_hall&limit=1"
    )
    items = body["items"]
    return items[0]["facility"]["id"] if items else None


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def visibility(port_a: int, port_b: int | None, token: str, edits: int) -> dict[str, Any]:
    writer, reader_a = Client(port_a, token), Client(port_a)
    reader_b = Client(port_b) if port_b else None
    fid = nearest_meal(reader_a, AWAY)
    assert fid is not None
    _, headers, _ = writer.call("GET", f"/v1/facilities/{fid}")
    etag = headers["etag"]
    same, cross = 0, []
    for i in range(edits):
        target = NEAR if i % 2 == 0 else AWAY
        body = {"lon": target[0] + (i % 7) * 1e-5, "lat": target[1]}
        status, headers, _ = writer.call("PATCH", f"/v1/facilities/{fid}", body, {"If-Match": etag})
        assert status == 200, status
        etag = headers["etag"]
        done = time.perf_counter()
        same += nearest_meal(reader_a, target) == fid
        if reader_b is not None:
            while nearest_meal(reader_b, target) != fid:
                if time.perf_counter() - done > 10:
                    raise SystemExit("second process never saw the edit")
                time.sleep(0.002)
            cross.append((time.perf_counter() - done) * 1000)
    out: dict[str, Any] = {"edits": edits, "same_process_next_request_saw_it": same}
    if cross:
        out |= {
            "second_process_p50_ms": statistics.median(cross),
            "second_process_p99_ms": pct(cross, 99),
        }
    return out


def timed_loop(seconds: float, step: Any) -> dict[str, float]:
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        step()
        latencies.append((time.perf_counter() - t) * 1000)
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies),
        "p99_ms": pct(latencies, 99),
    }


def write_cost(port: int, token: str, seconds: float) -> dict[str, Any]:
    writer, reader = Client(port, token), Client(port)
    fid = nearest_meal(reader, AWAY)
    _, headers, _ = writer.call("GET", f"/v1/facilities/{fid}")
    state = {"etag": headers["etag"], "n": 0}

    def patch() -> None:
        state["n"] += 1
        phone = f"0515-8{state['n'] % 10_000_000:07d}"
        status, h, _ = writer.call(
            "PATCH", f"/v1/facilities/{fid}", {"phone": phone}, {"If-Match": state["etag"]}
        )
        assert status == 200, status
        state["etag"] = h["etag"]

    read = timed_loop(seconds, lambda: reader.call("GET", f"/v1/facilities/{fid}"))
    write = timed_loop(seconds, patch)
    return {
        "get_unauthenticated": read,
        "patch_authenticated": write,
        "read_per_write": read["rps"] / write["rps"],
    }


def wrk_nearby(port: int, seconds: int) -> dict[str, float]:
    script = Path(tempfile.mkdtemp()) / "nearby.lua"
    script.write_text(
        f"request = function() return wrk.format('GET', '/v1/facilities/nearby?lon={AWAY[0]}&lat={AWAY[1]}&kind=meal_hall&limit=10') end\n"
    )
    out = subprocess.run(
        ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = parse_wrk(out)
    worst = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", out)
    if worst:
        result["max_ms"] = (
            float(worst.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[worst.group(2)]
        )
    return result


def readers_during_edits(port: int, token: str, seconds: int) -> dict[str, Any]:
    quiet = wrk_nearby(port, seconds)
    stop = threading.Event()
    count = {"edits": 0}

    def stream() -> None:
        writer = Client(port, token)
        fid = nearest_meal(Client(port), NEAR) or nearest_meal(Client(port), AWAY)
        _, h, _ = writer.call("GET", f"/v1/facilities/{fid}")
        etag = h["etag"]
        while not stop.is_set():
            n = count["edits"] = count["edits"] + 1
            _, h, _ = writer.call(
                "PATCH", f"/v1/facilities/{fid}", {"places_taken": n % 50}, {"If-Match": etag}
            )
            etag = h["etag"]

    thread = threading.Thread(target=stream)
    thread.start()
    busy = wrk_nearby(port, seconds)
    stop.set()
    thread.join()
    return {"nearby_alone": quiet, "nearby_while_editing": busy, "edits_meanwhile": count["edits"]}


def run(name: str, db_url: str, args: argparse.Namespace, two: bool) -> dict[str, Any]:
    token = prepare(db_url)
    servers = [serve(db_url, PORTS[0])] + ([serve(db_url, PORTS[1])] if two else [])
    try:
        time.sleep(1)  # the second server's LISTEN connects after its first snapshot
        result = {
            "visibility": visibility(PORTS[0], PORTS[1] if two else None, token, args.edits),
            "write_cost": write_cost(PORTS[0], token, args.seconds),
            "readers": readers_during_edits(PORTS[0], token, int(args.seconds)),
        }
    finally:
        for s in servers:
            s.terminate()
            s.wait(timeout=10)
    print(name, json.dumps(result, indent=1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    results = {
        "sqlite": run("sqlite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'edits.db'}", args, False)
    }
    if pg := os.environ.get("LEYE_BENCH_PG_URL"):
        results["postgresql"] = run("postgresql", pg, args, True)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "edits.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
