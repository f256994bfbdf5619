"""Schemathesis, told what the OpenAPI document cannot say: where the service region is, and a
few refusals that depend on data, on the day asked or on two fields at once.

A point (or an address, or a suggested site) may be well-formed and still lie outside the
district plus its margin; the API then answers 422 `outside_service_region`. That answer and the
few others below, each by its problem code, are the only ones excused from the check that
schema-valid requests are accepted; every other check, and every other refusal, stays as strict
as `--checks all` makes it."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# Each with its reason in the README ("The contract").
EXCUSED_CODES = frozenset(
    {
        "outside_service_region",  # the region is a polygon
        "address_ambiguous",  # depends on the gazetteer's data
        "hours_inverted",  # an order between two fields
        "birth_date_in_future",  # relative to the day asked (today by default)
        "not_working_age",  # age reckoned from birth_date on the day asked
        "at_out_of_range",  # JSON Schema has no range for a date-time string
    }
)


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
