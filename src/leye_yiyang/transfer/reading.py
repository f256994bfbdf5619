"""From uploaded bytes to a table of header and rows, refusing every file we cannot read safely.

.xlsx rows are read with python-calamine; openpyxl is opened only to name formula cells when the
sheet's XML holds any. CSV with the standard library's csv module (UTF-8 with or without BOM, else
GB18030, which Chinese Excel writes). GeoJSON with msgspec. Limits come from the caller (settings)."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any, Literal

import msgspec
import python_calamine

from leye_yiyang.errors import DomainError, InvalidInput, Unprocessable

Format = Literal["xlsx", "csv", "geojson"]
NOTES_SHEETS = ("说明", "填写说明", "notes")


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"


class UnsupportedFile(DomainError):
    status = 415
    code = "unsupported_file"


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    max_bytes: int = 8 * 1024 * 1024
    max_rows: int = 20_000
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: float = 100.0
    max_zip_entries: int = 1000


class Table(msgspec.Struct, kw_only=True):
    format: Format
    sheet: str | None
    headers: list[str]
    header_row: int = 1
    # (row number as the department sees it: 1-based sheet row, or feature number), cells
    rows: list[tuple[int, list[Any]]]
    points: list[tuple[float, float] | None] | None = None  # GeoJSON geometry per row


def format_of(filename: str) -> Format:
    name = filename.lower()
    for ext, fmt in (
        (".xlsx", "xlsx"),
        (".csv", "csv"),
        (".geojson", "geojson"),
        (".json", "geojson"),
    ):
        if name.endswith(ext):
            return fmt  # type: ignore[return-value]
    raise UnsupportedFile(
        f"不支持的文件类型「{filename}」：请上传 .xlsx、.csv 或 .geojson",
        f"Unsupported file {filename!r}: upload .xlsx, .csv or .geojson",
        code="unsupported_file_type",
        field="file",
    )


def read_table(data: bytes, filename: str, limits: Limits, sheet: str | None = None) -> Table:
    fmt = format_of(filename)
    if not data.strip():
        raise InvalidInput("文件是空的", "The file is empty", code="empty_file", field="file")
    if len(data) > limits.max_bytes:
        raise FileTooLarge(
            f"文件 {len(data)} 字节，超过上限 {limits.max_bytes} 字节",
            f"The file is {len(data)} bytes, over the limit of {limits.max_bytes}",
            field="file",
        )
    is_zip = data[:4] == b"PK\x03\x04"
    if (fmt == "xlsx") != is_zip:
        raise _mismatch(filename, fmt)
    if fmt == "xlsx":
        table = _xlsx(data, limits, sheet)
    elif fmt == "csv":
        table = _csv(data)
    else:
        table = _geojson(data, filename)
    if len(table.rows) > limits.max_rows:
        raise FileTooLarge(
            f"共 {len(table.rows)} 行，超过每次导入 {limits.max_rows} 行的上限，请分批导入",
            f"{len(table.rows)} rows, over the limit of {limits.max_rows} per import; split the file",
            code="too_many_rows",
            field="file",
        )
    return table


def _mismatch(filename: str, fmt: str) -> UnsupportedFile:
    return UnsupportedFile(
        f"文件「{filename}」的内容不是 {fmt} 格式",
        f"The content of {filename!r} is not {fmt}",
        code="file_type_mismatch",
        field="file",
    )


def _check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Before anything decompresses: the declared sizes, their total and the compression ratio,
    so a small upload cannot expand into gigabytes (a zip bomb named .xlsx)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise _mismatch("file", "xlsx") from None
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0.0)
    if (
        len(infos) > limits.max_zip_entries
        or total > limits.max_unzipped_bytes
        or worst > limits.max_zip_ratio
    ):
        raise UnsupportedFile(
            f"文件解压后 {total} 字节（压缩比 {worst:.0f}），超过安全上限，拒绝读取",
            f"The file expands to {total} bytes (ratio {worst:.0f}), beyond the safe limit; refused",
            code="suspicious_archive",
            field="file",
        )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _mismatch("file", "xlsx")
    return archive


def _choose_sheet(names: list[str], wanted: str | None) -> str:
    if wanted is not None:
        if wanted not in names:
            raise InvalidInput(
                f"没有名为「{wanted}」的工作表（有：{'、'.join(names)}）",
                f"No sheet named {wanted!r} (sheets: {', '.join(names)})",
                code="sheet_not_found",
                field="sheet",
            )
        return wanted
    data_sheets = [n for n in names if n.strip().lower() not in NOTES_SHEETS]
    if len(data_sheets) != 1:
        raise InvalidInput(
            f"文件有多个工作表（{'、'.join(names)}），请用 sheet 参数指定要导入的一个",
            f"The workbook has several sheets ({', '.join(names)}); choose one with `sheet`",
            code="sheet_required",
            field="sheet",
            extra={"sheets": names},
        )
    return data_sheets[0]


def _formula_cells(data: bytes, sheet: str) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return [
            cell.coordinate
            for row in book[sheet].iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
    finally:
        book.close()


def _xlsx(data: bytes, limits: Limits, wanted: str | None) -> Table:
    archive = _check_zip(data, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises its own zip/XML errors for a corrupt workbook
        raise _mismatch("file", "xlsx") from None
    name = _choose_sheet(list(book.sheet_names), wanted)
    sheet = book.get_sheet_by_name(name)
    merged = sheet.merged_cell_ranges or []
    if merged:
        (r0, c0), (r1, c1) = merged[0]
        raise Unprocessable(
            f"工作表有合并单元格（如 {_cell(r0, c0)}:{_cell(r1, c1)}），请取消合并，每行一个机构",
            f"The sheet has merged cells (e.g. {_cell(r0, c0)}:{_cell(r1, c1)}); unmerge them, one facility per row",
            code="merged_cells",
            field="file",
            extra={"ranges": [f"{_cell(*a)}:{_cell(*b)}" for a, b in merged[:20]]},
        )
    if any(
        b"<f>" in archive.read(i) or b"<f " in archive.read(i)
        for i in archive.namelist()
        if i.startswith("xl/worksheets/")
    ):
        cells = _formula_cells(data, name)
        if cells:
            raise Unprocessable(
                f"单元格 {'、'.join(cells[:10])} 是公式。公式一律不读（缓存的计算结果可能过期或不存在），请粘贴为数值后再导入",
                f"Cells {', '.join(cells[:10])} hold formulas. Formulas are refused, cached values are not read "
                "(they may be stale or missing); paste as values and import again",
                code="formula_cells",
                field="file",
                extra={"cells": cells[:100]},
            )
    # skip_empty_area=False: rows come from A1, so a list index is the sheet's row number - 1.
    return _table("xlsx", name, sheet.to_python(skip_empty_area=False), first_row=1)


def _cell(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _table(fmt: Format, sheet: str | None, values: list[list[Any]], first_row: int) -> Table:
    numbered = [(i + first_row, row) for i, row in enumerate(values)]
    filled = [(n, row) for n, row in numbered if any(_present(v) for v in row)]
    if not filled:
        raise InvalidInput(
            "文件中没有数据", "The file holds no data", code="empty_file", field="file"
        )
    header_row, headers = filled[0]
    return Table(
        format=fmt,
        sheet=sheet,
        headers=[str(h).strip() if _present(h) else "" for h in headers],
        header_row=header_row,
        rows=[(n, row) for n, row in filled[1:]],
    )


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnsupportedFile(
            "CSV 文件的编码无法识别：请存为 UTF-8 或 GB18030（Excel「CSV（逗号分隔）」）",
            "The CSV encoding is not UTF-8 or GB18030",
            code="unknown_encoding",
            field="file",
        ) from None


def _csv(data: bytes) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise _mismatch("file", "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return _table("csv", None, rows, first_row=1)


def _geojson(data: bytes, filename: str) -> Table:
    try:
        doc = msgspec.json.decode(data)
    except msgspec.DecodeError:
        raise _mismatch(filename, "geojson") from None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise _mismatch(filename, "geojson")
    features = [f for f in doc["features"] if isinstance(f, dict)]
    keys: list[str] = []
    for f in features:
        for k in f.get("properties") or {}:
            if k not in keys:
                keys.append(k)
    if not features:
        raise InvalidInput(
            "文件中没有数据", "The file holds no data", code="empty_file", field="file"
        )
    rows, points = [], []
    for i, f in enumerate(features, start=1):
        props = f.get("properties") or {}
        rows.append((i, [props.get(k) for k in keys]))
        geom = f.get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        ok = (
            isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) for c in coords[:2])
        )
        points.append((float(coords[0]), float(coords[1])) if ok else None)  # type: ignore[index]
    return Table(format="geojson", sheet=None, headers=keys, rows=rows, points=points)
