"""Schemathesis, told the one thing the OpenAPI document cannot say: where the service region is.

A point (or an address, or a suggested site) may be well-formed and still lie outside Tinghu
District plus its margin; the API then answers 422 `outside_service_region`. That answer, by its
code, is the only one excused from the check that schema-valid requests are accepted; every other
check, and every other refusal, stays as strict as `--checks all` makes it."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXCUSED_CODES = frozenset({"outside_service_region", "address_ambiguous", "hours_inverted"})


def _problem_code(response: Any) -> str | None:
    try:
        body = response.json()
    except Exception:  # not JSON: nothing to excuse
        return None
    return body.get("code") if isinstance(body, dict) else None


@schemathesis.check
def positive_data_acceptance_in_region(ctx: Any, response: Any, case: Any) -> bool | None:
    """positive_data_acceptance, except for a 422 outside_service_region."""
    if 400 <= response.status_code < 500 and _problem_code(response) in EXCUSED_CODES:
        return None
    return positive_data_acceptance(ctx, response, case)
