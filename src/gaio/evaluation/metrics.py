"""Metric definitions, derived only from sufficient statistics.

Every rate is the standard one: numerator and denominator both taken *within* the group (AI
Verify's toolbox divides by population totals instead; see ``tests/evaluation/test_aiverify_
difference.py``). When a denominator is zero the value is ``None`` with a reason, never 0.

Functions here are vectorised over leading axes, so the bootstrap evaluates all its resamples
with the same code as the point estimate: ``counts`` is an array ``(..., groups, 4)`` of TP, FP,
TN, FN and the results are float arrays with NaN where undefined.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from gaio.evaluation.result import MetricValue
from gaio.evaluation.stats import FN, FP, TN, TP, FloatArray, IntArray, ScoreTable


@dataclass(frozen=True)
class RateDefinition:
    """A rate ``sum(counts[numerator]) / sum(counts[denominator])`` and why it can be undefined."""

    name: str
    numerator: tuple[int, ...]
    denominator: tuple[int, ...]
    undefined: str


_ALL = (TP, FP, TN, FN)

RATES: tuple[RateDefinition, ...] = (
    RateDefinition("base_rate", (TP, FN), _ALL, "empty group"),
    RateDefinition("selection_rate", (TP, FP), _ALL, "empty group"),
    RateDefinition("tpr", (TP,), (TP, FN), "no actual positives"),
    RateDefinition("fpr", (FP,), (FP, TN), "no actual negatives"),
    RateDefinition("tnr", (TN,), (FP, TN), "no actual negatives"),
    RateDefinition("fnr", (FN,), (TP, FN), "no actual positives"),
    RateDefinition("ppv", (TP,), (TP, FP), "no predicted positives"),
    RateDefinition("npv", (TN,), (TN, FN), "no predicted negatives"),
    RateDefinition("fdr", (FP,), (TP, FP), "no predicted positives"),
    RateDefinition("for", (FN,), (TN, FN), "no predicted negatives"),
    RateDefinition("accuracy", (TP, TN), _ALL, "empty group"),
)
RATE_BY_NAME = {r.name: r for r in RATES}

#: Non-rate metrics computed from counts (bootstrap intervals).
F1_UNDEFINED = "no actual or predicted positives"


@dataclass(frozen=True)
class DisparityDefinition:
    """A disparity compares one or more per-group metrics; with several (equalized odds) the
    difference is the largest of the components and the ratio the smallest, as in fairlearn."""

    name: str
    metrics: tuple[str, ...]
    kinds: tuple[str, ...] = ("difference", "ratio")


DISPARITIES: tuple[DisparityDefinition, ...] = (
    DisparityDefinition("demographic_parity", ("selection_rate",)),
    DisparityDefinition("equalized_odds", ("tpr", "fpr")),
    DisparityDefinition("equal_opportunity", ("tpr",)),
    DisparityDefinition("predictive_parity", ("ppv",)),
    DisparityDefinition("disparate_impact", ("selection_rate",), ("ratio",)),
    DisparityDefinition("accuracy_parity", ("accuracy",)),
)

FOUR_FIFTHS = 0.8


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def _safe_divide(num: FloatArray, den: FloatArray) -> FloatArray:
    out = np.full(np.broadcast(num, den).shape, np.nan, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def rate_arrays(counts: IntArray) -> dict[str, FloatArray]:
    """Every rate and F1 for counts ``(..., 4)``; NaN where the denominator is zero."""
    c = counts.astype(np.float64)
    out: dict[str, FloatArray] = {}
    for rate in RATES:
        num = c[..., list(rate.numerator)].sum(axis=-1)
        den = c[..., list(rate.denominator)].sum(axis=-1)
        out[rate.name] = _safe_divide(num, den)
    tp, fp, fn = c[..., TP], c[..., FP], c[..., FN]
    out["f1"] = _safe_divide(2 * tp, 2 * tp + fp + fn)
    return out


def wilson_interval(k: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927), clipped to [0, 1]."""
    if n <= 0:
        raise ValueError("wilson_interval needs n > 0")
    z = z_value(confidence)
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_values(counts: IntArray, confidence: float) -> dict[str, MetricValue]:
    """Every rate of one group's counts ``(4,)`` with its Wilson interval."""
    out: dict[str, MetricValue] = {}
    for rate in RATES:
        num = int(counts[list(rate.numerator)].sum())
        den = int(counts[list(rate.denominator)].sum())
        if den == 0:
            out[rate.name] = MetricValue(
                value=None, numerator=num, denominator=den, undefined_reason=rate.undefined
            )
            continue
        lo, hi = wilson_interval(num, den, confidence)
        out[rate.name] = MetricValue(
            value=num / den,
            ci_low=lo,
            ci_high=hi,
            ci_method="wilson",
            numerator=num,
            denominator=den,
        )
    tp, fp, fn = int(counts[TP]), int(counts[FP]), int(counts[FN])
    den = 2 * tp + fp + fn
    out["f1"] = (
        MetricValue(value=2 * tp / den)
        if den
        else MetricValue(value=None, undefined_reason=F1_UNDEFINED)
    )
    return out


# --- score-based metrics -------------------------------------------------------------------


def expected_calibration_error(
    bin_counts: IntArray, bin_score_sums: FloatArray, positive: int
) -> float | None:
    """ECE over equal-width bins: Σ_b n_b/n · |mean label_b − mean score_b|.

    Equal to Σ_b |positives_b − score sum_b| / n, which is what the histogram holds.
    """
    n_per_bin = bin_counts.sum(axis=-1)
    n = int(n_per_bin.sum())
    if n == 0:
        return None
    positives = bin_counts[:, positive].astype(np.float64)
    return float(np.abs(positives - bin_score_sums).sum() / n)


def roc_auc(table: ScoreTable, positive: int) -> tuple[float | None, int, int]:
    """Exact ROC AUC (ties count one half) from the distinct-score table; also (P, N)."""
    pos = table.counts[:, positive].astype(np.float64)
    neg = table.counts.sum(axis=1).astype(np.float64) - pos
    n_pos, n_neg = int(pos.sum()), int(neg.sum())
    if n_pos == 0 or n_neg == 0:
        return None, n_pos, n_neg
    neg_below = np.cumsum(neg) - neg
    auc = float((pos * (neg_below + 0.5 * neg)).sum() / (n_pos * n_neg))
    return auc, n_pos, n_neg


def hanley_mcneil_interval(
    auc: float, n_pos: int, n_neg: int, confidence: float
) -> tuple[float, float]:
    """Hanley & McNeil (1982) normal interval for an AUC, clipped to [0, 1]."""
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)) / (
        n_pos * n_neg
    )
    half = z_value(confidence) * math.sqrt(max(var, 0.0))
    return max(0.0, auc - half), min(1.0, auc + half)


# --- disparities ---------------------------------------------------------------------------


def _worst_vs_best(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """max − min and min / max over the last axis, ignoring NaN; NaN with < 2 defined groups."""
    defined = ~np.isnan(values)
    enough = defined.sum(axis=-1) >= 2
    hi = np.where(defined, values, -np.inf).max(axis=-1)
    lo = np.where(defined, values, np.inf).min(axis=-1)
    diff = np.where(enough, hi - lo, np.nan)
    ratio = _safe_divide(np.where(enough, lo, np.nan), np.where(enough, hi, np.nan))
    return diff, ratio


def worst_vs_best(
    rates: Mapping[str, FloatArray], definition: DisparityDefinition
) -> dict[str, FloatArray]:
    """``{"difference": …, "ratio": …}`` for one disparity, vectorised over leading axes."""
    diffs, ratios = zip(*(_worst_vs_best(rates[m]) for m in definition.metrics), strict=True)
    return {
        "difference": np.maximum.reduce(list(diffs)) if len(diffs) > 1 else diffs[0],
        "ratio": np.minimum.reduce(list(ratios)) if len(ratios) > 1 else ratios[0],
    }


def worst_vs_best_groups(
    rates: Mapping[str, FloatArray], definition: DisparityDefinition
) -> dict[str, tuple[int, int, str] | None]:
    """Which groups a point worst-vs-best disparity compares: per kind, (index of the group
    with the lowest value, index of the group with the highest, the component metric that
    decided it); None when the disparity is undefined. ``rates`` hold one value per group."""
    out: dict[str, tuple[int, int, str] | None] = {}
    candidates = []
    for name in definition.metrics:
        values = np.asarray(rates[name], dtype=np.float64)
        defined = ~np.isnan(values)
        if defined.sum() < 2:
            continue
        lo = int(np.where(defined, values, np.inf).argmin())
        hi = int(np.where(defined, values, -np.inf).argmax())
        ratio = values[lo] / values[hi] if values[hi] != 0 else np.nan
        candidates.append((float(values[hi] - values[lo]), float(ratio), lo, hi, name))
    if not candidates:
        return {"difference": None, "ratio": None}
    d = max(candidates, key=lambda c: c[0])
    out["difference"] = (d[2], d[3], d[4])
    defined_ratios = [c for c in candidates if not np.isnan(c[1])]
    r = min(defined_ratios, key=lambda c: c[1]) if defined_ratios else None
    out["ratio"] = (r[2], r[3], r[4]) if r is not None else None
    return out


def vs_reference(
    rates: Mapping[str, FloatArray], definition: DisparityDefinition, ref: int
) -> dict[str, FloatArray]:
    """Each group against the reference group ``ref``: arrays ``(..., groups)``.

    With one component: group − reference and group / reference. With several (equalized
    odds) the difference is the largest absolute component and the ratio the component
    furthest from parity, folded to ≤ 1, so that the definition is symmetric.
    """
    diffs: list[FloatArray] = []
    ratios: list[FloatArray] = []
    for m in definition.metrics:
        r = rates[m]
        ref_r = r[..., ref : ref + 1]
        diffs.append(r - ref_r)
        ratios.append(_safe_divide(r, np.broadcast_to(ref_r, r.shape)))
    if len(diffs) == 1:
        return {"difference": diffs[0], "ratio": ratios[0]}
    folded = [np.minimum(x, _safe_divide(np.ones_like(x), x)) for x in ratios]
    return {
        "difference": np.maximum.reduce([np.abs(d) for d in diffs]),
        "ratio": np.minimum.reduce(folded),
    }


def undefined_disparity_reason(
    rates: Mapping[str, FloatArray], definition: DisparityDefinition
) -> str:
    names = ", ".join(definition.metrics)
    defined = min(int((~np.isnan(rates[m])).sum()) for m in definition.metrics)
    if defined < 2:
        return f"{names} defined for {defined} group(s); a disparity needs two"
    return f"{names} is zero in the denominator group (0 / 0 or x / 0)"


# --- regression ----------------------------------------------------------------------------


def regression_values(
    n: int,
    sum_abs: float,
    sum_sq: float,
    sum_e4: float,
    m2_label: float,
    confidence: float,
) -> dict[str, MetricValue]:
    """MAE, RMSE and R² with normal (CLT / delta-method) intervals for MAE and RMSE."""
    if n == 0:
        reason = "empty group"
        return {m: MetricValue(value=None, undefined_reason=reason) for m in ("mae", "rmse", "r2")}
    z = z_value(confidence)
    mae = sum_abs / n
    mse = sum_sq / n
    rmse = math.sqrt(mse)
    out: dict[str, MetricValue] = {}
    if n > 1:
        sd_abs = math.sqrt(max(mse - mae * mae, 0.0) * n / (n - 1))
        half = z * sd_abs / math.sqrt(n)
        out["mae"] = MetricValue(
            value=mae, ci_low=max(0.0, mae - half), ci_high=mae + half, ci_method="normal"
        )
        var_sq = max(sum_e4 / n - mse * mse, 0.0) * n / (n - 1)
        se_rmse = math.sqrt(var_sq / n) / (2 * rmse) if rmse > 0 else 0.0
        out["rmse"] = MetricValue(
            value=rmse,
            ci_low=max(0.0, rmse - z * se_rmse),
            ci_high=rmse + z * se_rmse,
            ci_method="normal",
        )
    else:
        out["mae"] = MetricValue(value=mae)
        out["rmse"] = MetricValue(value=rmse)
    if m2_label > 0:
        out["r2"] = MetricValue(value=1.0 - sum_sq / m2_label)
    else:
        out["r2"] = MetricValue(value=None, undefined_reason="label is constant in the group")
    return out


def metric_array(reports: Sequence[Mapping[str, MetricValue]], name: str) -> FloatArray:
    """Values of one metric across groups as a float array, NaN where undefined."""
    return np.array(
        [np.nan if r[name].value is None else r[name].value for r in reports], dtype=np.float64
    )
