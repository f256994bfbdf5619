"""The district the project serves, as data: `district.json` in the geography folder
(`LEYE_GEO_DIR`), beside the GeoJSON layers. Nothing about a particular district (its name, code,
the address preamble people type, the service-region buffer) lives in the code.

Pure: decoding and checking one small file, no framework, no database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import msgspec

DISTRICT_FILE = "district.json"
_CODE6 = r"^[1-9][0-9]{5}$"
# The administrative suffixes a short form drops: 盐城市 → 盐城, 亭湖区 → 亭湖.
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|省|市|区|县|旗|盟)$")
NATIONAL_PREFIXES = ("中华人民共和国", "中国")


class DistrictFileError(ValueError):
    """district.json is missing or wrong; the message names the file and the field."""


class District(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    # 6-digit administrative division code (GB/T 2260), e.g. "320902"; the district feature's code.
    code: Annotated[str, msgspec.Meta(pattern=_CODE6)]
    name_zh: Annotated[str, msgspec.Meta(min_length=2)]  # 亭湖区
    name_en: Annotated[str, msgspec.Meta(min_length=2)]  # Tinghu District
    province: Annotated[str, msgspec.Meta(min_length=2)]  # 江苏省
    city: Annotated[str, msgspec.Meta(min_length=2)]  # 盐城市
    # The preamble the geocoder strips from queries and names ("江苏省", "盐城", "亭湖区" ...);
    # empty: the province, city and district names and their short forms.
    address_prefixes: tuple[str, ...] = ()
    # How far beyond the boundary a point is still served (a resident just across the line).
    service_buffer_m: Annotated[float, msgspec.Meta(ge=0, le=50_000)] = 2000.0
    coverage_total_label: Annotated[str, msgspec.Meta(min_length=1)] = "合计 total"
    # Seed of the modelled resident points coverage is computed on (fixed: stable figures).
    resident_seed: Annotated[int, msgspec.Meta(ge=0)] = 0

    @property
    def full_name(self) -> str:
        """The postal preamble an online service needs: 江苏省盐城市亭湖区."""
        return f"{self.province}{self.city}{self.name_zh}"

    @property
    def local_names(self) -> tuple[str, ...]:
        """Province, city and district names, full and short ("盐城市", "盐城" ...)."""
        names: list[str] = []
        for full in (self.province, self.city, self.name_zh):
            short = _SUFFIX.sub("", full)
            names.append(full)
            if short != full and len(short) >= 2:
                names.append(short)
        return tuple(dict.fromkeys(names))

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Everything the geocoder strips from the front of a query, longest first."""
        chosen = self.address_prefixes or self.local_names
        # A stable sort: equal lengths keep the file's order, so the tuple is the same every run.
        return tuple(sorted(dict.fromkeys((*chosen, *NATIONAL_PREFIXES)), key=len, reverse=True))

    @property
    def markers(self) -> tuple[str, ...]:
        """Short city and district names: a query holding one already says where it is."""
        return tuple(
            short for full in (self.city, self.name_zh) if len(short := _SUFFIX.sub("", full)) >= 2
        )


def decode_district(raw: bytes, source: str = DISTRICT_FILE) -> District:
    try:
        return msgspec.json.decode(raw, type=District)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError: it names the field
        raise DistrictFileError(f"{source}: {exc}") from None


def read_district(geo_dir: Path) -> District:
    path = Path(geo_dir) / DISTRICT_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DistrictFileError(f"{path}: cannot be read ({exc.strerror})") from None
    return decode_district(raw, str(path))
