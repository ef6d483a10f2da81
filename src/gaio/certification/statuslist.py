"""W3C Bitstring Status List v1.0: revocation and suspension of credentials.

A status list is a bitstring (bit 0 is the left-most bit of the first byte), GZIP-compressed and
encoded as base64url multibase (prefix ``u``), published inside a signed
``BitstringStatusListCredential``. A credential points at one bit of a list per purpose with a
``BitstringStatusListEntry``; bit set means revoked (or suspended).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable
from typing import Any, Literal

from gaio.errors import InvalidInput

LIST_BITS = 131_072
"""Minimum list length the spec recommends (16 KiB), so one index does not identify a holder."""
Purpose = Literal["revocation", "suspension"]
PURPOSES: tuple[Purpose, ...] = ("revocation", "suspension")
VC_V2 = "https://www.w3.org/ns/credentials/v2"
_MAX_DECODED = 16 * 1024 * 1024
_MAX_ENCODED = 1_000_000
TTL = 24 * 3600
"""Seconds a published list is valid for (its ``validUntil``): a verifier refuses an older
copy, so a list saved before a revocation cannot be replayed to hide it for long."""


def encode(indexes: Iterable[int], length: int = LIST_BITS) -> str:
    """The ``encodedList`` of a bitstring of ``length`` bits with ``indexes`` set."""
    bits = bytearray(length // 8)
    for index in indexes:
        if not 0 <= index < length:
            raise InvalidInput(f"status index {index} is outside the list (0..{length - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The bitstring of an ``encodedList`` (refuses anything malformed or oversized)."""
    if not encoded.startswith("u"):
        raise InvalidInput("encodedList: expected base64url multibase (starting with 'u')")
    if len(encoded) > _MAX_ENCODED:
        raise InvalidInput(f"encodedList: {len(encoded)} characters, at most {_MAX_ENCODED}")
    body = encoded[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = zlib.decompressobj(wbits=31).decompress(packed, _MAX_DECODED)
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise InvalidInput(f"encodedList: not GZIP in base64url ({exc})") from None
    return data


def bit(bitstring: bytes, index: int) -> bool:
    if not 0 <= index < len(bitstring) * 8:
        raise InvalidInput(f"status index {index} is outside the list of {len(bitstring) * 8} bits")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, purpose: Purpose, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` entry pointing at bit ``index`` of the list at ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(
    list_url: str,
    purpose: Purpose,
    issuer: str,
    valid_from: str,
    indexes: Iterable[int],
    valid_until: str | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` with ``indexes`` set."""
    dates = {"validFrom": valid_from} | ({"validUntil": valid_until} if valid_until else {})
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        **dates,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(indexes),
        },
    }
