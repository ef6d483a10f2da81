"""scikit-learn models: through skops (safe by default), or a pickle the user trusts."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np

from gaio.errors import ConfigurationError, InvalidInput
from gaio.evaluation.models.base import Features


class SklearnModel:
    """Wraps an estimator with ``predict``; passes a DataFrame when it was fitted on one."""

    kind = "sklearn"

    def __init__(self, estimator: Any) -> None:
        if not hasattr(estimator, "predict"):
            raise InvalidInput(f"The loaded object ({type(estimator).__name__}) has no predict().")
        self.estimator = estimator

    def predict(self, features: Features) -> np.ndarray[Any, Any]:
        names = getattr(self.estimator, "feature_names_in_", None)
        if names is not None:
            import pandas as pd

            frame = pd.DataFrame({n: features[n] for n in names})
            return np.asarray(self.estimator.predict(frame))
        matrix = np.column_stack([features[n] for n in features])
        return np.asarray(self.estimator.predict(matrix))


def load_skops(path: Path) -> SklearnModel:
    try:
        import skops.io as sio
    except ImportError as exc:
        raise ConfigurationError(
            "Loading .skops models needs skops: install gaio[models]."
        ) from exc
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises many kinds on a corrupt file
        raise InvalidInput(f"Cannot read model {str(path)!r}: {exc}") from exc
    if untrusted:
        raise InvalidInput(
            f"Model {str(path)!r} contains types skops does not trust by default: "
            f"{', '.join(untrusted)}. Review them; gaio does not load untrusted types."
        )
    try:
        return SklearnModel(sio.load(path, trusted=[]))
    except Exception as exc:
        raise InvalidInput(f"Cannot load model {str(path)!r}: {exc}") from exc


def load_trusted_pickle(path: Path) -> SklearnModel:
    """Unpickle a file the user vouched for (--trust-pickle)."""
    try:
        with path.open("rb") as fh:
            return SklearnModel(pickle.load(fh))  # noqa: S301 - explicit user trust
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise InvalidInput(f"Cannot unpickle model {str(path)!r}: {exc}") from exc
