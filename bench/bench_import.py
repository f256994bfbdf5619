"""Imports, exports and HSDS at scale, each next to a plain baseline in the same run.

1. 10,000 facility rows from .xlsx: a bare read of the file (calamine, the reader we use; and
   openpyxl read_only, the one we did not pick), then the dry run and the apply by phase (read,
   validate, geocode, write, snapshot refresh), with the ratio to the bare read.
2. Nearby latency (one server worker, granian) before and while a 10,000-row import applies.
3. The full HSDS export of the 100,000-facility world, streamed: time and peak memory, next to
   a bare streamed SELECT of the same rows.

    python bench/bench_import.py [--rows 10000] [--world 100000] [--skip-http] [--skip-hsds]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec
import python_calamine
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from leye_yiyang import migrate
from leye_yiyang.accounts import service as accounts
from leye_yiyang.accounts.policy import Role
from leye_yiyang.accounts.schemas import AccountIn
from leye_yiyang.db import Database
from leye_yiyang.directory.loading import community_locator, load_directory, load_facilities
from leye_yiyang.hsds.service import export_services
from leye_yiyang.models import Facility
from leye_yiyang.snapshot.holder import SnapshotHolder
from leye_yiyang.transfer import service
from leye_yiyang.transfer.columns import COLUMNS
from leye_yiyang.transfer.reading import Limits
from leye_yiyang.transfer.writing import facility_cells
from world import generate_world

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
VAR = ROOT / "var"
PORT = 18431


def fresh_db(name: str) -> str:
    VAR.mkdir(exist_ok=True)
    path = VAR / name
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    db = Database(url)
    with db.transaction() as session:
        load_directory(session, GEO, ROOT / "fixtures" / "tinghu")
    db.dispose()
    return url


def sheet(rows: int, prefix: str, seed: int) -> bytes:
    """`rows` generated facilities as a department's .xlsx (the export's shape)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("机构")
    ws.append([c.zh for c in COLUMNS])
    for n, rec in enumerate(generate_world(rows, 1, seed=seed, geo_dir=GEO).facilities):
        f = Facility(
            **{
                k: v
                for k, v in msgspec.to_builtins(rec).items()
                if k not in ("verified_at", "area_code")
            }
        )
        f.ref, f.area_code, f.verified_at = f"{prefix}-{n:05d}", "", None
        cells = facility_cells(f)
        ws.append([cells[c.key] for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_reads(data: bytes) -> dict[str, float]:
    t0 = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    n = len(book.get_sheet_by_name("机构").to_python())
    t1 = time.perf_counter()
    ro = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    m = sum(1 for _ in ro["机构"].iter_rows(values_only=True))
    t2 = time.perf_counter()
    assert n == m
    return {"calamine_s": round(t1 - t0, 3), "openpyxl_read_only_s": round(t2 - t1, 3)}


def phases(url: str, data: bytes) -> dict[str, Any]:
    db = Database(url)
    holder = SnapshotHolder(db, GEO, 3600, 0.05)
    geocoder = holder.refresh(force=True).geocoder
    limits = Limits(max_rows=20_000, max_bytes=64 << 20)
    out: dict[str, Any] = {}
    for dry in (True, False):
        t0 = time.perf_counter()
        with db.transaction() as session:
            ctx = service.Context(
                locator=community_locator(session), geocode=geocoder.resolve, deny=lambda k: None
            )
            report = service.run_import(
                session, data, "bench.xlsx", service.Options(kind=None, dry_run=dry), limits, ctx
            )
            t_commit = time.perf_counter()
        committed = time.perf_counter() - t_commit
        total = time.perf_counter() - t0
        key = "dry_run" if dry else "apply"
        out[key] = {
            **{k: round(v / 1000, 3) for k, v in report.timings_ms.items()},
            "total_s": round(total, 3),
            "summary": msgspec.to_builtins(report.summary),
        }
        if not dry:
            out[key]["commit_s"] = round(committed, 3)
            t1 = time.perf_counter()
            holder.refresh()
            out[key]["snapshot_refresh_s"] = round(time.perf_counter() - t1, 3)
    db.dispose()
    return out


class Server:
    def __init__(self, url: str) -> None:
        env = {
            **os.environ,
            "LEYE_DATABASE_URL": url,
            "LEYE_GEO_DIR": str(GEO),
            "LEYE_PORT": str(PORT),
            "LEYE_HOST": "127.0.0.1",
            "LEYE_RATE_LIMIT": "0",
            "LEYE_LOG_LEVEL": "WARNING",
            "LEYE_IMPORT_MAX_BYTES": str(64 << 20),
        }
        self.p = subprocess.Popen(
            [str(Path(sys.executable).with_name("leye-yiyang")), "serve"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{PORT}"
        for _ in range(300):
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("server did not start")

    def stop(self) -> None:
        os.killpg(self.p.pid, signal.SIGTERM)
        self.p.wait(timeout=30)


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[int(len(ms) * 0.99) - 1], 2),
        "worst_ms": round(ms[-1], 2),
    }


def admin_token(url: str) -> str:
    db = Database(url)
    with db.transaction() as session:
        rec = AccountIn(name="bench importer", role=Role.DISTRICT_ADMIN)
        token = accounts.create_account(session, rec, accounts.now()).token
    db.dispose()
    return token


def nearby_during_apply(url: str, data: bytes) -> dict[str, Any]:
    token = admin_token(url)
    server = Server(url)
    try:
        client = httpx.Client(base_url=server.base, timeout=30)
        params: dict[str, str | float] = {
            "lon": 120.1389,
            "lat": 33.3797,
            "kind": "meal_hall",
            "limit": 10,
        }

        def sample(seconds: float | None, stop: threading.Event | None = None) -> list[float]:
            out: list[float] = []
            end = time.monotonic() + (seconds or 1e9)
            while time.monotonic() < end and not (stop and stop.is_set()):
                t = time.perf_counter()
                assert client.get("/v1/facilities/nearby", params=params).status_code == 200
                out.append((time.perf_counter() - t) * 1000)
            return out

        idle = sample(3.0)
        done = threading.Event()
        during: list[float] = []
        reader = threading.Thread(target=lambda: during.extend(sample(None, done)))
        reader.start()
        t0 = time.perf_counter()
        response = httpx.post(
            server.base + "/v1/imports",
            files={"file": ("b.xlsx", data)},
            data={"kind": "facility", "dry_run": "false"},
            headers={"authorization": f"Bearer {token}"},
            timeout=300,
        )
        apply_s = time.perf_counter() - t0
        time.sleep(1.0)  # and the snapshot refresh that follows the commit
        done.set()
        reader.join()
        assert response.status_code == 200, response.text[:500]
        return {
            "apply_http_s": round(apply_s, 2),
            "idle": _stats(idle),
            "during_apply": _stats(during),
        }
    finally:
        server.stop()


def hsds_export(n: int) -> dict[str, Any]:
    url = fresh_db("bench-hsds.db")
    db = Database(url)
    t0 = time.perf_counter()
    with db.transaction() as session:
        load_facilities(
            session,
            generate_world(n, 1, seed=11, geo_dir=GEO).facilities,
            community_locator(session),
        )
    load_s = time.perf_counter() - t0
    out: dict[str, Any] = {"facilities": n + 236, "world_load_s": round(load_s, 1)}
    with db.sessions() as session:
        t0 = time.perf_counter()
        rows = sum(
            1 for _ in session.execute(select(Facility).execution_options(yield_per=1000)).scalars()
        )
        out["baseline_bare_select_s"] = round(time.perf_counter() - t0, 2)
        session.expunge_all()
    with db.sessions() as session:
        # Peak resident memory (ru_maxrss) rather than tracemalloc, which tripled the export time.
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        size = sum(len(chunk) for chunk in export_services(session))
        out["export_s"] = round(time.perf_counter() - t0, 2)
        out["export_mb"] = round(size / 1e6, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        out["peak_rss_before_export_mb"] = round(before / 1024, 1)
    out["rows"] = rows
    db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--world", type=int, default=100_000)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-hsds", action="store_true")
    args = parser.parse_args()
    data = sheet(args.rows, "bench", seed=3)
    result: dict[str, Any] = {
        "rows": args.rows,
        "xlsx_mb": round(len(data) / 1e6, 2),
        "bare_read": bare_reads(data),
    }
    result["import"] = phases(fresh_db("bench-import.db"), data)
    total = result["import"]["dry_run"]["total_s"] + result["import"]["apply"]["total_s"]
    result["import"]["dry_run_plus_apply_s"] = round(total, 2)
    result["import"]["ratio_read_to_bare"] = round(
        result["import"]["dry_run"]["read"] / result["bare_read"]["calamine_s"], 2
    )
    result["import"]["ratio_dry_run_to_bare"] = round(
        result["import"]["dry_run"]["total_s"] / result["bare_read"]["calamine_s"], 1
    )
    print(msgspec.json.encode(result).decode(), flush=True)
    if not args.skip_http:
        result["nearby"] = nearby_during_apply(
            fresh_db("bench-import-http.db"), sheet(args.rows, "live", seed=5)
        )
        print(msgspec.json.encode(result["nearby"]).decode(), flush=True)
    if not args.skip_hsds:
        result["hsds"] = hsds_export(args.world)
        print(msgspec.json.encode(result["hsds"]).decode(), flush=True)
    print(msgspec.json.format(msgspec.json.encode(result)).decode())


if __name__ == "__main__":
    main()
