"""The credential issuer's Ed25519 key, separate from the ledger's, in ``GAIO_HOME/keys``.

The file holds the private key as multibase (``z3u2…``, multicodec ``ed25519-priv``) and is
created owner-only (0600, directory 0700); a key others can read is refused. The issuer is
named by ``did:key``, so a verifier needs only the public key.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gaio.certification import multibase
from gaio.config import Settings
from gaio.errors import ConfigurationError, IntegrityError


@dataclass(frozen=True)
class IssuerKey:
    private: Ed25519PrivateKey
    public: bytes

    @property
    def did(self) -> str:
        return multibase.did_key(self.public)

    @property
    def verification_method(self) -> str:
        return multibase.verification_method(self.public)

    @property
    def public_multibase(self) -> str:
        return multibase.public_key_multibase(self.public)

    @classmethod
    def from_seed(cls, seed: bytes) -> IssuerKey:
        private = Ed25519PrivateKey.from_private_bytes(seed)
        return cls(private, private.public_key().public_bytes_raw())


def issuer_key_path(settings: Settings) -> Path:
    return settings.home / "keys" / "credentials.key"


def ensure_issuer_key(settings: Settings) -> IssuerKey:
    """Create the issuer key if it is missing (what ``gaio init`` calls); return it."""
    path = issuer_key_path(settings)
    if path.exists():
        return load_issuer_key(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return load_issuer_key(settings)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(multibase.private_key_multibase(seed) + "\n")
    return IssuerKey.from_seed(seed)


def load_issuer_key(settings: Settings) -> IssuerKey:
    path = issuer_key_path(settings)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigurationError(
            f"no credential issuer key at {path}: run 'gaio init' to create one"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise IntegrityError(
            f"the credential issuer key {path} is readable by others "
            f"(mode {stat.S_IMODE(mode):o}); run 'chmod 600' on it"
        )
    return IssuerKey.from_seed(multibase.parse_private_key(path.read_text(encoding="ascii")))
