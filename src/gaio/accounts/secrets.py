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
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gaio.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_PASSWORD = 12
TOKEN_PREFIX = "gaio_"  # noqa: S105 - a public prefix, not a secret
SESSION_PREFIX = "gs_"


MIN_SCORE = 3
"""zxcvbn's scale: 0 too guessable … 4 very unguessable; 3 resists an offline attack on a
slow hash for a long while (about 10^8 guesses and up)."""
SCORED = 72
"""Only the first characters are scored: zxcvbn's matching grows faster than linearly, and a
password this long is not short of guesses anyway (and zxcvbn refuses more than 72)."""


def check_password_policy(password: str, *, context: Sequence[str] = ()) -> None:
    """Refuse short, common and trivial passwords with one clear line.

    At least :data:`MIN_PASSWORD` characters, and a zxcvbn score of at least
    :data:`MIN_SCORE`. zxcvbn (Dropbox's estimator, the ``zxcvbn`` package, MIT) ships its
    lists of common passwords, names and words as data and spots keyboard walks, repeats,
    sequences, dates and l33t; ``context`` adds words of the account itself (login name,
    organisation) that an attacker would try first.
    """
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password: at least {MIN_PASSWORD} characters are required")
    if len(password) > 1024:
        raise InvalidInput("password: at most 1024 characters")
    from zxcvbn import zxcvbn

    words = [w for w in context if w]
    result = zxcvbn(password[:SCORED], user_inputs=words)
    if int(result["score"]) >= MIN_SCORE:
        return
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "").strip().rstrip(".")
    reason = warning[:1].lower() + warning[1:] if warning else "it is easy to guess"
    raise InvalidInput(
        f"password: too easy to guess ({reason}); use a longer phrase of several unrelated "
        "words, or a password manager's random password"
    )


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
