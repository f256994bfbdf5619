"""Specification of the online geocoder setting, against a fake of Baidu's geocoding service: a
local HTTP server (127.0.0.1, a random port) that answers as Baidu's API v3 does, in BD-09.
Nothing here leaves the machine. With LEYE_GEOCODER=baidu the offline gazetteer still answers
first; the service is asked only what the gazetteer does not know, for /v1/geocode and every
endpoint that takes an address, and its answer comes back in WGS-84."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leye_yiyang.app import create_app
from leye_yiyang.cli import main
from leye_yiyang.settings import Settings, SettingsError
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum, from_wgs84

Client = TestClient[Litestar]
UNKNOWN = "星光大道99号"  # not in the gazetteer
PLACE = LonLat(120.1100, 33.3900)  # WGS-84, in 毓龙街道
KEY = "test-ak"


@dataclass
class FakeBaidu:
    """What the fake answers next (Baidu's `status`, and a result or none) and what it was asked."""

    status: int = 0
    result: bool = True
    asked: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def answer(self) -> dict[str, Any]:
        if self.status != 0:
            return {"status": self.status, "message": "internal error"}
        if not self.result:
            return {"status": 0, "result": []}
        bd = from_wgs84(PLACE, Datum.BD09)
        place = {"location": {"lng": bd.lon, "lat": bd.lat}, "precise": 1, "confidence": 80}
        return {"status": 0, "result": {**place, "comprehension": 100, "level": "门址"}}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeBaidu, str]]:
    state = FakeBaidu()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            state.paths.append(url.path)
            state.asked.append(parse_qs(url.query))
            body = json.dumps(state.answer()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def online(settings: Settings, fake: tuple[FakeBaidu, str]) -> Iterator[Client]:
    configured = Settings.from_env(
        {
            "LEYE_DATABASE_URL": settings.database_url,
            "LEYE_GEO_DIR": settings.geo_dir,
            "LEYE_GEOCODER": "baidu",
            "LEYE_GEOCODER_KEY": KEY,
            "LEYE_GEOCODER_URL": fake[1],
            "LEYE_DEMO": "1",
        }
    )
    with TestClient(create_app(configured)) as c:
        yield c


@pytest.fixture
def service(fake: tuple[FakeBaidu, str]) -> FakeBaidu:
    state = fake[0]
    state.status, state.result = 0, True
    state.asked.clear()
    state.paths.clear()
    return state


def test_what_the_gazetteer_does_not_know_is_asked_online_and_answered_in_wgs84(
    online: Client, service: FakeBaidu
) -> None:
    r = online.get("/v1/geocode", params={"q": UNKNOWN})
    assert r.status_code == 200, r.text
    best = r.json()["best"]
    assert best["kind"] == "online"
    assert (best["lon"], best["lat"]) == pytest.approx((PLACE.lon, PLACE.lat), abs=1e-6)
    (asked,) = service.asked
    assert service.paths == ["/geocoding/v3/"]
    assert asked["ak"] == [KEY]
    # a bare street name means nothing across China: the district is put in front
    assert asked["address"] == ["江苏省盐城市亭湖区" + UNKNOWN]


def test_every_address_endpoint_uses_it(online: Client, service: FakeBaidu) -> None:
    r = online.get("/v1/facilities/nearby", params={"address": UNKNOWN, "limit": 3})
    assert r.status_code == 200, r.text
    origin = r.json()["origin"]
    assert origin["source"] == "address"
    assert origin["wgs84"] == pytest.approx([PLACE.lon, PLACE.lat], abs=1e-6)
    body = {"person": {"age": 75}, "home": {"address": UNKNOWN}, "needs": ["meal"]}
    r = online.post("/v1/match/services", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["home"]["wgs84"] == pytest.approx([PLACE.lon, PLACE.lat], abs=1e-6)
    assert len(service.asked) == 2


def test_the_gazetteer_answers_first(online: Client, service: FakeBaidu) -> None:
    r = online.get("/v1/geocode", params={"q": "桥东社区"})
    assert r.status_code == 200
    assert r.json()["best"]["kind"] == "community"
    assert service.asked == []


def test_nothing_found_online_is_a_404(online: Client, service: FakeBaidu) -> None:
    service.result = False
    r = online.get("/v1/geocode", params={"q": UNKNOWN})
    assert (r.status_code, r.json()["code"]) == (404, "address_not_found")
    assert len(service.asked) == 1


def test_a_failing_service_is_a_503_not_a_silent_not_found(
    online: Client, service: FakeBaidu
) -> None:
    service.status = 1  # Baidu: internal server error
    r = online.get("/v1/facilities/nearby", params={"address": UNKNOWN})
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "geocoder_unavailable"


def test_the_default_is_offline(settings: Settings) -> None:
    env = {"LEYE_GEO_DIR": settings.geo_dir}
    assert Settings.from_env(env).geocoder == "offline"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LEYE_GEOCODER": "baidu"}, "LEYE_GEOCODER_KEY"),
        ({"LEYE_GEOCODER": "google", "LEYE_GEOCODER_KEY": "k"}, "LEYE_GEOCODER must be"),
        (
            {"LEYE_GEOCODER": "baidu", "LEYE_GEOCODER_KEY": "k", "LEYE_GEOCODER_URL": "ftp://x"},
            "LEYE_GEOCODER_URL",
        ),
    ],
)
def test_a_remote_geocoder_needs_a_key_and_a_web_address(
    settings: Settings, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"LEYE_GEO_DIR": settings.geo_dir, **env})


def test_the_server_does_not_start_with_a_keyless_remote_geocoder(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEYE_GEO_DIR", settings.geo_dir)
    monkeypatch.setenv("LEYE_GEOCODER", "baidu")
    monkeypatch.delenv("LEYE_GEOCODER_KEY", raising=False)
    assert main(["serve"]) == 2
    assert "LEYE_GEOCODER_KEY" in capsys.readouterr().err
