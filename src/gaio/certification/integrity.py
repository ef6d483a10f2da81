"""W3C Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite (VC DI EdDSA §3.3).

Signing: the proof options (the proof without ``proofValue``, carrying the document's
``@context`` when it has one) and the document without its proof are each canonicalised with
RFC 8785 (JCS) and hashed with SHA-256; the Ed25519 signature is over
``SHA-256(options) ‖ SHA-256(document)``; ``proofValue`` is its base58btc multibase.
Verification recomputes the same bytes; it fails closed on anything it does not understand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gaio.canonical import canonical_json
from gaio.certification.multibase import BASE58BTC, b58decode, b58encode
from gaio.errors import InvalidInput

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"


def hash_data(unsecured: dict[str, Any], options: dict[str, Any]) -> bytes:
    """``SHA-256(JCS(options)) ‖ SHA-256(JCS(unsecured))``: the 64 bytes that are signed."""
    proof_hash = hashlib.sha256(canonical_json(options)).digest()
    doc_hash = hashlib.sha256(canonical_json(unsecured)).digest()
    return proof_hash + doc_hash


def proof_options(
    document: dict[str, Any],
    *,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if "@context" in document:
        options["@context"] = document["@context"]
    return options


def add_proof(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` secured with an ``eddsa-jcs-2022`` proof."""
    if "proof" in document:
        raise InvalidInput("the document already carries a proof")
    options = proof_options(
        document,
        verification_method=verification_method,
        created=created,
        proof_purpose=proof_purpose,
    )
    signature = key.sign(hash_data(document, options))
    return {**document, "proof": {**options, "proofValue": BASE58BTC + b58encode(signature)}}


MAX_PROOF_VALUE = 1 + 88
"""``z`` and at most 88 base58 characters: the longest encoding of a 64-byte Ed25519 signature.
Checked before decoding, so a huge ``proofValue`` costs nothing."""
MAX_METHOD = 600
"""Longest verification method id read (a did:web of a long host and path, and a key)."""


@dataclass(frozen=True)
class ProofCheck:
    """The outcome of checking one proof: ``ok``, or ``problem`` naming what failed."""

    ok: bool
    problem: str = ""
    verification_method: str | None = None


def proof_of(secured: dict[str, Any]) -> dict[str, Any]:
    """The proof object, checked for shape and size before anything is decoded.

    Raises :class:`InvalidInput` for a document that does not carry one supported proof: a
    missing proof, another type or cryptosuite, a verification method or proof value that is
    not a string or is longer than any this cryptosuite produces.
    """
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise InvalidInput("proof: missing, or not a single proof object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        kind, suite = str(proof.get("type"))[:40], str(proof.get("cryptosuite"))[:40]
        raise InvalidInput(
            f"proof: type {kind!r} / cryptosuite {suite!r} is not {PROOF_TYPE} / {CRYPTOSUITE}"
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not 0 < len(method) <= MAX_METHOD:
        raise InvalidInput(
            f"proof.verificationMethod: expected a key id of at most {MAX_METHOD} characters"
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise InvalidInput("proof.proofValue: missing or not a string")
    if len(value) > MAX_PROOF_VALUE:
        raise InvalidInput(
            f"proof.proofValue: {len(value)} characters; an Ed25519 signature is at most "
            f"{MAX_PROOF_VALUE} (64 bytes in base58btc)"
        )
    return proof


def read_proof(secured: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Split a secured document into (unsecured document, proof options, signature).

    Raises :class:`InvalidInput` for a proof this verifier does not support (see
    :func:`proof_of`) or whose value is not a 64-byte base58btc signature.
    """
    proof = proof_of(secured)
    value: str = proof["proofValue"]
    if not value.startswith(BASE58BTC):
        raise InvalidInput("proof.proofValue: not base58btc multibase (starting with 'z')")
    signature = b58decode(value[1:], max_chars=MAX_PROOF_VALUE)
    if len(signature) != 64:
        raise InvalidInput(f"proof.proofValue: {len(signature)} bytes, an Ed25519 signature has 64")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    return unsecured, options, signature


def verify_proof(secured: dict[str, Any], public_key: bytes) -> ProofCheck:
    """Check the ``eddsa-jcs-2022`` proof of ``secured`` with a raw Ed25519 public key.

    A proof of the wrong shape or size raises :class:`InvalidInput` (see :func:`proof_of`);
    a proof of the right shape that does not hold (a mangled value, a changed document) is a
    failed :class:`ProofCheck` that still names the verification method the proof claims.
    """
    method: str = proof_of(secured)["verificationMethod"]
    try:
        unsecured, options, signature = read_proof(secured)
    except InvalidInput as exc:
        return ProofCheck(False, exc.message, method)
    context = options.get("@context")
    if context is not None:
        doc_context = unsecured.get("@context")
        if not isinstance(context, list) or not isinstance(doc_context, list):
            return ProofCheck(False, "proof.@context: not a list", method)
        if doc_context[: len(context)] != context:
            return ProofCheck(False, "proof.@context does not match the document's", method)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, hash_data(unsecured, options)
        )
    except InvalidSignature:
        return ProofCheck(False, "the signature does not match the document", method)
    except ValueError as exc:
        return ProofCheck(False, f"bad public key: {exc}", method)
    return ProofCheck(True, "", method)
