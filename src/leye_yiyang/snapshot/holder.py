"""Holding the current directory snapshot and replacing it, without ever blocking a reader.

Readers take `holder.current` once per request and use only that object, so they never wait for
a rebuild and never see half a directory; replacing it is one reference assignment. A background
thread polls the version stamp in the database (bumped by every directory write, in the same
transaction), so every API process sharing one PostgreSQL sees a change within
`index_refresh_seconds`; on PostgreSQL a LISTEN thread (listen.py) wakes it as soon as another
process commits a change, and a write in this process refreshes before its response goes out
(`after_write`), so the writer's next request already sees it. A change is applied in two swaps: first the facilities and the indexes of
the kinds it touched (milliseconds), then the geocoder and job catalogue (seconds at scale)."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from leye_yiyang.db import Database
from leye_yiyang.snapshot import building
from leye_yiyang.snapshot.geography import load_geography
from leye_yiyang.snapshot.listen import ChangeListener
from leye_yiyang.snapshot.release import release
from leye_yiyang.snapshot.views import DirectorySnapshot, Geography

log = logging.getLogger("leye_yiyang.snapshot")
# What a refresh may leave to the refresh thread: nothing, the geocoder and job catalogue, or
# only the geocoder.
Deferral = Literal["nothing", "catalogues", "geocoder"]

# While a build runs beside the request threads, hand the GIL back to them this often. At the
# default 5 ms, every point where a query releases the GIL (shapely, pyproj, socket writes) can
# cost it a whole 5 ms turn of the builder. Measured at 100,000 facilities during a catalogue
# rebuild (bench_refresh.py): a reader's worst query 50 ms at 5 ms, 34 ms at 0.2 ms; the build
# itself takes longer, which is the point.
BUILD_SWITCH_INTERVAL_S = 0.0002


@contextlib.contextmanager
def _short_gil_turns() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, BUILD_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


class SnapshotHolder:
    def __init__(
        self, db: Database, geo_dir: Path, refresh_seconds: float, points_per_person: float
    ) -> None:
        self._db = db
        self._geo_dir = geo_dir
        self._points_per_person = points_per_person
        self._refresh_seconds = refresh_seconds
        self._build_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._current: DirectorySnapshot | None = None
        # Replaced snapshots, freed a slice at a time by the refresh thread (release.py).
        self._replaced: list[DirectorySnapshot] = []
        self._geography: Geography | None = None
        self.last_fast_swap_ms: float | None = None
        # A write's refresh left the geocoder / job catalogue for the refresh thread.
        self._catalogues_due = False
        self._listener = (
            ChangeListener(db.url, self._wake.set) if db.url.startswith("postgresql") else None
        )

    @property
    def current(self) -> DirectorySnapshot:
        snapshot = self._current
        if snapshot is None:
            return self.refresh(force=True)
        return snapshot

    def refresh(self, force: bool = False, defer: Deferral = "nothing") -> DirectorySnapshot:
        """Bring the snapshot up to the stored version (all of it when forced). `defer` lets a
        write's own refresh return after the parts its next read needs."""
        # Building allocates hundreds of thousands of objects; left on, the cyclic collector
        # runs full passes over the whole heap meanwhile and stalls every reader thread (seen:
        # 500 ms). The objects are frozen (exempt from collection) once swapped in.
        gc.disable()
        try:
            return self._refresh(force, defer)
        finally:
            gc.enable()

    def _refresh(self, force: bool, defer: Deferral = "nothing") -> DirectorySnapshot:
        with self._build_lock, _short_gil_turns():
            version = self._db.directory_version()
            current = self._current
            if current is not None and current.version == version and not force:
                if self._catalogues_due and defer == "nothing":
                    return self._catalogues_now(current)
                return current
            started = time.perf_counter()
            with self._db.sessions() as session:
                if self._geography is None:
                    self._geography = load_geography(
                        session, self._geo_dir, self._points_per_person
                    )
                fast = None
                if current is not None and not force:
                    fast = building.update(session, current, version)
                if fast is None:
                    snapshot = building.build_full(session, version, self._geography)
                    self._swap(snapshot, started, "full")
                    return snapshot
                self._swap(fast, started, "incremental")
                self.last_fast_swap_ms = (time.perf_counter() - started) * 1000
                if defer != "nothing":
                    # A write's own refresh: the geocoder (and, unless the write touched jobs,
                    # the job catalogue) is rebuilt by the refresh thread right after.
                    if defer == "geocoder":
                        fast = building.with_jobs(session, fast)
                        self._swap(fast, started, "jobs")
                    self._catalogues_due = True
                    self._wake.set()
                    return fast
                snapshot = building.with_catalogues(session, fast)
            self._swap(snapshot, started, "catalogues")
            self._catalogues_due = False
            return snapshot

    def _catalogues_now(self, current: DirectorySnapshot) -> DirectorySnapshot:
        started = time.perf_counter()
        with self._db.sessions() as session:
            snapshot = building.with_catalogues(session, current)
        self._swap(snapshot, started, "catalogues")
        self._catalogues_due = False
        return snapshot

    def _swap(self, snapshot: DirectorySnapshot, started: float, how: str) -> None:
        previous = self._current
        self._current = snapshot  # the atomic swap: one reference assignment
        if previous is not None:
            self._replaced.append(previous)
        del previous
        # Snapshots live long and hold many objects: take them out of the cyclic collector's
        # view so full collections stop pausing requests (they showed as p99 tails). No
        # collect first: at 100,000 facilities that alone takes ~150 ms.
        gc.freeze()
        log.info(
            "directory snapshot v%s (%s): %d facilities in %.0f ms",
            snapshot.version,
            how,
            len(snapshot.facilities),
            (time.perf_counter() - started) * 1000,
        )

    def after_write(self, jobs: bool = False) -> None:
        """A directory write of this process has committed: refresh now, so the write's own
        response leaves only once the next nearby/circles/coverage request sees it (and the
        next matching request, for a write to vacancies or courses: `jobs`). The geocoder
        follows from the refresh thread, a fraction of a second later."""
        self.refresh(defer="geocoder" if jobs else "catalogues")

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.connected.is_set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="snapshot-refresh", daemon=True)
            self._thread.start()
            if self._listener is not None:
                self._listener.start()

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._refresh_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.refresh()
            except Exception:  # keep serving the last good snapshot; the next poll retries
                log.exception("snapshot refresh failed")
            self.release_replaced()

    def release_replaced(self) -> None:
        """Free replaced snapshots no request reads any more, without stalling the others."""
        with self._build_lock:
            release(self._replaced)
