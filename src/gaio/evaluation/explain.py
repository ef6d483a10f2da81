"""Explainability: permutation feature importance (Breiman 2001), seeded; SHAP when installed.

Importance of a feature = mean drop of the metric when that column is shuffled (for error
metrics, the mean rise), over ``repeats`` shuffles drawn from the caller's Generator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gaio.errors import ConfigurationError, InvalidInput
from gaio.evaluation.models.base import Features, ModelAdapter
from gaio.evaluation.result import FeatureImportance
from gaio.evaluation.robustness import metric_function


def permutation_importance(
    model: ModelAdapter,
    features: Features,
    y: np.ndarray[Any, Any],
    *,
    metric: str,
    repeats: int,
    rng: np.random.Generator,
    progress: Callable[[str], None],
) -> tuple[float, list[FeatureImportance]]:
    fn, higher_is_better = metric_function(metric)
    baseline = fn(y, model.predict(features))
    out = []
    for name in features:
        progress(f"permuting {name}")
        drops = []
        for _ in range(repeats):
            shuffled = dict(features)
            shuffled[name] = features[name][rng.permutation(len(y))]
            value = fn(y, model.predict(shuffled))
            drops.append(baseline - value if higher_is_better else value - baseline)
        out.append(
            FeatureImportance(
                feature=name, importance=float(np.mean(drops)), std=float(np.std(drops))
            )
        )
    out.sort(key=lambda f: -f.importance)
    return baseline, out


def shap_mean_abs(
    model: ModelAdapter, features: Features, background: int, rng: np.random.Generator
) -> dict[str, float]:
    """Mean |SHAP value| per feature with a model-agnostic explainer (extra ``gaio[shap]``)."""
    try:
        import shap
    except ImportError as exc:
        raise ConfigurationError("SHAP values need the shap package: install gaio[shap].") from exc
    names = list(features)
    if any(features[n].dtype.kind not in "fiub" for n in names):
        raise InvalidInput(
            "SHAP here needs numeric features; drop --shap or encode the categories."
        )
    matrix = np.column_stack([features[n].astype(float) for n in names])
    idx = rng.choice(len(matrix), size=min(background, len(matrix)), replace=False)

    def f(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return model.predict({n: x[:, i] for i, n in enumerate(names)}).astype(float)

    explainer = shap.Explainer(f, matrix[idx])
    values = explainer(matrix[idx]).values
    return {n: float(np.mean(np.abs(values[:, i]))) for i, n in enumerate(names)}
