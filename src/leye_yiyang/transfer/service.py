"""Import a department's sheet: read, validate every row, report; apply all of it or nothing.

Framework-free. The caller owns the transaction (one per request or CLI run): a dry run only
reads; an apply writes every accepted row and bumps the directory version, and any refusal raises
before anything is committed."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.directory import schemas as s
from leye_yiyang.directory.validation import check_facility
from leye_yiyang.errors import DomainError, Unprocessable
from leye_yiyang.models import Facility
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import columns, writes
from leye_yiyang.transfer.headers import map_headers, row_inputs
from leye_yiyang.transfer.reading import Limits, Table, read_table
from leye_yiyang.transfer.rows import (
    Geocode,
    KnownPoints,
    Located,
    RowError,
    RowInput,
    issue,
    locate,
    record,
)
from leye_yiyang.transfer.schemas import ImportReport, Issue, Outcome, RowResult, Summary
from leye_yiyang.vocab import FacilityKind

# Asks whether the caller may write a facility of this kind; returns (code, zh, en) when not.
Denier = Callable[[FacilityKind], tuple[str, str, str] | None]
REQUIRED = {k: columns.BY_KEY[k].zh for k in ("ref", "name", "address")}
log = logging.getLogger("leye_yiyang.transfer")
# A FacilityIn field (as validation names it) to the sheet column that fills it.
FIELD_COLUMN = {
    "opening_hours": "weekly_hours",
    "eligibility": "eligibility_note",
    "eligibility.age": "min_age",
    "eligibility.child_months": "child_min_months",
    "eligibility.min_age": "min_age",
    "eligibility.max_age": "max_age",
    "eligibility.child_min_months": "child_min_months",
    "eligibility.child_max_months": "child_max_months",
    "opening_hours.exceptions": "exceptions",
}


class Options(msgspec.Struct, frozen=True, kw_only=True):
    kind: FacilityKind | None  # None: the sheet's 类型 column decides, row by row
    datum: Datum = Datum.WGS84
    sheet: str | None = None
    dry_run: bool = True


class Planned(msgspec.Struct, kw_only=True):
    row: int
    ref: str | None
    outcome: Outcome
    rec: s.FacilityIn | None = None
    area_code: str = ""
    target: Facility | None = None
    changed: list[str] = []


class Context(msgspec.Struct, kw_only=True):
    locator: AreaLocator
    geocode: Geocode
    deny: Denier
    # The change history: who (None for the operator's CLI), through which channel, when.
    account_id: int | None = None
    channel: str = "import"
    at: dt.datetime = msgspec.field(default_factory=lambda: dt.datetime.now(dt.UTC))
    progress: Callable[[int, int], None] | None = None  # (rows done, rows in all)


def _canonical(rec: s.FacilityIn, area_code: str) -> dict[str, Any]:
    out: dict[str, Any] = msgspec.to_builtins(rec)
    out["area_code"] = area_code
    if rec.verified_at is not None:
        out["verified_at"] = rec.verified_at.astimezone(dt.UTC).isoformat()
    return out


def _existing(session: Session, refs: list[str]) -> dict[str, Facility]:
    found: dict[str, Facility] = {}
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        for f in session.scalars(select(Facility).where(Facility.ref.in_(chunk))):
            found[f.ref or ""] = f
    return found


def _where(row: RowInput, options: Options, ctx: Context) -> Located | RowError | None:
    try:
        return locate(row, options.datum, ctx.geocode)
    except RowError as exc:
        return exc


def _plan_row(
    session: Session,
    row: RowInput,
    found: Located | RowError | None,
    target: Facility | None,
    options: Options,
    ctx: Context,
    header_of: dict[str, str],
    issues: list[Issue],
) -> Planned:
    ref = row.cells.get("ref")
    ref_text = (
        str(int(ref))
        if isinstance(ref, float) and ref.is_integer()
        else (str(ref).strip() if ref is not None else None)
    )
    try:
        if isinstance(found, RowError):
            raise found
        where = found
        if where is not None and where.matched:
            issues.append(
                issue(
                    row.number,
                    header_of.get("address"),
                    "geocoded",
                    f"按地址定位到：{where.matched}",
                    f"Located by address: {where.matched}",
                    "info",
                )
            )
        if where is None and target is None:
            raise RowError(
                "lon",
                "point_required",
                "请填写经纬度或可定位的地址",
                "Give coordinates or an address that can be located",
            )
        base = writes.stored(target) if target is not None else {}
        rec = record(row, options.kind, base, where)
        if target is not None and rec.kind.value != target.kind:
            raise RowError(
                "kind",
                "kind_mismatch",
                f"编号 {rec.ref} 已是另一类型（{target.kind}）的机构",
                f"Ref {rec.ref} belongs to a facility of another kind ({target.kind})",
            )
        denial = ctx.deny(rec.kind)
        if denial is not None:
            raise RowError("kind", *denial)
        area_code = check_facility(session, rec, ctx.locator, where="row")
    except (RowError, DomainError) as exc:
        field = exc.key if isinstance(exc, RowError) else (exc.field or "").removeprefix("row.")
        parts = (field or "").split(".")
        head = parts[0].split("[")[0]
        key = FIELD_COLUMN.get(".".join(parts[:2]), FIELD_COLUMN.get(head, head))
        issues.append(issue(row.number, header_of.get(key, key or None), exc.code, exc.zh, exc.en))
        return Planned(row=row.number, ref=ref_text, outcome="reject")
    if target is None:
        return Planned(row=row.number, ref=rec.ref, outcome="create", rec=rec, area_code=area_code)
    before = _canonical(msgspec.convert(writes.stored(target), s.FacilityIn), target.area_code)
    after = _canonical(rec, area_code)
    changed = [k for k in after if after[k] != before.get(k)]
    outcome: Outcome = "update" if changed else "unchanged"
    return Planned(
        row=row.number,
        ref=rec.ref,
        outcome=outcome,
        rec=rec,
        area_code=area_code,
        target=target,
        changed=changed,
    )


def plan(
    session: Session, table: Table, options: Options, ctx: Context, timings: dict[str, float]
) -> tuple[list[Planned], list[Issue], list[str]]:
    started = time.perf_counter()
    geocoding = [0.0]
    geocode = ctx.geocode

    def timed_geocode(address: str) -> Any:
        t0 = time.perf_counter()
        try:
            return geocode(address)
        finally:
            geocoding[0] += time.perf_counter() - t0

    ctx = msgspec.structs.replace(ctx, geocode=timed_geocode)
    headers = map_headers(table, columns.column_for, REQUIRED)
    header_of, issues, unknown = headers.header_of, headers.issues, headers.unknown
    inputs = row_inputs(table, headers.index)
    refs = [str(r.cells.get("ref") or "").strip().removesuffix(".0") for r in inputs]
    existing = _existing(session, [r for r in refs if r])
    seen: dict[str, int] = {}
    planned: list[Planned] = []
    wheres = [_where(r, options, ctx) for r in inputs]
    points = [LonLat(w.lon, w.lat) for w in wheres if isinstance(w, Located)]
    ctx = msgspec.structs.replace(ctx, locator=KnownPoints(ctx.locator, points))
    for done, (row, ref, where) in enumerate(zip(inputs, refs, wheres, strict=True)):
        if ctx.progress is not None and done % 100 == 0:
            ctx.progress(done, len(inputs))
        if ref and ref in seen:
            issues.append(
                issue(
                    row.number,
                    header_of["ref"],
                    "duplicate_ref",
                    f"编号 {ref} 与第 {seen[ref]} 行重复",
                    f"Ref {ref} repeats row {seen[ref]}",
                )
            )
            planned.append(Planned(row=row.number, ref=ref, outcome="reject"))
            continue
        if not ref:
            issues.append(
                issue(
                    row.number,
                    header_of["ref"],
                    "ref_required",
                    "编号必填（再次导入时据此更新）",
                    "A ref is required (re-imports update by it)",
                )
            )
            planned.append(Planned(row=row.number, ref=None, outcome="reject"))
            continue
        seen[ref] = row.number
        planned.append(
            _plan_row(session, row, where, existing.get(ref), options, ctx, header_of, issues)
        )
    if ctx.progress is not None:
        ctx.progress(len(inputs), len(inputs))
    timings["geocode"] = round(geocoding[0] * 1000, 1)
    timings["validate"] = round((time.perf_counter() - started - geocoding[0]) * 1000, 1)
    return planned, issues, unknown


def run_import(
    session: Session, data: bytes, filename: str, options: Options, limits: Limits, ctx: Context
) -> ImportReport:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    table = read_table(data, filename, limits, options.sheet)
    timings["read"] = round((time.perf_counter() - started) * 1000, 1)
    planned, issues, unknown = plan(session, table, options, ctx, timings)
    counts = {
        o: sum(1 for p in planned if p.outcome == o)
        for o in ("create", "update", "unchanged", "reject")
    }
    summary = Summary(rows=len(planned), **counts)
    version = None
    report_rows = [
        RowResult(row=p.row, ref=p.ref, outcome=p.outcome, changed=p.changed) for p in planned
    ]
    if not options.dry_run:
        if counts["reject"]:
            raise Unprocessable(
                f"有 {counts['reject']} 行无法导入，整个文件未导入；请先试导入（dry_run）查看逐行问题",
                f"{counts['reject']} rows cannot be imported, so nothing was; dry-run to see each problem",
                code="import_rejected",
                field="file",
                extra={
                    "summary": msgspec.to_builtins(summary),
                    "issues": msgspec.to_builtins(
                        [i for i in issues if i.severity == "error"][:200]
                    ),
                },
            )
        write_started = time.perf_counter()
        version = writes.write(session, planned, ctx)
        timings["write"] = round((time.perf_counter() - write_started) * 1000, 1)
    return ImportReport(
        kind=options.kind.value if options.kind else "facility",
        format=table.format,
        sheet=table.sheet,
        dry_run=options.dry_run,
        applied=not options.dry_run,
        summary=summary,
        issues=issues,
        rows=report_rows,
        unknown_columns=unknown,
        directory_version=version,
        timings_ms=timings,
    )
