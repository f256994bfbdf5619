"""The offline gazetteer: every name the project knows, with one WGS-84 point each, and the text
normalisation that both the gazetteer and incoming queries go through.

Matching is only as good as the agreement between how names are stored and how people type them,
so stored names and queries pass through the *same* ``normalize``; anything clever (suffixes,
aliases, parents) is expressed as extra surface forms of an entry rather than as special cases in
the matcher.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import msgspec
from shapely.geometry import shape

Kind = Literal[
    "subdistrict", "town", "community", "village", "road", "estate", "landmark", "facility"
]
FormKind = Literal["name", "core", "alias", "address"]

AREA_KINDS: frozenset[str] = frozenset({"subdistrict", "town", "community", "village"})
# The district's own preamble (江苏省, 盐城, 亭湖区 ...) comes from its district.json
# (District.prefixes, longest first: "亭湖区" must win over "亭湖"); only the country is fixed.
NATIONAL_PREFIXES = ("中华人民共和国", "中国")
Prefixes = tuple[str, ...]
# Official and colloquial names of the same committee; folding them lets "桥东居委会" and
# "利民村村委会" meet the gazetteer's "桥东社区" / "利民村".
_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:社区)?(?:居民委员会|居委会)"), "社区"),
    (re.compile(r"村?(?:村民委员会|村委会)"), "村"),
)
# A few traditional forms that survive NFKC and turn up in pasted text.
_CHAR_VARIANTS = str.maketrans({"號": "号", "區": "区", "鎮": "镇", "門": "门"})
# Suffixes a speaker may drop: "五星" for 五星街道, "利民" for 利民村.
_AREA_SUFFIXES = ("街道", "社区", "镇", "乡", "村")
_MIN_NAME_LEN = 2


class Entry(msgspec.Struct, frozen=True):
    key: str
    name: str
    kind: Kind
    point: tuple[float, float]  # WGS-84 (lon, lat)
    area_code: str | None = None
    parents: tuple[str, ...] = ()  # outermost first, e.g. ("毓龙街道", "桥东社区")
    aliases: tuple[str, ...] = ()
    address: str = ""


class SurfaceForm(msgspec.Struct, frozen=True):
    """One normalised string that names an entry, and how it names it."""

    text: str
    kind: FormKind
    display: str  # the original spelling, for explaining a match


def _normalize_once(text: str, prefixes: Prefixes) -> str:
    s = unicodedata.normalize("NFKC", text).casefold()
    s = unicodedata.normalize("NFKC", s).translate(_CHAR_VARIANTS)
    # Spaces, punctuation, symbols and control characters carry no place information.
    s = "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PSZC")
    for pattern, repl in _VARIANTS:
        s = pattern.sub(repl, s)
    return _strip_prefixes(s, prefixes)


def _strip_prefixes(s: str, prefixes: Prefixes) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            rest = len(s) - len(prefix)
            # Never leave a single character: "盐城站" must not become "站". Stripping to nothing
            # is fine, a query that was only "盐城市亭湖区" names nothing we can point at.
            if s.startswith(prefix) and (rest == 0 or rest >= _MIN_NAME_LEN):
                s = s[len(prefix) :]
                changed = True
                break
    return s


def normalize(text: str, prefixes: Prefixes = NATIONAL_PREFIXES) -> str:
    """Canonical matching form: NFKC, case-folded, no spaces or punctuation, committee names
    folded, and the preamble removed: 中国 and the district's `prefixes` (longest first, as
    District.prefixes gives them, e.g. 江苏省/盐城市/亭湖区)."""
    s = text
    # Iterate to a fixed point so normalize is idempotent even where NFKC and casefold interact.
    for _ in range(4):
        nxt = _normalize_once(s, prefixes)
        if nxt == s:
            break
        s = nxt
    return s


def core_name(normalized: str) -> str | None:
    """The name without its administrative suffix ("五星街道" → "五星"), or None if it has none.

    "万户新村" keeps its 村: 新村 is the estate word, not a village suffix.
    """
    for suffix in _AREA_SUFFIXES:
        if not normalized.endswith(suffix):
            continue
        if suffix == "村" and normalized.endswith("新村"):
            return None
        core = normalized[: -len(suffix)]
        return core if len(core) >= _MIN_NAME_LEN else None
    return None


def surface_forms(entry: Entry, prefixes: Prefixes = NATIONAL_PREFIXES) -> list[SurfaceForm]:
    """Every normalised string that should find ``entry``, strongest kind of match first."""
    forms: list[SurfaceForm] = []
    seen: set[str] = set()

    def add(raw: str, kind: FormKind, text: str | None = None) -> None:
        t = normalize(raw, prefixes) if text is None else text
        if len(t) >= _MIN_NAME_LEN and t not in seen:
            seen.add(t)
            forms.append(SurfaceForm(t, kind, raw))

    add(entry.name, "name")
    if entry.kind in AREA_KINDS:
        core = core_name(normalize(entry.name, prefixes))
        if core is not None:
            add(entry.name, "core", core)
    for alias in entry.aliases:
        add(alias, "alias")
    if entry.address:
        add(entry.address, "address")
    return forms


def display_address(entry: Entry, preamble: str = "") -> str:
    """A full postal-style address, as an online geocoder would print it; `preamble` is the
    district's (District.full_name, 江苏省盐城市亭湖区)."""
    if entry.address:
        return entry.address
    chain = "".join(p for p in entry.parents if p)
    return f"{preamble}{chain}{entry.name}"


# --- builders ------------------------------------------------------------------------------------

# Parsed JSON, or a msgspec Struct such as leye_yiyang.geojson.FeatureCollection.
GeoJSONInput = Mapping[str, Any] | msgspec.Struct


def _features(fc: GeoJSONInput) -> list[dict[str, Any]]:
    data: Any = fc if isinstance(fc, Mapping) else msgspec.to_builtins(fc)
    return list(data.get("features") or [])


def _props(feature: Mapping[str, Any]) -> dict[str, Any]:
    return dict(feature.get("properties") or {})


def _area_kind(level: str) -> Kind:
    kinds: dict[str, Kind] = {
        "subdistrict": "subdistrict",
        "street": "subdistrict",
        "town": "town",
        "township": "town",
        "community": "community",
        "village": "village",
    }
    if level not in kinds:
        raise ValueError(f"unknown area level {level!r}")
    return kinds[level]


def _lonlat(geom: Any) -> tuple[float, float]:
    # representative_point, not centroid: a centroid can fall outside a concave polygon.
    p = shape(geom).representative_point()
    return (float(p.x), float(p.y))


def _chain(
    code: str | None, names: Mapping[str, str], parent_of: Mapping[str, str]
) -> tuple[str, ...]:
    """Names of ``code`` and its known ancestors, outermost first."""
    out: list[str] = []
    seen: set[str] = set()
    while code is not None and code in names and code not in seen:
        seen.add(code)
        out.append(names[code])
        code = parent_of.get(code)
    return tuple(reversed(out))


def entries_from_geojson(
    subdistricts_fc: GeoJSONInput, communities_fc: GeoJSONInput, places_fc: GeoJSONInput
) -> list[Entry]:
    """Areas (at their representative point, parents from ``parent_code``) and named places
    (parents from the area they lie in)."""
    area_features = _features(subdistricts_fc) + _features(communities_fc)
    names: dict[str, str] = {}
    parent_of: dict[str, str] = {}
    for f in area_features:
        p = _props(f)
        names[str(p["code"])] = str(p["name"])
        if p.get("parent_code"):
            parent_of[str(p["code"])] = str(p["parent_code"])

    entries: list[Entry] = []
    for f in area_features:
        p = _props(f)
        code = str(p["code"])
        entries.append(
            Entry(
                key=f"area:{code}",
                name=str(p["name"]),
                kind=_area_kind(str(p["level"])),
                point=_lonlat(f["geometry"]),
                area_code=code,
                parents=_chain(parent_of.get(code), names, parent_of),
            )
        )
    entries.extend(_place_entries(_features(places_fc), names, parent_of))
    return entries


def _place_entries(
    features: Sequence[Mapping[str, Any]], names: Mapping[str, str], parent_of: Mapping[str, str]
) -> list[Entry]:
    props = [_props(f) for f in features]
    counts: dict[str, int] = {}
    for p in props:
        counts[str(p["name"])] = counts.get(str(p["name"]), 0) + 1
    out: list[Entry] = []
    for f, p in zip(features, props, strict=True):
        name = str(p["name"])
        area = str(p["area_code"]) if p.get("area_code") else None
        # Keys must stay stable across rebuilds; a repeated name is told apart by its area.
        key = f"place:{name}" if counts[name] == 1 else f"place:{name}@{area}"
        coords = f["geometry"]["coordinates"]
        out.append(
            Entry(
                key=key,
                name=name,
                kind=_place_kind(str(p.get("kind", "landmark"))),
                point=(float(coords[0]), float(coords[1])),
                area_code=area,
                parents=_chain(area, names, parent_of),
                aliases=tuple(str(a) for a in p.get("aliases") or ()),
            )
        )
    return out


def _place_kind(kind: str) -> Kind:
    if kind == "road":
        return "road"
    if kind == "estate":
        return "estate"
    return "landmark"


def facility_entry(
    id: int | str,
    name: str,
    address: str,
    lon: float,
    lat: float,
    area_code: str | None,
    parents: Sequence[str],
) -> Entry:
    return Entry(
        key=f"facility:{id}",
        name=name,
        kind="facility",
        point=(float(lon), float(lat)),
        area_code=area_code,
        parents=tuple(parents),
        address=address,
    )
