"""The certificate as a W3C Verifiable Credential 2.0, and its offline verification.

The issuer signs the credential with ``eddsa-jcs-2022``. The credential carries, as evidence,
the ledger inclusion proof of its issuance: the logged entry records the SHA-256 of every field
of the credential as issued, which is how a verifier names the field that was changed when the
signature no longer holds. :func:`verify_certificate` needs only the issuer's public key (and the
published status lists, to see revocation and suspension); it uses no database and no network.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from gaio.canonical import content_hash
from gaio.certification import integrity, multibase, statuslist
from gaio.clock import utc_text
from gaio.errors import GaioError, InvalidInput
from gaio.ledger.merkle import leaf_hash, verify_inclusion
from gaio.ledger.proofs import InclusionProofDocument, verify_proof_document

CERTIFICATE_TYPE = "AIConformityCertificate"
LEDGER_EVIDENCE_TYPE = "LedgerInclusionProof"
VC_V2 = statuslist.VC_V2

Outcome = Literal[
    "valid", "expired", "not-yet-valid", "revoked", "suspended", "tampered", "unknown-issuer"
]


def body_of(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential as issued: without its proof and its ledger evidence (added after)."""
    return {k: v for k, v in credential.items() if k not in ("proof", "evidence")}


def field_digests(body: dict[str, Any]) -> dict[str, str]:
    """``sha256:`` of each top-level field, and of each field of ``credentialSubject``."""
    out: dict[str, str] = {}
    for key, value in body.items():
        if key == "credentialSubject" and isinstance(value, dict):
            for sub, sub_value in value.items():
                out[f"credentialSubject.{sub}"] = content_hash(sub_value)
        else:
            out[key] = content_hash(value)
    return out


def ledger_evidence(doc: InclusionProofDocument) -> dict[str, Any]:
    return {
        "id": f"urn:gaio:ledger:{doc.origin}#{doc.leaf_index}",
        "type": ["Evidence", LEDGER_EVIDENCE_TYPE],
        "description": "inclusion proof of the issuance entry in the gaio ledger (RFC 9162)",
        "origin": doc.origin,
        "leafIndex": doc.leaf_index,
        "treeSize": doc.tree_size,
        "entry": doc.entry,
        "proof": list(doc.proof),
        "checkpoint": doc.checkpoint,
    }


class Verdict(BaseModel):
    """What :func:`verify_certificate` concluded, with the checks behind it."""

    version: int = 1
    outcome: Outcome
    message: str
    field: str | None = None
    """For ``tampered``: the field that no longer matches what was issued."""
    certificate: str | None = None
    issuer: str | None = None
    subject: dict[str, Any] | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    checks: list[str]

    @property
    def ok(self) -> bool:
        return self.outcome == "valid"


def _parse_time(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: missing or not a date-time string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{where}: {value!r} has no time zone")
    return parsed


def _issuer(doc: dict[str, Any]) -> str:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if not isinstance(issuer, str):
        raise InvalidInput("issuer: missing")
    return issuer


def _find_evidence(doc: dict[str, Any]) -> dict[str, Any] | None:
    evidence = doc.get("evidence")
    items = evidence if isinstance(evidence, list) else [evidence]
    for item in items:
        if isinstance(item, dict) and LEDGER_EVIDENCE_TYPE in (item.get("type") or []):
            return item
    return None


def _checkpoint_root(note: str) -> tuple[str, int, bytes]:
    lines = note.split("\n\n", 1)[0].split("\n")
    if len(lines) < 3:
        raise InvalidInput("evidence.checkpoint: not a checkpoint")
    try:
        return lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error):
        raise InvalidInput("evidence.checkpoint: not a checkpoint") from None


def check_ledger_evidence(
    evidence: dict[str, Any], body: dict[str, Any], ledger_key: str | None
) -> tuple[dict[str, Any], str]:
    """Check the inclusion proof; returns (the logged entry, what was checked).

    Raises :class:`GaioError` when the proof or the entry does not hold.
    """
    doc = InclusionProofDocument(
        origin=evidence.get("origin", ""),
        leaf_index=evidence.get("leafIndex", -1),
        tree_size=evidence.get("treeSize", 0),
        entry=evidence.get("entry", ""),
        proof=evidence.get("proof", []),
        checkpoint=evidence.get("checkpoint", ""),
    )
    if ledger_key is not None:
        verdict = verify_proof_document(doc.to_json(), ledger_key)
        said = f"ledger: {verdict.statement}"
    else:
        origin, size, root = _checkpoint_root(doc.checkpoint)
        if origin != doc.origin or size != doc.tree_size:
            raise InvalidInput("evidence.checkpoint is not for the proof's log and size")
        hashes = [base64.b64decode(h, validate=True) for h in doc.proof]
        verify_inclusion(leaf_hash(doc.entry.encode()), doc.leaf_index, size, hashes, root)
        said = (
            f"ledger: entry {doc.leaf_index} is included in the tree of size {size} of "
            f"{origin} (checkpoint signature not checked: no ledger key given)"
        )
    entry = json.loads(doc.entry)
    details = entry.get("details") if isinstance(entry, dict) else None
    if not isinstance(details, dict) or details.get("credential_hash") != content_hash(body):
        raise InvalidInput("the ledger entry does not commit to this credential")
    return entry, said


def locate_change(doc: dict[str, Any]) -> str:
    """The field that differs from the issued credential, as its ledger entry recorded it."""
    evidence = _find_evidence(doc)
    if evidence is None:
        return "evidence"
    try:
        entry = json.loads(evidence.get("entry", ""))
        recorded = entry["details"]["fields"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return "evidence"
    current = field_digests(body_of(doc))
    changed = sorted(k for k in set(recorded) | set(current) if recorded.get(k) != current.get(k))
    if changed:
        return ", ".join(changed)
    try:
        check_ledger_evidence(evidence, body_of(doc), None)
    except (GaioError, ValueError, TypeError):
        return "evidence"
    return "proof"


def _status(
    doc: dict[str, Any], key: bytes, lists: list[dict[str, Any]], checks: list[str]
) -> Outcome | None:
    entries = doc.get("credentialStatus") or []
    entries = entries if isinstance(entries, list) else [entries]
    by_id = {lst.get("id"): lst for lst in lists}
    found: Outcome | None = None
    for status in entries:
        url = status.get("statusListCredential")
        purpose = status.get("statusPurpose")
        lst = by_id.get(url)
        if lst is None:
            checks.append(f"{purpose}: not checked (no status list {url} given)")
            continue
        proof = integrity.verify_proof(lst, key)
        if not proof.ok or lst.get("issuer") != multibase.did_key(key):
            raise InvalidInput(f"status list {url} is not signed by the issuer: {proof.problem}")
        subject = lst.get("credentialSubject") or {}
        if subject.get("statusPurpose") != purpose:
            raise InvalidInput(f"status list {url} is for {subject.get('statusPurpose')!r}")
        bits = statuslist.decode(str(subject.get("encodedList", "")))
        try:
            index = int(status.get("statusListIndex", ""))
        except ValueError:
            raise InvalidInput("credentialStatus.statusListIndex is not a number") from None
        is_set = statuslist.bit(bits, index)
        checks.append(f"{purpose}: bit {index} of {url} is {int(is_set)}")
        if is_set and purpose == "revocation":
            found = "revoked"
        elif is_set and purpose == "suspension" and found is None:
            found = "suspended"
    return found


def verify_certificate(
    doc: dict[str, Any],
    public_key: bytes,
    *,
    now: datetime,
    status_lists: list[dict[str, Any]] | None = None,
    ledger_key: str | None = None,
) -> Verdict:
    """Verify a certificate offline; :class:`InvalidInput` if it is not one at all."""
    if not isinstance(doc, dict) or CERTIFICATE_TYPE not in (doc.get("type") or []):
        raise InvalidInput(f"not a gaio certificate (type must include {CERTIFICATE_TYPE!r})")
    did = multibase.did_key(public_key)
    checks: list[str] = []
    subject = doc.get("credentialSubject")
    base: dict[str, Any] = {
        "certificate": doc.get("id"),
        "issuer": doc.get("issuer") if isinstance(doc.get("issuer"), str) else None,
        "subject": subject if isinstance(subject, dict) else None,
        "valid_from": doc.get("validFrom"),
        "valid_until": doc.get("validUntil"),
    }

    def verdict(outcome: Outcome, message: str, field: str | None = None) -> Verdict:
        return Verdict(outcome=outcome, message=message, field=field, checks=checks, **base)

    proof = integrity.verify_proof(doc, public_key)
    if not proof.ok:
        method = proof.verification_method or ""
        if not method.startswith(did + "#"):
            return verdict(
                "unknown-issuer",
                f"signed by an unknown issuer: the proof names {method or 'no key'!r}, "
                f"not the key given ({did})",
            )
        where = locate_change(doc)
        return verdict(
            "tampered", f"tampered: {where} changed since issuance ({proof.problem})", where
        )
    checks.append(f"signature: eddsa-jcs-2022 by {did}")
    if _issuer(doc) != did:
        return verdict("unknown-issuer", f"issuer {_issuer(doc)!r} is not the key given ({did})")
    evidence = _find_evidence(doc)
    if evidence is None:
        return verdict("tampered", "tampered: the ledger inclusion proof is missing", "evidence")
    try:
        _, said = check_ledger_evidence(evidence, body_of(doc), ledger_key)
    except (GaioError, ValueError, TypeError) as exc:
        message = exc.message if isinstance(exc, GaioError) else str(exc)
        return verdict(
            "tampered", f"tampered: ledger evidence does not hold: {message}", "evidence"
        )
    checks.append(said)
    status = _status(doc, public_key, status_lists or [], checks)
    valid_from = _parse_time(doc.get("validFrom"), "validFrom")
    until = doc.get("validUntil")
    valid_until = _parse_time(until, "validUntil") if until is not None else None
    if status == "revoked":
        return verdict("revoked", "revoked by its issuer (status list)")
    if status == "suspended":
        return verdict("suspended", "suspended by its issuer (status list)")
    if valid_until is not None and now > valid_until:
        return verdict(
            "expired", f"expired: valid until {until}, checked at {utc_text(now, seconds=True)}"
        )
    if now < valid_from:
        return verdict("not-yet-valid", f"not yet valid: valid from {doc.get('validFrom')}")
    return verdict("valid", f"valid until {until}" if until else "valid")
