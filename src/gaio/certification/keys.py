"""Credential issuer keys: one Ed25519 key per certification body, in ``GAIO_HOME/keys``.

A body's keys live in ``keys/issuers/<org>/<z6Mk…>.key``, one file per key named by its public
key, so a rotation adds a file and the database says which key is current. Each file holds the
private key as multibase (``z3u2…``, multicodec ``ed25519-priv``), created owner-only (0600,
directories 0700); a key file others can read is refused. Installations from before per-body
keys also have ``keys/credentials.key``, the single *legacy* issuer key named by ``did:key``: it
is kept to verify and publish the status of the certificates it signed, and signs nothing else.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gaio.certification import multibase
from gaio.errors import ConfigurationError, IntegrityError, InvalidInput

_ORG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


@dataclass(frozen=True)
class IssuerKey:
    private: Ed25519PrivateKey
    public: bytes

    @property
    def did(self) -> str:
        """The key's own ``did:key`` (the issuer id of legacy certificates)."""
        return multibase.did_key(self.public)

    @property
    def verification_method(self) -> str:
        return multibase.verification_method(self.public)

    @property
    def public_multibase(self) -> str:
        return multibase.public_key_multibase(self.public)

    def method_for(self, issuer: str) -> str:
        """The verification method id of this key under ``issuer``."""
        return f"{issuer}#{self.public_multibase}"

    @property
    def seed(self) -> bytes:
        return self.private.private_bytes_raw()

    @classmethod
    def from_seed(cls, seed: bytes) -> IssuerKey:
        private = Ed25519PrivateKey.from_private_bytes(seed)
        return cls(private, private.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> IssuerKey:
        return cls.from_seed(Ed25519PrivateKey.generate().private_bytes_raw())


def keys_dir(home: Path) -> Path:
    return home / "keys"


def legacy_key_path(home: Path) -> Path:
    return keys_dir(home) / "credentials.key"


def org_key_dir(home: Path, org: str) -> Path:
    if not _ORG.fullmatch(org):
        raise InvalidInput(f"organisation id {org!r}: lower-case letters, digits and '-'")
    return keys_dir(home) / "issuers" / org


def org_key_path(home: Path, org: str, public_multibase: str) -> Path:
    if not re.fullmatch(r"z[1-9A-HJ-NP-Za-km-z]{40,60}", public_multibase):
        raise InvalidInput(f"{public_multibase!r} is not a multibase public key")
    return org_key_dir(home, org) / f"{public_multibase}.key"


def _private_dirs(path: Path, home: Path) -> None:
    """Create the directories down to ``path`` owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    top = keys_dir(home)
    current = path
    while True:
        os.chmod(current, 0o700)
        if current == top or current.parent == current:
            break
        current = current.parent


def write_key_file(path: Path, home: Path, key: IssuerKey) -> None:
    """Write ``key`` to a new owner-only file (never over an existing one)."""
    _private_dirs(path.parent, home)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(multibase.private_key_multibase(key.seed) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_key_file(path: Path, what: str) -> IssuerKey:
    """Load a key file; refuse one that others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigurationError(
            f"no {what} at {path}: restore it with 'gaio keys import', or rotate to a new key "
            "with 'gaio keys rotate issuer ORG'"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise IntegrityError(
            f"the {what} {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
            "run 'chmod 600' on it"
        )
    return IssuerKey.from_seed(multibase.parse_private_key(path.read_text(encoding="ascii")))


def load_legacy_key(home: Path) -> IssuerKey | None:
    """The legacy single issuer key, if this installation has one."""
    path = legacy_key_path(home)
    if not path.exists():
        return None
    return read_key_file(path, "legacy credential issuer key")
