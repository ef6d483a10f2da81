"""Reliability statistics: Cronbach's alpha, McDonald's omega, agreement, bootstrap intervals.

Rows are replications of the questionnaire (seeds, languages, scale directions): the
"respondents" across which a model's answers vary. Columns are the items of one value,
reverse-keyed items already recoded. A value whose reliability is below the declared
threshold, or cannot be estimated (no variance), is "not reliably measured".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]


def cronbach_alpha(x: Matrix) -> float | None:
    """k/(k-1) (1 - Σ var(item) / var(total)); None with fewer than 2 rows/items or no variance."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    if total <= 0 or not math.isfinite(total):
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def one_factor_loadings(corr: Matrix, *, iterations: int = 1000, tol: float = 1e-9) -> Matrix:
    """Loadings of one common factor by iterated principal-axis factoring.

    At convergence this is the minimum-residual (ULS) solution, the default of ``psych::omega``
    and ``factor_analyzer``'s ``minres``; communalities start at the squared multiple
    correlations (the largest absolute correlation when the matrix is singular).
    """
    r = np.array(corr, dtype=float)
    k = r.shape[0]
    try:
        h2 = 1 - 1 / np.diag(np.linalg.inv(r))
        if not np.all(np.isfinite(h2)) or np.any(h2 < 0):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        off = np.abs(r - np.eye(k))
        h2 = off.max(axis=1)
    loadings = np.zeros(k)
    for _ in range(iterations):
        reduced = r.copy()
        np.fill_diagonal(reduced, h2)
        eigval, eigvec = np.linalg.eigh(reduced)
        lam = eigvec[:, -1] * math.sqrt(max(eigval[-1], 0.0))
        new_h2 = np.clip(lam**2, 0.0, 0.999)
        if np.max(np.abs(new_h2 - h2)) < tol:
            loadings = lam
            break
        h2 = new_h2
        loadings = lam
    if loadings.sum() < 0:
        loadings = -loadings
    return np.asarray(loadings, dtype=float)


def mcdonald_omega(x: Matrix) -> float | None:
    """Omega total of a one-factor model: (Σλ)² / ((Σλ)² + Σ(1 - λ²)), on the correlations."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 2:
        return None
    sd = x.std(axis=0, ddof=1)
    if np.any(sd <= 0):
        return None
    lam = one_factor_loadings(np.asarray(np.corrcoef(x, rowvar=False), dtype=float))
    common = lam.sum() ** 2
    unique = float(np.sum(1 - lam**2))
    if common + unique <= 0:
        return None
    return float(common / (common + unique))


def pearson(a: Sequence[float], b: Sequence[float]) -> float | None:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    def ranks(v: Sequence[float]) -> NDArray[np.float64]:
        arr = np.asarray(v, dtype=float)
        order = arr.argsort(kind="mergesort")
        out = np.empty(len(arr))
        out[order] = np.arange(len(arr), dtype=float)
        for value in np.unique(arr):  # average ranks of ties
            tied = arr == value
            out[tied] = out[tied].mean()
        return out

    return pearson(list(ranks(a)), list(ranks(b)))


def bootstrap_interval(
    x: Matrix,
    stat: Callable[[Matrix], float | None],
    *,
    replicates: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float] | None:
    """Percentile interval of ``stat`` over rows and items resampled with replacement."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or replicates <= 0:
        return None
    rng = np.random.default_rng(seed)
    out = []
    n, k = x.shape
    for _ in range(replicates):
        rows = rng.integers(0, n, n)
        cols = rng.integers(0, k, k)
        value = stat(x[np.ix_(rows, cols)])
        if value is not None and math.isfinite(value):
            out.append(value)
    if len(out) < replicates // 2:
        return None
    lo, hi = np.quantile(out, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(lo), float(hi)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Agreement between two labellings beyond chance: (p_o - p_e) / (1 - p_e)."""
    if len(a) != len(b) or not a:
        return None
    labels = sorted(set(a) | set(b))
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    p_e = sum((list(a).count(lab) / n) * (list(b).count(lab) / n) for lab in labels)
    if p_e >= 1:
        return None
    return (p_o - p_e) / (1 - p_e)
