"""Rows fetched from an aggregation → the arrays of :mod:`gaio.evaluation.stats`.

Kept apart from :mod:`gaio.evaluation.engines._sql` so that running the scan needs no NumPy:
this module is imported once the engine has its (few) aggregated rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaio.evaluation.stats import (
    ClassificationStats,
    FloatArray,
    GroupKey,
    LabelValue,
    RegressionStats,
    RowAccounting,
    ScoreTable,
)

ValidRow = tuple[GroupKey, LabelValue, LabelValue, int]


def sort_key(v: object) -> tuple[bool, str, object]:
    """Order mixed values (None last, then by type name) deterministically."""
    return (v is None, type(v).__name__, v)


def classification(
    attributes: tuple[str, ...],
    valid: Sequence[ValidRow],
    counts: tuple[int, int, int, int, int],
) -> ClassificationStats:
    """Confusion matrices from (group, label, prediction, n) rows.

    ``counts`` is (rows read, unmatched, missing label, missing prediction, missing score).
    """
    read, unmatched, miss_y, miss_p, miss_s = counts
    classes = tuple(sorted({v[1] for v in valid} | {v[2] for v in valid}, key=sort_key))
    groups = tuple(sorted({v[0] for v in valid}, key=lambda key: tuple(map(sort_key, key))))
    gi = {key: i for i, key in enumerate(groups)}
    ci = {c: i for i, c in enumerate(classes)}
    confusion = np.zeros((len(groups), len(classes), len(classes)), dtype=np.int64)
    for key, y, p, n in valid:
        confusion[gi[key], ci[y], ci[p]] += n
    accounting = RowAccounting(
        rows_read=read,
        missing_label=miss_y,
        missing_prediction=miss_p,
        missing_score=miss_s,
        unmatched_rows=unmatched,
        dropped=unmatched + miss_y + miss_p + miss_s,
    )
    return ClassificationStats(attributes, classes, groups, confusion, accounting)


def with_scores(
    stats: ClassificationStats,
    calibration: Sequence[tuple[Any, ...]],
    scores: dict[str, np.ndarray[Any, Any]],
    bins: int,
) -> ClassificationStats:
    """Add the calibration histogram and the exact per-group score tables (ROC)."""
    k = len(stats.attributes)
    groups, classes = stats.groups, stats.classes
    gi = {key: i for i, key in enumerate(groups)}
    ci = {c: i for i, c in enumerate(classes)}
    cal_n = np.zeros((len(groups), bins, len(classes)), dtype=np.int64)
    cal_s = np.zeros((len(groups), bins, len(classes)), dtype=np.float64)
    for row in calibration:
        key = tuple(row[:k])
        if key in gi and row[k] in ci:
            cal_n[gi[key], int(row[k + 1]), ci[row[k]]] += int(row[k + 2])
            cal_s[gi[key], int(row[k + 1]), ci[row[k]]] += float(row[k + 3])
    keys = list(zip(*(scores[f"g{i}"].tolist() for i in range(k)), strict=True))
    group_idx = np.array([gi.get(tuple(key), -1) for key in keys], dtype=np.int64)
    class_idx = np.array([ci.get(v, -1) for v in scores["y"].tolist()], dtype=np.int64)
    values = scores["sv"].astype(np.float64)
    counts = scores["n"].astype(np.int64)
    tables = []
    for gidx in range(len(groups)):
        sel = (group_idx == gidx) & (class_idx >= 0)
        s, c, n = values[sel], class_idx[sel], counts[sel]
        uniq, inv = np.unique(s, return_inverse=True)
        table = np.zeros((uniq.size, len(ci)), dtype=np.int64)
        np.add.at(table, (inv, c), n)
        tables.append(ScoreTable(uniq, table))
    return ClassificationStats(
        stats.attributes,
        classes,
        groups,
        stats.confusion,
        stats.accounting,
        cal_n,
        cal_s,
        tuple(tables),
    )


def regression(attributes: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> RegressionStats:
    """Per-group moments from rows of (groups…, rows_read, unmatched, miss_y, miss_p, n, sae,
    sse, se4, mean_y, var_y)."""
    k = len(attributes)
    totals = np.array([[int(v or 0) for v in r[k : k + 4]] for r in rows], dtype=np.int64)
    read, unmatched, miss_y, miss_p = (int(x) for x in totals.sum(axis=0)) if rows else (0,) * 4
    kept = sorted((r for r in rows if r[k + 4]), key=lambda r: tuple(map(sort_key, r[:k])))
    n = np.array([int(r[k + 4]) for r in kept], dtype=np.int64)

    def col(i: int) -> FloatArray:
        return np.array([float(r[k + i] or 0.0) for r in kept], dtype=np.float64)

    return RegressionStats(
        attributes=attributes,
        groups=tuple(tuple(r[:k]) for r in kept),
        n=n,
        sum_abs_error=col(5),
        sum_sq_error=col(6),
        sum_error4=col(7),
        mean_label=col(8),
        m2_label=col(9) * n,
        accounting=RowAccounting(
            rows_read=read,
            missing_label=miss_y,
            missing_prediction=miss_p,
            unmatched_rows=unmatched,
            dropped=unmatched + miss_y + miss_p,
        ),
    )
