"""A sheet's header row read against a column vocabulary: facility and job sheets alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec

from leye_yiyang.errors import Unprocessable
from leye_yiyang.transfer.reading import Table
from leye_yiyang.transfer.rows import RowInput, issue
from leye_yiyang.transfer.schemas import Issue


class Headers(msgspec.Struct, frozen=True, kw_only=True):
    index: dict[int, str]  # column position -> key
    header_of: dict[str, str]  # key -> the header as the sheet spells it
    issues: list[Issue]  # one warning per unrecognised header
    unknown: list[str]


def map_headers(
    table: Table, column_for: Callable[[str], str | None], required: Mapping[str, str]
) -> Headers:
    """Each header to its column key; `required` maps the keys a sheet must have to their
    Chinese names. An unknown header is a warning (its column is not imported); a repeated
    column, no recognisable header at all or a missing required column refuse the file."""
    index: dict[int, str] = {}
    header_of: dict[str, str] = {}
    issues: list[Issue] = []
    unknown: list[str] = []
    for i, header in enumerate(table.headers):
        if not header:
            continue
        key = column_for(header)
        if key is None:
            unknown.append(header)
            zh = f"无法识别的列「{header}」，该列未导入"
            en = f"Unrecognised column {header!r}: not imported"
            issues.append(issue(table.header_row, header, "unknown_column", zh, en, "warning"))
        elif key in header_of:
            raise Unprocessable(
                f"列「{header}」与「{header_of[key]}」重复",
                f"Column {header!r} repeats {header_of[key]!r}",
                code="duplicate_column",
                field="file",
            )
        else:
            index[i], header_of[key] = key, header
    if not header_of:
        raise Unprocessable(
            "第一行不是表头：没有一个可识别的列名（编号、名称……），请用模板",
            "The first row is not a header: no column name is recognised; use the template",
            code="header_row_missing",
            field="file",
        )
    missing = [zh for key, zh in required.items() if key not in header_of]
    if missing:
        raise Unprocessable(
            f"缺少必填列：{'、'.join(missing)}",
            f"Required columns missing: {', '.join(missing)}",
            code="missing_columns",
            field="file",
        )
    return Headers(index=index, header_of=header_of, issues=issues, unknown=unknown)


def row_inputs(table: Table, index: Mapping[int, str]) -> list[RowInput]:
    """Each data row's cells by column key (a short row's missing cells are None)."""
    return [
        RowInput(
            number=number,
            cells={key: cells[i] if i < len(cells) else None for i, key in index.items()},
            point=table.points[n] if table.points is not None else None,
        )
        for n, (number, cells) in enumerate(table.rows)
    ]
