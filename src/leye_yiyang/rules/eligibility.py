"""May this person use this facility? One checked result per rule, each with a reason to read out.

A fact the caller did not give makes its rule "unknown", never "not eligible": the answer for a
social worker is then "ask about the age", not "turned away".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import msgspec

from leye_yiyang.rules.profiles import Person, age_months_on, age_on, statuses_held
from leye_yiyang.rules.reasons import Reason, join, statuses_en, statuses_zh
from leye_yiyang.values import Eligibility
from leye_yiyang.vocab import PersonStatus

Outcome = Literal["eligible", "not_eligible", "unknown"]
RuleName = Literal["age", "child_months", "statuses", "residence"]


class RuleResult(msgspec.Struct, frozen=True, kw_only=True):
    rule: RuleName
    outcome: Outcome
    reason: Reason


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    outcome: Outcome
    results: list[RuleResult]
    reason: Reason
    note: str = ""  # the facility's own words about who it takes, passed through untouched


class _Band(msgspec.Struct, frozen=True):
    """How to speak about one numeric band (years or months)."""

    rule: RuleName
    subject_zh: str  # "年龄" / "月龄"
    missing_zh: str
    missing_en: str
    unit_zh: str  # "岁" / "个月"
    unit_en: str  # "" / " months"


_YEARS = _Band("age", "年龄", "年龄", "Age", "岁", "")
_MONTHS = _Band(
    "child_months", "月龄", "出生日期（月龄）", "Birth date (age in months)", "个月", " months"
)


def _band_result(band: _Band, value: int | None, lo: int | None, hi: int | None) -> RuleResult:
    """One rule for a band; bounds are inclusive ("60岁以上" includes 60)."""
    u_zh, u_en = band.unit_zh, band.unit_en
    if lo is not None and hi is not None:
        req_zh, req_en = f"{lo}至{hi}{u_zh}", f"the required {lo} to {hi}{u_en}"
    elif lo is not None:
        req_zh, req_en = f"{lo}{u_zh}以上", f"the minimum of {lo}{u_en}"
    else:
        req_zh, req_en = f"不超过{hi}{u_zh}", f"the maximum of {hi}{u_en}"
    code = band.rule
    if value is None:
        return RuleResult(
            rule=band.rule,
            outcome="unknown",
            reason=Reason(
                code=f"{code}.unknown",
                zh=f"未提供{band.missing_zh}，无法核对{req_zh}的要求",
                en=f"{band.missing_en} not given, so {req_en} cannot be checked",
            ),
        )
    has_zh = f"{band.subject_zh}{value}{u_zh}"
    has_en = f"Age {value}{u_en}"
    if lo is not None and value < lo:
        outcome: Outcome = "not_eligible"
        short = f"未达到{req_zh}的要求" if hi is None else f"低于{req_zh}的要求"
        zh, en, why = f"{has_zh}，{short}", f"{has_en} is below {req_en}", "too_young"
    elif hi is not None and value > hi:
        outcome = "not_eligible"
        over = f"超过{hi}{u_zh}的上限" if lo is None else f"高于{req_zh}的要求"
        zh, en, why = f"{has_zh}，{over}", f"{has_en} is above {req_en}", "too_old"
    else:
        outcome = "eligible"
        zh, en, why = f"{has_zh}，满足{req_zh}的要求", f"{has_en} meets {req_en}", "ok"
    return RuleResult(
        rule=band.rule, outcome=outcome, reason=Reason(code=f"{code}.{why}", zh=zh, en=en)
    )


def _status_result(person: Person, required: list[PersonStatus], on: dt.date) -> RuleResult:
    req_zh, req_en = statuses_zh(required), statuses_en(required)
    held = statuses_held(person, required, on)
    if held is None:
        reason = Reason(
            code="statuses.unknown",
            zh=f"未登记身份信息，无法核对是否属于{req_zh}对象",
            en=f"Status not recorded, so whether the person is {req_en} cannot be checked",
        )
        return RuleResult(rule="statuses", outcome="unknown", reason=reason)
    if not held:
        reason = Reason(
            code="statuses.none",
            zh=f"不属于服务对象（{req_zh}）",
            en=f"Not in any group the facility serves ({req_en})",
        )
        return RuleResult(rule="statuses", outcome="not_eligible", reason=reason)
    age = age_on(person, on)
    listed = person.statuses or []
    if held == [PersonStatus.ADVANCED_AGE] and PersonStatus.ADVANCED_AGE not in listed:
        zh = f"年龄{age}岁，属于高龄（80岁以上），是服务对象（{req_zh}）之一"
        en = f"Age {age} counts as advanced age (80+), a group the facility serves"
    else:
        zh = f"属于{statuses_zh(held)}，是服务对象（{req_zh}）之一"
        en = f"Qualifies as {statuses_en(held)}, a group the facility serves"
    return RuleResult(
        rule="statuses", outcome="eligible", reason=Reason(code="statuses.ok", zh=zh, en=en)
    )


def _residence_result(person: Person, codes: list[str], names: Mapping[str, str]) -> RuleResult:
    if not person.residence_area_codes:
        reason = Reason(
            code="residence.unknown",
            zh="未提供居住社区，无法核对服务范围",
            en="Home community not given, so the service area cannot be checked",
        )
        return RuleResult(rule="residence", outcome="unknown", reason=reason)
    wanted = set(codes)
    # The person's list runs from the community upwards: the first hit is the most specific place.
    hit = next((c for c in person.residence_area_codes if c in wanted), None)
    if hit is None:
        served = "、".join(names.get(c, c) for c in codes)
        served_en = ", ".join(names.get(c, c) for c in codes)
        reason = Reason(
            code="residence.outside",
            zh=f"居住地不在服务范围（{served}）内",
            en=f"Lives outside the service area ({served_en})",
        )
        return RuleResult(rule="residence", outcome="not_eligible", reason=reason)
    place = names.get(hit, hit)
    reason = Reason(
        code="residence.ok",
        zh=f"居住在{place}，在服务范围内",
        en=f"Lives in {place}, inside the service area",
    )
    return RuleResult(rule="residence", outcome="eligible", reason=reason)


def evaluate(
    rules: Eligibility,
    person: Person,
    on: dt.date,
    *,
    area_names: Mapping[str, str] | None = None,
) -> Verdict:
    """Check every rule the facility sets. `area_names` (code → name) lets residence reasons name
    places instead of codes."""
    results: list[RuleResult] = []
    if rules.min_age is not None or rules.max_age is not None:
        results.append(_band_result(_YEARS, age_on(person, on), rules.min_age, rules.max_age))
    if rules.child_min_months is not None or rules.child_max_months is not None:
        months = age_months_on(person, on)
        results.append(
            _band_result(_MONTHS, months, rules.child_min_months, rules.child_max_months)
        )
    if rules.any_of_statuses:
        results.append(_status_result(person, list(rules.any_of_statuses), on))
    if rules.residence_area_codes:
        results.append(
            _residence_result(person, list(rules.residence_area_codes), area_names or {})
        )
    return Verdict(
        outcome=_overall(results), results=results, reason=_summary(results), note=rules.note
    )


def _overall(results: list[RuleResult]) -> Outcome:
    outcomes = {r.outcome for r in results}
    if "not_eligible" in outcomes:
        return "not_eligible"
    if "unknown" in outcomes:
        return "unknown"
    return "eligible"


def _summary(results: list[RuleResult]) -> Reason:
    if not results:
        return Reason(
            code="open_to_all",
            zh="该机构没有准入条件，所有人都可以使用",
            en="Open to everyone: the facility sets no conditions",
        )
    overall = _overall(results)
    picked = [r.reason for r in results if r.outcome == overall]
    lead_zh, lead_en = {
        "eligible": ("符合全部条件", "Meets every condition"),
        "not_eligible": ("不符合条件", "Does not qualify"),
        "unknown": ("还需核实", "Still to check"),
    }[overall]
    body = join(picked, overall)
    return Reason(code=overall, zh=f"{lead_zh}：{body.zh}", en=f"{lead_en}: {body.en}")
