"""Referrals under load: 64 concurrent clients creating, sending, accepting and completing
referrals against a few facilities with small capacity, for a bounded run, through one server
worker; then the database is checked: no facility over capacity, no referral lost or duplicated.

    python bench/bench_referrals.py [--seconds 60] [--clients 64] [--db URL]

Without --db a fresh SQLite file is used; give a PostgreSQL URL (an empty database) for the
production figures. Writes bench/results/referrals-<backend>.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select

from leye_yiyang.accounts import service as accounts
from leye_yiyang.accounts.policy import Role
from leye_yiyang.accounts.schemas import AccountIn
from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.ids import id_check_char
from leye_yiyang.models import Facility
from leye_yiyang.models_casework import Referral, ReferralEvent

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 18091
FACILITIES = 4
CAPACITY = 5
ORG = "320902001000"


def prepare(url: str, clients: int) -> tuple[list[int], dict[int, str], list[str]]:
    env = {**os.environ, "LEYE_DATABASE_URL": url, "LEYE_DEMO": "1"}
    for args in (["db", "upgrade"], ["fixtures", "load"]):
        subprocess.run(
            [BIN / "leye-yiyang", *args], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    db = Database(url)
    now = dt.datetime.now(dt.UTC)
    with db.transaction() as session:
        rows = session.scalars(
            select(Facility)
            .where(Facility.kind == "day_care", Facility.status == "active")
            .order_by(Facility.id)
            .limit(FACILITIES)
        ).all()
        ids = [f.id for f in rows]
        for f in rows:
            f.capacity, f.places_taken, f.places_held = CAPACITY, 0, 0
        bump_directory_version(session)
        staff = {
            i: accounts.create_account(
                session, AccountIn(name=f"staff {i}", role=Role.PROVIDER_STAFF, facility_id=i), now
            ).token
            for i in ids
        }
        workers = [
            accounts.create_account(
                session, AccountIn(name=f"worker {n}", role=Role.SOCIAL_WORKER, area_code=ORG), now
            ).token
            for n in range(clients)
        ]
    db.dispose()
    return ids, staff, workers


def serve(url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LEYE_DATABASE_URL": url,
        "LEYE_PORT": str(PORT),
        "LEYE_DEMO": "1",
        "LEYE_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen([BIN / "leye-yiyang", "serve"], env=env, cwd=ROOT)
    for _ in range(120):
        try:
            httpx.get(f"http://127.0.0.1:{PORT}/health", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.codes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.created: set[int] = set()

    def add(self, op: str, started: float, code: int) -> None:
        with self.lock:
            self.times[op].append(time.perf_counter() - started)
            self.codes[op][code] += 1


def client(
    n: int,
    http: httpx.Client,
    token: str,
    staff: dict[int, str],
    ids: list[int],
    tally: Tally,
    until: float,
) -> None:
    me = {"Authorization": f"Bearer {token}"}
    base = f"3209021950{n % 12 + 1:02d}{n % 28 + 1:02d}{n:03d}"
    t = time.perf_counter()
    r = http.post(
        "/v1/residents",
        json={
            "name": f"居民{n}",
            "id_number": base + id_check_char(base),
            "home": {"lon": 120.139, "lat": 33.385},
        },
        headers=me,
    )
    tally.add("register", t, r.status_code)
    if r.status_code != 201:
        raise SystemExit(f"registering failed: {r.status_code} {r.text[:300]}")
    resident = r.json()["id"]
    i = 0
    while time.perf_counter() < until:
        facility = ids[(n + i) % len(ids)]
        i += 1
        t = time.perf_counter()
        r = http.post(
            "/v1/referrals",
            headers=me,
            json={"resident_id": resident, "target": {"type": "facility", "id": facility}},
        )
        tally.add("create", t, r.status_code)
        if r.status_code != 201:
            continue
        ref = r.json()["id"]
        with tally.lock:
            tally.created.add(ref)
        t = time.perf_counter()
        r = http.post(f"/v1/referrals/{ref}/send", json={}, headers=me)
        tally.add("send", t, r.status_code)
        if r.status_code != 200:
            t = time.perf_counter()
            r = http.post(f"/v1/referrals/{ref}/cancel", json={"reason": "满员"}, headers=me)
            tally.add("cancel", t, r.status_code)
            continue
        them = {"Authorization": f"Bearer {staff[facility]}"}
        for op in ("accept", "start", "complete"):
            t = time.perf_counter()
            r = http.post(f"/v1/referrals/{ref}/{op}", json={}, headers=them)
            tally.add(op, t, r.status_code)


def check(url: str, ids: list[int], tally: Tally) -> dict[str, object]:
    db = Database(url)
    with db.transaction() as session:
        over = session.scalar(
            select(func.count())
            .select_from(Facility)
            .where(
                Facility.id.in_(ids),
                Facility.places_taken + Facility.places_held > Facility.capacity,
            )
        )
        stored = set(session.scalars(select(Referral.id)))
        sends = session.scalar(
            select(func.count()).select_from(ReferralEvent).where(ReferralEvent.move == "send")
        )
        held = session.scalar(select(func.sum(Facility.places_held)).where(Facility.id.in_(ids)))
        open_sent = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.state.in_(("sent", "accepted", "in_service")))
        )
    db.dispose()
    return {
        "facilities_over_capacity": int(over or 0),
        "referrals_lost": len(tally.created - stored),
        "referrals_unexpected": len(stored - tally.created),
        "send_events": int(sends or 0),
        "sends_ok": tally.codes["send"].get(200, 0),
        "places_still_held": int(held or 0),
        "referrals_still_open": int(open_sent or 0),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--db")
    args = ap.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/referrals.db"
    ids, staff, workers = prepare(url, args.clients)
    server = serve(url)
    tally = Tally()
    try:
        limits = httpx.Limits(max_connections=args.clients)
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60, limits=limits) as http:
            until = time.perf_counter() + args.seconds
            with ThreadPoolExecutor(args.clients) as pool:
                for f in [
                    pool.submit(client, n, http, workers[n], staff, ids, tally, until)
                    for n in range(args.clients)
                ]:
                    f.result()
    finally:
        server.terminate()
        server.wait(30)
    backend = url.split(":")[0].split("+")[0]
    ops = {}
    for op, times in tally.times.items():
        q = statistics.quantiles(sorted(times), n=100) if len(times) > 1 else [times[0]] * 99
        ops[op] = {
            "n": len(times),
            "per_s": round(len(times) / args.seconds, 1),
            "p50_ms": round(q[49] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1),
            "codes": dict(tally.codes[op]),
        }
    check_result = check(url, ids, tally)
    result = {
        "backend": backend,
        "clients": args.clients,
        "seconds": args.seconds,
        "operations": ops,
        "checks": check_result,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"referrals-{backend}.json").write_text(json.dumps(result, indent=2))
    print(f"referrals on {backend}, {args.clients} clients, {args.seconds:.0f} s")
    print(f"{'operation':10} {'n':>7} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8}  answers")
    for op, v in ops.items():
        print(f"{op:10} {v['n']:7} {v['per_s']:7} {v['p50_ms']:8} {v['p99_ms']:8}  {v['codes']}")
    print("checks:", result["checks"])
    checks = check_result
    lost = (
        checks["facilities_over_capacity"],
        checks["referrals_lost"],
        checks["referrals_unexpected"],
    )
    return 0 if lost == (0, 0, 0) else 1


if __name__ == "__main__":
    raise SystemExit(main())
