"""Offline proof documents: built from a log, verified by a third party with only the public key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gaio.canonical import canonical_json
from gaio.errors import IntegrityError, InvalidInput, ProofError
from gaio.ledger import merkle
from gaio.ledger.merkle import MemoryNodes
from gaio.ledger.note import Checkpoint, Signer, sign_checkpoint
from gaio.ledger.proofs import (
    ConsistencyProofDocument,
    InclusionProofDocument,
    parse_proof_document,
    verify_proof_document,
)

ORIGIN = "observatory.example/ledger"
ENTRIES = [
    canonical_json({"seq": i, "action": "system.register", "subject": f"system:s{i}"}).decode()
    for i in range(20)
]


class Log:
    """A signed log over :class:`MemoryNodes`, the way the storage layer will drive the core."""

    def __init__(self, entries: list[str], signer: Signer, origin: str = ORIGIN) -> None:
        self.entries = entries
        self.signer = signer
        self.origin = origin
        self.nodes = MemoryNodes.from_entries(e.encode() for e in entries)

    def checkpoint(self, size: int) -> str:
        head = Checkpoint(self.origin, size, merkle.root(size, self.nodes))
        return sign_checkpoint(head, self.signer)

    def inclusion(self, index: int, size: int) -> InclusionProofDocument:
        return InclusionProofDocument.build(
            origin=self.origin,
            leaf_index=index,
            tree_size=size,
            entry=self.entries[index],
            proof=merkle.inclusion_proof(index, size, self.nodes),
            checkpoint=self.checkpoint(size),
        )

    def consistency(self, old: int, new: int) -> ConsistencyProofDocument:
        return ConsistencyProofDocument.build(
            origin=self.origin,
            old_size=old,
            new_size=new,
            proof=merkle.consistency_proof(old, new, self.nodes),
            old_checkpoint=self.checkpoint(old),
            new_checkpoint=self.checkpoint(new),
        )


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.generate(ORIGIN)


@pytest.fixture(scope="module")
def log(signer: Signer) -> Log:
    return Log(ENTRIES, signer)


def edited(doc_json: str, **changes: Any) -> str:
    data = json.loads(doc_json)
    data.update(changes)
    return json.dumps(data)


def test_inclusion_round_trip_for_every_entry(log: Log, signer: Signer) -> None:
    for size in (1, 2, 9, 20):
        for index in range(size):
            doc = log.inclusion(index, size).to_json()
            verdict = verify_proof_document(doc, signer.verifier_key())
            assert (verdict.type, verdict.leaf_index, verdict.tree_size) == (
                "inclusion_proof",
                index,
                size,
            )
            assert verdict.signed_by == ORIGIN
    verdict = verify_proof_document(log.inclusion(5, 9).to_json(), signer.verifier_key())
    assert verdict.statement == (
        f"entry 5 is in the log {ORIGIN} of size 9 whose checkpoint is signed by {ORIGIN}"
    )
    assert parse_proof_document(log.inclusion(5, 9).to_json()) == log.inclusion(5, 9)


def test_consistency_round_trip(log: Log, signer: Signer) -> None:
    for old, new in [(1, 1), (1, 20), (7, 8), (8, 13), (13, 20), (20, 20)]:
        doc = log.consistency(old, new).to_json().encode()
        verdict = verify_proof_document(doc, signer.verifier_key())
        assert (verdict.old_size, verdict.tree_size) == (old, new)
    assert verdict.statement.startswith(f"the log {ORIGIN} of size 20 is a prefix of")


def test_a_changed_entry_byte_is_rejected(log: Log, signer: Signer) -> None:
    doc = log.inclusion(5, 9)
    tampered = doc.entry.replace("s5", "s6")
    assert tampered != doc.entry
    with pytest.raises(ProofError, match="inclusion proof for leaf 5 in a tree of 9 does not lead"):
        verify_proof_document(edited(doc.to_json(), entry=tampered), signer.verifier_key())


def test_a_wrong_key_is_rejected(log: Log) -> None:
    other = Signer.generate(ORIGIN)
    with pytest.raises(IntegrityError) as info:
        verify_proof_document(log.inclusion(5, 9).to_json(), other.verifier_key())
    assert str(info.value) == (
        f"checkpoint: note is not signed by any known key (saw: {ORIGIN}+{log.signer.key_id:08x})"
    )


def test_a_checkpoint_of_another_size_is_rejected(log: Log, signer: Signer) -> None:
    doc = log.inclusion(5, 9)
    swapped = edited(doc.to_json(), checkpoint=log.checkpoint(10))
    with pytest.raises(IntegrityError) as info:
        verify_proof_document(swapped, signer.verifier_key())
    assert str(info.value) == ("checkpoint is for a tree of size 10, but the proof is for size 9")
    # Claiming the checkpoint's size does not help: the proof is for the other tree.
    claimed = edited(doc.to_json(), checkpoint=log.checkpoint(10), tree_size=10)
    with pytest.raises(ProofError, match="for leaf 5 in a tree of 10 does not lead"):
        verify_proof_document(claimed, signer.verifier_key())


def test_a_checkpoint_of_another_log_is_rejected(signer: Signer) -> None:
    elsewhere = Log(ENTRIES, signer, origin="other.example/log")
    doc = edited(elsewhere.inclusion(1, 4).to_json(), origin=ORIGIN)
    with pytest.raises(IntegrityError, match=r"checkpoint is for the log 'other\.example/log'"):
        verify_proof_document(doc, signer.verifier_key())


def test_a_forked_log_fails_consistency(log: Log, signer: Signer) -> None:
    forked = Log([*ENTRIES[:3], '{"rewritten":true}', *ENTRIES[4:]], signer)
    doc = ConsistencyProofDocument.build(
        origin=ORIGIN,
        old_size=6,
        new_size=12,
        proof=merkle.consistency_proof(6, 12, forked.nodes),
        old_checkpoint=log.checkpoint(6),
        new_checkpoint=forked.checkpoint(12),
    )
    with pytest.raises(ProofError, match="does not reproduce the old root of size 6"):
        verify_proof_document(doc.to_json(), signer.verifier_key())


def test_consistency_checkpoints_must_match_the_claimed_sizes(log: Log, signer: Signer) -> None:
    doc = log.consistency(6, 12).to_json()
    swapped = edited(doc, old_checkpoint=log.checkpoint(7))
    with pytest.raises(IntegrityError, match="old_checkpoint is for a tree of size 7, but"):
        verify_proof_document(swapped, signer.verifier_key())
    with pytest.raises(InvalidInput, match="old_size 12 is larger than new_size 6"):
        verify_proof_document(edited(doc, old_size=12, new_size=6), signer.verifier_key())


def test_a_forged_checkpoint_signature_is_rejected(log: Log, signer: Signer) -> None:
    doc = log.inclusion(0, 3)
    forged = doc.checkpoint.replace("\n3\n", "\n4\n", 1)
    with pytest.raises(
        IntegrityError, match=f"checkpoint: signature by {ORIGIN}.* does not verify"
    ):
        verify_proof_document(edited(doc.to_json(), checkpoint=forged), signer.verifier_key())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: "{not json", "proof document line 1: not valid JSON"),
        (lambda d: "[1, 2]", "must be a JSON object"),
        (lambda d: edited(d, type="audit_proof"), "type: Input tag 'audit_proof'"),
        (lambda d: edited(d, version=2), "document: version: Value error, unsupported version 2"),
        (lambda d: edited(d, leaf_index=-1), "document: leaf_index: Input should be greater than"),
        (lambda d: edited(d, extra="x"), "document: extra: Extra inputs are not permitted"),
        (lambda d: edited(d, proof=["%%%"]), "proof.0 is not valid base64"),
        (lambda d: edited(d, leaf_index=9), "leaf_index 9 is not below tree_size 9"),
    ],
)
def test_malformed_documents_name_the_problem(
    log: Log, signer: Signer, mutate: Any, message: str
) -> None:
    doc = log.inclusion(5, 9).to_json()
    with pytest.raises(InvalidInput, match=message):
        verify_proof_document(mutate(doc), signer.verifier_key())


def test_missing_fields_are_listed(signer: Signer) -> None:
    with pytest.raises(InvalidInput) as info:
        verify_proof_document('{"type": "consistency_proof"}', signer.verifier_key())
    paths = {e.path for e in info.value.errors}
    assert paths == {
        "origin",
        "old_size",
        "new_size",
        "proof",
        "old_checkpoint",
        "new_checkpoint",
    }
    assert str(info.value).startswith("invalid proof document: origin: Field required; ")


def test_a_malformed_verifier_key_is_invalid_input(log: Log) -> None:
    with pytest.raises(InvalidInput, match="verifier key must be <name>"):
        verify_proof_document(log.inclusion(0, 1).to_json(), "just-a-name")
