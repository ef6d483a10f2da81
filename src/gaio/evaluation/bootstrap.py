"""Seeded bootstrap over sufficient statistics, so the data is never rescanned.

Resampling rows with replacement within a group and then counting TP, FP, TN and FN is the same
in distribution as drawing the four counts from a multinomial with the group's size and
observed proportions. So each replicate costs one multinomial draw per group, not a pass over
the rows (stratified bootstrap: group sizes are fixed, as the groups are the design).

Reproducible: the same seed, counts and numpy version give the same intervals
(``numpy.random.Generator`` with PCG64).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaio.evaluation.stats import FloatArray, IntArray

#: A resampled statistic defined in fewer than this share of replicates gets no interval.
MIN_DEFINED_SHARE = 0.5


def resample_counts(counts: IntArray, replicates: int, rng: np.random.Generator) -> IntArray:
    """Multinomial resamples of counts ``(groups, cells)`` → ``(replicates, groups, cells)``."""
    n = counts.sum(axis=-1)
    cells = counts.shape[-1]
    safe_n = np.where(n > 0, n, 1)
    pvals = np.where(n[:, None] > 0, counts / safe_n[:, None], 1.0 / cells)
    out = rng.multinomial(n, pvals, size=(replicates, counts.shape[0]))
    return np.asarray(out, dtype=np.int64)


@dataclass(frozen=True)
class Interval:
    low: float | None
    high: float | None
    defined_share: float


def percentile_interval(samples: FloatArray, confidence: float) -> Interval:
    """Percentile interval of the defined (non-NaN) replicates of one statistic."""
    defined = samples[~np.isnan(samples)]
    share = defined.size / samples.size if samples.size else 0.0
    if share < MIN_DEFINED_SHARE or defined.size == 0:
        return Interval(None, None, share)
    alpha = 1.0 - confidence
    ordered = np.sort(defined)
    return Interval(_quantile(ordered, alpha / 2), _quantile(ordered, 1 - alpha / 2), share)


def _quantile(ordered: FloatArray, q: float) -> float:
    """``numpy.quantile(x, q)`` (its default "linear" method, same rounding) of sorted ``x``.

    Written out because ``numpy.quantile`` costs ~0.6 ms a call in overhead, and a result has
    dozens of intervals.
    """
    h = (ordered.size - 1) * q
    lo = int(np.floor(h))
    hi = min(lo + 1, ordered.size - 1)
    a, b = float(ordered[lo]), float(ordered[hi])
    t = h - lo
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t
