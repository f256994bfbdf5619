"""Import human resources' job-side sheets (employers, vacancies, training courses) the way
facility sheets are imported: every row checked and reported, then all of it applied or nothing.

Framework-free; the caller owns the transaction. A dry run only reads (the records a row would
make are transient objects, never added to the session). An apply writes every created or
changed record with its history row (as the editing API writes it) and bumps the directory
version once; any rejected row raises `import_rejected` before anything is written."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

import msgspec
from sqlalchemy import insert
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import RecordType
from leye_yiyang.db import bump_directory_version
from leye_yiyang.editing.jobs import state
from leye_yiyang.editing.records import change_row, diff
from leye_yiyang.errors import DomainError, Unprocessable
from leye_yiyang.models import Change
from leye_yiyang.spatial.areas import AreaLocator
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.transfer import jobrecords
from leye_yiyang.transfer.headers import map_headers, row_inputs
from leye_yiyang.transfer.jobcolumns import CATALOGUES, Catalogue
from leye_yiyang.transfer.reading import Limits, Table, read_table
from leye_yiyang.transfer.rows import Geocode, RowError, RowInput, issue
from leye_yiyang.transfer.schemas import ImportReport, Issue, Outcome, RowResult, Summary

log = logging.getLogger("leye_yiyang.transfer")
Denier = Callable[[RecordType], tuple[str, str, str] | None]
SHEET_KIND = {RecordType.EMPLOYER: "employer", RecordType.VACANCY: "vacancy"}
# A checked field (as validation names it) to the column that fills it.
FIELD_COLUMN = {"wage": "wage_min", "workplaces": "lon", "": "lon", "workplace": "lon"}


class Options(msgspec.Struct, frozen=True, kw_only=True):
    kind: RecordType
    datum: Datum = Datum.WGS84
    sheet: str | None = None
    dry_run: bool = True


class Context(msgspec.Struct, kw_only=True):
    locator: AreaLocator
    geocode: Geocode
    deny: Denier
    account_id: int | None = None
    channel: str = "import"
    at: dt.datetime = msgspec.field(default_factory=lambda: dt.datetime.now(dt.UTC))
    progress: Callable[[int, int], None] | None = None  # (rows done, rows in all)


class Planned(msgspec.Struct, kw_only=True):
    row: int
    ref: str | None
    outcome: Outcome
    new: Any = None  # the transient record the row makes
    target: Any = None  # the stored record it updates
    changed: list[str] = []


def _column(exc: RowError | DomainError) -> str | None:
    if isinstance(exc, RowError):
        return exc.key
    field = (exc.field or "").removeprefix("row").removeprefix(".")
    head = field.split(".")[0]
    name = head.split("[")[0]
    if name == "workplaces" and not head.startswith("workplaces[0]"):
        return "more_workplaces"
    return FIELD_COLUMN.get(name, name)


def _plan_row(
    session: Session,
    cat: Catalogue,
    row: RowInput,
    key: str,
    target: Any,
    env: jobrecords.Env,
    header_of: dict[str, str],
    issues: list[Issue],
) -> Planned:
    try:
        new, where = jobrecords.build(session, cat.kind, row, target, env)
    except (RowError, DomainError) as exc:
        column = _column(exc)
        header = header_of.get(column or "", column)
        issues.append(issue(row.number, header, exc.code, exc.zh, exc.en))
        return Planned(row=row.number, ref=key, outcome="reject")
    if where is not None and where.matched:
        zh, en = f"按地址定位到：{where.matched}", f"Located by address: {where.matched}"
        issues.append(issue(row.number, header_of.get("address"), "geocoded", zh, en, "info"))
    if target is None:
        return Planned(row=row.number, ref=key, outcome="create", new=new)
    before, after = jobrecords.values(cat.kind, target), jobrecords.values(cat.kind, new)
    changed = [k for k in after if after[k] != before[k]]
    outcome: Outcome = "update" if changed else "unchanged"
    return Planned(
        row=row.number, ref=key, outcome=outcome, new=new, target=target, changed=changed
    )


def _refused(
    row: RowInput, key: str, seen: dict[str, int], cat: Catalogue, header: str
) -> Issue | None:
    what = "统一社会信用代码" if cat.key == "uscc" else "编号"
    if not key:
        return issue(
            row.number,
            header,
            f"{cat.key}_required",
            f"{what}必填（再次导入时据此更新）",
            f"A {cat.key} is required (re-imports update by it)",
        )
    if key in seen:
        zh, en = f"{what} {key} 与第 {seen[key]} 行重复", f"{key} repeats row {seen[key]}"
        return issue(row.number, header, f"duplicate_{cat.key}", zh, en)
    return None


def plan(
    session: Session, table: Table, options: Options, ctx: Context
) -> tuple[list[Planned], list[Issue], list[str]]:
    cat = CATALOGUES[options.kind]
    required = {c.key: c.zh for c in cat.columns if c.required}
    headers = map_headers(table, cat.column_for, required)
    header_of, issues = headers.header_of, headers.issues
    inputs = row_inputs(table, headers.index)
    keys = [jobrecords.key_of(options.kind, r) for r in inputs]
    found = jobrecords.existing(session, options.kind, [k for k in keys if k])
    env = jobrecords.environment(
        session,
        options.kind,
        inputs,
        found.values(),
        locator=ctx.locator,
        datum=options.datum,
        geocode=ctx.geocode,
    )
    denial = ctx.deny(options.kind)
    seen: dict[str, int] = {}
    planned: list[Planned] = []
    for done, (row, key) in enumerate(zip(inputs, keys, strict=True)):
        if ctx.progress is not None and done % 100 == 0:
            ctx.progress(done, len(inputs))
        refused = _refused(row, key, seen, cat, header_of[cat.key])
        if refused is None and denial is not None:
            refused = issue(row.number, None, *denial)
        if refused is not None:
            issues.append(refused)
            planned.append(Planned(row=row.number, ref=key or None, outcome="reject"))
            continue
        seen[key] = row.number
        planned.append(_plan_row(session, cat, row, key, found.get(key), env, header_of, issues))
    if ctx.progress is not None:
        ctx.progress(len(inputs), len(inputs))
    unknown = [i.column for i in issues if i.code == "unknown_column" and i.column]
    return planned, issues, unknown


def write(session: Session, kind: RecordType, planned: list[Planned], ctx: Context) -> int:
    """Creates and updates through the ORM (an update bumps the row's version), each with its
    history row, then one directory version bump."""
    creates = [p for p in planned if p.outcome == "create"]
    updates = [p for p in planned if p.outcome == "update"]
    log.info("import: writing %d %s rows", len(creates) + len(updates), kind.value)
    befores = []
    for p in updates:
        befores.append(state(p.target))
        jobrecords.copy(kind, p.new, p.target)
    session.add_all([p.new for p in creates])
    session.flush()
    history = [(p.new, "create", diff({}, state(p.new))) for p in creates] + [
        (p.target, "update", diff(before, state(p.target)))
        for p, before in zip(updates, befores, strict=True)
    ]
    if history:
        session.execute(
            insert(Change),
            [
                change_row(
                    at=ctx.at,
                    account_id=ctx.account_id,
                    channel=ctx.channel,
                    record_type=kind.value,
                    record_id=row.id,
                    action=action,
                    version=row.version,
                    fields=fields,
                )
                for row, action, fields in history
            ],
        )
    return bump_directory_version(session)


def run_import(
    session: Session, data: bytes, filename: str, options: Options, limits: Limits, ctx: Context
) -> ImportReport:
    started = time.perf_counter()
    table = read_table(data, filename, limits, options.sheet)
    planned, issues, unknown = plan(session, table, options, ctx)
    counts = {
        o: sum(1 for p in planned if p.outcome == o)
        for o in ("create", "update", "unchanged", "reject")
    }
    summary = Summary(rows=len(planned), **counts)
    version = None
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
        version = write(session, options.kind, planned, ctx)
    return ImportReport(
        kind=SHEET_KIND.get(options.kind, "course"),
        format=table.format,
        sheet=table.sheet,
        dry_run=options.dry_run,
        applied=not options.dry_run,
        summary=summary,
        issues=issues,
        rows=[
            RowResult(row=p.row, ref=p.ref, outcome=p.outcome, changed=p.changed) for p in planned
        ],
        unknown_columns=unknown,
        directory_version=version,
        timings_ms={"total": round((time.perf_counter() - started) * 1000, 1)},
    )
