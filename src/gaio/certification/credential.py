"""The certificate as a W3C Verifiable Credential 2.0, and its ledger evidence.

The issuer signs the credential with ``eddsa-jcs-2022``. The credential carries, as evidence,
the ledger inclusion proof of its issuance: the logged entry records the SHA-256 of every field
of the credential as issued, which is how a verifier names the field that was changed when the
signature no longer holds (:mod:`gaio.certification.verify` checks a certificate).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from gaio.canonical import content_hash
from gaio.certification import statuslist
from gaio.errors import GaioError, IntegrityError, InvalidInput
from gaio.ledger.merkle import leaf_hash, verify_inclusion
from gaio.ledger.proofs import InclusionProofDocument, verify_proof_document

CERTIFICATE_TYPE = "AIConformityCertificate"
LEDGER_EVIDENCE_TYPE = "LedgerInclusionProof"
VC_V2 = statuslist.VC_V2
MAX_PROOF_HASHES = 64
"""An RFC 9162 inclusion proof has at most 64 hashes (a tree of at most 2^64 entries)."""


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


def find_evidence(doc: dict[str, Any]) -> dict[str, Any] | None:
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
    evidence: dict[str, Any], body: dict[str, Any], ledger_keys: str | Sequence[str] | None
) -> tuple[dict[str, Any], str]:
    """Check the inclusion proof; returns (the logged entry, what was checked).

    ``ledger_keys``: the log's verifier keys (C2SP note format), the current one and those it
    rotated from; the checkpoint must be signed by one of them. Without any, only the proof
    against the checkpoint's root is checked. Raises :class:`GaioError` when the proof or the
    entry does not hold.
    """
    proof = evidence.get("proof", [])
    if not isinstance(proof, list) or len(proof) > MAX_PROOF_HASHES:
        raise InvalidInput(f"evidence.proof: expected at most {MAX_PROOF_HASHES} hashes")
    doc = InclusionProofDocument(
        origin=evidence.get("origin", ""),
        leaf_index=evidence.get("leafIndex", -1),
        tree_size=evidence.get("treeSize", 0),
        entry=evidence.get("entry", ""),
        proof=proof,
        checkpoint=evidence.get("checkpoint", ""),
    )
    keys = [ledger_keys] if isinstance(ledger_keys, str) else list(ledger_keys or [])
    if keys:
        said = ""
        failures: list[str] = []
        for key in keys:
            try:
                said = f"ledger: {verify_proof_document(doc.to_json(), key).statement}"
                break
            except GaioError as exc:
                failures.append(exc.message)
        else:
            raise IntegrityError(failures[-1])
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
    evidence = find_evidence(doc)
    if evidence is None:
        return "evidence"
    try:
        entry = json.loads(evidence.get("entry", ""))
        recorded = entry["details"]["fields"]
    except (json.JSONDecodeError, KeyError, TypeError, RecursionError):
        return "evidence"
    if not isinstance(recorded, dict):
        return "evidence"
    current = field_digests(body_of(doc))
    changed = sorted(k for k in set(recorded) | set(current) if recorded.get(k) != current.get(k))
    if changed:
        return ", ".join(changed)
    try:
        check_ledger_evidence(evidence, body_of(doc), None)
    except (GaioError, ValueError, TypeError, RecursionError):
        return "evidence"
    return "proof"
