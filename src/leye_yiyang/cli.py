"""`leye-yiyang`: migrate, load, serve."""

from __future__ import annotations

import argparse
import logging
import logging.config
import sys
import time
from pathlib import Path

from leye_yiyang.ops import logs
from leye_yiyang.settings import Settings, SettingsError
from leye_yiyang.transfer.schemas import SheetKind

log = logging.getLogger("leye_yiyang")


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
    backup = db.add_parser("backup", help="consistent copy of a live SQLite database")
    backup.add_argument("path", type=Path)
    restore = db.add_parser("restore", help="put a checked SQLite backup back (servers stopped)")
    restore.add_argument("path", type=Path)
    fx = sub.add_parser("fixtures", help="demo directory").add_subparsers(
        dest="action", required=True
    )
    load = fx.add_parser("load", help="load geo/ and the demo fixtures (idempotent)")
    load.add_argument("--fixtures", default="fixtures/tinghu", type=Path)
    imp = sub.add_parser("import", help="import a sheet (.xlsx, .csv, .geojson) into the directory")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in SheetKind],
        help="a facility kind, facility (the 类型 column decides), or employer, vacancy, course",
    )
    imp.add_argument("--dry-run", action="store_true", help="report row by row, change nothing")
    imp.add_argument("--crs", default="wgs84", choices=["wgs84", "gcj02", "bd09"])
    imp.add_argument("--sheet", default=None)
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    geo = sub.add_parser("geo", help="geography folders").add_subparsers(
        dest="action", required=True
    )
    check = geo.add_parser("check", help="validate a district's geography folder")
    check.add_argument("dir", type=Path)
    from leye_yiyang.accounts import cli as accounts_cli

    accounts_cli.add_parser(sub)
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--workers", type=int, default=1)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "geo":  # needs no settings: it checks a folder before it is used
        return _geo_check(args.dir)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"leye-yiyang: configuration error: {exc}", file=sys.stderr)
        return 2
    logging.config.dictConfig(logs.config(settings.log_level, settings.log_format))
    if args.command == "db":
        return _db(settings, args)
    if args.command == "fixtures":
        return _load_fixtures(settings, args.fixtures)
    if args.command == "import":
        from leye_yiyang.transfer import command

        return command.run(
            settings, args.file, args.kind, args.dry_run, args.crs, args.sheet, args.json
        )
    if args.command == "accounts":
        from leye_yiyang.accounts import cli as accounts_cli

        return accounts_cli.run(settings.database_url, args)
    return _serve(settings, args.workers)


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from leye_yiyang import migrate

    if args.action in ("backup", "restore"):
        return _backup(settings, args.action, args.path)
    if args.action == "upgrade":
        migrate.upgrade(settings.database_url)
    elif args.action == "downgrade":
        migrate.downgrade(settings.database_url, args.revision)
    else:
        migrate.revision(settings.database_url, args.message)
    return 0


def _backup(settings: Settings, action: str, path: Path) -> int:
    from leye_yiyang.migrate import heads
    from leye_yiyang.ops import backup

    try:
        if action == "backup":
            report = backup.backup(settings.database_url, path)
        else:
            report = backup.restore(settings.database_url, path, heads())
    except backup.BackupError as exc:
        print(f"leye-yiyang: {action} refused: {exc}", file=sys.stderr)
        return 1
    log.info(
        "%s %s: %d bytes, schema %s, %d facilities",
        "backed up to" if action == "backup" else "restored from",
        report.path,
        report.bytes,
        ",".join(report.revision),
        report.facilities,
    )
    return 0


def _geo_check(geo_dir: Path) -> int:
    from leye_yiyang.geodata.folder import check_folder

    report = check_folder(geo_dir)
    for problem in report.problems:
        print(f"{geo_dir}/{problem}", file=sys.stderr)
    if report.problems:
        print(f"leye-yiyang: {geo_dir}: {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{geo_dir}: OK, {report.summary}")
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
        # The worker processes do not inherit the parent's logging setup.
        log_dictconfig=logs.config(settings.log_level, settings.log_format),
        # SIGTERM: stop accepting, let requests in flight finish, kill after this bound.
        workers_kill_timeout=settings.shutdown_seconds,
    ).serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
