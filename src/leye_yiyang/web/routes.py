"""HTTP for the pages: /map, its config, the static files, and the API docs at /schema.

Every page is a static HTML file that loads scripts from files only, sent with a
Content-Security-Policy that allows nothing but this server (see service.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Response, Router, get
from litestar.datastructures import ResponseHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin
from sqlalchemy.orm import Session

from leye_yiyang.settings import Settings
from leye_yiyang.web import schemas as w
from leye_yiyang.web import service
from leye_yiyang.web.files import Files

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VENDOR = HERE / "vendor"
_HTML = "text/html"
_APP_FILES = Files(STATIC)
_VENDOR_FILES = Files(VENDOR)
# Vendored files sit under their versioned folder and never change: browsers may keep them.
_KEEP = {"Cache-Control": "public, max-age=31536000"}
_REVALIDATE = {"Cache-Control": "no-cache"}


def _page(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def _security_headers(csp: str) -> list[ResponseHeader]:
    return [
        ResponseHeader(name="Content-Security-Policy", value=csp),
        ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
        ResponseHeader(name="Referrer-Policy", value="no-referrer"),
    ]


@get("/map", media_type=_HTML, sync_to_thread=False, include_in_schema=False)
def map_page() -> bytes:
    return _page("map.html")


@get("/redoc", media_type=_HTML, sync_to_thread=False, include_in_schema=False)
def redoc_page() -> bytes:
    return _page("redoc.html").replace(b"{{SPEC_URL}}", b"/schema/openapi.json")


@get(
    "/map/config",
    sync_to_thread=True,
    summary="What the map page needs at start: basemap, kinds, modes, the data's freshness",
    tags=["map"],
)
def map_config(db_session: Session, request: Request[Any, Any, Any]) -> w.MapConfig:
    settings: Settings = request.app.state.settings
    return service.map_config(db_session, settings)


@get("/static/app/{name:path}", sync_to_thread=False, include_in_schema=False)
def app_file(name: str) -> Response[bytes]:
    body, media = _APP_FILES.get(name)
    return Response(body, media_type=media, headers=_REVALIDATE)


@get("/static/vendor/{name:path}", sync_to_thread=False, include_in_schema=False)
def vendor_file(name: str) -> Response[bytes]:
    body, media = _VENDOR_FILES.get(name)
    return Response(body, media_type=media, headers=_KEEP)


def web_handlers(settings: Settings) -> list[Any]:
    """The map page and its files, the Redoc page, and the map's config."""
    csp = service.content_security_policy(settings)
    files = [app_file, vendor_file]
    pages = Router("/", route_handlers=[map_page, *files], response_headers=_security_headers(csp))
    redoc_csp = service.content_security_policy(settings, inline_styles=True)
    redoc = Router(
        "/schema", route_handlers=[redoc_page], response_headers=_security_headers(redoc_csp)
    )
    return [pages, redoc, map_config]


class _DocsPage(OpenAPIRenderPlugin):
    """An API docs page from a static HTML file; its script finds the document in data-spec."""

    def __init__(self, *, page: str, path: str) -> None:
        super().__init__(path=path)
        self.page = page

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        spec = self.get_openapi_json_route(request)
        return _page(self.page).replace(b"{{SPEC_URL}}", spec.encode())


def docs_plugins() -> list[OpenAPIRenderPlugin]:
    """Swagger UI at /schema and /schema/swagger from the vendored bundle (Redoc, which needs a
    looser policy, is served by web_handlers at /schema/redoc)."""
    return [_DocsPage(page="swagger.html", path="/swagger")]


def docs_router(settings: Settings) -> Router:
    csp = service.content_security_policy(settings)
    return Router(
        "/schema",
        route_handlers=[],
        include_in_schema=False,
        response_headers=_security_headers(csp),
    )
