"""Verifying a certificate offline, failing closed.

:func:`verify_certificate` needs the issuer's public keys (:class:`TrustedKey`), and the
issuer's status lists to say more than that the signature holds: without a list for each of the
certificate's status entries the answer is ``status-unknown`` ("valid-signature, status
unknown"), never ``valid``, unless the caller turns the status check off on purpose. It uses no
database and no network; fetching what it needs is the caller's job.

Every input is bounded before any work (:mod:`gaio.certification.shapes`): a document that is not
a certificate of a supported shape is :class:`~gaio.errors.InvalidInput`; a certificate of the
right shape whose signature does not hold is ``tampered``, with the field that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from gaio.certification import integrity, statuslist
from gaio.certification.credential import (
    CERTIFICATE_TYPE,
    body_of,
    check_ledger_evidence,
    find_evidence,
    locate_change,
)
from gaio.certification.shapes import (
    CertificateShape,
    StatusEntryShape,
    certificate_shape,
    status_list_shape,
)
from gaio.certification.trust import TrustedKey, as_trust, describe, keys_for
from gaio.clock import utc_text
from gaio.errors import GaioError, InvalidInput

Outcome = Literal[
    "valid",
    "status-unknown",
    "expired",
    "not-yet-valid",
    "revoked",
    "suspended",
    "tampered",
    "unknown-issuer",
]
HEADLINES: dict[str, str] = {"status-unknown": "valid-signature, status unknown"}
"""How an outcome reads to a person, where that differs from its name."""
MAX_STATUS_LISTS = 16
STATUS_LIST_TYPE = "BitstringStatusListCredential"


class Verdict(BaseModel):
    """What :func:`verify_certificate` concluded, with the checks behind it."""

    version: int = 2
    outcome: Outcome
    headline: str
    """The outcome as a person reads it: ``valid-signature, status unknown`` for
    ``status-unknown``, otherwise the outcome itself."""
    message: str
    field: str | None = None
    """For ``tampered``: the field that no longer matches what was issued."""
    certificate: str | None = None
    issuer: str | None = None
    signed_by: str | None = None
    """The verification method whose signature held."""
    subject: dict[str, Any] | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    status: dict[str, str] = {}
    """Per status purpose: ``set``, ``clear``, ``unknown`` or ``not-checked``."""
    checks: list[str]

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"


def parse_time(value: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{where}: {value!r} has no time zone")
    return parsed


def _signing_key(
    secured: dict[str, Any], trust: Sequence[TrustedKey], issuer: str, method: str, what: str
) -> tuple[TrustedKey | None, str, bool]:
    """(the trusted key of ``issuer`` whose signature holds, or None; why not; whether the
    signature of a trusted key named by the proof held at all)."""
    named = keys_for(trust, method)
    held: list[TrustedKey] = []
    problem = f"no trusted key is named by the proof ({method})"
    for key in named:
        check = integrity.verify_proof(secured, key.public)
        if check.ok:
            held.append(key)
        else:
            problem = check.problem
    for key in held:
        if not key.speaks_for(issuer, method):
            problem = f"the key {method} does not speak for {issuer}"
            continue
        if key.valid_from is not None or key.valid_until is not None:
            created = secured["proof"].get("created")
            if not isinstance(created, str):
                problem = f"the {what}'s proof has no creation time to check against the key"
                continue
            when = parse_time(created, f"{what} proof.created")
            if not key.covers(when):
                problem = (
                    f"the key {method} signs for {issuer} from {key.period()}; this {what} was "
                    f"signed at {created}"
                )
                continue
        return key, "", True
    return None, problem, bool(held)


def _list_status(
    entry: StatusEntryShape,
    lst: dict[str, Any],
    trust: Sequence[TrustedKey],
    issuer: str,
    now: datetime,
    checks: list[str],
) -> bool | None:
    """Whether the entry's bit is set in ``lst`` (None when the list is too old to say)."""
    url, purpose = entry.status_list_credential, entry.status_purpose
    shape = status_list_shape(lst, url)
    if STATUS_LIST_TYPE not in shape.type or shape.credential_subject.status_purpose != purpose:
        raise InvalidInput(
            f"status list {url} is not a {purpose} {STATUS_LIST_TYPE} "
            f"(it is for {shape.credential_subject.status_purpose!r})"
        )
    if shape.issuer_id != issuer:
        raise InvalidInput(f"status list {url} is issued by {shape.issuer_id!r}, not {issuer!r}")
    method = shape.proof.verification_method
    key, problem, _ = _signing_key(lst, trust, issuer, method, "status list")
    if key is None:
        raise InvalidInput(f"status list {url} is not signed by the issuer: {problem}")
    if shape.valid_until is not None:
        until = parse_time(shape.valid_until, f"status list {url} validUntil")
        if now > until:
            checks.append(
                f"{purpose}: unknown (the status list {url} expired at {shape.valid_until}; "
                "fetch a current one)"
            )
            return None
    bits = statuslist.decode(shape.credential_subject.encoded_list)
    index = int(entry.status_list_index)
    is_set = statuslist.bit(bits, index)
    checks.append(
        f"{purpose}: bit {index} of {url} is {int(is_set)} "
        f"(list of {shape.valid_from}, signed by {method})"
    )
    return is_set


def _statuses(
    shape: CertificateShape,
    trust: Sequence[TrustedKey],
    lists: Sequence[dict[str, Any]],
    now: datetime,
    check_status: bool,
    checks: list[str],
) -> dict[str, str]:
    if len(lists) > MAX_STATUS_LISTS:
        raise InvalidInput(f"at most {MAX_STATUS_LISTS} status lists, got {len(lists)}")
    by_id: dict[str, dict[str, Any]] = {}
    for number, lst in enumerate(lists, start=1):
        if not isinstance(lst, dict) or not isinstance(lst.get("id"), str):
            raise InvalidInput(f"status list {number}: not a status list credential (no id)")
        by_id[lst["id"]] = lst
    found: dict[str, str] = {}
    for entry in shape.statuses:
        purpose, url = entry.status_purpose, entry.status_list_credential
        if not check_status:
            found[purpose] = "not-checked"
            checks.append(f"{purpose}: not checked (status check turned off)")
            continue
        given = by_id.get(url)
        if given is None:
            found.setdefault(purpose, "unknown")
            checks.append(f"{purpose}: unknown (no status list {url})")
            continue
        is_set = _list_status(entry, given, trust, shape.issuer_id, now, checks)
        found[purpose] = "unknown" if is_set is None else ("set" if is_set else "clear")
    return found


def verify_certificate(
    doc: dict[str, Any],
    keys: bytes | TrustedKey | Sequence[TrustedKey],
    *,
    now: datetime,
    status_lists: Sequence[dict[str, Any]] | None = None,
    ledger_keys: str | Sequence[str] | None = None,
    check_status: bool = True,
) -> Verdict:
    """Verify a certificate offline against trusted issuer keys.

    Outcomes, most serious first: ``unknown-issuer`` (no trusted key of the issuer signed it),
    ``tampered`` (a trusted key's signature does not hold; ``field`` names what changed),
    ``revoked``, ``suspended``, ``expired``, ``not-yet-valid``, ``status-unknown`` (the
    signature holds but a status list was not given or is too old), ``valid``. With
    ``check_status=False`` the status lists are not consulted and the answer may be ``valid``.
    Raises :class:`InvalidInput` for a document that is not a certificate of a supported shape,
    or a status list that is malformed or not the issuer's.
    """
    shape = certificate_shape(doc)
    if CERTIFICATE_TYPE not in shape.type:
        raise InvalidInput(f"not a gaio certificate (type must include {CERTIFICATE_TYPE!r})")
    integrity.proof_of(doc)
    trust = as_trust(keys)
    issuer = shape.issuer_id
    method = shape.proof.verification_method
    checks: list[str] = []
    base: dict[str, Any] = {
        "certificate": shape.id,
        "issuer": issuer,
        "subject": shape.credential_subject,
        "valid_from": shape.valid_from,
        "valid_until": shape.valid_until,
    }

    def verdict(outcome: Outcome, message: str, **extra: Any) -> Verdict:
        headline = HEADLINES.get(outcome, outcome)
        return Verdict(
            outcome=outcome, headline=headline, message=message, checks=checks, **base, **extra
        )

    named = keys_for(trust, method)
    if not named:
        return verdict(
            "unknown-issuer",
            f"signed by an unknown issuer: the proof names {method!r}, which is not among the "
            f"trusted keys ({describe(trust)})",
        )
    key, problem, held = _signing_key(doc, trust, issuer, method, "certificate")
    if not held:
        where = locate_change(doc)
        return verdict(
            "tampered", f"tampered: {where} changed since issuance ({problem})", field=where
        )
    if key is None:
        return verdict("unknown-issuer", f"not signed by a key of its issuer: {problem}")
    checks.append(f"signature: eddsa-jcs-2022 by {method}")
    base["signed_by"] = method
    evidence = find_evidence(doc)
    if evidence is None:
        return verdict(
            "tampered", "tampered: the ledger inclusion proof is missing", field="evidence"
        )
    try:
        _, said = check_ledger_evidence(evidence, body_of(doc), ledger_keys)
    except (GaioError, ValueError, TypeError, RecursionError) as exc:
        message = exc.message if isinstance(exc, GaioError) else str(exc)[:200]
        return verdict(
            "tampered", f"tampered: ledger evidence does not hold: {message}", field="evidence"
        )
    checks.append(said)
    valid_from = parse_time(shape.valid_from, "validFrom")
    until = shape.valid_until
    valid_until = parse_time(until, "validUntil") if until is not None else None
    status = _statuses(shape, trust, status_lists or [], now, check_status, checks)
    base["status"] = status
    if status.get("revocation") == "set":
        return verdict("revoked", "revoked by its issuer (status list)")
    if status.get("suspension") == "set":
        return verdict("suspended", "suspended (status list)")
    if valid_until is not None and now > valid_until:
        return verdict(
            "expired", f"expired: valid until {until}, checked at {utc_text(now, seconds=True)}"
        )
    if now < valid_from:
        return verdict("not-yet-valid", f"not yet valid: valid from {shape.valid_from}")
    unknown = sorted(p for p, s in status.items() if s == "unknown")
    if unknown:
        return verdict(
            "status-unknown",
            f"the signature holds, but its {' and '.join(unknown)} status is unknown: give the "
            "issuer's current status lists (--status FILE, or verify online), or turn the status "
            "check off explicitly (--no-status-check)",
        )
    return verdict("valid", f"valid until {until}" if until else "valid")
