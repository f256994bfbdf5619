"""The layering in the README is enforced: `make lint` runs import-linter over `.importlinter`, and
these tests prove the contracts pass on the tree as it is and fail on each kind of violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "leye_yiyang", tmp_path / "leye_yiyang")
    return tmp_path


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / "leye_yiyang" / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_every_contract() -> None:
    result = lint(ROOT / "src")
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tree: Path) -> None:
    add_import(tree, "snapshot/views.py", "import leye_yiyang.circles.service")
    result = lint(tree)
    assert result.returncode == 1
    assert "leye_yiyang.snapshot.views -> leye_yiyang.circles.service" in result.stdout


def test_a_cycle_between_sibling_domains_is_refused(tree: Path) -> None:
    # circles and directory are independent siblings: either importing the other would let a
    # cycle form between them.
    add_import(tree, "directory/service.py", "import leye_yiyang.circles.standards")
    result = lint(tree)
    assert result.returncode == 1
    assert "leye_yiyang.directory.service -> leye_yiyang.circles.standards" in result.stdout


def test_the_rules_never_import_the_web_framework(tree: Path) -> None:
    add_import(tree, "rules/pricing.py", "import litestar")
    result = lint(tree)
    assert result.returncode == 1
    assert "leye_yiyang.rules.pricing -> litestar" in result.stdout


def test_only_the_app_imports_routes(tree: Path) -> None:
    add_import(tree, "matching/household.py", "import leye_yiyang.circles.routes")
    result = lint(tree)
    assert result.returncode == 1
    assert "Nothing but the app imports a routes module BROKEN" in result.stdout
