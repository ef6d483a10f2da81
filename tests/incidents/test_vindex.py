"""The vector index interface: HNSW (usearch) agrees with the exact scan; bad choices are one
clear error."""

from __future__ import annotations

import numpy as np
import pytest

from gaio.errors import ConfigurationError
from gaio.incidents import vindex
from gaio.incidents.embed import HashingEmbedder


def test_hnsw_matches_the_exact_scan_on_incident_like_texts() -> None:
    pytest.importorskip("usearch")
    words = [
        "car",
        "bank",
        "face",
        "chatbot",
        "loan",
        "police",
        "hiring",
        "school",
        "robot",
        "drone",
        "court",
        "price",
    ]
    rng = np.random.default_rng(3)
    texts = [" ".join(rng.choice(words, 8)) + f" case {i}" for i in range(600)]
    mat = HashingEmbedder().embed(texts)
    ids = np.arange(100, 700, dtype=np.int64)
    exact, hnsw = vindex.ExactIndex(ids, mat), vindex.HnswIndex(ids, mat)
    recall = []
    for q in HashingEmbedder().embed(texts[:50]):
        want, sims = exact.search(q, 10)
        got, _ = hnsw.search(q, 10)
        assert list(sims) == sorted(sims, reverse=True)
        recall.append(len(set(want) & set(got)) / 10)
    assert np.mean(recall) >= 0.95
    assert vindex.ExactIndex(ids[:0], mat[:0]).search(mat[0], 10)[0].size == 0


def test_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    mat = HashingEmbedder().embed(["a b", "c d"])
    ids = np.array([1, 2], dtype=np.int64)
    assert vindex.build(ids, mat).kind == "exact"
    with pytest.raises(ConfigurationError, match="GAIO_VECTOR_INDEX"):
        vindex.build(ids, mat, "annoy")
