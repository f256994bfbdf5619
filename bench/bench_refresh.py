"""How fast a directory change becomes searchable, and that readers are never blocked meanwhile.

    LEYE_DATABASE_URL=sqlite:///var/bench-world.db python bench/bench_refresh.py

Run it on a database loaded with a generated world (bench/load_world.py). It measures the full
snapshot build, then the incremental swap after one facility changes (the figure the ≤ 200 ms
target is about), while a reader thread runs nearby queries and records its worst latency: the
catalogue rebuild and freeing the replaced snapshot happen while it reads."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.models import Facility
from leye_yiyang.settings import Settings
from leye_yiyang.snapshot.holder import SnapshotHolder
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.vocab import FacilityKind

ROOT = Path(__file__).resolve().parent.parent


def with_reader(holder: SnapshotHolder, work: Callable[[], object]) -> tuple[float, float]:
    """Run `work` while another thread keeps querying; (work seconds, worst query seconds)."""
    worst = [0.0]
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            holder.current.index(FacilityKind.MEAL_HALL).nearest(LonLat(120.131, 33.385), 10)
            worst[0] = max(worst[0], time.perf_counter() - started)

    thread = threading.Thread(target=read)
    thread.start()
    time.sleep(0.05)
    started = time.perf_counter()
    work()
    took = time.perf_counter() - started
    stop.set()
    thread.join()
    return took, worst[0]


def refresh_and_release(holder: SnapshotHolder) -> None:
    """What the holder's refresh thread does after a change: swap, then free what was replaced."""
    holder.refresh()
    holder.release_replaced()


def change_one(db: Database, fid: int) -> None:
    with db.transaction() as s:
        f = s.get(Facility, fid)
        assert f is not None
        f.status = "temporarily_closed" if f.status == "active" else "active"
        bump_directory_version(s)


def main() -> None:
    settings = Settings.from_env()
    db = Database(settings.database_url)
    holder = SnapshotHolder(db, ROOT / "geo", 3600, settings.coverage_points_per_person)
    started = time.perf_counter()
    snapshot = holder.refresh(force=True)
    full_s = time.perf_counter() - started
    with db.sessions() as s:
        ids = list(s.scalars(select(Facility.id).where(Facility.kind == "meal_hall").limit(5)))
    fast: list[float] = []
    total: list[float] = []
    worst: list[float] = []
    for fid in ids:
        change_one(db, fid)
        took, slowest = with_reader(holder, lambda: refresh_and_release(holder))
        fast.append(holder.last_fast_swap_ms or 0.0)
        total.append(took)
        worst.append(slowest * 1000)
    result = {
        "facilities": len(snapshot.facilities),
        "full_build_s": round(full_s, 2),
        "change_to_searchable_ms_median": round(statistics.median(fast), 1),
        "change_to_searchable_ms_max": round(max(fast), 1),
        "catalogues_rebuilt_s_median": round(statistics.median(total), 2),
        "reader_worst_query_ms": round(max(worst), 2),
        "reader_median_of_worst_ms": round(statistics.median(worst), 2),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "refresh.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
