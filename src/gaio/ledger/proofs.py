"""Self-contained proof documents that anyone can verify offline with the log's public key.

A document carries everything a third party needs: the proof hashes, the signed checkpoint(s)
the proof ends in, and for an inclusion proof the logged entry itself, so the reader sees what was
logged and recomputes its leaf hash instead of trusting one. :func:`verify_proof_document` is the
whole verifier: JSON in, a :class:`ProofVerdict` out, or an error saying what did not hold. It uses
no database and no network.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from gaio.errors import FieldError, IntegrityError, InvalidInput
from gaio.inputs import load_json
from gaio.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from gaio.ledger.note import Checkpoint, Verifier, open_checkpoint

DOCUMENT_VERSION = 1
"""The proof-document format version this module writes and reads."""


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = DOCUMENT_VERSION
    """Format version; only 1 exists. A reader refuses versions it does not know."""

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != DOCUMENT_VERSION:
            raise ValueError(f"unsupported version {value}; this gaio reads version 1")
        return value

    def to_json(self) -> str:
        """The document as JSON text (the form that is published and verified)."""
        return self.model_dump_json(indent=2)


class InclusionProofDocument(_Document):
    """Proof that one entry is in the log, ending in a signed checkpoint of ``tree_size``."""

    type: Literal["inclusion_proof"] = "inclusion_proof"
    origin: str = Field(min_length=1)
    """The log's identity: the first line of its checkpoints."""
    leaf_index: int = Field(ge=0)
    """Position of the entry in the log, from 0."""
    tree_size: int = Field(ge=1)
    """Size of the tree the proof is for; equal to the checkpoint's size."""
    entry: str
    """The canonical JSON text of the logged entry; its leaf hash is over its UTF-8 bytes."""
    proof: list[str]
    """RFC 9162 inclusion proof, base64 hashes from the leaf's sibling upwards."""
    checkpoint: str
    """Signed note of the checkpoint of size ``tree_size``."""

    @model_validator(mode="after")
    def _index_in_tree(self) -> InclusionProofDocument:
        if self.leaf_index >= self.tree_size:
            raise ValueError(
                f"leaf_index {self.leaf_index} is not below tree_size {self.tree_size}"
            )
        return self

    @classmethod
    def build(
        cls,
        *,
        origin: str,
        leaf_index: int,
        tree_size: int,
        entry: str,
        proof: Sequence[bytes],
        checkpoint: str,
    ) -> InclusionProofDocument:
        """A document from raw proof hashes (as :func:`merkle.inclusion_proof` returns them)."""
        return cls(
            origin=origin,
            leaf_index=leaf_index,
            tree_size=tree_size,
            entry=entry,
            proof=_encode(proof),
            checkpoint=checkpoint,
        )


class ConsistencyProofDocument(_Document):
    """Proof that the log of ``old_size`` is a prefix of the log of ``new_size``."""

    type: Literal["consistency_proof"] = "consistency_proof"
    origin: str = Field(min_length=1)
    """The log's identity: the first line of both checkpoints."""
    old_size: int = Field(ge=1)
    new_size: int = Field(ge=1)
    proof: list[str]
    """RFC 9162 consistency proof, base64 hashes."""
    old_checkpoint: str
    """Signed note of the checkpoint of size ``old_size``."""
    new_checkpoint: str
    """Signed note of the checkpoint of size ``new_size``."""

    @model_validator(mode="after")
    def _sizes_ordered(self) -> ConsistencyProofDocument:
        if self.old_size > self.new_size:
            raise ValueError(f"old_size {self.old_size} is larger than new_size {self.new_size}")
        return self

    @classmethod
    def build(
        cls,
        *,
        origin: str,
        old_size: int,
        new_size: int,
        proof: Sequence[bytes],
        old_checkpoint: str,
        new_checkpoint: str,
    ) -> ConsistencyProofDocument:
        """A document from raw proof hashes (as :func:`merkle.consistency_proof` returns them)."""
        return cls(
            origin=origin,
            old_size=old_size,
            new_size=new_size,
            proof=_encode(proof),
            old_checkpoint=old_checkpoint,
            new_checkpoint=new_checkpoint,
        )


ProofDocument = Annotated[
    InclusionProofDocument | ConsistencyProofDocument, Field(discriminator="type")
]
_DOCUMENT = TypeAdapter[InclusionProofDocument | ConsistencyProofDocument](ProofDocument)


class ProofVerdict(BaseModel):
    """What a verified document proves, in fields and in one sentence."""

    model_config = ConfigDict(frozen=True)

    type: Literal["inclusion_proof", "consistency_proof"]
    origin: str
    signed_by: str
    """Name of the key whose checkpoint signature verified."""
    tree_size: int
    """Size of the (newer) signed tree."""
    root_hash: str
    """Base64 root hash of that tree."""
    leaf_index: int | None = None
    old_size: int | None = None
    statement: str


def parse_proof_document(
    doc_json: str | bytes,
) -> InclusionProofDocument | ConsistencyProofDocument:
    """Parse and validate a proof document; :class:`InvalidInput` names each bad field."""
    try:
        text = doc_json.decode("utf-8") if isinstance(doc_json, bytes) else doc_json
    except UnicodeDecodeError:
        raise InvalidInput("proof document is not UTF-8 text") from None
    data = load_json(text, "proof document")
    if not isinstance(data, dict):
        raise InvalidInput("proof document must be a JSON object")
    try:
        return _DOCUMENT.validate_python(data)
    except ValidationError as exc:
        errors = [_field_error(e["loc"], e["type"], e["msg"]) for e in exc.errors()]
        summary = "; ".join(f"{e.path}: {e.message}" for e in errors)
        raise InvalidInput(f"invalid proof document: {summary}", errors=errors) from exc


def verify_proof_document(doc_json: str | bytes, verifier_key: str) -> ProofVerdict:
    """Verify a proof document against the log's verifier key, offline.

    Opens the checkpoint note(s) with the key, checks that their origin and sizes are the
    document's, and verifies the Merkle proof. Raises :class:`InvalidInput` for a malformed
    document or key, :class:`IntegrityError` (or its :class:`~gaio.ledger.merkle.ProofError`)
    when a signature or proof does not hold.
    """
    doc = parse_proof_document(doc_json)
    verifier = Verifier.from_key(verifier_key)
    if isinstance(doc, InclusionProofDocument):
        return _verify_inclusion(doc, verifier)
    return _verify_consistency(doc, verifier)


def _verify_inclusion(doc: InclusionProofDocument, verifier: Verifier) -> ProofVerdict:
    cp, signer = _checkpoint(doc.checkpoint, verifier, doc.origin, doc.tree_size, "checkpoint")
    proof = _decode(doc.proof)
    verify_inclusion(
        leaf_hash(doc.entry.encode("utf-8")), doc.leaf_index, doc.tree_size, proof, cp.root_hash
    )
    return ProofVerdict(
        type=doc.type,
        origin=doc.origin,
        signed_by=signer,
        tree_size=cp.size,
        root_hash=base64.b64encode(cp.root_hash).decode(),
        leaf_index=doc.leaf_index,
        statement=(
            f"entry {doc.leaf_index} is in the log {doc.origin} of size {cp.size} "
            f"whose checkpoint is signed by {signer}"
        ),
    )


def _verify_consistency(doc: ConsistencyProofDocument, verifier: Verifier) -> ProofVerdict:
    old, _ = _checkpoint(doc.old_checkpoint, verifier, doc.origin, doc.old_size, "old_checkpoint")
    new, signer = _checkpoint(
        doc.new_checkpoint, verifier, doc.origin, doc.new_size, "new_checkpoint"
    )
    verify_consistency(old.size, new.size, old.root_hash, new.root_hash, _decode(doc.proof))
    return ProofVerdict(
        type=doc.type,
        origin=doc.origin,
        signed_by=signer,
        tree_size=new.size,
        root_hash=base64.b64encode(new.root_hash).decode(),
        old_size=old.size,
        statement=(
            f"the log {doc.origin} of size {old.size} is a prefix of its log of size {new.size}; "
            f"both checkpoints are signed by {signer}"
        ),
    )


def _checkpoint(
    note: str, verifier: Verifier, origin: str, size: int, field_name: str
) -> tuple[Checkpoint, str]:
    """Open one checkpoint with the key and check it is the one the document claims."""
    try:
        cp, opened = open_checkpoint(note, verifier)
    except IntegrityError as exc:
        raise IntegrityError(f"{field_name}: {exc.message}") from exc
    except InvalidInput as exc:
        raise InvalidInput(f"{field_name}: {exc.message}") from exc
    if cp.origin != origin:
        raise IntegrityError(
            f"{field_name} is for the log {cp.origin!r}, but the document is for {origin!r}"
        )
    if cp.size != size:
        raise IntegrityError(
            f"{field_name} is for a tree of size {cp.size}, but the proof is for size {size}"
        )
    return cp, opened.verified[0].name


def _field_error(loc: tuple[int | str, ...], kind: str, message: str) -> FieldError:
    """A pydantic error as a field path without the union's tag prefix ("inclusion_proof.")."""
    if kind.startswith("union_tag"):
        return FieldError("type", message)
    if loc and loc[0] in ("inclusion_proof", "consistency_proof"):
        loc = loc[1:]
    return FieldError(".".join(str(part) for part in loc) or "(document)", message)


def _encode(hashes: Sequence[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


def _decode(hashes: Sequence[str]) -> list[bytes]:
    decoded = []
    for i, value in enumerate(hashes):
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"proof.{i} is not valid base64: {value!r}") from exc
        decoded.append(raw)
    return decoded
