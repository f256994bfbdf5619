"""National identifier checks: resident ID numbers (GB 11643-1999) and unified social credit codes
(GB 32100-2015). Both end in a check character; a typo almost always breaks it."""

from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# str.isdigit and int() take any Unicode digit (full-width "１", superscript "²"); an identifier's
# digits are ASCII only, so the shape is checked by an ASCII-only pattern before anything is parsed.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _normalised(value: str) -> str | None:
    """The value trimmed and upper-cased, or None if it holds anything but ASCII. Checked first:
    Unicode upper-casing can turn one character into two ("ﬀ" -> "FF") and change the length."""
    return value.strip().upper() if value.isascii() else None


def id_number_problem(value: str) -> str | None:
    """Why `value` is not a valid 18-character resident ID number, or None if it is."""
    v = _normalised(value)
    if v is None:
        return "characters"
    if len(v) != 18:
        return "length"
    if _ID_SHAPE.fullmatch(v) is None:
        return "characters"
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "birth_date"
    if id_check_char(v[:17]) != v[17]:
        return "checksum"
    return None


def birth_date_from_id(value: str) -> dt.date:
    """The birth date of an ID number that id_number_problem accepted."""
    v = value.strip()
    return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value: str) -> str | None:
    """Why `value` is not a valid unified social credit code, or None if it is."""
    v = _normalised(value)
    if v is None:
        return "characters"
    if len(v) != 18:
        return "length"
    if any(c not in USCC_ALPHABET for c in v):
        return "characters"
    if uscc_check_char(v[:17]) != v[17]:
        return "checksum"
    return None
