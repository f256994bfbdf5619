"""Evaluation of matching against the labelled cases in fixtures/evaluation/cases.json.

Every case goes through the HTTP API on the demo directory. A case passes when at least one of its
top three answers is acceptable (or, for `expect_empty`, when nothing is offered) and none of its
`must_exclude` refs appears anywhere in the answer. precision@3 is the share of the top three
answers that are acceptable, averaged over the cases (a case with fewer than three answers is
scored over the answers it has; an empty answer scores 1 when emptiness is right, else 0).

    python bench/eval_report.py            # prints the table and precision@3

tests/matching/test_evaluation.py runs the same cases and asserts each one passes.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "evaluation" / "cases.json"


Client = Any  # litestar's TestClient, or anything with httpx-style get/post


@dataclass(frozen=True)
class Outcome:
    id: str
    passed: bool
    precision: float
    top: list[str]
    problems: list[str]


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return cases


def facility_refs(client: Client) -> dict[int, str]:
    refs: dict[int, str] = {}
    offset = 0
    while True:
        page = client.get("/v1/facilities", params={"limit": 200, "offset": offset}).json()
        refs.update({f["id"]: f["ref"] for f in page["items"]})
        offset += 200
        if offset >= page["total"]:
            return refs


def _member(body: dict[str, Any], label: str) -> dict[str, Any]:
    member: dict[str, Any] = next(m for m in body["members"] if m["label"] == label)
    return member


def answers(answer: str, body: dict[str, Any], refs: dict[int, str]) -> list[str]:
    """The ranked refs a case is judged on."""
    kind, _, rest = answer.partition(":")
    if kind == "services":
        return [refs[o["facility"]["id"]] for o in body["needs"][0]["options"]]
    if kind == "jobs":
        return [o["vacancy"]["ref"] for o in body["options"]]
    if kind == "training":
        return [c["ref"] for c in body["training"]]
    if kind == "household_jobs":
        work = _member(body, rest)["work"] or {"alternatives": []}
        return [a["job"]["vacancy"]["ref"] for a in work["alternatives"]]
    if kind == "household_need":
        label, need = rest.split(":")
        result = next(n for n in _member(body, label)["needs"] if n["need"] == need)
        return [refs[o["facility"]["id"]] for o in result["options"]]
    raise ValueError(f"unknown answer kind {answer!r}")


def judge(case: dict[str, Any], got: list[str]) -> Outcome:
    top = got[:3]
    good = set(case["acceptable"])
    problems = [f"must not offer {r}" for r in case["must_exclude"] if r in got]
    if case["expect_empty"]:
        precision = 1.0 if not top else 0.0
        if top:
            problems.append(f"expected nothing, got {top}")
    else:
        precision = sum(r in good for r in top) / len(top) if top else 0.0
        if not good.intersection(top):
            problems.append(f"no acceptable answer in the top 3 {top}")
    return Outcome(case["id"], not problems, round(precision, 4), top, problems)


def run_case(client: Client, case: dict[str, Any], refs: dict[int, str]) -> Outcome:
    r = client.post(case["endpoint"], json=case["request"])
    if r.status_code != 200:
        return Outcome(case["id"], False, 0.0, [], [f"HTTP {r.status_code}: {r.text[:200]}"])
    return judge(case, answers(case["answer"], r.json(), refs))


def evaluate(client: Client, cases: list[dict[str, Any]] | None = None) -> list[Outcome]:
    refs = facility_refs(client)
    return [run_case(client, c, refs) for c in (cases if cases is not None else load_cases())]


def precision_at_3(outcomes: list[Outcome]) -> float:
    return sum(o.precision for o in outcomes) / len(outcomes) if outcomes else 0.0


@contextmanager
def demo_client() -> Iterator[Client]:
    """The app on a fresh SQLite database loaded with the demo directory."""
    from litestar.testing import TestClient

    from leye_yiyang import migrate
    from leye_yiyang.app import create_app
    from leye_yiyang.db import Database
    from leye_yiyang.directory.loading import load_directory
    from leye_yiyang.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/eval.db"
        migrate.upgrade(url)
        db = Database(url)
        with db.transaction() as session:
            load_directory(session, ROOT / "geo", ROOT / "fixtures" / "tinghu")
        db.dispose()
        app = create_app(Settings(database_url=url, geo_dir=str(ROOT / "geo")))
        with TestClient(app) as client:
            yield client


def main() -> int:
    with demo_client() as client:
        outcomes = evaluate(client)
    width = max(len(o.id) for o in outcomes)
    for o in outcomes:
        mark = "ok  " if o.passed else "FAIL"
        print(f"{mark} {o.id:{width}} p@3={o.precision:.2f} top={o.top} {'; '.join(o.problems)}")
    passed = sum(o.passed for o in outcomes)
    print(f"\n{passed}/{len(outcomes)} cases pass; precision@3 = {precision_at_3(outcomes):.3f}")
    return 0 if passed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
