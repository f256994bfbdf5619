"""The bilingual explanation every matching decision carries, and the labels it is built from.

Texts are short sentences a social worker can read aloud to a resident, in Chinese and English.
"""

from __future__ import annotations

import msgspec

from leye_yiyang.vocab import STATUS_LABELS, PersonStatus


class Reason(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    zh: str
    en: str


STATUS_EN: dict[PersonStatus, str] = {
    PersonStatus.LIVING_ALONE: "living alone",
    PersonStatus.EMPTY_NEST: "empty-nest elder",
    PersonStatus.DISABLED_ADL: "needing daily-living care (失能)",
    PersonStatus.EXTREME_POVERTY: "extreme-poverty support (特困)",
    PersonStatus.DIBAO: "minimum living allowance (低保)",
    PersonStatus.NEAR_DIBAO: "near-低保 household",
    PersonStatus.DISABILITY: "disability card holder",
    PersonStatus.MILITARY_FAMILY: "military family (优抚)",
    PersonStatus.ADVANCED_AGE: "advanced age (80+)",
    PersonStatus.SPECIAL_FAMILY: "special family-planning family",
    PersonStatus.HOUSEBOUND: "housebound (bedridden or cannot go out)",
}


def statuses_zh(statuses: list[PersonStatus]) -> str:
    return "、".join(STATUS_LABELS[s] for s in statuses)


def statuses_en(statuses: list[PersonStatus]) -> str:
    names = [STATUS_EN[s] for s in statuses]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def money(amount: float) -> str:
    """¥ amounts without trailing zeros: 12 → "12", 7.5 → "7.5"."""
    return f"{round(amount, 2):.2f}".rstrip("0").rstrip(".")


def join(reasons: list[Reason], code: str) -> Reason:
    """One sentence out of several, for a summary line."""
    return Reason(
        code=code,
        zh="；".join(r.zh for r in reasons),
        en="; ".join(r.en for r in reasons),
    )
