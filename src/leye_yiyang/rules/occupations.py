"""The occupation classification as matching uses it: a seeker's own words ("护工", "做饭") mapped
to 《职业分类大典》 codes and to the skill names vacancies use.

Built from records shaped like `OccupationIn` (code, name, synonyms, skills); the catalogue is
plain data, so tests build a small one and the API builds one from the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

import msgspec

_SPACES = re.compile(r"\s+")
MIN_PARTIAL = 2  # one character ("工", "师") is in too many words to mean anything on its own


# Scoring normalises every skill of every vacancy it looks at, a few hundred per request, drawn
# from a vocabulary of a few thousand names: remembered, each is one look-up.
@lru_cache(maxsize=32_768)
def normalise(text: str) -> str:
    """Strip, fold full-width forms (ＡＢＣ, （）) with NFKC, lower-case, collapse spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).strip().lower())


def related(a: str, b: str) -> bool:
    """Normalised terms that name the same thing: equal, or one inside the other ("养老护理" and
    "养老护理员") when the shorter has at least two characters."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_PARTIAL and short in long


# A vacancy skill naming a certificate (健康证, 养老护理员证, 电工证) is held only when the seeker
# says so in `certificates`: "护理员" is what someone does or wants to do, not a certificate.
_CERT_SUFFIXES = ("证书", "证")
_CERT_PREFIX = "持"


def is_certificate(skill: str) -> bool:
    return normalise(skill).endswith(_CERT_SUFFIXES)


def _certificate_core(text: str) -> str:
    """ "持养老护理员证书" → "养老护理员": what the certificate is for."""
    t = normalise(text).removeprefix(_CERT_PREFIX)
    for suffix in _CERT_SUFFIXES:
        if t.endswith(suffix):
            return t.removesuffix(suffix)
    return t


def holds_certificate(held: Iterable[str], required: str) -> bool:
    """A certificate held covers a required one for the same thing or a narrower name of it
    ("低压电工作业证" covers "电工证"); "医疗护理员证" does not cover "养老护理员证"."""
    need = _certificate_core(required)
    return len(need) >= MIN_PARTIAL and any(need in _certificate_core(h) for h in held)


def minor_group(code: str) -> str:
    """小类: the first three segments, "4-10-01" of "4-10-01-05"."""
    return "-".join(code.split("-")[:3])


class OccupationLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def synonyms(self) -> Sequence[str]: ...
    @property
    def skills(self) -> Sequence[str]: ...


class Occupation(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    synonyms: list[str] = []
    skills: list[str] = []


class Resolved(msgspec.Struct, frozen=True, kw_only=True):
    """What a seeker's word means: occupation codes it names and catalogue skills it names."""

    word: str
    codes: list[str]
    skills: list[str]


class OccupationCatalogue:
    def __init__(self, records: Iterable[OccupationLike]) -> None:
        self._by_code: dict[str, Occupation] = {}
        self._terms: list[tuple[str, str]] = []  # (normalised name or synonym, code)
        self._skills: dict[str, str] = {}  # normalised skill → its catalogue spelling
        for r in records:
            occ = Occupation(
                code=r.code, name=r.name, synonyms=list(r.synonyms), skills=list(r.skills)
            )
            self._by_code[occ.code] = occ
            for term in (occ.name, *occ.synonyms):
                self._terms.append((normalise(term), occ.code))
            for skill in occ.skills:
                self._skills.setdefault(normalise(skill), skill)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Occupation | None:
        return self._by_code.get(code)

    def name(self, code: str) -> str | None:
        occ = self._by_code.get(code)
        return occ.name if occ else None

    def resolve(self, word: str) -> Resolved:
        """Exact name or synonym first; only when none matches, names that contain the word or are
        contained in it, so "护工" does not also pick up every "…护工…" entry."""
        w = normalise(word)
        codes = _unique(code for term, code in self._terms if term == w)
        if not codes and len(w) >= MIN_PARTIAL:
            codes = _unique(code for term, code in self._terms if related(term, w))
        skills = [spelling for norm, spelling in self._skills.items() if related(norm, w)]
        return Resolved(word=word, codes=codes, skills=skills)

    def codes_for_words(self, words: Iterable[str]) -> dict[str, str]:
        """Occupation code → the first of `words` that named it."""
        found: dict[str, str] = {}
        for word in words:
            for code in self.resolve(word).codes:
                found.setdefault(code, word)
        return found


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
