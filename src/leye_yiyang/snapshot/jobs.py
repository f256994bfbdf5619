"""The jobs half of the in-memory directory snapshot: open vacancies with their workplaces, training
courses with their providers, and the occupation catalogue, loaded once per directory version by
`snapshot.building` (through `jobs_loading.py`) and shared read-only by every request.

Vacancies are kept while their status is open; whether one has expired is decided per request
against the day asked about (a snapshot can outlive midnight). Courses are kept whatever their
dates and seats; requests pick the ones that start later and have a seat free.

Three inverted maps (occupation code, 小类 minor group, normalised skill → vacancy ids) let job
matching score only the vacancies a seeker's words can be relevant to, instead of all of them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from leye_yiyang.rules.jobs import VacancyView
from leye_yiyang.rules.occupations import (
    OccupationCatalogue,
    OccupationLike,
    Resolved,
    minor_group,
    normalise,
    related,
)
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.index import PointIndex
from leye_yiyang.values import Shift

if TYPE_CHECKING:
    pass

_MEMO_MAX = 20_000  # distinct words remembered per catalogue before the memo starts over


@dataclass(frozen=True, slots=True)
class VacancyEntry:
    view: VacancyView
    ref: str | None
    employer_id: int
    employer_name: str
    occupation_name: str
    point: LonLat
    address: str
    area_code: str
    headcount: int
    posted_on: dt.date
    expires_on: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        return self.expires_on is None or self.expires_on >= day


@dataclass(frozen=True, slots=True)
class CourseEntry:
    id: int
    ref: str | None
    title: str
    occupation_code: str
    occupation_name: str
    skills_taught: tuple[str, ...]
    starts_on: dt.date
    ends_on: dt.date
    sessions: tuple[Shift, ...]
    hours_total: int
    subsidised: bool
    fee_cny: float
    seats_free: int
    provider_id: int
    provider_name: str
    point: LonLat


class MemoCatalogue(OccupationCatalogue):
    """The occupation catalogue with `resolve` remembered per word: resolving scans every name
    and skill (about a millisecond), and scoring asks for the same few words for every vacancy."""

    def __init__(self, records: Iterable[OccupationLike]) -> None:
        super().__init__(records)
        self._memo: dict[str, Resolved] = {}
        self._lock = threading.Lock()

    def resolve(self, word: str) -> Resolved:
        hit = self._memo.get(word)
        if hit is None:
            hit = super().resolve(word)
            with self._lock:
                if len(self._memo) >= _MEMO_MAX:
                    self._memo.clear()
                self._memo[word] = hit
        return hit


class JobsCatalogue:
    """Open vacancies (with a PointIndex over their workplaces), courses and occupations."""

    def __init__(
        self,
        vacancies: Mapping[int, VacancyEntry],
        courses: Iterable[CourseEntry],
        occupations: MemoCatalogue,
    ) -> None:
        self.vacancies = dict(vacancies)
        self.courses = sorted(courses, key=lambda c: c.id)
        self.occupations = occupations
        entries = sorted(self.vacancies.values(), key=lambda v: v.view.id)
        self.index = PointIndex(
            np.array([v.view.id for v in entries], dtype=np.int64),
            np.array([v.point.lon for v in entries], dtype=np.float64),
            np.array([v.point.lat for v in entries], dtype=np.float64),
        )
        by_code: dict[str, list[int]] = defaultdict(list)
        by_minor: dict[str, list[int]] = defaultdict(list)
        by_skill: dict[str, list[int]] = defaultdict(list)
        for v in entries:
            by_code[v.view.occupation_code].append(v.view.id)
            by_minor[minor_group(v.view.occupation_code)].append(v.view.id)
            for skill in dict.fromkeys(normalise(s) for s in v.view.skills):
                by_skill[skill].append(v.view.id)
        self.by_code = {k: frozenset(ids) for k, ids in by_code.items()}
        self.by_minor = {k: frozenset(ids) for k, ids in by_minor.items()}
        self.by_skill = {k: frozenset(ids) for k, ids in by_skill.items()}
        self._term_memo: dict[str, frozenset[int]] = {}

    @classmethod
    def empty(cls) -> JobsCatalogue:
        return cls({}, [], MemoCatalogue([]))

    def with_skill(self, term: str) -> frozenset[int]:
        """Vacancies listing a skill related to a normalised term (the rule scoring uses)."""
        hit = self._term_memo.get(term)
        if hit is None:
            ids: set[int] = set()
            for skill, found in self.by_skill.items():
                if related(term, skill):
                    ids.update(found)
            hit = frozenset(ids)
            if len(self._term_memo) >= _MEMO_MAX:
                self._term_memo.clear()
            self._term_memo[term] = hit
        return hit

    def relevant(self, terms: Iterable[str], codes: Iterable[str]) -> set[int]:
        """Vacancies the scoring could give skill credit for: one of its skills is related to a
        term, or its occupation is named or in the same 小类 as one named."""
        out: set[int] = set()
        for term in terms:
            out.update(self.with_skill(term))
        for code in codes:
            out.update(self.by_code.get(code, ()))
            out.update(self.by_minor.get(minor_group(code), ()))
        return out
