"""Prometheus metrics for one process: requests and latency by route template, the directory
snapshot, the refresh loop and the database pool.

Labels are closed sets only: the method, the route *template* (`/v1/facilities/{facility_id}`,
or `unmatched` for a path no route serves) and the status. Never a raw path or query string: an
address a resident typed is personal data. Snapshot and pool figures are read when scraped, so the
request path pays for a dictionary look-up, a bisection and three additions, nothing more."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from typing import Protocol

from prometheus_client import CollectorRegistry, Gauge, disable_created_metrics
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy.pool import Pool

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Nearby answers in ~1-20 ms, matching at scale in up to a few hundred.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class SnapshotState(Protocol):
    """What the snapshot holder tells about itself (snapshot/holder.py)."""

    @property
    def loaded_version(self) -> int | None: ...
    @property
    def loaded_facilities(self) -> int: ...

    last_checked_at: float | None
    last_built_at: float | None
    last_build_seconds: float | None
    refresh_failures: int
    database_down_since: float | None


class _Series:
    __slots__ = ("buckets", "count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one: above every bound


class HttpMetrics(Collector):
    """Requests and latency, counted in plain numbers and turned into metric families when
    scraped. Written only from the event loop (the middleware), so no locks: prometheus_client's
    own Counter and Histogram take four locks a request, measured at several times the cost."""

    def __init__(self) -> None:
        self._series: dict[tuple[str, str, int], _Series] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            if method not in METHODS:
                key = ("other", route, status)
            series = self._series.setdefault(key, _Series())
        series.count += 1
        series.total += seconds
        series.buckets[bisect_left(LATENCY_BUCKETS, seconds)] += 1

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "leye_http_requests",
            "HTTP requests answered, by method, route template and status",
            labels=["method", "route", "status"],
        )
        by_route: dict[tuple[str, str], _Series] = {}
        for (method, route, status), series in list(self._series.items()):
            requests.add_metric([method, route, str(status)], series.count)
            merged = by_route.setdefault((method, route), _Series())
            merged.count += series.count
            merged.total += series.total
            merged.buckets = [a + b for a, b in zip(merged.buckets, series.buckets, strict=True)]
        yield requests
        latency = HistogramMetricFamily(
            "leye_http_request_duration_seconds",
            "Time from the request to the end of the response, by method and route template",
            labels=["method", "route"],
        )
        for (method, route), series in by_route.items():
            cumulative = list(accumulate(series.buckets))
            bounds = [*(repr(b) for b in LATENCY_BUCKETS), "+Inf"]
            latency.add_metric(
                [method, route], list(zip(bounds, cumulative, strict=True)), series.total
            )
        yield latency


class StateCollector(Collector):
    """The snapshot, the refresh loop and the pool, read at scrape time."""

    def __init__(self, snapshot: SnapshotState, pool: Pool) -> None:
        self._snapshot = snapshot
        self._pool = pool

    def collect(self) -> Iterator[Metric]:
        s = self._snapshot
        now = time.time()
        version = s.loaded_version
        yield _gauge(
            "leye_snapshot_loaded", "1 when a directory snapshot is loaded", version is not None
        )
        if version is not None:
            yield _gauge("leye_snapshot_version", "Directory version the snapshot holds", version)
            yield _gauge(
                "leye_snapshot_facilities", "Facilities in the snapshot", s.loaded_facilities
            )
        if s.last_checked_at is not None:
            yield _gauge(
                "leye_snapshot_age_seconds",
                "Seconds since the snapshot was last confirmed current against the database",
                now - s.last_checked_at,
            )
        if s.last_built_at is not None:
            yield _gauge(
                "leye_snapshot_last_build_timestamp_seconds",
                "Unix time the last snapshot was swapped in",
                s.last_built_at,
            )
        if s.last_build_seconds is not None:
            yield _gauge(
                "leye_snapshot_last_build_duration_seconds",
                "How long building the last snapshot took",
                s.last_build_seconds,
            )
        failures = CounterMetricFamily(
            "leye_snapshot_refresh_failures",
            "Refresh polls that failed (database unavailable or other)",
        )
        failures.add_metric([], s.refresh_failures)
        yield failures
        yield _gauge(
            "leye_database_up",
            "0 while the refresh loop finds the database unavailable, else 1",
            s.database_down_since is None,
        )
        pool = GaugeMetricFamily(
            "leye_db_pool_connections", "Database pool connections by state", labels=["state"]
        )
        for state, count in pool_counts(self._pool).items():
            pool.add_metric([state], count)
        yield pool


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=float(value))


def pool_counts(pool: Pool) -> dict[str, int]:
    """Connections in use, idle and beyond the pool size (QueuePool; other pools tell less)."""
    counts: dict[str, int] = {}
    for state, attr in (("in_use", "checkedout"), ("idle", "checkedin"), ("overflow", "overflow")):
        read = getattr(pool, attr, None)
        if callable(read):
            # QueuePool counts overflow from -pool_size upwards.
            counts[state] = max(0, int(read()))
    return counts


def registry_for(
    snapshot: SnapshotState, pool: Pool, version: str
) -> tuple[CollectorRegistry, HttpMetrics]:
    """One registry per application (tests build several apps in one process)."""
    disable_created_metrics()  # type: ignore[no-untyped-call]  # a *_created series per label set doubles the output for nothing
    registry = CollectorRegistry(auto_describe=True)
    http = HttpMetrics()
    registry.register(http)
    registry.register(StateCollector(snapshot, pool))
    info = Gauge("leye_build_info", "The running version", ["version"], registry=registry)
    info.labels(version).set(1)
    return registry, http
