"""The official HSDS schemas (vendored unmodified in schemas/) as jsonschema validators with
format checking on: uuid, date, date-time, email and uri are checked, not just typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = Path(__file__).parent / "schemas"
FORMATS = Draft202012Validator.FORMAT_CHECKER


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(_load(path), default_specification=_DRAFT))
        for path in sorted((HERE / "3.1-dev").glob("*.json"))
    ]
    return Registry().with_resources(resources)


from referencing.jsonschema import DRAFT202012 as _DRAFT  # noqa: E402


class Schemas:
    def __init__(self) -> None:
        self.registry = _registry()

    def validator(self, name: str) -> Draft202012Validator:
        path = HERE / "3.1-dev" / name if name.startswith("3.1:") is False else None
        if name.startswith("3.1:"):
            schema = _load(HERE / "3.1-dev" / name[4:])
        else:
            schema = _load(HERE / "3.0" / name)
        del path
        return Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)

    def errors(self, name: str, instance: Any) -> list[str]:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in self.validator(name).iter_errors(instance)
        ]


@pytest.fixture(scope="session")
def hsds_schemas() -> Schemas:
    return Schemas()
