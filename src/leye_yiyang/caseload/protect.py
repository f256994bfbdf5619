"""Protecting a resident's identifiers at rest and in answers.

Sealed values are AES-256-GCM (authenticated: a changed byte fails to open) with a fresh 96-bit
nonce each time, written as `v1.<key id>.<base64url(nonce + ciphertext)>`, so keys can rotate:
new values are sealed with the active key, old ones still open with theirs. A keyed hash
(HMAC-SHA256 under a separate lookup key) finds a resident by ID number without decrypting every
row; it never changes with data-key rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# The demo's keys: public on purpose, accepted only when the deployment says it is the demo.
DEMO_KEYS = "demo:" + base64.urlsafe_b64encode(b"leye-yiyang demo data key 32 by!").decode()
DEMO_LOOKUP_KEY = base64.urlsafe_b64encode(b"leye-yiyang demo lookup key 32b!").decode()


class ProtectionError(ValueError):
    """A key setting that cannot be used; the message names the setting, never the key."""


def _key_bytes(text: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (ValueError, TypeError):
        raise ProtectionError(f"{name}: not base64") from None
    if len(raw) != 32:
        raise ProtectionError(f"{name}: a key must be 32 bytes (256 bits), got {len(raw)}")
    return raw


class Keyring:
    """Data keys by id (the first is the active one) and the lookup key."""

    def __init__(self, data_keys: str, lookup_key: str) -> None:
        keys: dict[str, AESGCM] = {}
        active: str | None = None
        for item in (p.strip() for p in data_keys.split(",") if p.strip()):
            kid, sep, text = item.partition(":")
            if not sep or not _KID.match(kid):
                raise ProtectionError("LEYE_DATA_KEYS: each entry is <key id>:<base64 32-byte key>")
            if kid in keys:
                raise ProtectionError(f"LEYE_DATA_KEYS: key id {kid!r} given twice")
            keys[kid] = AESGCM(_key_bytes(text, f"LEYE_DATA_KEYS[{kid}]"))
            active = active or kid
        if active is None:
            raise ProtectionError("LEYE_DATA_KEYS: no key given")
        self._keys = keys
        self.active = active
        self._lookup = _key_bytes(lookup_key, "LEYE_LOOKUP_KEY")

    def seal(self, plaintext: str, context: str) -> str:
        """`context` (e.g. "resident.id_number") is bound as associated data, so a sealed value
        cannot be moved to another column and still open."""
        nonce = os.urandom(12)
        sealed = self._keys[self.active].encrypt(nonce, plaintext.encode(), context.encode())
        return f"v1.{self.active}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, context: str) -> str:
        version, _, rest = token.partition(".")
        kid, _, body = rest.partition(".")
        if version != "v1" or kid not in self._keys:
            raise ProtectionError(f"sealed value under unknown key {kid!r}")
        raw = base64.urlsafe_b64decode(body)
        try:
            return self._keys[kid].decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag:
            raise ProtectionError("sealed value failed authentication") from None

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self._lookup, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """320902**********3X: the region (public) and the last two; never the birth date."""
    v = value.strip().upper()
    return v[:6] + "*" * (len(v) - 8) + v[-2:] if len(v) > 8 else "*" * len(v)


def mask_phone(value: str) -> str:
    """138****5678 for a mobile; a landline keeps its area code and last four."""
    digits = value.strip()
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    head, sep, tail = digits.partition("-")
    if sep:
        return head + "-" + "*" * max(0, len(tail) - 4) + tail[-4:]
    return "*" * max(0, len(digits) - 4) + digits[-4:]
