"""Offline geocoding of the district's addresses and place names against the gazetteer.

How a query is read: every substring of the normalised query that is a known surface form is a
*hit*. Each hit proposes its entry as the answer; the entry's parents found elsewhere in the query
(毓龙街道 for 桥东社区) count as context, house numbers and the like as understood-but-unresolved
detail, and anything else as unknown. The score is the strength of the form (name > suffix-less
core > alias > near match) discounted by how much of the query is left unexplained — so the most
specific entry whose parents are also present explains the most text and wins.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

import msgspec
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from leye_yiyang.geocode.gazetteer import (
    AREA_KINDS,
    NATIONAL_PREFIXES,
    Entry,
    Prefixes,
    SurfaceForm,
    display_address,
    normalize,
    surface_forms,
)
from leye_yiyang.spatial.coords import LonLat

Status = Literal["found", "ambiguous", "not_found"]

MAX_QUERY_LEN = 100
MIN_SCORE = 0.5
# Two different places scoring within this margin cannot be told apart from the text alone.
AMBIGUITY_MARGIN = 0.03
# How far below the best a candidate may score and still be offered to the user.
CANDIDATE_WINDOW = 0.15
MAX_CANDIDATES = 10
# Ranked answers examined for the candidate list; bounds the work on degenerate gazetteers.
_MAX_SCAN = 100
# Two answers closer than this are the same answer for a point-returning geocoder.
SAME_PLACE_M = 100.0

_FORM_WEIGHT = {"name": 1.0, "core": 0.92, "alias": 0.88, "address": 0.97}
_UNKNOWN_PENALTY = 0.8
# Detail such as "88号" was understood, just not resolvable offline: a light discount only.
_DETAIL_PENALTY = 0.2
# Kept below the alias weight so a near match never outranks an exact alias.
_FUZZY_WEIGHT = 0.85
_ADDRESS_PARTIAL = 0.8
# A near match must share at least three consecutive-ish characters: two-character cores like
# "五星" would otherwise "nearly match" every query that merely starts with them.
_FUZZY_MIN_COMMON = 2
# Equal scores: the larger unit first ("南洋" is the town before its seat community).
_KIND_RANK = {
    "subdistrict": 0,
    "town": 0,
    "community": 1,
    "village": 1,
    "estate": 2,
    "road": 3,
    "landmark": 4,
    "facility": 5,
}

# A suffix-less core or an alias followed straight away by a feature word is the start of some
# other name: "五星路" is an unknown road, not 五星街道 with "路" left over.
_NAME_TAIL = re.compile(r"路|街|巷|道|弄|桥|村|庄|社区|小区|花园|公寓|广场|苑|园|镇|乡|湖|河|港")
_PART_OF_OTHER_NAME = 0.5

_NUM = r"(?:[0-9]+|[一二三四五六七八九十百零〇两]+)"
_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|室|楼|层|弄|组|队|排|户)"
_LOCATIVE = r"附近|旁边|对面|门口|周边|一带|[东南西北]侧"
# "桥东社区养老院": the place is known, the kind of service is not a place; understood detail.
_SERVICE = (
    r"(?:居家养老|养老|助老|助餐|日间照料|社区卫生|卫生|托育|托幼|婴幼儿照护|就业|便民|党群)"
    r"(?:服务)?(?:中心|站|点|院|室|机构)|养老院|敬老院|福利院|幼儿园|托儿所|老年食堂|长者食堂"
)
_DETAIL = re.compile(rf"(?:{_NUM}{_UNIT}|[0-9]+|[a-z]{_UNIT}|{_LOCATIVE}|{_SERVICE})+")


class Match(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: str
    point: tuple[float, float]  # WGS-84 (lon, lat)
    area_code: str | None
    matched: str  # e.g. "毓龙街道 › 桥东社区"
    score: float  # 0..1
    unresolved: str = ""  # query text not placed, e.g. "88号"


class Resolution(msgspec.Struct, frozen=True):
    status: Status
    query: str
    normalized: str
    best: Match | None = None  # None unless status == "found"
    candidates: list[Match] = msgspec.field(default_factory=list)


def not_found(query: str, normalized: str = "") -> Resolution:
    return Resolution(status="not_found", query=query, normalized=normalized)


def query_too_long(query: str) -> bool:
    return len(query) > MAX_QUERY_LEN


def kind_rank(kind: str) -> int:
    return _KIND_RANK.get(kind, len(_KIND_RANK))


class _Hit(NamedTuple):
    entry: int
    form: SurfaceForm
    start: int
    end: int


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _uncovered_runs(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    covered = [False] * len(text)
    for s, e in spans:
        for i in range(s, e):
            covered[i] = True
    runs: list[str] = []
    current: list[str] = []
    for ch, c in zip(text, covered, strict=True):
        if c:
            if current:
                runs.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        runs.append("".join(current))
    return runs


def _continues_as_other_name(n: str, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    if end >= len(n) or any(s <= end < e for s, e in spans):
        return False
    return _NAME_TAIL.match(n, end) is not None and _DETAIL.match(n, end) is None


def _describe(entry: Entry, form: SurfaceForm) -> str:
    if form.kind == "alias":
        return f"{entry.name}（别名“{form.display}”）"
    if form.kind == "address":
        return f"{entry.name}（地址“{form.display}”）"
    return entry.name


def _inside(inner: Entry, outer: Entry) -> bool:
    chain = (*outer.parents, outer.name)
    return inner.parents[: len(chain)] == chain


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    # Equirectangular: at a 100 m threshold its error is far below a metre, and it is ~100x
    # cheaper than a geodesic, which matters when many candidates are compared pairwise.
    dx = math.radians(a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    dy = math.radians(a[1] - b[1])
    return 6_371_008.8 * math.hypot(dx, dy) < SAME_PLACE_M


def same_place(a: Entry, b: Entry) -> bool:
    """Nested places (南洋镇 ⊃ 南洋社区) or near-coincident points are one answer, not two."""
    return a.key == b.key or _inside(a, b) or _inside(b, a) or _near(a.point, b.point)


class OfflineGeocoder(Geocoder):  # type: ignore[misc]  # geopy ships no type information
    """A geopy geocoder over the project's own gazetteer; ``resolve`` gives the rich answer.
    `prefixes` and `preamble` are the district's (District.prefixes, District.full_name)."""

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        prefixes: Prefixes = NATIONAL_PREFIXES,
        preamble: str = "",
    ) -> None:
        super().__init__()
        self._prefixes = prefixes
        self._preamble = preamble
        self._entries: list[Entry] = list(entries)
        self._by_key: dict[str, Entry] = {e.key: e for e in self._entries}
        self._forms: dict[str, list[tuple[int, SurfaceForm]]] = {}
        self._all_forms: list[tuple[int, SurfaceForm]] = []
        self._gram_index: dict[str, list[int]] = {}
        for idx, entry in enumerate(self._entries):
            for form in surface_forms(entry, prefixes):
                self._forms.setdefault(form.text, []).append((idx, form))
                for g in _bigrams(form.text):
                    self._gram_index.setdefault(g, []).append(len(self._all_forms))
                self._all_forms.append((idx, form))
        self._max_len = max((len(t) for t in self._forms), default=0)
        # Bigrams weighted by rarity, so "桥东" counts and the "居家养老服务" shared by hundreds of
        # facility names hardly does.
        n_forms = max(1, len(self._all_forms))
        self._idf_unseen = math.log(1 + n_forms)
        self._idf = {g: math.log(1 + n_forms / len(f)) for g, f in self._gram_index.items()}
        self._form_weight = [self._gram_weight(_bigrams(f.text)) for _, f in self._all_forms]

    def _gram_weight(self, grams: Iterable[str]) -> float:
        return sum(self._idf.get(g, self._idf_unseen) for g in grams)

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    # --- the rich interface ----------------------------------------------------------------

    def resolve(self, query: str) -> Resolution:
        if query_too_long(query):
            return not_found(query)
        n = normalize(query, self._prefixes)
        if len(n) < 2:
            return not_found(query, n)
        best: dict[int, Match] = {}
        for idx, match in [*self._exact(n), *self._fuzzy(n)]:
            if idx not in best or match.score > best[idx].score:
                best[idx] = match
        return self._decide(query, n, best)

    def _exact(self, n: str) -> list[tuple[int, Match]]:
        hits = self._scan(n)
        area_hits: dict[str, list[_Hit]] = {}
        for h in hits:
            entry = self._entries[h.entry]
            if entry.kind in AREA_KINDS:
                area_hits.setdefault(entry.name, []).append(h)
        for group in area_hits.values():
            group.sort(key=lambda h: h.start - h.end)  # longest first: 毓龙街道 before 毓龙
        return [(h.entry, self._score_hit(n, h, area_hits)) for h in hits]

    def _scan(self, n: str) -> list[_Hit]:
        hits: list[_Hit] = []
        for i in range(len(n) - 1):
            for j in range(i + 2, min(len(n), i + self._max_len) + 1):
                for idx, form in self._forms.get(n[i:j], ()):
                    hits.append(_Hit(idx, form, i, j))
        return hits

    def _score_hit(self, n: str, hit: _Hit, area_hits: dict[str, list[_Hit]]) -> Match:
        entry = self._entries[hit.entry]
        spans = [(hit.start, hit.end)]
        context: list[str] = []
        for parent in entry.parents:
            for h in area_hits.get(parent, ()):
                if not _overlaps(h.start, h.end, spans):
                    spans.append((h.start, h.end))
                    context.append(parent)
                    break
        runs = _uncovered_runs(n, spans)
        unknown = sum(len(r) for r in runs if not _DETAIL.fullmatch(r))
        detail = sum(len(r) for r in runs) - unknown
        weight = _FORM_WEIGHT[hit.form.kind]
        if hit.form.kind in ("core", "alias") and _continues_as_other_name(n, hit.end, spans):
            weight *= _PART_OF_OTHER_NAME
        score = weight * (1 - (_UNKNOWN_PENALTY * unknown + _DETAIL_PENALTY * detail) / len(n))
        matched = " › ".join([*context, _describe(entry, hit.form)])
        return self._match(entry, score, matched, " ".join(runs))

    def _fuzzy(self, n: str) -> list[tuple[int, Match]]:
        """Near matches of the whole query: partial names ("枯枝牡丹") and partial addresses."""
        grams = _bigrams(n)
        counts: Counter[int] = Counter()
        shared: dict[int, float] = {}
        for g in grams:
            postings = self._gram_index.get(g, ())
            counts.update(postings)
            for fid in postings:
                shared[fid] = shared.get(fid, 0.0) + self._idf[g]
        query_weight = self._gram_weight(grams)
        has_digit = any(ch.isdigit() for ch in n)
        out: list[tuple[int, Match]] = []
        for fid, common in counts.items():
            idx, form = self._all_forms[fid]
            entry = self._entries[idx]
            if form.kind == "address":
                # Addresses are typed partially ("大庆中路12号" for "…五星街道大庆中路12号"), and
                # containing the house number is what makes one better than the bare road.
                if n not in form.text:
                    continue
                score = _FORM_WEIGHT["address"] if has_digit else _ADDRESS_PARTIAL
                out.append((idx, self._match(entry, score, _describe(entry, form), "")))
                continue
            # Dice coefficient over rarity-weighted bigrams.
            score = _FUZZY_WEIGHT * 2 * shared[fid] / (query_weight + self._form_weight[fid])
            if score >= MIN_SCORE and common >= _FUZZY_MIN_COMMON and form.text != n:
                matched = f"{entry.name}（近似“{form.display}”）"
                out.append((idx, self._match(entry, score, matched, "")))
        return out

    @staticmethod
    def _match(entry: Entry, score: float, matched: str, unresolved: str) -> Match:
        return Match(
            key=entry.key,
            name=entry.name,
            kind=entry.kind,
            point=entry.point,
            area_code=entry.area_code,
            matched=matched,
            score=round(max(0.0, min(1.0, score)), 4),
            unresolved=unresolved,
        )

    def _decide(self, query: str, n: str, best: dict[int, Match]) -> Resolution:
        ranked = sorted(
            ((idx, m) for idx, m in best.items() if m.score >= MIN_SCORE),
            key=lambda im: (-im[1].score, kind_rank(im[1].kind), im[1].key),
        )
        if not ranked:
            return not_found(query, n)
        top_score = ranked[0][1].score
        plausible: list[tuple[int, Match]] = []
        for idx, m in ranked[:_MAX_SCAN]:
            if m.score < top_score - CANDIDATE_WINDOW or len(plausible) >= MAX_CANDIDATES:
                break
            entry = self._entries[idx]
            if not any(same_place(entry, self._entries[p]) for p, _ in plausible):
                plausible.append((idx, m))
        candidates = [m for _, m in plausible]
        if any(m.score >= top_score - AMBIGUITY_MARGIN for m in candidates[1:]):
            return Resolution("ambiguous", query, n, None, candidates)
        return Resolution("found", query, n, candidates[0], candidates)

    # --- geopy's interface -----------------------------------------------------------------

    def geocode(
        self, query: str, *, exactly_one: bool = True, timeout: float | None = None
    ) -> Location | list[Location] | None:
        """geopy semantics: None when nothing matches; for an ambiguous query the top-ranked
        candidate (as online services do), the full ranking with ``exactly_one=False``."""
        del timeout  # offline: nothing to wait for
        resolution = self.resolve(str(query))
        if resolution.status == "not_found":
            return None
        locations = [self._location(m) for m in resolution.candidates]
        return locations[0] if exactly_one else locations

    def _location(self, match: Match) -> Location:
        entry = self._by_key[match.key]
        latlon = LonLat(*match.point).latlon()
        return Location(display_address(entry, self._preamble), latlon, msgspec.to_builtins(match))
