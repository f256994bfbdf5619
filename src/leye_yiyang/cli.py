"""`leye-yiyang`: migrate, load, serve."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from leye_yiyang.settings import Settings, SettingsError

log = logging.getLogger("leye_yiyang")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leye-yiyang", description="乐业颐养 service directory")
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database migrations").add_subparsers(
        dest="action", required=True
    )
    db.add_parser("upgrade", help="migrate to the latest schema")
    down = db.add_parser("downgrade", help="migrate down to a revision")
    down.add_argument("revision")
    rev = db.add_parser("revision", help="autogenerate a migration (developers)")
    rev.add_argument("-m", "--message", required=True)
    fx = sub.add_parser("fixtures", help="demo directory").add_subparsers(
        dest="action", required=True
    )
    load = fx.add_parser("load", help="load geo/ and the demo fixtures (idempotent)")
    load.add_argument("--fixtures", default="fixtures/tinghu", type=Path)
    from leye_yiyang.accounts import cli as accounts_cli

    accounts_cli.add_parser(sub)
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--workers", type=int, default=1)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"leye-yiyang: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.logging_level, format=LOG_FORMAT)
    if args.command == "db":
        return _db(settings, args)
    if args.command == "fixtures":
        return _load_fixtures(settings, args.fixtures)
    if args.command == "accounts":
        from leye_yiyang.accounts import cli as accounts_cli

        return accounts_cli.run(settings.database_url, args)
    return _serve(settings, args.workers)


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from leye_yiyang import migrate

    if args.action == "upgrade":
        migrate.upgrade(settings.database_url)
    elif args.action == "downgrade":
        migrate.downgrade(settings.database_url, args.revision)
    else:
        migrate.revision(settings.database_url, args.message)
    return 0


def _load_fixtures(settings: Settings, fixtures: Path) -> int:
    from leye_yiyang.db import Database
    from leye_yiyang.directory.loading import load_directory
    from leye_yiyang.errors import DomainError

    started = time.perf_counter()
    db = Database(settings.database_url)
    try:
        with db.transaction() as session:
            report = load_directory(session, Path(settings.geo_dir), fixtures)
    except DomainError as exc:
        print(
            f"leye-yiyang: fixtures not loaded (nothing changed): {exc.code} at {exc.field}: "
            f"{exc.zh} / {exc.en}",
            file=sys.stderr,
        )
        return 1
    finally:
        db.dispose()
    log.info("loaded %s in %.1f s", report, time.perf_counter() - started)
    return 0


def _serve(settings: Settings, workers: int) -> int:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from leye_yiyang.app import keyring_for

    try:
        keyring_for(settings)  # refuse here, with exit 2, rather than in every worker
    except SettingsError as exc:
        print(f"leye-yiyang: configuration error: {exc}", file=sys.stderr)
        return 2

    # Granian (a Rust HTTP server) rather than uvicorn: it parses HTTP and writes sockets outside
    # the GIL, which measured 10-40 % more nearby requests per second and half the p99 on one
    # worker (README, benchmarks). No access log: request lines carry residents' coordinates and
    # addresses in query strings.
    Granian(
        "leye_yiyang.asgi:app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=workers,
        websockets=False,
        log_level=LogLevels(settings.log_level.lower()),
        log_access=False,
        log_dictconfig=_worker_logging(settings.log_level),
    ).serve()
    return 0


def _worker_logging(level: str) -> dict[str, object]:
    """Logging in the server's worker processes, which do not inherit basicConfig."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": level, "propagate": False},
            "leye_yiyang": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


if __name__ == "__main__":
    raise SystemExit(main())
