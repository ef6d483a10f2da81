"""base58btc multibase and ``did:key`` for Ed25519 public keys.

A ``did:key`` names a key by the key itself (``did:key:z6Mk…`` is base58btc of the multicodec
prefix ``0xed01`` followed by the 32-byte public key), so a verifier needs nothing but the
identifier to check a signature. Private keys use the multicodec prefix ``0x8026``.
"""

from __future__ import annotations

from gaio.errors import InvalidInput

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
"""The Bitcoin base58 alphabet (no 0, O, I or l)."""
ED25519_PUB = bytes([0xED, 0x01])
"""Multicodec varint of ``ed25519-pub``."""
ED25519_PRIV = bytes([0x80, 0x26])
"""Multicodec varint of ``ed25519-priv``."""
BASE58BTC = "z"
"""Multibase prefix of base58btc."""

MAX_BASE58 = 128
"""Longest base58 text :func:`b58decode` reads: a signature is at most 88 characters and a
key 48. Decoding is quadratic in the length, so the bound is checked before any work."""

_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(ALPHABET[rem])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str, *, max_chars: int = MAX_BASE58) -> bytes:
    """The bytes of base58 ``text``; refuses text longer than ``max_chars`` unread."""
    if len(text) > max_chars:
        raise InvalidInput(
            f"base58 text of {len(text)} characters is longer than the {max_chars} expected"
        )
    number = 0
    for i, char in enumerate(text):
        if char not in _INDEX:
            raise InvalidInput(f"not base58: {char!r} at position {i}")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def decode_multibase(text: str, what: str) -> bytes:
    if not text.startswith(BASE58BTC):
        raise InvalidInput(
            f"{what}: expected base58btc multibase (starting with 'z'), got {text!r}"
        )
    return b58decode(text[1:])


def public_key_multibase(public_key: bytes) -> str:
    """``z6Mk…``: the multibase form of an Ed25519 public key."""
    return BASE58BTC + b58encode(ED25519_PUB + public_key)


def private_key_multibase(seed: bytes) -> str:
    return BASE58BTC + b58encode(ED25519_PRIV + seed)


def did_key(public_key: bytes) -> str:
    return "did:key:" + public_key_multibase(public_key)


def verification_method(public_key: bytes) -> str:
    """``did:key:z6Mk…#z6Mk…``, the verification method of a did:key."""
    mb = public_key_multibase(public_key)
    return f"did:key:{mb}#{mb}"


def _typed(raw: bytes, prefix: bytes, what: str) -> bytes:
    if raw[:2] != prefix or len(raw) != 34:
        raise InvalidInput(f"{what}: not a multicodec Ed25519 key (prefix {raw[:2].hex()!r})")
    return raw[2:]


def parse_public_key(text: str) -> bytes:
    """The raw Ed25519 public key from ``did:key:z6Mk…`` (with or without ``#…``) or ``z6Mk…``."""
    value = text.strip()
    if value.startswith("did:key:"):
        value = value.removeprefix("did:key:").split("#", 1)[0]
    return _typed(decode_multibase(value, "public key"), ED25519_PUB, "public key")


def parse_private_key(text: str) -> bytes:
    """The 32-byte Ed25519 seed from its multibase form (``z3u2…``)."""
    return _typed(decode_multibase(text.strip(), "private key"), ED25519_PRIV, "private key")
