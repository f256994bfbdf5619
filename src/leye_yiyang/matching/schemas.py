"""Edge types of matching over HTTP: what a caller sends about a person, a seeker or a household,
and the ranked, explained answers. Inputs are strict (unknown fields refused, values bounded);
outputs are frozen. Nothing here is stored or logged.

A seeker carries nothing matching may not read: no sex, ethnicity, religion, marriage or children,
household registration, carrier or disability status (fairness.PROTECTED_FIELDS; a test holds
`SeekerIn` to it). Because inputs forbid unknown fields, a body that sends one is refused.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from leye_yiyang.circles.schemas import FacilityBrief, TravelInfo
from leye_yiyang.geocode.points import Located
from leye_yiyang.rules.eligibility import Verdict
from leye_yiyang.rules.jobs import Part
from leye_yiyang.rules.pricing import Quote
from leye_yiyang.rules.reasons import Reason
from leye_yiyang.spatial.datums import Datum
from leye_yiyang.spatial.travel import TravelMode
from leye_yiyang.values import Clock, Shift
from leye_yiyang.vocab import Education, FacilityKind, PersonStatus, ServiceCode, Weekday

Minutes = Annotated[float, Meta(gt=0, le=180, description="travel minutes (0–180]")]
# msgspec also reads a time without an offset (as Asia/Shanghai), so it claims no format; the
# document asks clients for RFC 3339.
Moment = Annotated[
    dt.datetime,
    Meta(extra_json_schema={"format": "date-time"}, description="RFC 3339; default now"),
]
Word = Annotated[str, Meta(min_length=1, max_length=40)]
Label = Annotated[str, Meta(min_length=1, max_length=40, description="e.g. 母亲, 孩子, 奶奶")]


class Need(StrEnum):
    MEAL = "meal"  # 助餐: lunch, dinner or delivery at a meal hall
    MEAL_DELIVERY = (
        "meal_delivery"  # 送餐上门: meals brought home; halls that do not deliver are out
    )
    DAY_CARE = "day_care"  # 日间照料
    CARE_HOME = "care_home"  # 养老机构: a bed or respite
    CHILDCARE = "childcare"  # 托育 for a child under three
    EMPLOYMENT_SERVICE = "employment_service"  # 就业服务站, 零工驿站, 人力资源机构
    TRAINING = "training"  # 职业技能培训学校


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class Home(Input, kw_only=True):
    """Where the person lives: lon/lat in the request's `crs`, or an address. Coordinates are
    checked (order, range, inside the district) by the same code as every other endpoint."""

    lon: float | None = None
    lat: float | None = None
    address: Annotated[str, Meta(min_length=1, max_length=200)] | None = None


class PersonIn(Input, kw_only=True):
    """A resident, or for childcare the child. Leave out what is not known: a missing fact makes a
    rule "unknown", never "no". `birth_date` wins over `age`; a child needs the birth date."""

    birth_date: dt.date | None = None
    age: Annotated[int, Meta(ge=0, le=130)] | None = None
    statuses: Annotated[list[PersonStatus], Meta(max_length=10)] | None = None


class ServiceMatchRequest(Input, kw_only=True):
    person: PersonIn
    home: Home
    needs: Annotated[list[Need], Meta(min_length=1, max_length=6)]
    crs: Datum = Datum.WGS84
    mode: TravelMode = TravelMode.WALK
    minutes: Minutes = 15
    at: Moment | None = None
    include_excluded: bool = False
    limit_per_need: Annotated[int, Meta(ge=1, le=20)] = 5


class SeekerIn(Input, kw_only=True):
    """A job seeker: what they can do, when, and how far they will travel. `occupations` takes
    words ("护工", "厨师") or 大典 codes ("4-10-01-05"); `days` empty means any day. Words in
    `skills` and `occupations` are what the seeker can do or wants to do; a certificate
    ("健康证", "养老护理员证") counts as held only when listed in `certificates`."""

    skills: Annotated[list[Word], Meta(max_length=30)] = []
    certificates: Annotated[list[Word], Meta(max_length=20)] = []
    occupations: Annotated[list[Word], Meta(max_length=10)] = []
    education: Education | None = None
    experience_years: Annotated[int, Meta(ge=0, le=60)] = 0
    desired_wage: Annotated[int, Meta(ge=0, le=1_000_000)] | None = None
    available_from: Clock | None = None
    must_leave_by: Clock | None = None
    days: Annotated[list[Weekday], Meta(max_length=7)] = []
    part_time_ok: bool = True
    max_commute_minutes: Annotated[int, Meta(ge=1, le=180)] = 30
    mode: TravelMode = TravelMode.EBIKE


class JobMatchRequest(Input, kw_only=True):
    seeker: SeekerIn
    home: Home
    crs: Datum = Datum.WGS84
    at: Moment | None = None  # the day searched: vacancies open then, courses after it
    limit: Annotated[int, Meta(ge=1, le=50)] = 10
    include_excluded: bool = False


class MemberIn(Input, kw_only=True):
    """One member of a household. `takes_children`: this member drops off and collects the
    household's children at childcare on working days (the default for anyone seeking work)."""

    label: Label
    birth_date: dt.date | None = None
    age: Annotated[int, Meta(ge=0, le=130)] | None = None
    statuses: Annotated[list[PersonStatus], Meta(max_length=10)] | None = None
    needs: Annotated[list[Need], Meta(max_length=6)] = []
    seeks_work: bool = False
    work: SeekerIn | None = None
    takes_children: bool = True


class HouseholdRequest(Input, kw_only=True):
    members: Annotated[list[MemberIn], Meta(min_length=1, max_length=8)]
    home: Home
    crs: Datum = Datum.WGS84
    mode: TravelMode = TravelMode.WALK  # for services near home
    minutes: Minutes = 15
    at: Moment | None = None
    alternatives: Annotated[int, Meta(ge=1, le=5)] = 3


# ---- outputs ----


class AreaRef(Out, frozen=True, kw_only=True):
    code: str
    name: str
    level: str


class OpenInfo(Out, frozen=True, kw_only=True):
    open_now: bool  # at `at`
    open_that_day: bool  # open at `at` or opening later the same day
    next_opening: dt.datetime | None
    closes_at: dt.datetime | None
    calendar_known: bool
    reason: Reason


class ServiceOption(Out, frozen=True, kw_only=True):
    rank: int
    facility: FacilityBrief
    services: list[ServiceCode]  # the ones this need asked for that the place offers
    eligibility: Verdict
    price: Quote | None
    distance_m: float
    travel_minutes: float
    within_limit: bool
    opening: OpenInfo
    places_free: int | None  # None: the place sets no capacity
    summary: Reason


class ExcludedOption(Out, frozen=True, kw_only=True):
    facility: FacilityBrief
    distance_m: float
    travel_minutes: float
    eligibility: Verdict
    reasons: list[Reason]


class NeedResult(Out, frozen=True, kw_only=True):
    need: Need
    kinds: list[FacilityKind]
    services: list[ServiceCode]
    options: list[ServiceOption]
    excluded: list[ExcludedOption] | None  # only with include_excluded
    unmet: Reason | None  # set when no option lies within the travel limit


class ServiceMatchResult(Out, frozen=True, kw_only=True):
    home: Located
    residence: list[AreaRef]
    at: dt.datetime
    travel: TravelInfo
    ranking: Reason
    needs: list[NeedResult]


class VacancyBrief(Out, frozen=True, kw_only=True):
    id: int
    ref: str | None
    title: str
    occupation_code: str
    occupation_name: str
    employer_id: int
    employer_name: str
    address: str
    lon: float
    lat: float
    area_code: str
    wage_min: int
    wage_max: int
    shifts: list[Shift]
    part_time: bool
    headcount: int
    education: Education
    experience_years: int
    expires_on: dt.date | None


class JobOption(Out, frozen=True, kw_only=True):
    rank: int
    vacancy: VacancyBrief
    fits: bool
    total: float
    skills: Part
    schedule: Part
    commute: Part
    wage: Part
    blockers: list[Reason]
    notes: list[Reason]
    distance_m: float
    travel_minutes: float
    skill_gap: list[str]


class Understood(Out, frozen=True, kw_only=True):
    """What a seeker's word was taken to mean (empty lists: not recognised)."""

    word: str
    occupation_codes: list[str]
    occupation_names: list[str]
    skills: list[str]


class CourseOption(Out, frozen=True, kw_only=True):
    rank: int
    id: int
    ref: str | None
    title: str
    occupation_code: str
    occupation_name: str
    provider_id: int
    provider_name: str
    lon: float
    lat: float
    starts_on: dt.date
    ends_on: dt.date
    sessions: list[Shift]
    hours_total: int
    subsidised: bool
    fee_cny: float
    seats_free: int
    distance_m: float
    travel_minutes: float
    teaches: list[str]  # skills the seeker lacks that the course teaches
    same_occupation: bool
    fits_schedule: bool
    reason: Reason


class JobMatchResult(Out, frozen=True, kw_only=True):
    home: Located
    on: dt.date
    travel: TravelInfo
    understood: list[Understood]
    ranking: Reason
    considered: int  # relevant open vacancies within the commute limit that were scored
    fitting: int
    options: list[JobOption]
    excluded: list[JobOption] | None
    training: list[CourseOption]
    training_reason: Reason | None


class ChildcareStop(Out, frozen=True, kw_only=True):
    child: str
    facility: FacilityBrief
    near: Literal["home", "work"]
    drop_off: str  # latest clock time to hand the child over on a working day
    pick_up: str  # earliest clock time the child can be collected after the shift
    home_to_childcare_minutes: float
    childcare_to_work_minutes: float
    eligibility: Verdict
    price: Quote | None
    places_free: int | None


class WorkAlternative(Out, frozen=True, kw_only=True):
    rank: int
    job: JobOption
    childcare: list[ChildcareStop]
    commute_minutes: float  # home → (childcare →) work
    extra_minutes: float  # over going straight to work
    summary: Reason


class WorkPlan(Out, frozen=True, kw_only=True):
    jobs_fitting_seeker: int
    jobs_checked_for_care: int
    alternatives: list[WorkAlternative]
    training: list[CourseOption]
    unmet: Reason | None


class MemberPlan(Out, frozen=True, kw_only=True):
    label: str
    age: int | None
    needs: list[NeedResult]
    work: WorkPlan | None


class Unsatisfied(Out, frozen=True, kw_only=True):
    member: str
    need: str  # a Need value or "work"
    reason: Reason


class HouseholdResult(Out, frozen=True, kw_only=True):
    home: Located
    residence: list[AreaRef]
    at: dt.datetime
    plan: list[Reason]  # the one plan: the first choice for every member and need
    members: list[MemberPlan]
    unsatisfied: list[Unsatisfied]
