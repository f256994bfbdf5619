"""The pages the app serves (/map, /schema, /schema/swagger, /schema/redoc): from its own files,
under a Content-Security-Policy that lets a browser load nothing from anywhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings
from leye_yiyang.web.routes import STATIC, VENDOR

Client = TestClient[Litestar]
PAGES = ["/map", "/schema", "/schema/swagger", "/schema/redoc"]
TIANDITU = "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"


def directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part.partition(" ")[2] for part in csp.split("; ")}


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_html_with_a_policy_of_this_server_only(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    policy = directives(r.headers["content-security-policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data: blob:"


@pytest.mark.parametrize("path", ["/map", "/schema", "/schema/swagger"])
def test_map_and_swagger_pages_allow_no_inline_styles(client: Client, path: str) -> None:
    policy = directives(client.get(path).headers["content-security-policy"])
    assert policy["style-src"] == "'self'"


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_no_inline_script_and_name_no_other_host(client: Client, path: str) -> None:
    html = client.get(path).text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attrs, body in scripts:
        assert 'src="/static/' in attrs
        assert body.strip() == ""
    assert "http://" not in html
    assert "https://" not in html


def test_every_file_a_page_names_is_served(client: Client) -> None:
    names = set()
    for path in PAGES:
        names |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', client.get(path).text))
    assert len(names) >= 8
    for name in sorted(names):
        assert client.get(name).status_code == 200, name


def test_vendored_libraries_ship_with_their_licences() -> None:
    folders = sorted(p for p in VENDOR.iterdir() if p.is_dir())
    assert [p.name.rsplit("-", 1)[0] for p in folders] == [
        "leaflet",
        "leaflet.markercluster",
        "redoc",
        "swagger-ui-dist",
    ]
    for folder in folders:
        assert any("LICEN" in f.name.upper() for f in folder.iterdir()), folder


def test_our_page_files_use_no_inline_style_attributes() -> None:
    html = (STATIC / "map.html").read_text(encoding="utf-8")
    assert " style=" not in html
    assert "<style" not in html


def test_the_map_config_names_no_basemap_by_default_and_the_data_freshness(
    client: Client,
) -> None:
    config = client.get("/map/config").json()
    assert config["basemap"] is None
    assert (config["district_zh"], config["district_en"]) == ("亭湖区", "Tinghu District")
    assert config["crs"] == "wgs84"
    assert config["kinds"][0]["code"] == "meal_hall"
    assert config["freshness"]["facilities"] > 200
    assert config["freshness"]["latest_verified_at"] is not None
    west, south, east, north = config["bounds"]
    assert 119.5 < west < east < 121.0
    assert 32.9 < south < north < 34.0


def test_a_configured_gcj02_basemap_is_in_the_config_and_its_tile_host_in_img_src(
    settings: Settings, client: Client
) -> None:
    wgs_bounds = client.get("/map/config").json()["bounds"]
    with_basemap = Settings(
        **{
            **{f: getattr(settings, f) for f in settings.__struct_fields__},
            "basemap_url": TIANDITU,
            "basemap_crs": "gcj02",
            "basemap_attribution": "天地图",
            "basemap_subdomains": "01234567",
        }
    )
    with TestClient(create_app(with_basemap)) as client:
        config = client.get("/map/config").json()
        policy = directives(client.get("/map").headers["content-security-policy"])
    assert config["basemap"]["url"] == TIANDITU
    assert config["crs"] == "gcj02"
    assert policy["img-src"] == "'self' data: blob: https://*.tianditu.gov.cn"
    assert policy["connect-src"] == "'self'"
    # The extent is drawn in GCJ-02, a few hundred metres from the WGS-84 one.
    assert 0.001 < abs(config["bounds"][0] - wgs_bounds[0]) < 0.02


def test_the_web_folder_is_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"web/static/*"' in pyproject
    assert '"web/vendor/*/*/*"' in pyproject


@pytest.mark.parametrize(
    "path",
    ["/static/app/nope.js", "/static/app/../routes.py", "/static/vendor/%2e%2e/routes.py"],
)
def test_only_the_shipped_files_are_served(client: Client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
