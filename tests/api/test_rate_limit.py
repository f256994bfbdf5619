"""Public endpoints are rate limited per client address: 429 problem+json with Retry-After."""

from __future__ import annotations

from litestar.testing import TestClient

from leye_yiyang.app import create_app
from leye_yiyang.settings import Settings


def test_past_the_limit_a_client_gets_429_with_retry_after(settings: Settings) -> None:
    tight = Settings(
        database_url=settings.database_url, geo_dir=settings.geo_dir, rate_limit="3/minute"
    )
    with TestClient(create_app(tight)) as c:
        answers = [c.get("/v1/areas/", params={"level": "district"}) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "rate_limited"
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert c.get("/health").status_code == 200  # liveness probes are never throttled


def test_the_server_default_is_generous_and_zero_turns_it_off() -> None:
    env = {"LEYE_GEO_DIR": "geo"}
    assert Settings.from_env(env).rate_limit_rule == ("minute", 600)
    assert Settings.from_env({**env, "LEYE_RATE_LIMIT": "0"}).rate_limit_rule is None
    assert Settings.from_env({**env, "LEYE_RATE_LIMIT": "20/second"}).rate_limit_rule == (
        "second",
        20,
    )
