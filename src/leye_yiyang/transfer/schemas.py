"""What an import answers: a row-by-row report and a summary, the same for a dry run and an apply."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import msgspec

from leye_yiyang.accounts.policy import RecordType
from leye_yiyang.vocab import FacilityKind

Severity = Literal["error", "warning", "info"]
Outcome = Literal["create", "update", "unchanged", "reject"]


class Issue(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # the sheet's row number (the header is row 1 in a template), or the feature number
    column: str | None  # the header as written in the file
    code: str
    severity: Severity = "error"
    message_zh: str
    message_en: str


class RowResult(msgspec.Struct, frozen=True, kw_only=True):
    row: int
    ref: str | None
    outcome: Outcome
    changed: list[str] = []  # fields an update changes


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    rows: int
    create: int
    update: int
    unchanged: int
    reject: int


class ImportReport(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    format: str
    sheet: str | None
    dry_run: bool
    applied: bool
    summary: Summary
    issues: list[Issue]
    rows: list[RowResult]
    unknown_columns: list[str]
    directory_version: int | None = None
    timings_ms: dict[str, float] = {}


class SheetKind(StrEnum):
    """What a sheet holds: one facility kind, or `facility` for several (the 类型 column says),
    or one kind of human resources' job-side records."""

    FACILITY = "facility"
    MEAL_HALL = "meal_hall"
    DAY_CARE = "day_care"
    CARE_HOME = "care_home"
    CHILDCARE = "childcare"
    SERVICE_STATION = "service_station"
    TRAINING_SCHOOL = "training_school"
    HR_AGENCY = "hr_agency"
    # Human resources' job side (transfer/jobsheets.py).
    EMPLOYER = "employer"
    VACANCY = "vacancy"
    COURSE = "course"

    def facility_kind(self) -> FacilityKind | None:
        return None if self is SheetKind.FACILITY else FacilityKind(self.value)

    def record_type(self) -> RecordType | None:
        """The job-side record a sheet of this kind holds; None for facility sheets."""
        return JOB_SHEETS.get(self)


JOB_SHEETS = {
    SheetKind.EMPLOYER: RecordType.EMPLOYER,
    SheetKind.VACANCY: RecordType.VACANCY,
    SheetKind.COURSE: RecordType.COURSE,
}
