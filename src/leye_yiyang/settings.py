"""Configuration from the environment. A bad value stops the start with a message that names it."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path

import msgspec

from leye_yiyang.district import DistrictFileError, read_district

_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_RATE_UNITS = ("second", "minute", "hour", "day")
DEFAULT_RATE_LIMIT = "600/minute"
# The address resolvers LEYE_GEOCODER names (geocode/online.py); every one but offline needs a key.
GEOCODERS = ("offline", "baidu")


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message is meant for the operator."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "sqlite:///var/leye-yiyang.db"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    # Large enough for a department's spreadsheet import, small enough to refuse abuse.
    max_body_bytes: int = 2 * 1024 * 1024
    # How often a process checks the shared directory version stamp (scale-out behind a balancer).
    index_refresh_seconds: float = 2.0
    # Resident points distributed per person for coverage; the benchmark world uses 1.0.
    coverage_points_per_person: float = 0.05
    geo_dir: str = "geo"
    # Operations (ops/): log format, who may scrape /metrics, how long SIGTERM waits for requests.
    log_format: str = "plain"
    metrics_token: str | None = None
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    shutdown_seconds: int = 20

    # Spreadsheet imports: the largest file and the most rows one import takes.
    import_max_bytes: int = 8 * 1024 * 1024
    import_max_rows: int = 20_000
    # The map's optional basemap: a tile URL template ({z}/{x}/{y}, {s} for subdomains) and its
    # datum. Unset, the map draws the boundary layers alone and says so.
    basemap_url: str = ""
    basemap_crs: str = "wgs84"
    basemap_attribution: str = ""
    basemap_subdomains: str = ""

    # Keys sealing residents' ID numbers and phones: "<id>:<base64 32 bytes>,..." (the first is
    # active; older ones still open what they sealed) and the keyed-hash lookup key. Without
    # them only the demo starts, on public demo keys (`create_app` refuses otherwise).
    data_keys: str = ""
    lookup_key: str = ""
    demo: bool = True
    # A sent referral holds its place this many working days; it should close within the second.
    referral_answer_working_days: int = 3
    referral_close_working_days: int = 15
    referral_sweep_seconds: float = 30.0
    # Requests per client address on every route but /health: "600/minute"; "" or "0" turns it
    # off. Off unless configured, so tests and benchmarks are not throttled; `from_env` (the
    # server) defaults to DEFAULT_RATE_LIMIT.
    rate_limit: str = ""

    # The offline gazetteer always answers first; an online service only what it does not know.
    geocoder: str = "offline"
    geocoder_key: str | None = None
    # Where the online service is reached, if not at its provider's host (e.g. a proxy).
    geocoder_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if url := env.get("LEYE_DATABASE_URL"):
            if not url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
                raise SettingsError(
                    "LEYE_DATABASE_URL must be an sqlite:/// or postgresql+psycopg:// URL, "
                    f"got {url!r}"
                )
            values["database_url"] = url.replace("postgresql://", "postgresql+psycopg://", 1)
        if host := env.get("LEYE_HOST"):
            values["host"] = host
        values["port"] = _int(env, "LEYE_PORT", 8000, 1, 65535)
        level = env.get("LEYE_LOG_LEVEL", "INFO").upper()
        if level not in _LOG_LEVELS:
            raise SettingsError(
                f"LEYE_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {level!r}"
            )
        values["log_level"] = level
        values["max_body_bytes"] = _int(env, "LEYE_MAX_BODY_BYTES", 2 * 1024 * 1024, 1024, 1 << 30)
        values["index_refresh_seconds"] = _float(env, "LEYE_INDEX_REFRESH_SECONDS", 2.0, 0.1, 3600)
        values["coverage_points_per_person"] = _float(
            env, "LEYE_COVERAGE_POINTS_PER_PERSON", 0.05, 0.001, 2
        )
        values["import_max_bytes"] = _int(
            env, "LEYE_IMPORT_MAX_BYTES", 8 * 1024 * 1024, 1024, 1 << 30
        )
        values["import_max_rows"] = _int(env, "LEYE_IMPORT_MAX_ROWS", 20_000, 1, 1_000_000)
        values["rate_limit"] = _rate_limit(env.get("LEYE_RATE_LIMIT", DEFAULT_RATE_LIMIT))
        if geo := env.get("LEYE_GEO_DIR"):
            values["geo_dir"] = geo
        values.update(_ops(env))
        values.update(_basemap(env))

        values.update(_geocoder(env))

        values["data_keys"] = env.get("LEYE_DATA_KEYS", "")
        values["lookup_key"] = env.get("LEYE_LOOKUP_KEY", "")
        values["demo"] = env.get("LEYE_DEMO", "0").lower() in ("1", "true", "yes")
        values["referral_answer_working_days"] = _int(env, "LEYE_REFERRAL_ANSWER_DAYS", 3, 1, 60)
        values["referral_close_working_days"] = _int(env, "LEYE_REFERRAL_CLOSE_DAYS", 15, 1, 365)
        values["referral_sweep_seconds"] = _float(env, "LEYE_REFERRAL_SWEEP_SECONDS", 30, 0.1, 3600)
        settings = cls(**values)  # type: ignore[arg-type]
        if not (Path(settings.geo_dir) / "district.geojson").is_file():
            raise SettingsError(f"LEYE_GEO_DIR {settings.geo_dir!r} has no district.geojson")
        try:
            read_district(Path(settings.geo_dir))
        except DistrictFileError as exc:
            raise SettingsError(f"LEYE_GEO_DIR {settings.geo_dir!r}: {exc}") from None
        return settings

    @property
    def rate_limit_rule(self) -> tuple[str, int] | None:
        """(unit, requests) for litestar's RateLimitConfig, or None when off."""
        if self.rate_limit in ("", "0"):
            return None
        count, _, unit = _rate_limit(self.rate_limit).partition("/")
        return unit, int(count)

    @property
    def logging_level(self) -> int:
        return int(logging.getLevelName(self.log_level))


def _ops(env: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    fmt = env.get("LEYE_LOG_FORMAT", "plain").lower()
    if fmt not in ("plain", "json"):
        raise SettingsError(f"LEYE_LOG_FORMAT must be plain or json, got {fmt!r}")
    values["log_format"] = fmt
    if token := env.get("LEYE_METRICS_TOKEN"):
        if len(token) < 16:
            raise SettingsError("LEYE_METRICS_TOKEN must be at least 16 characters")
        values["metrics_token"] = token
    if (allow := env.get("LEYE_METRICS_ALLOW")) is not None:
        nets = [n.strip() for n in allow.split(",") if n.strip()]
        for net in nets:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise SettingsError(
                    f"LEYE_METRICS_ALLOW must be a comma-separated list of networks (CIDR), got {net!r}"
                ) from None
        values["metrics_allow"] = tuple(str(ipaddress.ip_network(n, strict=False)) for n in nets)
    values["shutdown_seconds"] = _int(env, "LEYE_SHUTDOWN_SECONDS", 20, 1, 600)
    return values


def _basemap(env: Mapping[str, str]) -> dict[str, str]:
    url = env.get("LEYE_BASEMAP_URL", "")
    crs = env.get("LEYE_BASEMAP_CRS", "wgs84").lower()
    if crs not in ("wgs84", "gcj02"):
        raise SettingsError(f"LEYE_BASEMAP_CRS must be wgs84 or gcj02, got {crs!r}")
    if url and not (
        url.startswith(("https://", "http://")) and all(p in url for p in ("{z}", "{x}", "{y}"))
    ):
        raise SettingsError(
            f"LEYE_BASEMAP_URL must be an http(s) tile URL with {{z}}, {{x}} and {{y}}, got {url!r}"
        )
    return {
        "basemap_url": url,
        "basemap_crs": crs,
        "basemap_attribution": env.get("LEYE_BASEMAP_ATTRIBUTION", ""),
        "basemap_subdomains": env.get("LEYE_BASEMAP_SUBDOMAINS", ""),
    }


def _rate_limit(raw: str) -> str:
    raw = raw.strip().lower()
    if raw in ("", "0", "off"):
        return ""
    count, _, unit = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or unit not in _RATE_UNITS:
        raise SettingsError(
            f"LEYE_RATE_LIMIT must be N/second, N/minute, N/hour or N/day, or 0 to turn it off; "
            f"got {raw!r}"
        )
    return f"{int(count)}/{unit}"


def _geocoder(env: Mapping[str, str]) -> dict[str, object]:
    name = env.get("LEYE_GEOCODER", "offline").strip().lower() or "offline"
    if name not in GEOCODERS:
        raise SettingsError(f"LEYE_GEOCODER must be one of {', '.join(GEOCODERS)}, got {name!r}")
    key = env.get("LEYE_GEOCODER_KEY") or None
    if name != "offline" and not key:
        raise SettingsError(f"LEYE_GEOCODER={name} needs LEYE_GEOCODER_KEY (the service's API key)")
    url = env.get("LEYE_GEOCODER_URL") or None
    if url is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", url):
        raise SettingsError(f"LEYE_GEOCODER_URL must be an http(s):// URL, got {url!r}")
    return {"geocoder": name, "geocoder_key": key, "geocoder_url": url}


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, lo: float, hi: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {value}")
    return value
