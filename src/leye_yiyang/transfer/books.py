"""The file shapes every sheet leaves in: an .xlsx book (a template with its notes sheet, 说明,
or a streamed export) and a CSV that Excel opens as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from leye_yiyang.transfer.columns import Column


def xlsx(
    title: str,
    rows: Iterable[list[Any]],
    notes: Sequence[Column] | None = None,
    rules: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One sheet of `rows`; with `notes`, a bold header and a 说明 sheet naming each column and
    then each (heading, text) of `rules`. write_only streams rows for exports; the template
    needs a normal book for its styling."""
    book = Workbook(write_only=notes is None)
    sheet = book.create_sheet(title) if notes is None else book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if notes is not None:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        _notes(book, notes, rules)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(book: Workbook, columns: Sequence[Column], rules: Sequence[tuple[str, str]]) -> None:
    info = book.create_sheet("说明")
    info.append(["列名", "English", "必填", "填写说明"])
    for c in columns:
        info.append([c.zh, c.en, "是" if c.required else "", c.note])
    info.append([])
    for heading, text in rules:
        info.append([heading, "", "", text])
    info.column_dimensions["A"].width = 16
    info.column_dimensions["D"].width = 90
    for line in info.iter_rows(min_row=2):
        line[3].alignment = Alignment(wrap_text=True)


def csv_bytes(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
