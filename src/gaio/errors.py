"""One error hierarchy for all of gaio.

Every error a user can cause or act on is a :class:`GaioError`. Faces translate them in one place:
the CLI prints ``error: <message>`` and exits with :attr:`GaioError.exit_code`; the API returns
the JSON envelope with :attr:`GaioError.status` and :attr:`GaioError.code`. Foreign exceptions are
wrapped with ``raise ... from exc`` so no internal message reaches a user by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of an input: where (a dotted path), what, and the value seen."""

    path: str
    message: str


class GaioError(Exception):
    """Base of every error gaio raises on purpose. The message is meant for the user."""

    code = "error"
    status = 500
    exit_code = 1

    def __init__(self, message: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: list[FieldError] = list(errors or [])

    def __str__(self) -> str:
        return self.message


class InvalidInput(GaioError):
    """The input is malformed or breaks a rule: the user must change it (CLI exit 2, HTTP 422)."""

    code = "invalid_input"
    status = 422
    exit_code = 2


class NotFound(GaioError):
    """A named record does not exist (or the actor may not know that it does)."""

    code = "not_found"
    status = 404
    exit_code = 2


class Conflict(GaioError):
    """The change clashes with the current state: a duplicate id, a stale version, a bad move."""

    code = "conflict"
    status = 409
    exit_code = 2


class PreconditionFailed(GaioError):
    """The record changed since the client read it (a stale ETag / If-Match)."""

    code = "precondition_failed"
    status = 412
    exit_code = 2


class PermissionDenied(GaioError):
    """The actor may not do this. Deny is the default for anything not explicitly allowed."""

    code = "forbidden"
    status = 403
    exit_code = 2


class LicenceRequired(PermissionDenied):
    """The organisation lacks an active licence that the operation requires."""

    code = "licence_required"


class IntegrityError(GaioError):
    """Stored data or a proof fails verification: something was tampered with or corrupted."""

    code = "integrity_error"
    status = 500
    exit_code = 1


class ConfigurationError(GaioError):
    """gaio is not set up as the command needs (no key, no database, a missing extra)."""

    code = "configuration_error"
    status = 500
    exit_code = 1


class MissingExtra(ConfigurationError):
    """A feature needs an optional extra that is not installed; the message says which."""

    code = "missing_extra"

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'gaio[{extra}]'")
        self.extra = extra


class InvalidUrl(InvalidInput):
    """A URL that is not an http(s) URL with a host."""

    code = "invalid_url"


class Unreachable(GaioError):
    """A document gaio had to fetch could not be fetched (network, size, status); CLI exit 4."""

    code = "unreachable"
    status = 502
    exit_code = 4


class Unauthenticated(GaioError):
    """Missing, wrong, expired or revoked credentials (HTTP 401)."""

    code = "unauthenticated"
    status = 401
    exit_code = 2


class RateLimited(GaioError):
    """Too many requests from one client, or too many failed logins; try again in
    :attr:`retry_after` seconds (HTTP 429 with a ``Retry-After`` header)."""

    code = "too_many_requests"
    status = 429
    exit_code = 2

    def __init__(
        self, message: str, *, retry_after: int = 60, errors: list[FieldError] | None = None
    ) -> None:
        super().__init__(message, errors=errors)
        self.retry_after = max(1, int(retry_after))


class Locked(RateLimited):
    """Too many failed logins: this client (or everyone, briefly) must wait before trying
    again. A throttle with backoff, never a lasting lockout of the account (HTTP 429)."""

    code = "login_throttled"


class LikelyDuplicates(Conflict):
    """A report looks like one already recorded; the reporter must choose. ``hits`` are the
    likely duplicates, best first, for a face to show."""

    code = "likely_duplicates"

    def __init__(
        self, message: str, hits: Sequence[Any], *, errors: list[FieldError] | None = None
    ) -> None:
        super().__init__(message, errors=errors)
        self.hits = list(hits)


class ProofError(IntegrityError):
    """A Merkle proof, root or leaf hash does not verify: the log or the proof was altered."""


def invalid_input_from(source: str, exc: Any, names: dict[str, str] | None = None) -> InvalidInput:
    """A pydantic ``ValidationError`` as one :class:`InvalidInput` naming the first problem.

    ``names`` maps field names to what the user typed, e.g. ``min_group_size`` to
    ``--min-group-size``."""
    errors = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(input)"
        loc = (names or {}).get(loc, loc)
        given = err.get("input")
        shown = (
            ""
            if err.get("type") == "missing" or isinstance(given, dict | list)
            else f" (got {given!r})"
        )
        errors.append(FieldError(path=loc, message=f"{err.get('msg')}{shown}"))
    first = errors[0] if errors else FieldError("(input)", "invalid")
    return InvalidInput(f"{source}: {first.path}: {first.message}", errors=errors)


@dataclass
class ErrorReport:
    """A serialisable view of an error, the shape used by ``--json`` output and the API envelope."""

    status: int
    code: str
    message: str
    errors: list[FieldError] = field(default_factory=list)

    @classmethod
    def of(cls, exc: GaioError) -> ErrorReport:
        return cls(status=exc.status, code=exc.code, message=exc.message, errors=list(exc.errors))

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": False,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "errors": [{"path": e.path, "message": e.message} for e in self.errors],
        }
