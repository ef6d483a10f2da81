"""RFC 9162 (RFC 6962) Merkle tree: hashing, proofs read from stored nodes, and verification.

The ledger is an append-only list of entries; its commitment is the Merkle Tree Hash (MTH) of
RFC 9162 §2.1.1 with SHA-256, leaf hashes ``SHA-256(0x00 ‖ entry)`` and interior hashes
``SHA-256(0x01 ‖ left ‖ right)``. The prefixes keep a leaf from ever being read as a node.

Storage model. A store keeps every *complete aligned subtree* node, keyed ``(level, index)``:
``(0, i)`` is leaf ``i``'s hash and ``(l, i)`` covers leaves ``[i·2^l, (i+1)·2^l)``. Those nodes
never change once written, so appending is insert-only (:func:`nodes_for_append`), and every
root and proof is a handful of them folded together: :func:`root`, :func:`inclusion_proof` and
:func:`consistency_proof` compute the keys first and read them in ONE batched
:meth:`NodeReader.get_nodes` call, O(log n) nodes, never a recomputation of the tree.

Verification (:func:`verify_inclusion`, :func:`verify_consistency`) follows RFC 9162 §2.1.3.2
and §2.1.4.2 and raises :class:`ProofError` saying exactly what failed. It needs no store: it is
what a third party runs. :class:`CompactRange` recomputes a whole log's root in one streaming
pass, for audits that distrust the stored nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from gaio.errors import IntegrityError, InvalidInput, ProofError

HASH_SIZE = 32
"""Bytes in a SHA-256 hash; every leaf hash, node hash, root and proof hash has this length."""
LEAF_PREFIX = b"\x00"
"""Domain separator hashed before a leaf's entry bytes (RFC 9162 §2.1.1)."""
NODE_PREFIX = b"\x01"
"""Domain separator hashed before two child hashes (RFC 9162 §2.1.1)."""
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH of the empty list: the root of a log with no entries."""

NodeKey = tuple[int, int]
"""``(level, index)`` of a complete aligned subtree, covering leaves ``[i·2^l, (i+1)·2^l)``."""

_sha256 = hashlib.sha256


class NodeReader(Protocol):
    """Read access to stored tree nodes.

    ``get_nodes`` returns the hashes it has for ``keys``; a missing key is simply absent from the
    result, and the caller (this module) raises. It is called once per root or proof.
    """

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]: ...


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 leaf hash ``SHA-256(0x00 ‖ entry)`` of one log entry's bytes."""
    return _sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior hash ``SHA-256(0x01 ‖ left ‖ right)``."""
    return _sha256(NODE_PREFIX + left + right).digest()


def subtree_keys(start: int, end: int) -> list[NodeKey]:
    """Split the leaf range ``[start, end)`` into complete aligned subtrees, left to right.

    Each step takes the largest subtree that starts at ``start`` and fits before ``end``. When
    ``start`` is a multiple of the smallest power of two ≥ ``end - start`` (true of the whole
    tree ``[0, n)`` and of every range in an RFC 9162 proof), the sizes strictly decrease and
    :func:`fold` of their hashes is MTH(D[start:end]).
    """
    if start < 0 or end < start:
        raise InvalidInput(f"leaf range [{start}, {end}) is not a valid range")
    keys: list[NodeKey] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right-fold subtree hashes into one: ``fold([a, b, c]) = H(a, H(b, c))``; ``[]`` → empty root.

    Applied to the hashes of :func:`subtree_keys` of an aligned range, this is the range's MTH,
    because RFC 9162 splits at the largest power of two and so hangs smaller subtrees rightwards.
    """
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def nodes_for_append(
    index: int,
    leaf_hash: bytes,
    get: Callable[[Sequence[NodeKey]], Mapping[NodeKey, bytes]],
) -> list[tuple[NodeKey, bytes]]:
    """The nodes to store when leaf number ``index`` (with hash ``leaf_hash``) is appended.

    They are ``(0, index)`` and every parent that the new leaf completes: one per trailing 1 bit
    of ``index``. Building them needs the left sibling at each of those levels, all of which are
    already stored; they are fetched with at most ONE call to ``get``. Nodes come back bottom-up.
    """
    if index < 0:
        raise InvalidInput(f"leaf index must be 0 or more, got {index}")
    _require_hash("leaf hash", leaf_hash, InvalidInput)
    completed = (~index & (index + 1)).bit_length() - 1  # trailing 1 bits of index
    siblings = [(level, (index >> level) - 1) for level in range(completed)]
    found = _fetch(get, siblings, f"appending leaf {index}") if siblings else {}
    new: list[tuple[NodeKey, bytes]] = [((0, index), leaf_hash)]
    acc = leaf_hash
    for level, key in enumerate(siblings, start=1):
        acc = node_hash(found[key], acc)
        new.append(((level, index >> level), acc))
    return new


def root(size: int, reader: NodeReader) -> bytes:
    """MTH of the first ``size`` leaves, from at most ``log2(size) + 1`` stored nodes."""
    if size < 0:
        raise InvalidInput(f"tree size must be 0 or more, got {size}")
    keys = subtree_keys(0, size)
    if not keys:
        return EMPTY_ROOT
    nodes = _fetch(reader.get_nodes, keys, f"the root of the tree of size {size}")
    return fold([nodes[k] for k in keys])


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.3.1 inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

    Hashes are ordered from the leaf's sibling upwards. One batched read of O(log n) nodes.
    """
    if not 0 <= index < size:
        raise InvalidInput(f"leaf index {index} is outside the tree of size {size}")
    return _hash_ranges(_inclusion_ranges(index, size), reader, f"leaf {index} in size {size}")


def consistency_proof(old_size: int, new_size: int, reader: NodeReader) -> list[bytes]:
    """RFC 9162 §2.1.4.1 proof that the tree of ``old_size`` leaves is a prefix of ``new_size``.

    Equal sizes give an empty proof. ``old_size`` 0 is refused: every tree extends the empty
    tree, so such a proof would prove nothing (and RFC 9162 verifiers reject it).
    """
    if not 0 < old_size <= new_size:
        raise InvalidInput(
            f"consistency proof needs 0 < old size <= new size, got {old_size} and {new_size}"
        )
    if old_size == new_size:
        return []
    what = f"consistency {old_size} -> {new_size}"
    return _hash_ranges(_consistency_ranges(old_size, new_size), reader, what)


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``proof`` places ``leaf_hash`` at ``index`` in the tree of ``size`` with ``root``.

    RFC 9162 §2.1.3.2. Raises :class:`ProofError` on a bad index, a hash that is not 32 bytes
    (empty strings included), a proof of the wrong length, or a root mismatch. The proof binds
    the leaf to the pair ``(size, root)``: take both from one signed checkpoint, because a bare
    root does not fix the size it belongs to.
    """
    where = f"leaf {index} in a tree of {size}"
    computed = _root_from_inclusion(leaf_hash, index, size, proof, where)
    if computed != root:
        raise ProofError(
            f"inclusion proof for {where} does not lead to the expected root: computed "
            f"{computed.hex()}, expected {root.hex() or '(empty)'}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree ``(old_size, old_root)`` is a prefix of ``(new_size, new_root)``.

    RFC 9162 §2.1.4.2. ``old_size`` must be at least 1 (a proof from the empty tree is
    meaningless). For equal sizes the proof must be empty and the roots equal; the roots are
    compared as given, so that case makes no claim about their format.
    """
    if old_size < 1:
        raise ProofError(f"consistency proof from a tree of size {old_size} proves nothing")
    if old_size > new_size:
        raise ProofError(f"old tree size {old_size} is larger than new tree size {new_size}")
    _require_proof_hashes(proof)
    if old_size == new_size:
        if proof:
            raise ProofError(
                f"consistency proof between equal sizes {old_size} must be empty, "
                f"got {len(proof)} hashes"
            )
        if old_root != new_root:
            raise ProofError(f"two different roots for the same tree size {old_size}")
        return
    expected = len(_consistency_ranges(old_size, new_size))
    if len(proof) != expected:
        raise ProofError(
            f"consistency proof has {len(proof)} hashes, expected {expected} "
            f"from size {old_size} to size {new_size}"
        )
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof from size {old_size} is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"consistency proof from size {old_size} is too short")
    if fr != old_root:
        raise ProofError(
            f"consistency proof does not reproduce the old root of size {old_size}: "
            f"computed {fr.hex()}, expected {old_root.hex() or '(empty)'}"
        )
    if sr != new_root:
        raise ProofError(
            f"consistency proof does not reproduce the new root of size {new_size}: "
            f"computed {sr.hex()}, expected {new_root.hex() or '(empty)'}"
        )


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH of a whole log from its leaf hashes, streamed: O(log n) memory, ~2 hashes a leaf."""
    compact = CompactRange()
    for h in leaf_hashes:
        compact.append(h)
    return compact.root()


class CompactRange:
    """The right border of a growing tree: one complete-subtree hash per 1 bit of the size.

    Appending a leaf merges it with the equal-sized subtrees to its left, like carrying in a
    binary counter; :meth:`root` folds the border. Feeding every leaf recomputes a log's root
    without any stored node, so it is the independent check of a store.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._hashes: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Add the next leaf's hash (a 32-byte :func:`leaf_hash`, not the entry)."""
        if len(leaf_hash) != HASH_SIZE:
            raise InvalidInput(f"leaf hash must be {HASH_SIZE} bytes, got {len(leaf_hash)}")
        hashes, n, acc = self._hashes, self._size, leaf_hash
        while n & 1:
            acc = _sha256(NODE_PREFIX + hashes.pop() + acc).digest()
            n >>= 1
        hashes.append(acc)
        self._size += 1

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        return fold(self._hashes)


class MemoryNodes:
    """A dict-backed node store: a :class:`NodeReader` that can also append.

    For tests and for recomputing a log offline; the database store keeps the same keys.
    """

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, bytes] = {}
        self._size = 0

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> MemoryNodes:
        """A store holding the tree of ``entries`` (raw entry bytes, hashed as leaves)."""
        store = cls()
        for entry in entries:
            store.append(leaf_hash(entry))
        return store

    @property
    def size(self) -> int:
        """Number of leaves stored."""
        return self._size

    def append(self, leaf_hash: bytes) -> int:
        """Store the next leaf hash and the parents it completes; return its index."""
        index = self._size
        self._nodes.update(nodes_for_append(index, leaf_hash, self.get_nodes))
        self._size += 1
        return index

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        """Stored hashes for ``keys``; keys not stored are left out."""
        return {k: self._nodes[k] for k in keys if k in self._nodes}

    def root(self) -> bytes:
        """MTH of everything stored."""
        return root(self._size, self)


def _split(n: int) -> int:
    """RFC 9162's k: the largest power of two strictly smaller than ``n`` (``n`` >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose MTHs make up PATH(index, D[0:size]), in proof order (leaf level first)."""
    lo, hi = 0, size
    ranges: list[tuple[int, int]] = []
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            ranges.append((mid, hi))
            hi = mid
        else:
            ranges.append((lo, mid))
            lo = mid
    ranges.reverse()
    return ranges


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """Leaf ranges of SUBPROOF(old_size, D[0:new_size], true), in proof order; 0 < old < new."""
    lo, hi, whole = 0, new_size, True
    ranges: list[tuple[int, int]] = []
    while old_size != hi:
        mid = lo + _split(hi - lo)
        if old_size <= mid:
            ranges.append((mid, hi))
            hi = mid
        else:
            ranges.append((lo, mid))
            lo, whole = mid, False
    if not whole:  # the old tree's last subtree is not known to the verifier: send it
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def _hash_ranges(ranges: list[tuple[int, int]], reader: NodeReader, what: str) -> list[bytes]:
    """The MTH of each aligned range, all nodes read in one call."""
    per_range = [subtree_keys(a, b) for a, b in ranges]
    nodes = _fetch(reader.get_nodes, [k for keys in per_range for k in keys], what)
    return [fold([nodes[k] for k in keys]) for keys in per_range]


def _fetch(
    get: Callable[[Sequence[NodeKey]], Mapping[NodeKey, bytes]],
    keys: list[NodeKey],
    what: str,
) -> Mapping[NodeKey, bytes]:
    nodes = get(keys)
    missing = [k for k in keys if k not in nodes]
    if missing:
        shown = ", ".join(f"(level {lv}, index {ix})" for lv, ix in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise IntegrityError(f"tree nodes missing from the store for {what}: {shown}{more}")
    return nodes


def _require_hash(name: str, value: bytes, error: type[Exception] = ProofError) -> None:
    if len(value) != HASH_SIZE:
        raise error(f"{name} must be {HASH_SIZE} bytes, got {len(value)}")


def _require_proof_hashes(proof: Sequence[bytes]) -> None:
    for i, h in enumerate(proof):
        _require_hash(f"proof hash {i}", h)


def _root_from_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], where: str
) -> bytes:
    """RFC 9162 §2.1.3.2 steps 1-4: the root that ``proof`` implies for ``leaf``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside the tree of size {size}")
    _require_hash("leaf hash", leaf)
    _require_proof_hashes(proof)
    expected = len(_inclusion_ranges(index, size))
    if len(proof) != expected:
        raise ProofError(
            f"inclusion proof has {len(proof)} hashes, expected {expected} for {where}"
        )
    fn, sn, acc = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError(f"inclusion proof for {where} is too long")
        if fn & 1 or fn == sn:
            acc = node_hash(p, acc)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            acc = node_hash(acc, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"inclusion proof for {where} is too short")
    return acc


def verify_subtree_inclusion(
    leaf_hash: bytes, index: int, start: int, end: int, proof: Sequence[bytes], subtree_root: bytes
) -> None:
    """Check that leaf ``index`` is in the subtree ``[start, end)`` whose hash is ``subtree_root``.

    A subtree proof from draft-ietf-plants-merkle-tree-certs (as in transparency-dev/merkle):
    ``[start, end)`` must be a valid subtree (non-empty, ``start`` a multiple of the smallest
    power of two >= ``end - start``), and the proof is then an ordinary inclusion proof of
    ``index - start`` in the tree of the subtree's ``end - start`` leaves.
    """
    _require_valid_subtree(start, end)
    if not start <= index < end:
        raise ProofError(f"leaf index {index} is outside the subtree [{start}, {end})")
    where = f"leaf {index} in the subtree [{start}, {end})"
    computed = _root_from_inclusion(leaf_hash, index - start, end - start, proof, where)
    if computed != subtree_root:
        raise ProofError(f"inclusion proof for {where} does not lead to the subtree hash")


def verify_subtree_consistency(
    start: int, end: int, size: int, subtree_root: bytes, root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the subtree ``[start, end)`` with hash ``subtree_root`` is part of the tree
    of ``size`` leaves with ``root`` (draft-ietf-plants-merkle-tree-certs subtree consistency).

    With ``start = 0`` this is an RFC 9162 consistency proof from size ``end``. The empty range
    (``start == end <= size``) is accepted only with the empty-tree hash and an empty proof, as
    the transparency-dev/merkle test vectors require; it says nothing about ``root``.
    """
    if start == end:
        if end > size:
            raise ProofError(f"empty subtree at {start} lies beyond the tree of size {size}")
        if subtree_root != EMPTY_ROOT:
            raise ProofError("an empty subtree's hash must be the empty-tree hash")
        if proof:
            raise ProofError(f"proof for an empty subtree must be empty, got {len(proof)} hashes")
        return
    _require_valid_subtree(start, end)
    if end > size:
        raise ProofError(f"subtree [{start}, {end}) lies beyond the tree of size {size}")
    _require_proof_hashes(proof)
    fn, sn, tn = start, end - 1, size - 1
    if sn == tn:  # the subtree lies on the right border: start from its own root
        while fn != sn:
            fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
    else:
        while fn != sn and sn & 1:
            fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
    if fn == sn:
        fr = sr = subtree_root
        rest = list(proof)
    else:
        if not proof:
            raise ProofError(f"empty consistency proof for subtree [{start}, {end}) of {size}")
        fr = sr = proof[0]
        rest = list(proof[1:])
    for c in rest:
        if tn == 0:
            raise ProofError(f"consistency proof for subtree [{start}, {end}) is too long")
        if sn & 1 or sn == tn:
            if fn < sn:
                fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not sn & 1 and sn:
                fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn, tn = fn >> 1, sn >> 1, tn >> 1
    if tn != 0:
        raise ProofError(f"consistency proof for subtree [{start}, {end}) is too short")
    if fr != subtree_root:
        raise ProofError(f"consistency proof does not reproduce subtree [{start}, {end})'s hash")
    if sr != root:
        raise ProofError(f"consistency proof does not reproduce the root of size {size}")


def _require_valid_subtree(start: int, end: int) -> None:
    if not 0 <= start < end:
        raise ProofError(f"subtree [{start}, {end}) is empty or reversed")
    width = 1 << (end - start - 1).bit_length()  # smallest power of two >= end - start
    if start % width:
        raise ProofError(
            f"subtree [{start}, {end}) is not aligned: start must be a multiple of {width}"
        )
