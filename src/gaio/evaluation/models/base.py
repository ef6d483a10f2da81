"""The ModelAdapter extension point and :func:`load_model`, which picks an adapter safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from gaio.errors import InvalidInput

#: Feature columns by name, in the model's order; object arrays hold text (None = missing).
Features = dict[str, np.ndarray[Any, Any]]

PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".sav")


@runtime_checkable
class ModelAdapter(Protocol):
    """Anything that turns a batch of feature rows into predictions (one per row)."""

    kind: str

    def predict(self, features: Features) -> np.ndarray[Any, Any]: ...


def load_model(
    location: str | Path,
    *,
    trust_pickle: bool = False,
    timeout: float = 10.0,
    retries: int = 3,
    batch_size: int = 256,
) -> ModelAdapter:
    """An adapter for a file (``.onnx``, ``.skops``; a pickle only with ``trust_pickle``) or
    an ``http(s)://`` endpoint. Raises InvalidInput when the model cannot be used."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        from gaio.evaluation.models.http import HttpModel

        return HttpModel(text, timeout=timeout, retries=retries, batch_size=batch_size)
    path = Path(text)
    if not path.is_file():
        raise InvalidInput(f"No such model file: {text!r}.")
    suffix = path.suffix.lower()
    if suffix == ".onnx":
        from gaio.evaluation.models.onnx import OnnxModel

        return OnnxModel(path)
    if suffix == ".skops":
        from gaio.evaluation.models.sklearn import load_skops

        return load_skops(path)
    if suffix in PICKLE_SUFFIXES:
        if not trust_pickle:
            raise InvalidInput(
                f"{text!r} is a pickle, and loading a pickle runs any code inside it. gaio does "
                "not unpickle files: convert the model to ONNX or skops, or pass --trust-pickle "
                "if you trust where this file comes from."
            )
        from gaio.evaluation.models.sklearn import load_trusted_pickle

        return load_trusted_pickle(path)
    raise InvalidInput(
        f"Cannot tell the model format of {text!r}: use .onnx, .skops, an http(s):// endpoint, "
        "or a pickle with --trust-pickle."
    )
