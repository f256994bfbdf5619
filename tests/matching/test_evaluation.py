"""The labelled evaluation set (fixtures/evaluation/cases.json) through the HTTP API: every case
must have an acceptable answer in its top three and offer nothing it must exclude. The scoring
code is bench/eval_report.py, which also prints precision@3 over the set."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

ROOT = Path(__file__).resolve().parents[2]


def _load_report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_report", ROOT / "bench" / "eval_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_report"] = module
    spec.loader.exec_module(module)
    return module


report = _load_report()
CASES: list[dict[str, Any]] = report.load_cases()


@pytest.fixture(scope="module")
def refs(client: TestClient[Litestar]) -> dict[int, str]:
    found: dict[int, str] = report.facility_refs(client)
    return found


def test_the_set_is_large_and_well_formed() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        assert c["endpoint"] in ("/v1/match/services", "/v1/match/jobs", "/v1/match/household")
        assert c["why"] and (c["acceptable"] or c["expect_empty"])
        assert not set(c["acceptable"]) & set(c["must_exclude"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(client: TestClient[Litestar], refs: dict[int, str], case: dict[str, Any]) -> None:
    outcome = report.run_case(client, case, refs)
    assert outcome.passed, f"{case['id']}: {outcome.problems} ({case['why']})"
