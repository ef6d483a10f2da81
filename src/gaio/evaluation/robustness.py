"""Robustness: how a metric degrades under seeded perturbations of the features.

Perturbations, each at increasing severity ``level``:

- ``gaussian_noise``: numeric features + N(0, (level · std)²);
- ``category_swap``: each categorical value replaced, with probability ``level``, by another
  value seen in that column;
- ``missing``: each value set missing (NaN / None) with probability ``level``.

One ``numpy`` Generator seeded by the caller drives every draw, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gaio.errors import GaioError, InvalidInput
from gaio.evaluation.metrics import wilson_interval
from gaio.evaluation.models.base import Features, ModelAdapter
from gaio.evaluation.result import CurvePoint, MetricValue

DEFAULT_LEVELS = (0.05, 0.1, 0.2, 0.5)
PERTURBATIONS = ("gaussian_noise", "category_swap", "missing")
Array = np.ndarray[Any, Any]


def metric_function(name: str) -> tuple[Callable[[Array, Array], float], bool]:
    """The metric and whether higher is better."""
    if name == "accuracy":
        return (lambda y, p: float(np.mean(_same(y, p)))), True
    if name == "mae":
        return (lambda y, p: float(np.mean(np.abs(p.astype(float) - y.astype(float))))), False
    if name == "rmse":
        return (
            lambda y, p: float(np.sqrt(np.mean((p.astype(float) - y.astype(float)) ** 2)))
        ), False
    raise InvalidInput(f"Unknown metric {name!r}: use accuracy, mae or rmse.")


def _same(y: Array, p: Array) -> Array:
    if y.dtype.kind in "fiub" and p.dtype.kind in "fiub":
        return np.asarray(y.astype(float) == p.astype(float))
    return np.asarray([str(a) == str(b) for a, b in zip(y, p, strict=True)])


def score(
    model: ModelAdapter, features: Features, y: Array, metric: str, confidence: float
) -> MetricValue:
    fn, _ = metric_function(metric)
    try:
        predictions = model.predict(features)
    except GaioError:
        raise
    except Exception as exc:  # the model's own failure on perturbed input is a finding
        return MetricValue(
            value=None, undefined_reason=f"the model failed: {type(exc).__name__}: {exc}"
        )
    if len(predictions) != len(y):
        raise InvalidInput(f"The model returned {len(predictions)} predictions for {len(y)} rows.")
    value = fn(y, predictions)
    if metric == "accuracy":
        k = round(value * len(y))
        lo, hi = wilson_interval(k, len(y), confidence)
        return MetricValue(
            value=value, ci_low=lo, ci_high=hi, ci_method="wilson", numerator=k, denominator=len(y)
        )
    return MetricValue(value=value)


def perturb(
    features: Features, kind: str, level: float, rng: np.random.Generator
) -> Features | None:
    """A perturbed copy, or None when the kind does not apply (no column of that type)."""
    out = dict(features)
    touched = False
    for name, col in features.items():
        numeric = col.dtype.kind in "fiu"
        if kind == "gaussian_noise" and numeric:
            std = float(np.nanstd(col.astype(float))) or 1.0
            out[name] = col.astype(float) + rng.normal(0.0, level * std, size=col.shape)
            touched = True
        elif kind == "category_swap" and not numeric and col.dtype.kind != "b":
            values = np.unique(col[np.array([v is not None for v in col])].astype(str))
            if values.size < 2:
                continue
            swap = rng.random(col.shape) < level
            replacement = rng.choice(values, size=col.shape)
            new = col.astype(object).copy()
            new[swap] = replacement[swap]
            out[name] = new
            touched = True
        elif kind == "missing":
            hole = rng.random(col.shape) < level
            if numeric:
                new_f = col.astype(float).copy()
                new_f[hole] = np.nan
                out[name] = new_f
            else:
                new_o = col.astype(object).copy()
                new_o[hole] = None
                out[name] = new_o
            touched = True
    return out if touched else None


def degradation_curve(
    model: ModelAdapter,
    features: Features,
    y: Array,
    *,
    metric: str,
    levels: Sequence[float],
    perturbations: Sequence[str],
    rng: np.random.Generator,
    confidence: float,
    progress: Callable[[str], None],
) -> tuple[MetricValue, list[CurvePoint]]:
    unknown = [p for p in perturbations if p not in PERTURBATIONS]
    if unknown:
        raise InvalidInput(f"Unknown perturbation(s) {unknown}; known: {', '.join(PERTURBATIONS)}.")
    baseline = score(model, features, y, metric, confidence)
    if baseline.value is None:
        raise InvalidInput(f"The model fails on the unperturbed data: {baseline.undefined_reason}")
    curve: list[CurvePoint] = []
    for kind in perturbations:
        for level in levels:
            progress(f"{kind} at {level:g}")
            perturbed = perturb(features, kind, level, rng)
            if perturbed is None:
                continue
            curve.append(
                CurvePoint(
                    perturbation=kind,
                    level=level,
                    metric=score(model, perturbed, y, metric, confidence),
                )
            )
    return baseline, curve
