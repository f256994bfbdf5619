"""Liveness, readiness and metrics: what a load balancer, an orchestrator and Prometheus ask."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from leye_yiyang.ops import service
from leye_yiyang.ops.schemas import Health, Readiness
from leye_yiyang.problems import problem_responses

_HEALTH = Health(status="ok", version=service.APP_VERSION)


@get("/health", summary="Liveness: the process answers", tags=["ops"], sync_to_thread=False)
def health() -> Health:
    # No parameters: litestar then skips its signature model, a third of this answer's cost.
    return _HEALTH


@get(
    "/ready",
    summary="Readiness: database reachable, schema at head, directory snapshot loaded and fresh",
    description="200 when this process should get traffic; 503 problem+json naming what is not "
    "ready (`database_unavailable`, or `not_ready` with `extra.not_ready`), with Retry-After.",
    tags=["ops"],
    sync_to_thread=True,
    responses=problem_responses(503),
)
def ready(state: State) -> Readiness:
    settings = state["settings"]
    return service.readiness(
        state["db"],
        state["migration_heads"],
        state["snapshots"],
        settings.index_refresh_seconds,
        state["version"],
    )


@get(
    "/metrics",
    summary="Prometheus metrics (trusted networks or a bearer token)",
    description="Prometheus text format. Served to clients in LEYE_METRICS_ALLOW (default "
    "loopback) or with `Authorization: Bearer <LEYE_METRICS_TOKEN>`; others get 403.",
    tags=["ops"],
    sync_to_thread=False,
    media_type=CONTENT_TYPE_LATEST,
    responses=problem_responses(403),
)
def metrics(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    settings = state["settings"]
    client = request.scope.get("client")
    service.check_scraper(
        client[0] if client else None,
        request.headers.get("authorization", ""),
        settings.metrics_allow,
        settings.metrics_token,
    )
    return Response(generate_latest(state["metrics_registry"]), media_type=CONTENT_TYPE_LATEST)
