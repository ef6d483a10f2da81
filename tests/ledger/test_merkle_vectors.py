"""The Merkle code against published vectors: every transparency-dev/merkle probe, and RFC 6962's.

The data is kept in ``tests/data/merkle`` (origin and licence in ``tests/data/SOURCES.md``). If
it is missing these tests fail rather than skip: a silently empty vector set would prove
nothing.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from gaio.errors import ProofError
from gaio.ledger import merkle
from gaio.ledger.merkle import MemoryNodes

REFERENCE_DATA = Path(__file__).resolve().parents[1] / "data"  # see tests/data/SOURCES.md
PROBES_DIR = REFERENCE_DATA / "merkle" / "transparency-dev-testdata"
RFC6962_VECTORS = REFERENCE_DATA / "merkle" / "rfc6962-vectors.json"
KINDS = ("inclusion", "consistency", "subtreeinclusion", "subtreeconsistency")
MISSING = "<shared data directory missing>"


def _probe_files() -> list[str]:
    files = sorted(p.relative_to(PROBES_DIR).as_posix() for p in PROBES_DIR.rglob("*.json"))
    return files or [MISSING]


PROBES = _probe_files()


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _proof(probe: dict[str, Any]) -> list[bytes]:
    return [_b64(p) for p in probe["proof"] or []]


def _run_probe(kind: str, p: dict[str, Any]) -> None:
    if kind == "inclusion":
        merkle.verify_inclusion(
            _b64(p["leafHash"]), p["leafIdx"], p["treeSize"], _proof(p), _b64(p["root"])
        )
    elif kind == "consistency":
        merkle.verify_consistency(
            p["size1"], p["size2"], _b64(p["root1"]), _b64(p["root2"]), _proof(p)
        )
    elif kind == "subtreeinclusion":
        merkle.verify_subtree_inclusion(
            _b64(p["leafHash"]), p["leafIdx"], p["start"], p["end"], _proof(p), _b64(p["root"])
        )
    else:
        merkle.verify_subtree_consistency(
            p["start"], p["end"], p["size"], _b64(p["root1"]), _b64(p["root2"]), _proof(p)
        )


def test_reference_vectors_are_present_and_complete() -> None:
    assert PROBES_DIR.is_dir(), f"Merkle test vectors not found at {PROBES_DIR}"
    assert len(PROBES) >= 518
    counts = {kind: sum(1 for p in PROBES if p.startswith(kind + "/")) for kind in KINDS}
    assert counts == {
        "inclusion": 98,
        "consistency": 98,
        "subtreeinclusion": 204,
        "subtreeconsistency": 118,
    }


@pytest.mark.parametrize("name", PROBES)
def test_transparency_dev_probe(name: str) -> None:
    assert name != MISSING, f"no probe files under {PROBES_DIR}"
    probe = json.loads((PROBES_DIR / name).read_text())
    kind = name.split("/", 1)[0]
    assert kind in KINDS
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            _run_probe(kind, probe)
    else:
        _run_probe(kind, probe)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("inclusion/single-entry/empty-root-and-leaf.json", "leaf hash must be 32 bytes"),
        (
            "consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json",
            "from a tree of size 0 proves nothing",
        ),
    ],
)
def test_strictness_probes_fail_for_the_right_reason(name: str, message: str) -> None:
    """The two probes a naive verifier accepts: empty hashes, and size 0."""
    probe = json.loads((PROBES_DIR / name).read_text())
    assert probe["wantErr"]
    with pytest.raises(ProofError, match=message):
        _run_probe(name.split("/", 1)[0], probe)


@pytest.fixture(scope="module")
def rfc() -> dict[str, Any]:
    assert RFC6962_VECTORS.is_file(), f"RFC 6962 vectors not found at {RFC6962_VECTORS}"
    data: dict[str, Any] = json.loads(RFC6962_VECTORS.read_text())
    return data


@pytest.fixture(scope="module")
def rfc_store(rfc: dict[str, Any]) -> MemoryNodes:
    return MemoryNodes.from_entries(bytes.fromhex(x) for x in rfc["leaves"])


def test_rfc6962_hasher_vectors(rfc: dict[str, Any]) -> None:
    assert [v["desc"][:10] for v in rfc["hasher"]] == [
        "empty tree",
        "leaf hash ",
        "leaf hash ",
        "node hash ",
    ]
    empty, leaf_empty, leaf_l123456, node = rfc["hasher"]
    assert merkle.EMPTY_ROOT.hex() == empty["want"]
    assert merkle.leaf_hash(bytes.fromhex(leaf_empty["leaf_hex"])).hex() == leaf_empty["want"]
    assert merkle.leaf_hash(bytes.fromhex(leaf_l123456["leaf_hex"])).hex() == leaf_l123456["want"]
    left, right = bytes.fromhex(node["left_hex"]), bytes.fromhex(node["right_hex"])
    assert merkle.node_hash(left, right).hex() == node["want"]


def test_rfc6962_roots_for_every_size(rfc: dict[str, Any], rfc_store: MemoryNodes) -> None:
    leaves = [merkle.leaf_hash(bytes.fromhex(x)) for x in rfc["leaves"]]
    assert len(rfc["roots"]) == 9
    for size, want in enumerate(rfc["roots"]):
        assert merkle.root(size, rfc_store).hex() == want
        assert merkle.root_from_leaf_hashes(leaves[:size]).hex() == want


def test_rfc6962_stored_nodes(rfc: dict[str, Any], rfc_store: MemoryNodes) -> None:
    expected = {
        (level, index): bytes.fromhex(h)
        for level, hashes in enumerate(rfc["nodeHashes"])
        for index, h in enumerate(hashes)
    }
    assert len(expected) == 8 + 4 + 2 + 1
    assert rfc_store.get_nodes(list(expected)) == expected


def test_rfc6962_inclusion_proofs(rfc: dict[str, Any], rfc_store: MemoryNodes) -> None:
    assert len(rfc["inclusionProofs"]) == 5
    for case in rfc["inclusionProofs"]:
        index, size = case["leafIndex"], case["treeSize"]
        proof = merkle.inclusion_proof(index, size, rfc_store)
        assert [h.hex() for h in proof] == case["proof"]
        merkle.verify_inclusion(
            bytes.fromhex(case["leafHash"]), index, size, proof, bytes.fromhex(case["root"])
        )


def test_rfc6962_consistency_proofs(rfc: dict[str, Any], rfc_store: MemoryNodes) -> None:
    assert len(rfc["consistencyProofs"]) == 5
    for case in rfc["consistencyProofs"]:
        old, new = case["size1"], case["size2"]
        proof = merkle.consistency_proof(old, new, rfc_store)
        assert [h.hex() for h in proof] == case["proof"]
        merkle.verify_consistency(
            old, new, bytes.fromhex(case["root1"]), bytes.fromhex(case["root2"]), proof
        )
