"""A file we cannot read safely gets a clear 4xx problem and changes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import Workbook

from tests.transfer.conftest import SAMPLES, post_import, xlsx

Client = TestClient[Litestar]
HEADER = ["编号", "名称", "地址", "经度", "纬度"]
ROW = ["bad-1", "测试食堂", "亭湖区五星街道", 120.0889, 33.3719]


def _problem(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == code
    assert body["message_zh"]
    assert body["message_en"]


def _book(build: object) -> bytes:
    book = Workbook()
    build(book)  # type: ignore[operator]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_empty_file(importer: Client) -> None:
    _problem(post_import(importer, "empty.csv", b""), 400, "empty_file")


def test_a_csv_named_xlsx(importer: Client) -> None:
    _problem(
        post_import(importer, "sheet.xlsx", "编号,名称\n1,a\n".encode()), 415, "file_type_mismatch"
    )


def test_a_workbook_named_csv(importer: Client) -> None:
    _problem(post_import(importer, "sheet.csv", xlsx([HEADER, ROW])), 415, "file_type_mismatch")


def test_a_zip_that_is_not_a_workbook(importer: Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _problem(post_import(importer, "sheet.xlsx", buffer.getvalue()), 415, "file_type_mismatch")


def test_an_unsupported_extension(importer: Client) -> None:
    _problem(post_import(importer, "sheet.xls", b"\xd0\xcf\x11\xe0"), 415, "unsupported_file_type")


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_decompression(importer: Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    _problem(post_import(importer, "bomb.xlsx", buffer.getvalue()), 415, "suspicious_archive")


def test_a_file_over_the_size_limit(importer: Client, import_settings: object) -> None:
    big = ("编号,名称\n" + "x" * (9 * 1024 * 1024)).encode()
    _problem(post_import(importer, "big.csv", big), 413, "file_too_large")


def test_more_rows_than_the_limit(importer: Client) -> None:
    rows = [HEADER] + [[f"r-{i}", "食堂", "亭湖区", 120.0889, 33.3719] for i in range(501)]
    _problem(post_import(importer, "many.xlsx", xlsx(rows)), 413, "too_many_rows")


def test_formulas_are_refused_naming_the_cells(importer: Client) -> None:
    body = post_import(importer, "f.xlsx", xlsx([[*HEADER, "容量"], [*ROW, "=10*2"]]))
    _problem(body, 422, "formula_cells")
    assert body.json()["extra"]["cells"] == ["F2"]


def test_merged_cells_are_refused(importer: Client) -> None:
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(ROW)
        sheet.merge_cells("B2:C2")

    body = post_import(importer, "m.xlsx", _book(build))
    _problem(body, 422, "merged_cells")
    assert body.json()["extra"]["ranges"] == ["B2:C2"]


def test_several_sheets_with_none_chosen(importer: Client) -> None:
    def build(book: Workbook) -> None:
        book.active.append(HEADER)
        book.create_sheet("第二张").append(HEADER)

    body = post_import(importer, "s.xlsx", _book(build))
    _problem(body, 400, "sheet_required")
    assert len(body.json()["extra"]["sheets"]) == 2


def test_a_chosen_sheet_is_read(importer: Client) -> None:
    def build(book: Workbook) -> None:
        book.active.append(["废弃"])
        other = book.create_sheet("机构")
        other.append(HEADER)
        other.append(ROW)

    body = post_import(importer, "s.xlsx", _book(build), kind="meal_hall", sheet="机构")
    assert body.status_code == 200
    assert body.json()["summary"]["create"] == 1


def test_a_sheet_without_its_header_row(importer: Client) -> None:
    _problem(post_import(importer, "h.xlsx", xlsx([ROW, ROW])), 422, "header_row_missing")


def test_a_sheet_missing_a_required_column(importer: Client) -> None:
    _problem(
        post_import(importer, "h.xlsx", xlsx([["编号", "名称"], ["a", "b"]])),
        422,
        "missing_columns",
    )


@pytest.mark.parametrize("name", ["x.geojson", "x.csv"])
def test_binary_junk_is_not_what_its_name_claims(importer: Client, name: str) -> None:
    response = post_import(importer, name, (SAMPLES / "health-childcare.xlsx").read_bytes())
    _problem(response, 415, "file_type_mismatch")
