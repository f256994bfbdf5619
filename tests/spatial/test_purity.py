"""The geo engine is pure: importing it never drags in the web framework or the ORM."""

from __future__ import annotations

import os
import subprocess
import sys

import leye_yiyang.spatial

SCRIPT = """
import importlib, pkgutil, sys
import leye_yiyang.spatial as pkg
names = [m.name for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(len(names))
print(sorted(m for m in sys.modules if m.split(".")[0] in {"litestar", "sqlalchemy"}))
"""


def test_spatial_imports_neither_litestar_nor_sqlalchemy() -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True
    ).stdout.split("\n")
    assert int(out[0]) >= 8, "every spatial module was imported"
    assert out[1] == "[]"
    assert leye_yiyang.spatial.__name__ == "leye_yiyang.spatial"
