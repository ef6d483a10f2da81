"""The issuer keys a verifier trusts, and the period each may sign in.

A key comes from one of three places: a bare public key the user gives (``--key z6Mk…``,
trusted for whichever issuer's proof names it), an issuer's published DID document (each
verification method with its controller and validity period), or the server's own list. A
proof is accepted only from a trusted key whose controller is the credential's issuer, and,
when the key's validity period is known, only if it was made inside that period: a key retired
by a rotation still verifies what it signed before, and nothing after.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from gaio.certification import multibase
from gaio.clock import utc_text
from gaio.errors import InvalidInput


@dataclass(frozen=True)
class TrustedKey:
    """An Ed25519 public key a verifier accepts for an issuer."""

    public: bytes
    issuer: str | None = None
    """The issuer (DID) the key speaks for; ``None`` for a bare key given by the user, which
    speaks for any issuer whose proof names exactly this key."""
    method: str | None = None
    """The verification method id (``<issuer>#<key>``), when known."""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    """When the key was retired (a rotation); ``None`` while it is current."""

    @classmethod
    def bare(cls, public: bytes) -> TrustedKey:
        if len(public) != 32:
            raise InvalidInput(f"an Ed25519 public key has 32 bytes, not {len(public)}")
        return cls(public)

    @property
    def multibase(self) -> str:
        return multibase.public_key_multibase(self.public)

    def names(self, method: str) -> bool:
        """Whether a proof's ``verificationMethod`` designates this key."""
        if self.method is not None:
            return method == self.method
        controller, _, fragment = method.partition("#")
        if fragment != self.multibase:
            return False
        return not controller.startswith("did:key:") or controller == f"did:key:{self.multibase}"

    def speaks_for(self, issuer: str, method: str) -> bool:
        """Whether the key may sign for ``issuer`` with ``method``."""
        controller = method.partition("#")[0]
        if controller != issuer:
            return False
        return self.issuer is None or self.issuer == issuer

    def covers(self, when: datetime) -> bool:
        if self.valid_from is not None and when < self.valid_from:
            return False
        return self.valid_until is None or when <= self.valid_until

    def period(self) -> str:
        start = utc_text(self.valid_from, seconds=True) if self.valid_from else "the start"
        end = utc_text(self.valid_until, seconds=True) if self.valid_until else "now"
        return f"{start} to {end}"


def keys_for(trust: Iterable[TrustedKey], method: str) -> list[TrustedKey]:
    return [k for k in trust if k.names(method)]


def as_trust(keys: bytes | TrustedKey | Sequence[TrustedKey]) -> list[TrustedKey]:
    """Accept one raw key, one trusted key, or several."""
    if isinstance(keys, bytes):
        return [TrustedKey.bare(keys)]
    if isinstance(keys, TrustedKey):
        return [keys]
    return list(keys)


def describe(trust: Sequence[TrustedKey]) -> str:
    names = [k.method or f"did:key:{k.multibase}" for k in trust[:4]]
    more = f" and {len(trust) - 4} more" if len(trust) > 4 else ""
    return ", ".join(names) + more if names else "none"
