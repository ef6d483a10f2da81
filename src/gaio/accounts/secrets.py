"""Passwords and bearer secrets: only their hashes are ever stored.

Passwords are hashed with argon2id (argon2-cffi's defaults). API tokens and session ids are
long random secrets, so a fast SHA-256 is the right hash for them: it cannot be brute-forced
and keeps every authenticated request cheap.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gaio.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_PASSWORD = 12
TOKEN_PREFIX = "gaio_"  # noqa: S105 - a public prefix, not a secret
SESSION_PREFIX = "gs_"


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters are required")
    if len(password) > 1024:
        raise InvalidInput("password: at most 1024 characters")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so a missing user costs the
    same time as a wrong password (no user enumeration by timing)."""
    return _HASHER.hash("gaio-dummy-password-for-timing")


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
