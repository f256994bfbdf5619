"""Exports come in the shape the import takes: export → import dry run has nothing to change.
The template is an empty sheet with its headers, one example row and a notes sheet."""

from __future__ import annotations

import io

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook

from leye_yiyang.transfer.columns import COLUMNS
from tests.transfer.conftest import post_import

Client = TestClient[Litestar]
EXT = {"xlsx": "xlsx", "csv": "csv", "geojson": "geojson"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "geojson"])
def test_export_then_import_dry_run_reports_nothing_to_change(importer: Client, fmt: str) -> None:
    exported = importer.get("/v1/exports", params={"format": fmt})
    assert exported.status_code == 200
    body = post_import(importer, f"export.{EXT[fmt]}", exported.content).json()
    assert body["summary"]["rows"] > 200
    assert body["summary"]["unchanged"] == body["summary"]["rows"]
    assert [i for i in body["issues"] if i["severity"] != "info"] == []


def test_an_export_of_one_kind_holds_only_that_kind(importer: Client) -> None:
    exported = importer.get("/v1/exports", params={"format": "csv", "kind": "childcare"})
    body = post_import(importer, "c.csv", exported.content, kind="childcare").json()
    assert body["summary"]["rows"] > 10
    assert body["summary"]["unchanged"] == body["summary"]["rows"]


def test_the_template_has_headers_an_example_and_notes_in_chinese(client: Client) -> None:
    response = client.get("/v1/imports/template", params={"kind": "meal_hall"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["机构", "说明"]
    rows = list(book["机构"].iter_rows(values_only=True))
    assert list(rows[0]) == [c.zh for c in COLUMNS]
    assert len(rows) == 2
    notes = {r[0]: r[3] for r in book["说明"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert all(notes.get(c.zh) for c in COLUMNS)


def test_the_template_example_row_passes_a_dry_run(importer: Client) -> None:
    template = importer.get("/v1/imports/template", params={"kind": "meal_hall"}).content
    body = post_import(importer, "t.xlsx", template, kind="meal_hall").json()
    assert body["summary"] == {"rows": 1, "create": 1, "update": 0, "unchanged": 0, "reject": 0}


def test_an_unknown_kind_is_a_400_problem(client: Client) -> None:
    response = client.get("/v1/imports/template", params={"kind": "casino"})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


def test_the_openapi_document_lists_the_import_errors(client: Client) -> None:
    op = client.get("/schema/openapi.json").json()["paths"]["/v1/imports"]["post"]
    for status in ("400", "413", "415", "422"):
        assert "application/problem+json" in op["responses"][status]["content"], status
