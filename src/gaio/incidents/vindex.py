"""Nearest-neighbour search over incident vectors behind one interface.

:class:`ExactIndex` scans the matrix with numpy (exact; best below a few thousand vectors).
:class:`HnswIndex` is an HNSW graph built with ``usearch`` (the ``vectors`` extra) from the
same matrix, in memory, rebuilt whenever the stored vectors change (the service keys it by
the vector store's state), so it is never out of sync with the records; the same index serves
SQLite and PostgreSQL. ``GAIO_VECTOR_INDEX`` chooses ``exact`` (the default, also for
``auto``) or ``hnsw``. HNSW is opt-in because the graph is rebuilt from scratch whenever the
vectors change (every new incident): tens of seconds at 10,000 vectors on a small machine,
acceptable for a read-mostly server, not for a busy intake. pgvector is not used: the
PostgreSQL server gaio was built against has no ``vector`` extension.
Recall against the exact scan is measured in ``benchmarks/incidents/vector_index.py``.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from gaio.errors import ConfigurationError

Ids = npt.NDArray[np.int64]
Sims = npt.NDArray[np.float32]


class VectorIndex(Protocol):
    kind: str

    def search(self, query: npt.NDArray[np.float32], k: int) -> tuple[Ids, Sims]:
        """The ``k`` most similar rows: (incident ids, cosine similarities), best first."""
        ...


class ExactIndex:
    kind = "exact"

    def __init__(self, ids: Ids, matrix: npt.NDArray[np.float32]) -> None:
        self.ids, self.matrix = ids, matrix

    def search(self, query: npt.NDArray[np.float32], k: int) -> tuple[Ids, Sims]:
        k = min(k, len(self.ids))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cos = self.matrix @ query
        top = np.argpartition(-cos, k - 1)[:k]
        top = top[np.argsort(-cos[top])]
        return self.ids[top], cos[top].astype(np.float32)


class HnswIndex:
    kind = "hnsw"

    def __init__(
        self,
        ids: Ids,
        matrix: npt.NDArray[np.float32],
        *,
        connectivity: int = 16,
        expansion_add: int = 64,
        expansion_search: int = 96,
    ) -> None:
        try:
            from usearch.index import Index
        except ImportError as exc:
            raise ConfigurationError(
                "GAIO_VECTOR_INDEX=hnsw needs the 'vectors' extra: pip install 'gaio[vectors]'"
            ) from exc
        self.ids = ids
        self._index: Any = Index(
            ndim=matrix.shape[1],
            metric="cos",
            dtype="f32",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        if len(ids):
            self._index.add(np.arange(len(ids), dtype=np.uint64), matrix, threads=1)

    def search(self, query: npt.NDArray[np.float32], k: int) -> tuple[Ids, Sims]:
        k = min(k, len(self.ids))
        if k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        found = self._index.search(query, k)
        rows = np.asarray(found.keys, dtype=np.int64)
        sims = (1.0 - np.asarray(found.distances, dtype=np.float32)).astype(np.float32)
        return self.ids[rows], sims


def hnsw_available() -> bool:
    return importlib.util.find_spec("usearch") is not None


def build(ids: Ids, matrix: npt.NDArray[np.float32], choice: str | None = None) -> VectorIndex:
    """The configured index over (ids, matrix)."""
    choice = (choice or os.environ.get("GAIO_VECTOR_INDEX", "auto")).strip().lower() or "auto"
    if choice == "auto":
        choice = "exact"
    if choice == "exact":
        return ExactIndex(ids, matrix)
    if choice == "hnsw":
        return HnswIndex(ids, matrix)
    raise ConfigurationError(f"GAIO_VECTOR_INDEX={choice!r}: expected auto, exact or hnsw")
