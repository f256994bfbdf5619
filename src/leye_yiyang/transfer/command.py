"""`leye-yiyang import FILE --kind K [--dry-run]`: the same import as POST /v1/imports, run by
the operator on the server (the district administrator's authority), in one transaction."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import msgspec

from leye_yiyang.db import Database
from leye_yiyang.directory.loading import community_locator
from leye_yiyang.errors import DomainError
from leye_yiyang.settings import Settings
from leye_yiyang.snapshot.holder import SnapshotHolder
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import access, jobsheets, service
from leye_yiyang.transfer.reading import Limits
from leye_yiyang.transfer.rows import Geocode
from leye_yiyang.transfer.schemas import ImportReport, SheetKind


def progress_bar(stream: TextIO) -> Callable[[int, int], None] | None:
    """A bar on a terminal; nothing when the output is piped or redirected."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r校验 checking [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def _print(report: ImportReport, out: TextIO) -> None:
    s = report.summary
    verb = "试导入 dry run" if report.dry_run else "已导入 applied"
    out.write(
        f"{verb}: {s.rows} rows — create {s.create}, update {s.update}, unchanged {s.unchanged}, reject {s.reject}\n"
    )
    for i in report.issues:
        out.write(
            f"  row {i.row}\t{i.column or '-'}\t{i.severity}\t{i.code}\t{i.message_zh} / {i.message_en}\n"
        )


def run(
    settings: Settings,
    path: Path,
    kind: str,
    dry_run: bool,
    crs: str,
    sheet: str | None,
    as_json: bool,
) -> int:
    db = Database(settings.database_url)
    holder = SnapshotHolder(db, Path(settings.geo_dir), 3600, settings.coverage_points_per_person)
    try:
        geocoder = holder.refresh(force=True).geocoder
        limits = Limits(max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows)
        sheet_kind = SheetKind(kind)
        report = _import(db, geocoder.resolve, path, sheet_kind, dry_run, Datum(crs), sheet, limits)
    except DomainError as exc:
        print(
            f"leye-yiyang: not imported (nothing changed): {exc.code}: {exc.zh} / {exc.en}",
            file=sys.stderr,
        )
        for item in exc.extra.get("issues", []):
            print(
                f"  row {item['row']}\t{item['column'] or '-'}\t{item['code']}\t{item['message_zh']}",
                file=sys.stderr,
            )
        return 1
    finally:
        db.dispose()
    if as_json:
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        _print(report, sys.stdout)
    return 1 if report.summary.reject else 0


def _import(
    db: Database,
    geocode: Geocode,
    path: Path,
    kind: SheetKind,
    dry_run: bool,
    datum: Datum,
    sheet: str | None,
    limits: Limits,
) -> ImportReport:
    data, record_type = path.read_bytes(), kind.record_type()
    with db.transaction() as session:
        common: dict[str, Any] = {
            "locator": community_locator(session),
            "geocode": geocode,
            "channel": "cli",
            "progress": progress_bar(sys.stderr),
        }
        if record_type is not None:
            job_options = jobsheets.Options(
                kind=record_type, datum=datum, sheet=sheet, dry_run=dry_run
            )
            job_ctx = jobsheets.Context(deny=access.job_operator, **common)
            return jobsheets.run_import(session, data, path.name, job_options, limits, job_ctx)
        options = service.Options(
            kind=kind.facility_kind(), datum=datum, sheet=sheet, dry_run=dry_run
        )
        ctx = service.Context(deny=access.operator, **common)
        return service.run_import(session, data, path.name, options, limits, ctx)
