"""The sufficient statistics of an evaluation: everything a metric needs, nothing per row.

An engine scans the data once and returns one of these tables; every metric, interval and
disparity is then derived from it in memory. Keeping this boundary narrow is what lets the
same definitions run on DuckDB or Spark and what lets the bootstrap resample counts instead of
rescanning rows.

Group keys are tuples of strings (``None`` for a missing value): sensitive attributes are cast
to text by every engine so that keys compare equal whatever type a reader inferred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

GroupKey = tuple[str | None, ...]
LabelValue = str | int | float | bool

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Column order of :meth:`ClassificationStats.binary_counts`.
TP, FP, TN, FN = 0, 1, 2, 3


@dataclass(frozen=True)
class RowAccounting:
    """How many rows were read, refused or dropped, and why (counted in the same pass)."""

    rows_read: int
    missing_label: int = 0
    missing_prediction: int = 0
    missing_score: int = 0
    unmatched_rows: int = 0
    dropped: int = 0

    @property
    def rows_used(self) -> int:
        return self.rows_read - self.dropped


@dataclass(frozen=True)
class ScoreTable:
    """Per group, the distinct scores with their count per true class, sorted by score.

    This is the exact sufficient statistic for the ROC curve (and so for ROC AUC).
    """

    scores: FloatArray
    counts: IntArray  # (len(scores), n_classes)


@dataclass(frozen=True)
class ClassificationStats:
    """Per-group confusion matrices, plus score histograms and score tables when scores exist.

    ``confusion[g, i, j]`` counts rows of group ``g`` whose true class is ``classes[i]`` and
    predicted class is ``classes[j]``. ``calibration_counts[g, b, i]`` counts rows of group
    ``g`` whose score falls in bin ``b`` (equal width over [0, 1]) and true class is
    ``classes[i]``; ``calibration_score_sums`` holds the sum of their scores.
    """

    attributes: tuple[str, ...]
    classes: tuple[LabelValue, ...]
    groups: tuple[GroupKey, ...]
    confusion: IntArray
    accounting: RowAccounting
    calibration_counts: IntArray | None = None
    calibration_score_sums: FloatArray | None = None
    score_tables: tuple[ScoreTable, ...] | None = None

    @property
    def group_sizes(self) -> IntArray:
        return np.asarray(self.confusion.sum(axis=(1, 2)), dtype=np.int64)

    def class_index(self, label: LabelValue) -> int:
        for i, c in enumerate(self.classes):
            if c == label and type(c) is type(label):
                return i
        for i, c in enumerate(self.classes):
            if str(c) == str(label):
                return i
        raise KeyError(label)

    def binary_counts(self, positive: LabelValue) -> IntArray:
        """One-vs-rest counts for ``positive``: an array (groups, 4) of TP, FP, TN, FN."""
        return binary_counts_from_confusion(self.confusion, self.class_index(positive))

    def with_class(self, label: LabelValue) -> ClassificationStats:
        """These stats with ``label`` added as a class seen zero times (all-negative data)."""
        if label in self.classes:
            return self
        k = len(self.classes)
        conf = np.zeros((len(self.groups), k + 1, k + 1), dtype=np.int64)
        conf[:, :k, :k] = self.confusion
        cal_n = cal_s = None
        if self.calibration_counts is not None and self.calibration_score_sums is not None:
            cal_n = _add_zero_column(self.calibration_counts)
            cal_s = _add_zero_column(self.calibration_score_sums)
        tables = None
        if self.score_tables is not None:
            tables = tuple(
                ScoreTable(t.scores, _add_zero_column(t.counts)) for t in self.score_tables
            )
        return ClassificationStats(
            self.attributes,
            (*self.classes, label),
            self.groups,
            conf,
            self.accounting,
            cal_n,
            cal_s,
            tables,
        )


def _add_zero_column(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    return np.concatenate([a, np.zeros_like(a[..., :1])], axis=-1)


def binary_counts_from_confusion(confusion: IntArray, k: int) -> IntArray:
    """Collapse confusion matrices (..., K, K) to one-vs-rest counts (..., 4) for class ``k``."""
    total = confusion.sum(axis=(-2, -1))
    tp = confusion[..., k, k]
    actual_pos = confusion[..., k, :].sum(axis=-1)
    predicted_pos = confusion[..., :, k].sum(axis=-1)
    fn = actual_pos - tp
    fp = predicted_pos - tp
    tn = total - tp - fn - fp
    return np.stack([tp, fp, tn, fn], axis=-1).astype(np.int64)


@dataclass(frozen=True)
class RegressionStats:
    """Per-group moments of the target and of the errors (prediction minus label).

    ``m2_label`` is the sum of squared deviations of the label from its group mean, so
    R² = 1 - ``sum_sq_error`` / ``m2_label`` without a second pass. ``sum_error4`` feeds the
    delta-method interval of the RMSE.
    """

    attributes: tuple[str, ...]
    groups: tuple[GroupKey, ...]
    n: IntArray
    sum_abs_error: FloatArray
    sum_sq_error: FloatArray
    sum_error4: FloatArray
    mean_label: FloatArray
    m2_label: FloatArray
    accounting: RowAccounting = field(default_factory=lambda: RowAccounting(rows_read=0))

    def pooled(self) -> tuple[int, float, float, float, float, float]:
        """The whole population's (n, sum_abs, sum_sq, sum_e4, mean_label, m2_label).

        The variances are combined with Chan et al.'s parallel formula, not recomputed.
        """
        n = int(self.n.sum())
        if n == 0:
            return 0, 0.0, 0.0, 0.0, 0.0, 0.0
        mean = float((self.mean_label * self.n).sum() / n)
        m2 = float(self.m2_label.sum() + (self.n * (self.mean_label - mean) ** 2).sum())
        return (
            n,
            float(self.sum_abs_error.sum()),
            float(self.sum_sq_error.sum()),
            float(self.sum_error4.sum()),
            mean,
            m2,
        )
