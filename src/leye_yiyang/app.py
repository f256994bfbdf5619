"""The application factory: routers, dependencies, the exception map, OpenAPI."""

from __future__ import annotations

import re
from collections.abc import Generator
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from sqlalchemy.orm import Session

from leye_yiyang.accounts.routes import AccountController, current_principal
from leye_yiyang.caseload.protect import DEMO_KEYS, DEMO_LOOKUP_KEY, Keyring, ProtectionError
from leye_yiyang.caseload.routes import CaseloadController
from leye_yiyang.circles.routes import GeoController
from leye_yiyang.db import Database
from leye_yiyang.directory.routes import AreaController, FacilityController, JobsController
from leye_yiyang.district import read_district
from leye_yiyang.editing.routes import (
    RECORD_CONTROLLERS,
    FacilityEditController,
    JobsEditController,
    edit_context,
)
from leye_yiyang.errors import InvalidInput
from leye_yiyang.geocode.online import online_geocoder
from leye_yiyang.geocode.routes import GeocodeController
from leye_yiyang.hsds.routes import HsdsController
from leye_yiyang.matching.routes import MatchController
from leye_yiyang.migrate import heads
from leye_yiyang.openapi import refine
from leye_yiyang.ops import routes as ops
from leye_yiyang.ops.metrics import registry_for
from leye_yiyang.ops.middleware import AllowEveryMethod, OpsMiddleware
from leye_yiyang.ops.service import APP_VERSION
from leye_yiyang.problems import EXCEPTION_HANDLERS, document_problems
from leye_yiyang.referrals.routes import ReferralController
from leye_yiyang.referrals.service import Casework
from leye_yiyang.referrals.sweeper import Sweeper
from leye_yiyang.settings import Settings, SettingsError
from leye_yiyang.snapshot.context import GeoContext
from leye_yiyang.snapshot.holder import SnapshotHolder
from leye_yiyang.spatial.travel import CrowFliesModel, TravelTimeModel
from leye_yiyang.transfer.routes import TransferController
from leye_yiyang.web.routes import docs_plugins, docs_router, web_handlers

DESCRIPTION = """乐业颐养：{district}民生服务目录与匹配。

Find the livelihood services a resident is entitled to near home — senior meal halls, day care,
care homes, childcare for 0–3-year-olds, job services, vacancies and training — with coordinates in
WGS-84, GCJ-02 (Amap/Tencent) or BD-09 (Baidu). Errors are RFC 9457 `application/problem+json`
with a stable `code` and Chinese and English messages."""


# C0 control characters but the tab.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f]")
_PRINTABLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """No legitimate query value holds control characters, and PostgreSQL refuses NUL in text:
    answer 400 here rather than a database error later.

    Async on purpose: litestar runs a sync hook in a worker thread, a hop that cost more than the
    hook. The raw query string is scanned once, percent-escapes decoded; only a hit pays for
    parsing it to name the field."""
    query = request.scope.get("query_string", b"")
    if not query.isascii():
        # Raw UTF-8 in a query ("address=桥东社区" typed into curl) is not valid HTTP, but granian
        # passes it through and the framework would read it as Latin-1: mojibake and a confusing
        # 404. Percent-encode those bytes so they are read as the UTF-8 they are.
        query = quote_from_bytes(query, safe=_PRINTABLE_ASCII).encode("ascii")
        request.scope["query_string"] = query
    # Latin-1 maps each byte to the character of the same code: the control bytes stay themselves.
    if _CONTROL.search(unquote_to_bytes(query).decode("latin-1")):
        field = None
        for key, value in request.query_params.multi_items():
            if _CONTROL.search(value) and not _CONTROL.search(key):
                field = key
                break
        raise InvalidInput(
            "查询参数含有控制字符",
            "A query parameter contains control characters",
            code="invalid_characters",
            field=field,
        )
    if _CONTROL.search(request.scope["path"]):
        raise InvalidInput(
            "路径含有控制字符", "The path contains control characters", code="invalid_characters"
        )


def keyring_for(settings: Settings) -> Keyring:
    """The keys sealing residents' identifiers; outside the demo they must be configured."""
    try:
        if settings.data_keys:
            if not settings.lookup_key:
                raise SettingsError("LEYE_LOOKUP_KEY is required with LEYE_DATA_KEYS")
            return Keyring(settings.data_keys, settings.lookup_key)
    except ProtectionError as exc:
        raise SettingsError(str(exc)) from None
    if settings.demo:
        return Keyring(DEMO_KEYS, DEMO_LOOKUP_KEY)
    raise SettingsError(
        "LEYE_DATA_KEYS and LEYE_LOOKUP_KEY are required outside the demo (LEYE_DEMO=1): "
        "residents' ID numbers and phones are sealed with them"
    )


def create_app(
    settings: Settings | None = None, travel_model: TravelTimeModel | None = None
) -> Litestar:
    """The app over `settings` (the environment by default). `travel_model` replaces the
    built-in crow-flies model everywhere travel time is asked (nearby, circles, coverage,
    suggestions, all matchers), e.g. with a road router."""
    settings = settings or Settings.from_env()
    district = read_district(Path(settings.geo_dir))
    db = Database(settings.database_url)
    online = None
    if settings.geocoder != "offline":
        online = online_geocoder(
            settings.geocoder,
            settings.geocoder_key or "",
            district,
            base_url=settings.geocoder_url,
        )
    holder = SnapshotHolder(
        db,
        Path(settings.geo_dir),
        settings.index_refresh_seconds,
        settings.coverage_points_per_person,
        online,
    )
    model: TravelTimeModel = travel_model or CrowFliesModel()
    registry, http_metrics = registry_for(holder, db.engine.pool, APP_VERSION)
    keyring = keyring_for(settings)
    state: dict[str, Any] = {
        "settings": settings,
        "db": db,
        "snapshots": holder,
        "keyring": keyring,
    }
    state |= {"version": APP_VERSION, "metrics_registry": registry, "migration_heads": heads()}

    def geo_context() -> GeoContext:
        return GeoContext(holder.current, model)

    sweeper = Sweeper(
        db,
        lambda: Casework(
            keys=keyring,
            answer_days=settings.referral_answer_working_days,
            close_days=settings.referral_close_working_days,
            refresh=holder.after_write,
        ),
        settings.referral_sweep_seconds,
    )

    def request_session(request: Request[Any, Any, Any]) -> Generator[Session, None, None]:
        yield from db.request_session(write=request.method not in ("GET", "HEAD"))

    # litestar refuses two controllers on one path, so each read controller of the directory and
    # the edit controller on the same path are joined into one class. The edit routes carry the
    # token guard themselves (accounts/guard.py), the reads stay public.
    facilities = type("FacilityController", (FacilityEditController, FacilityController), {})
    jobs = type("JobsController", (JobsEditController, JobsController), {})
    rule = settings.rate_limit_rule
    middleware = (
        [RateLimitConfig(rate_limit=rule, exclude=["/health"]).middleware]  # type: ignore[arg-type]
        if rule is not None
        else []
    )

    app = Litestar(
        route_handlers=[
            ops.health,
            ops.ready,
            ops.metrics,
            AreaController,
            facilities,
            jobs,
            GeoController,
            GeocodeController,
            MatchController,
            HsdsController,
            TransferController,
            CaseloadController,
            ReferralController,
            *RECORD_CONTROLLERS,
            AccountController,
            *web_handlers(settings),
        ],
        middleware=middleware,
        dependencies={
            "principal": Provide(current_principal, sync_to_thread=False),
            "edit": Provide(edit_context, sync_to_thread=False),
            "db_session": Provide(request_session),
            "geo": Provide(geo_context, sync_to_thread=False),
            "places": Provide(lambda: holder.current.places, sync_to_thread=False),
            "keys": Provide(lambda: keyring, sync_to_thread=False),
            "writes": Provide(lambda: db, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=refuse_control_characters,
        openapi_config=OpenAPIConfig(
            title="乐业颐养 leye-yiyang",
            version=APP_VERSION,
            description=DESCRIPTION.replace("{district}", district.name_zh),
            render_plugins=docs_plugins(),
            openapi_router=docs_router(settings),
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="An account token (`leye-yiyang accounts create`)",
                    )
                }
            ),
        ),
        request_max_body_size=settings.max_body_bytes,
        on_startup=[holder.load_and_start, sweeper.start],
        on_shutdown=[sweeper.stop, holder.stop, db.dispose],
        state=State(state),
    )
    document_problems(app)
    refine(app)
    allowed = {
        route.path_format: ", ".join(sorted(route.methods)).encode()
        for route in app.routes
        if isinstance(route, HTTPRoute)
    }
    # Outside litestar's routing and exception handling, so every answer, a 404 too, is seen.
    app.asgi_handler = OpsMiddleware(AllowEveryMethod(app.asgi_handler, allowed), http_metrics)
    return app
