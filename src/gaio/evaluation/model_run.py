"""Model-based use cases: robustness and explainability. The model is loaded safely
(:func:`gaio.evaluation.models.load_model`); the data is read into memory, sampled if asked."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gaio.evaluation.explain import permutation_importance, shap_mean_abs
from gaio.evaluation.modeldata import load_features
from gaio.evaluation.models.base import load_model
from gaio.evaluation.result import (
    ExplainResult,
    InputDigest,
    RobustnessResult,
    RowsReport,
    provenance,
    sha256_file,
    sha256_text,
)
from gaio.evaluation.robustness import DEFAULT_LEVELS, PERTURBATIONS, degradation_curve
from gaio.evaluation.sources import digests


def _no_progress(_: str) -> None:
    return None


def _model_digest(model: str | Path) -> InputDigest:
    text = str(model)
    if text.startswith(("http://", "https://")):
        return InputDigest(role="model", path=text, sha256=sha256_text(text))
    sha, size = sha256_file(Path(text))
    return InputDigest(role="model", path=text, sha256=sha, size_bytes=size)


def evaluate_robustness(
    model: str | Path,
    data: str | Path,
    *,
    label: str,
    features: Sequence[str] | None = None,
    metric: str = "accuracy",
    perturbations: Sequence[str] = PERTURBATIONS,
    levels: Sequence[float] = DEFAULT_LEVELS,
    sample: int | None = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    trust_pickle: bool = False,
    timeout: float = 10.0,
    retries: int = 3,
    batch_size: int = 256,
    progress: Callable[[str], None] = _no_progress,
) -> RobustnessResult:
    """The metric on clean data and under each perturbation and level (a degradation curve)."""
    start = time.perf_counter()
    adapter = load_model(
        model, trust_pickle=trust_pickle, timeout=timeout, retries=retries, batch_size=batch_size
    )
    table, source = load_features(str(data), label, features, sample, seed)
    rng = np.random.default_rng(seed)
    baseline, curve = degradation_curve(
        adapter,
        table.features,
        table.label,
        metric=metric,
        levels=levels,
        perturbations=perturbations,
        rng=rng,
        confidence=confidence,
        progress=progress,
    )
    parameters: dict[str, Any] = {
        "label": label,
        "features": list(table.features),
        "metric": metric,
        "perturbations": list(perturbations),
        "levels": list(levels),
        "sample": sample,
        "seed": seed,
        "confidence": confidence,
        "model_kind": adapter.kind,
    }
    return RobustnessResult(
        metric=metric,
        baseline=baseline,
        curve=curve,
        inputs=[*digests(source, "data"), _model_digest(model)],
        parameters=parameters,
        rows=RowsReport(read=table.rows_read, used=table.rows_read),
        provenance=provenance(),
        timings={"total": round(time.perf_counter() - start, 6)},
    )


def evaluate_explain(
    model: str | Path,
    data: str | Path,
    *,
    label: str,
    features: Sequence[str] | None = None,
    metric: str = "accuracy",
    repeats: int = 5,
    sample: int | None = 10_000,
    seed: int = 0,
    shap: bool = False,
    trust_pickle: bool = False,
    timeout: float = 10.0,
    retries: int = 3,
    batch_size: int = 256,
    progress: Callable[[str], None] = _no_progress,
) -> ExplainResult:
    """Permutation feature importance (and mean |SHAP| per feature with ``shap=True``)."""
    start = time.perf_counter()
    adapter = load_model(
        model, trust_pickle=trust_pickle, timeout=timeout, retries=retries, batch_size=batch_size
    )
    table, source = load_features(str(data), label, features, sample, seed)
    rng = np.random.default_rng(seed)
    baseline, importances = permutation_importance(
        adapter,
        table.features,
        table.label,
        metric=metric,
        repeats=repeats,
        rng=rng,
        progress=progress,
    )
    shap_values = shap_mean_abs(adapter, table.features, 100, rng) if shap else None
    parameters: dict[str, Any] = {
        "label": label,
        "features": list(table.features),
        "metric": metric,
        "repeats": repeats,
        "sample": sample,
        "seed": seed,
        "shap": shap,
        "model_kind": adapter.kind,
    }
    return ExplainResult(
        metric=metric,
        baseline=baseline,
        importances=importances,
        shap_mean_abs=shap_values,
        inputs=[*digests(source, "data"), _model_digest(model)],
        parameters=parameters,
        rows=RowsReport(read=table.rows_read, used=table.rows_read),
        provenance=provenance(),
        timings={"total": round(time.perf_counter() - start, 6)},
    )
