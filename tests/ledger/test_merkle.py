"""Properties of the Merkle tree: stored-node proofs verify, agree with independent roots, and any
changed byte, index or size is caught."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaio.errors import IntegrityError, InvalidInput, ProofError
from gaio.ledger import merkle
from gaio.ledger.merkle import (
    CompactRange,
    MemoryNodes,
    NodeKey,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

MAX = 300
ENTRIES = [f'{{"seq":{i},"action":"test"}}'.encode() for i in range(MAX)]
LEAVES = [leaf_hash(e) for e in ENTRIES]
STORE = MemoryNodes.from_entries(ENTRIES)  # holds every prefix: root(n, STORE) for n <= MAX


def reference_mth(leaves: Sequence[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH, literally recursive."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


def flip(data: bytes, position: int, bit: int = 0) -> bytes:
    position %= len(data)
    return data[:position] + bytes([data[position] ^ (1 << bit)]) + data[position + 1 :]


class CountingReader:
    """Wraps a reader and records each ``get_nodes`` call."""

    def __init__(self, inner: merkle.NodeReader) -> None:
        self.inner = inner
        self.calls: list[list[NodeKey]] = []

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.calls.append(list(keys))
        return self.inner.get_nodes(keys)


sizes = st.integers(min_value=1, max_value=MAX)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(sizes)
    return size, draw(st.integers(min_value=0, max_value=size - 1))


@st.composite
def old_and_new(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(sizes)
    return draw(st.integers(min_value=1, max_value=new)), new


def test_roots_agree_for_every_size() -> None:
    compact = CompactRange()
    for size in range(MAX + 1):
        want = reference_mth(LEAVES[:size])
        assert root(size, STORE) == want
        assert compact.root() == want
        assert merkle.root_from_leaf_hashes(LEAVES[:size]) == want
        assert compact.size == size
        if size < MAX:
            compact.append(LEAVES[size])


def test_empty_tree() -> None:
    assert root(0, MemoryNodes()) == hashlib.sha256(b"").digest() == merkle.EMPTY_ROOT
    assert CompactRange().root() == merkle.EMPTY_ROOT
    assert merkle.fold([]) == merkle.EMPTY_ROOT


def test_subtree_keys_decompose_ranges() -> None:
    assert merkle.subtree_keys(0, 0) == []
    assert merkle.subtree_keys(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.subtree_keys(4, 7) == [(1, 2), (0, 6)]
    assert merkle.subtree_keys(3, 9) == [(0, 3), (2, 1), (0, 8)]
    with pytest.raises(InvalidInput):
        merkle.subtree_keys(5, 4)


@given(st.integers(0, MAX), st.integers(0, MAX))
def test_fold_of_aligned_range_is_its_mth(a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    width = 1 << max(end - start - 1, 0).bit_length()
    start -= start % width  # align start as RFC 9162 proof ranges are
    keys = merkle.subtree_keys(start, end)
    assert sum(1 << level for level, _ in keys) == end - start
    found = STORE.get_nodes(keys)
    assert merkle.fold([found[k] for k in keys]) == reference_mth(LEAVES[start:end])


def test_nodes_for_append_asks_once_and_stores_completed_parents() -> None:
    calls: list[list[NodeKey]] = []

    def get(keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        calls.append(list(keys))
        return STORE.get_nodes(keys)

    new = merkle.nodes_for_append(7, LEAVES[7], get)
    assert calls == [[(0, 6), (1, 2), (2, 0)]]
    assert [key for key, _ in new] == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert dict(new) == STORE.get_nodes([key for key, _ in new])
    calls.clear()
    assert merkle.nodes_for_append(8, LEAVES[8], get) == [((0, 8), LEAVES[8])]
    assert calls == []


def test_append_with_a_missing_sibling_is_an_integrity_error() -> None:
    with pytest.raises(IntegrityError, match=r"missing from the store for appending leaf 3"):
        merkle.nodes_for_append(3, LEAVES[3], MemoryNodes().get_nodes)
    with pytest.raises(InvalidInput, match="leaf hash must be 32 bytes, got 5"):
        merkle.nodes_for_append(0, b"entry", MemoryNodes().get_nodes)


@given(size_and_index())
def test_inclusion_proofs_verify(case: tuple[int, int]) -> None:
    size, index = case
    reader = CountingReader(STORE)
    proof = inclusion_proof(index, size, reader)
    assert len(reader.calls) == 1
    verify_inclusion(LEAVES[index], index, size, proof, root(size, STORE))


@given(size_and_index(), st.data())
def test_inclusion_tampering_is_caught(case: tuple[int, int], data: st.DataObject) -> None:
    size, index = case
    proof = inclusion_proof(index, size, STORE)
    good_root = root(size, STORE)
    pos = data.draw(st.integers(0, 31), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    with pytest.raises(ProofError):
        verify_inclusion(flip(LEAVES[index], pos, bit), index, size, proof, good_root)
    with pytest.raises(ProofError):
        verify_inclusion(LEAVES[index], index, size, proof, flip(good_root, pos, bit))
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1), label="proof hash")
        bad = [*proof[:which], flip(proof[which], pos, bit), *proof[which + 1 :]]
        with pytest.raises(ProofError):
            verify_inclusion(LEAVES[index], index, size, bad, good_root)
        with pytest.raises(ProofError):
            verify_inclusion(LEAVES[index], index, size, proof[:-1], good_root)
    with pytest.raises(ProofError):
        verify_inclusion(LEAVES[index], index, size, [*proof, LEAVES[0]], good_root)


@given(size_and_index(), st.data())
def test_inclusion_with_wrong_index_or_size_fails(
    case: tuple[int, int], data: st.DataObject
) -> None:
    size, index = case
    proof = inclusion_proof(index, size, STORE)
    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="index")
        with pytest.raises(ProofError):
            verify_inclusion(LEAVES[index], other, size, proof, root(size, STORE))
    # A root vouches for one size only: a proof for this size never verifies against the root
    # of another (the checkpoint signature is what binds a root to its size).
    other_size = data.draw(st.integers(index + 1, MAX).filter(lambda s: s != size), label="size")
    with pytest.raises(ProofError):
        verify_inclusion(LEAVES[index], index, other_size, proof, root(other_size, STORE))
    with pytest.raises(ProofError, match="outside the tree"):
        verify_inclusion(LEAVES[index], size, size, proof, root(size, STORE))


def test_inclusion_error_messages_are_precise() -> None:
    proof = inclusion_proof(5, 9, STORE)
    assert len(proof) == 4
    with pytest.raises(ProofError) as info:
        verify_inclusion(LEAVES[5], 5, 9, proof[:3], root(9, STORE))
    assert str(info.value) == ("inclusion proof has 3 hashes, expected 4 for leaf 5 in a tree of 9")
    with pytest.raises(ProofError, match="proof hash 1 must be 32 bytes, got 0"):
        verify_inclusion(LEAVES[5], 5, 9, [proof[0], b"", *proof[2:]], root(9, STORE))
    with pytest.raises(ProofError, match="does not lead to the expected root"):
        verify_inclusion(LEAVES[4], 5, 9, proof, root(9, STORE))


@given(old_and_new())
def test_consistency_proofs_verify(case: tuple[int, int]) -> None:
    old, new = case
    reader = CountingReader(STORE)
    proof = consistency_proof(old, new, reader)
    assert len(reader.calls) == (0 if old == new else 1)
    verify_consistency(old, new, root(old, STORE), root(new, STORE), proof)
    # The same statement as a subtree consistency proof of [0, old).
    merkle.verify_subtree_consistency(0, old, new, root(old, STORE), root(new, STORE), proof)


@given(old_and_new(), st.data())
def test_consistency_tampering_is_caught(case: tuple[int, int], data: st.DataObject) -> None:
    old, new = case
    proof = consistency_proof(old, new, STORE)
    old_root, new_root = root(old, STORE), root(new, STORE)
    pos = data.draw(st.integers(0, 31), label="byte")
    with pytest.raises(ProofError):
        verify_consistency(old, new, flip(old_root, pos), new_root, proof)
    with pytest.raises(ProofError):
        verify_consistency(old, new, old_root, flip(new_root, pos), proof)
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1), label="proof hash")
        bad = [*proof[:which], flip(proof[which], pos), *proof[which + 1 :]]
        with pytest.raises(ProofError):
            verify_consistency(old, new, old_root, new_root, bad)
    other = data.draw(st.integers(1, MAX).filter(lambda s: s != old), label="old size")
    if other <= new:
        with pytest.raises(ProofError):
            verify_consistency(other, new, root(other, STORE), new_root, proof)
    if new < MAX:
        bigger = data.draw(st.integers(new + 1, MAX), label="new size")
        with pytest.raises(ProofError):
            verify_consistency(old, bigger, old_root, root(bigger, STORE), proof)


@given(old_and_new(), st.data())
def test_a_forked_log_is_not_consistent(case: tuple[int, int], data: st.DataObject) -> None:
    old, new = case
    changed = data.draw(st.integers(0, old - 1), label="rewritten entry")
    forked = MemoryNodes.from_entries(
        [*ENTRIES[:changed], b'{"rewritten":true}', *ENTRIES[changed + 1 : new]]
    )
    old_root = root(old, STORE)
    with pytest.raises(ProofError):
        verify_consistency(
            old, new, old_root, root(new, forked), consistency_proof(old, new, forked)
        )


def test_consistency_edge_cases() -> None:
    r3 = root(3, STORE)
    verify_consistency(3, 3, r3, r3, [])
    with pytest.raises(ProofError, match="two different roots for the same tree size 3"):
        verify_consistency(3, 3, r3, root(4, STORE), [])
    with pytest.raises(ProofError, match="old tree size 4 is larger than new tree size 3"):
        verify_consistency(4, 3, root(4, STORE), r3, [])
    with pytest.raises(ProofError, match="has 0 hashes, expected 3 from size 3 to size 4"):
        verify_consistency(3, 4, r3, root(4, STORE), [])
    with pytest.raises(InvalidInput, match="0 < old size <= new size"):
        consistency_proof(0, 3, STORE)
    assert consistency_proof(3, 3, STORE) == []


@given(st.data())
def test_subtree_inclusion_within_aligned_subtrees(data: st.DataObject) -> None:
    level = data.draw(st.integers(0, 6), label="level")
    start = data.draw(st.integers(0, (MAX >> level) - 1), label="block") << level
    end = data.draw(st.integers(start + 1, min(start + (1 << level), MAX)), label="end")
    index = data.draw(st.integers(start, end - 1), label="index")
    subtree = MemoryNodes.from_entries(ENTRIES[start:end])
    proof = inclusion_proof(index - start, end - start, subtree)
    merkle.verify_subtree_inclusion(LEAVES[index], index, start, end, proof, subtree.root())
    with pytest.raises(ProofError):
        merkle.verify_subtree_inclusion(
            LEAVES[index], index, start, end, proof, flip(subtree.root(), index)
        )


def test_missing_nodes_are_reported() -> None:
    partial = MemoryNodes.from_entries(ENTRIES[:4])
    with pytest.raises(IntegrityError, match=r"for the root of the tree of size 6: \(level 1"):
        root(6, partial)
    with pytest.raises(InvalidInput, match="leaf index 4 is outside the tree of size 4"):
        inclusion_proof(4, 4, partial)


class UniformLog:
    """A genuine log of ``size`` identical entries: node ``(l, i)`` depends only on ``l``, so
    nodes of a huge tree are computed on demand instead of stored."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.by_level = [leaf_hash(b"same")]
        for _ in range(size.bit_length()):
            self.by_level.append(node_hash(self.by_level[-1], self.by_level[-1]))
        self.calls: list[list[NodeKey]] = []

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.calls.append(list(keys))
        return {
            (level, index): self.by_level[level]
            for level, index in keys
            if (index + 1) << level <= self.size
        }


def test_proofs_over_a_million_entries_read_log_n_nodes_in_one_call() -> None:
    n = 1_000_000
    log = UniformLog(n)
    head = root(n, log)
    assert [len(c) for c in log.calls] == [bin(n).count("1")]
    for index in (0, 1, 524_287, 524_288, 999_998, n - 1):
        log.calls.clear()
        proof = inclusion_proof(index, n, log)
        assert len(log.calls) == 1 and len(log.calls[0]) <= 2 * n.bit_length()
        verify_inclusion(log.by_level[0], index, n, proof, head)
    for old in (1, 2, 3, 65_536, 999_999):
        log.calls.clear()
        proof = consistency_proof(old, n, log)
        assert len(log.calls) == 1 and len(log.calls[0]) <= 2 * n.bit_length()
        verify_consistency(old, n, root(old, log), head, proof)


def pairwise_root(leaves: list[bytes]) -> bytes:
    """Independent MTH: hash pairs level by level, carrying an odd last node up unchanged."""
    level = leaves
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


@pytest.mark.slow
def test_compact_range_recomputes_a_million_leaves_quickly() -> None:
    leaves = [hashlib.sha256(b"\x00" + i.to_bytes(4, "big")).digest() for i in range(1_000_000)]
    started = time.perf_counter()
    streamed = merkle.root_from_leaf_hashes(leaves)
    elapsed = time.perf_counter() - started
    assert streamed == pairwise_root(leaves)
    assert elapsed < 10, f"CompactRange took {elapsed:.1f}s for 1,000,000 leaves"


@settings(max_examples=25)
@given(st.lists(st.binary(max_size=40), max_size=40))
def test_memory_nodes_and_compact_range_agree_on_arbitrary_entries(entries: list[bytes]) -> None:
    leaves = [leaf_hash(e) for e in entries]
    store = MemoryNodes.from_entries(entries)
    assert store.size == len(entries)
    assert store.root() == merkle.root_from_leaf_hashes(leaves) == reference_mth(leaves)
