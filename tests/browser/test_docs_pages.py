"""The API docs render with no internet: Swagger UI and Redoc come from the server's own files."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_swagger_ui_renders_every_operation_from_the_server_alone(
    open_page: Any, server: Server, path: str
) -> None:
    operations = sum(len(ops) for ops in server.get_json("/schema/openapi.json")["paths"].values())
    visit = open_page(path)
    visit.page.locator(".swagger-ui .opblock").first.wait_for(timeout=30_000)
    assert visit.page.locator(".swagger-ui .opblock").count() == operations > 10
    assert "乐业颐养" in visit.page.inner_text(".swagger-ui .info")
    assert visit.errors == []
    assert visit.attempted_off_server == []
    assert visit.refused_off_server == []


def test_redoc_renders_and_nothing_leaves_the_machine(open_page: Any) -> None:
    visit = open_page("/schema/redoc")
    visit.page.get_by_text("乐业颐养 leye-yiyang").first.wait_for(timeout=30_000)
    assert visit.page.locator("[data-section-id]").count() > 10
    assert visit.refused_off_server == []
    # Redoc 2.5.4 hard-codes a Redocly logo on a CDN; the page's policy refuses it before any
    # request is made. It is the only thing the bundle asks for from outside.
    assert set(visit.attempted_off_server) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    assert [e for e in visit.errors if "cdn.redoc.ly" not in e] == []
