"""Who may change what, as pure rules (accounts/policy.py)."""

from __future__ import annotations

from leye_yiyang.accounts.policy import (
    Action,
    Principal,
    RecordType,
    Role,
    Target,
    may_read_history,
    stale_scope,
    write_denial,
)
from leye_yiyang.vocab import FacilityKind

MEAL = Target(type=RecordType.FACILITY, kinds=(FacilityKind.MEAL_HALL,), facility_id=7)
CHILDCARE = Target(type=RecordType.FACILITY, kinds=(FacilityKind.CHILDCARE,), facility_id=8)
VACANCY = Target(type=RecordType.VACANCY)


def who(role: Role, facility_id: int | None = None) -> Principal:
    return Principal(account_id=1, token_id=1, name="t", role=role, facility_id=facility_id)


def test_civil_affairs_keeps_elderly_care_and_nothing_else() -> None:
    civil = who(Role.CIVIL_AFFAIRS)
    assert write_denial(civil, Action.UPDATE, MEAL) is None
    denial = write_denial(civil, Action.UPDATE, CHILDCARE)
    assert denial is not None
    assert denial.code == "not_your_department"
    assert write_denial(civil, Action.CREATE, VACANCY) is not None


def test_health_keeps_childcare_and_hrss_the_job_side() -> None:
    assert write_denial(who(Role.HEALTH), Action.CLOSE, CHILDCARE) is None
    assert write_denial(who(Role.HRSS), Action.VERIFY, VACANCY) is None
    assert write_denial(who(Role.HRSS), Action.UPDATE, MEAL) is not None


def test_changing_a_facility_kind_needs_both_kinds() -> None:
    to_childcare = Target(
        type=RecordType.FACILITY, kinds=(FacilityKind.MEAL_HALL, FacilityKind.CHILDCARE)
    )
    assert write_denial(who(Role.CIVIL_AFFAIRS), Action.UPDATE, to_childcare) is not None
    assert write_denial(who(Role.DISTRICT_ADMIN), Action.UPDATE, to_childcare) is None


def test_provider_staff_change_only_their_facilitys_hours_places_and_phone() -> None:
    staff = who(Role.PROVIDER_STAFF, facility_id=7)
    assert write_denial(staff, Action.UPDATE, MEAL, ["opening_hours", "places_taken"]) is None
    assert write_denial(staff, Action.SUSPEND, MEAL) is None
    name = write_denial(staff, Action.UPDATE, MEAL, ["name"])
    assert name is not None
    assert (name.code, name.field) == ("field_not_allowed", "name")
    closing = write_denial(staff, Action.CLOSE, MEAL)
    assert closing is not None
    assert closing.code == "action_not_allowed"
    other = write_denial(staff, Action.UPDATE, CHILDCARE, ["phone"])
    assert other is not None
    assert other.code == "not_your_facility"


def test_a_social_worker_changes_nothing_in_the_directory() -> None:
    denial = write_denial(who(Role.SOCIAL_WORKER), Action.UPDATE, MEAL)
    assert denial is not None
    assert denial.code == "role_not_allowed"


def test_history_is_read_by_the_owner_and_the_facilitys_staff() -> None:
    assert may_read_history(who(Role.CIVIL_AFFAIRS), MEAL)
    assert may_read_history(who(Role.PROVIDER_STAFF, facility_id=7), MEAL)
    assert not may_read_history(who(Role.PROVIDER_STAFF, facility_id=7), CHILDCARE)
    assert not may_read_history(who(Role.HEALTH), MEAL)


def test_each_department_answers_for_the_freshness_of_its_own_records() -> None:
    kinds, types = stale_scope(Role.HEALTH)
    assert (kinds, types) == (frozenset({FacilityKind.CHILDCARE}), frozenset())
    kinds, types = stale_scope(Role.HRSS)
    assert RecordType.VACANCY in types
    assert FacilityKind.MEAL_HALL not in kinds
