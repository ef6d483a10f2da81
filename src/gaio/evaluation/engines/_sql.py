"""The aggregation, written once as SQL and run by any engine that speaks it (DuckDB, Spark).

Classification is one ``GROUP BY GROUPING SETS`` over the source: (groups, label, prediction,
score flag, unmatched) gives the confusion counts and the missing-value accounting; (groups,
label, score bin) the calibration histogram; (groups, label, score) the exact ROC table. All
three come from a single scan. The result is kept engine-side in a temporary table so the
distinct-value limits are checked before anything large reaches Python.

This module only writes and runs SQL and imports nothing heavy, so a caller can start the scan
before NumPy and the result models are loaded (see :mod:`gaio.evaluation.run`); the
fetched rows become arrays in :mod:`gaio.evaluation.engines._tables`.
"""

# SQL is assembled from identifiers quoted by the backend and from generated fragments; the only
# free text is the user's own --query, run read-only on the user's own database.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from gaio.errors import InvalidInput
from gaio.evaluation.checks import check_class_values, check_prediction_count
from gaio.evaluation.sources import check_columns

if TYPE_CHECKING:
    import numpy as np

    from gaio.evaluation.engines.base import ClassificationRequest, RegressionRequest
    from gaio.evaluation.stats import ClassificationStats, GroupKey, LabelValue, RegressionStats

LEFT_MARK = "__gaio_left"
RIGHT_MARK = "__gaio_right"
SOURCE_VIEW = "gaio_src"
AGG_TABLE = "gaio_agg"

_INT_TYPES = {
    "tinyint",
    "smallint",
    "integer",
    "int",
    "bigint",
    "hugeint",
    "utinyint",
    "usmallint",
    "uinteger",
    "ubigint",
    "long",
    "short",
    "byte",
    "int8",
    "int4",
    "int2",
    "int16",
    "int32",
    "int64",
    "uhugeint",
}
_FLOAT_PREFIXES = ("double", "float", "real", "decimal", "numeric")


@dataclass(frozen=True)
class Dialect:
    text_type: str
    float_type: str
    int_type: str
    accurate_sum: str


DUCKDB = Dialect(text_type="VARCHAR", float_type="DOUBLE", int_type="BIGINT", accurate_sum="FSUM")
SPARK = Dialect(text_type="STRING", float_type="DOUBLE", int_type="BIGINT", accurate_sum="SUM")


class SqlBackend(Protocol):
    """What the shared aggregation needs from an engine, once ``gaio_src`` is registered."""

    dialect: Dialect

    def columns(self) -> dict[str, str]:
        """Column name → lower-case type name of the source view."""
        ...

    def quote(self, name: str) -> str: ...

    def materialise(self, sql: str) -> None:
        """Run ``sql`` and keep its result as the temporary table ``gaio_agg``."""
        ...

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...

    def fetch_columns(self, sql: str) -> dict[str, np.ndarray[Any, Any]]: ...

    @property
    def paired(self) -> bool:
        """True when a predictions table is joined row by row (marks LEFT_MARK/RIGHT_MARK)."""
        ...


def type_class(sql_type: str) -> str:
    t = sql_type.lower().split("(")[0].strip()
    if t in _INT_TYPES:
        return "int"
    if t.startswith(_FLOAT_PREFIXES):
        return "float"
    if t == "boolean":
        return "bool"
    return "text"


def _clean(expr: str, cls: str, target: str, d: Dialect) -> str:
    """Cast to the common type, NaN → NULL for floating columns."""
    if cls == "float":
        expr = f"CASE WHEN isnan({expr}) THEN NULL ELSE {expr} END"
    if target == "float":
        return f"CAST({expr} AS {d.float_type})"
    if target == "int":
        return f"CAST({expr} AS {d.int_type})"
    if target in ("bool", "same"):
        return expr
    return f"CAST({expr} AS {d.text_type})"


def _common(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} <= {"int", "float"}:
        return "float"
    return "text"


def _prep(
    backend: SqlBackend,
    label: str,
    prediction: str,
    sensitive: Sequence[str],
    score: str | None,
    require_numeric: bool,
) -> tuple[str, str]:
    """The SELECT that normalises the source, and the label/prediction type class."""
    cols = backend.columns()
    names = list(cols)
    wanted = [("label", label), ("prediction", prediction)]
    wanted += [("sensitive", s) for s in sensitive]
    if score is not None:
        wanted.append(("score", score))
    check_columns(wanted, names, "the data")
    d, q = backend.dialect, backend.quote
    y_cls, p_cls = type_class(cols[label]), type_class(cols[prediction])
    if require_numeric:
        for role, name, cls in (("label", label, y_cls), ("prediction", prediction, p_cls)):
            if cls not in ("int", "float"):
                raise InvalidInput(
                    f"{role} column {name!r} has type {cols[name]}; regression needs numbers."
                )
        target = "float"
    elif cols[label] == cols[prediction]:
        target = "same"  # no cast in the hot loop when both columns share a type
    else:
        target = _common(y_cls, p_cls)
    # Grouped on the raw values; cast to text only after aggregation (see _as_text).
    parts = [f"{q(a)} AS g{i}" for i, a in enumerate(sensitive)]
    parts.append(f"{_clean(q(label), y_cls, target, d)} AS y")
    parts.append(f"{_clean(q(prediction), p_cls, target, d)} AS p")
    if score is not None:
        s_cls = type_class(cols[score])
        if s_cls not in ("int", "float"):
            raise InvalidInput(
                f"score column {score!r} has type {cols[score]}; it must be numeric."
            )
        parts.append(f"{_clean(q(score), s_cls, 'float', d)} AS s")
    if backend.paired:
        parts.append(f"({LEFT_MARK} IS NULL OR {RIGHT_MARK} IS NULL) AS um")
    else:
        parts.append("FALSE AS um")
    return f"SELECT {', '.join(parts)} FROM {SOURCE_VIEW}", (y_cls if target == "same" else target)


def _as_text(backend: SqlBackend, k: int, rest: str, aggregation: str) -> str:
    """Cast the group columns of an aggregated result to text: cheap, it has few rows."""
    casts = ", ".join(f"CAST(g{i} AS {backend.dialect.text_type}) AS g{i}" for i in range(k))
    return f"SELECT {casts}, {rest} FROM ({aggregation}) t"


def _check_limits(
    backend: SqlBackend,
    sensitive: Sequence[str],
    where: str,
    max_groups: int,
    label: str,
    max_classes: int | None,
    prediction: tuple[str, bool] | None = None,
) -> None:
    """Refuse too many groups, label classes or predicted values, on the aggregated table.

    ``prediction`` is (column name, whether it is numeric); its distinct count is checked
    before any per-class array exists (a score passed as the prediction would otherwise make
    one class per distinct score).
    """
    g = [f"COUNT(DISTINCT g{i})" for i in range(len(sensitive))]
    extra = ["COUNT(DISTINCT y)", "COUNT(DISTINCT p)"] if max_classes is not None else []
    (row,) = backend.fetch(f"SELECT {', '.join(g + extra)} FROM {AGG_TABLE} WHERE {where}")
    for attr, count in zip(sensitive, row[: len(sensitive)], strict=True):
        if count > max_groups:
            raise InvalidInput(
                f"sensitive attribute {attr!r} has {count} distinct values (limit {max_groups}): "
                "is it an identifier? Pick a grouping column, or raise --max-groups."
            )
    if max_classes is None:
        return
    n_y, n_p = int(row[len(sensitive)]), int(row[len(sensitive) + 1])
    if n_y > max_classes:
        raise InvalidInput(
            f"label column {label!r} has {n_y} distinct values (limit {max_classes} classes): "
            "classification metrics need classes; for a numeric target use "
            "'gaio evaluate regression'."
        )
    if prediction is not None and n_p > max_classes:
        examples = [
            r[0]
            for r in backend.fetch(
                f"SELECT DISTINCT p FROM {AGG_TABLE} WHERE {where} AND p IS NOT NULL LIMIT 3"
            )
        ]
        check_prediction_count(prediction[0], n_p, examples, max_classes, prediction[1])


def classification_stats(backend: SqlBackend, req: ClassificationRequest) -> ClassificationStats:
    prep, target = _prep(backend, req.label, req.prediction, req.sensitive, req.score, False)
    numeric = target in ("int", "float")
    k = len(req.sensitive)
    g = ", ".join(f"g{i}" for i in range(k))
    bins = req.ece_bins
    # Unmatched rows exist only when a predictions file is joined. Otherwise ``um`` is the
    # constant FALSE, and is kept out of the grouping keys: an extra key, even a constant one,
    # makes DuckDB's aggregation ~1.7x slower on 100M rows.
    um, um_key = ("um", ", um") if backend.paired else ("FALSE AS um", "")
    if req.score is None:
        backend.materialise(
            _as_text(
                backend,
                k,
                "y, p, sflag, um, n",
                f"SELECT {g}, y, p, 0 AS sflag, {um}, COUNT(*) AS n FROM ({prep}) t "
                f"GROUP BY {g}, y, p{um_key}",
            )
        )
        set1 = "TRUE"
    else:
        ok = "(y IS NOT NULL AND p IS NOT NULL AND NOT um AND s >= 0 AND s <= 1)"
        inner = (
            f"SELECT {g}, y, p, um, "
            "CASE WHEN s IS NULL THEN 1 WHEN s < 0 OR s > 1 THEN 2 ELSE 0 END AS sflag, "
            f"CASE WHEN {ok} THEN s END AS sv, "
            f"CASE WHEN {ok} THEN LEAST(CAST(FLOOR(s * {bins}) AS INTEGER), {bins - 1}) END AS sb "
            f"FROM ({prep}) t"
        )
        backend.materialise(
            _as_text(
                backend,
                k,
                "y, p, sflag, um, sb, sv, n, ssum, gp, gb, gs",
                f"SELECT {g}, y, p, sflag, {um}, sb, sv, COUNT(*) AS n, SUM(sv) AS ssum, "
                "GROUPING(p) AS gp, GROUPING(sb) AS gb, GROUPING(sv) AS gs "
                f"FROM ({inner}) t GROUP BY GROUPING SETS "
                f"(({g}, y, p, sflag{um_key}), ({g}, y, sb), ({g}, y, sv))",
            )
        )
        set1 = "gp = 0"
    _check_limits(
        backend,
        req.sensitive,
        set1,
        req.max_groups,
        req.label,
        req.max_classes,
        (req.prediction, numeric),
    )
    rows = backend.fetch(f"SELECT {g}, y, p, sflag, um, n FROM {AGG_TABLE} WHERE {set1}")

    read = unmatched = miss_y = miss_p = miss_s = bad_s = 0
    valid: list[tuple[GroupKey, LabelValue, LabelValue, int]] = []
    for row in rows:
        key: GroupKey = tuple(row[:k])
        y, p, sflag, um, n = row[k], row[k + 1], row[k + 2], row[k + 3], int(row[k + 4])
        read += n
        if um:
            unmatched += n
        elif y is None:
            miss_y += n
        elif p is None:
            miss_p += n
        elif sflag == 1:
            miss_s += n
        else:
            if sflag == 2:
                bad_s += n
            valid.append((key, y, p, n))
    if bad_s:
        raise InvalidInput(
            f"score column {req.score!r} has {bad_s} value(s) outside [0, 1]; "
            "a score must be the probability of the positive class."
        )
    check_class_values(
        req.label,
        req.prediction,
        sorted({v[1] for v in valid}, key=str),
        sorted({v[2] for v in valid}, key=str),
        req.max_classes,
    )
    from gaio.evaluation.engines import _tables

    stats = _tables.classification(req.sensitive, valid, (read, unmatched, miss_y, miss_p, miss_s))
    if req.score is None or not stats.groups:
        return stats
    calibration = backend.fetch(
        f"SELECT {g}, y, sb, n, ssum FROM {AGG_TABLE} WHERE gb = 0 AND sb IS NOT NULL"
    )
    scores = backend.fetch_columns(
        f"SELECT {g}, y, sv, n FROM {AGG_TABLE} WHERE gs = 0 AND sv IS NOT NULL ORDER BY {g}, sv"
    )
    return _tables.with_scores(stats, calibration, scores, req.ece_bins)


def regression_stats(backend: SqlBackend, req: RegressionRequest) -> RegressionStats:
    prep, _ = _prep(backend, req.label, req.prediction, req.sensitive, None, True)
    k = len(req.sensitive)
    g = ", ".join(f"g{i}" for i in range(k))
    ok = "(y IS NOT NULL AND p IS NOT NULL AND NOT um)"
    fs = backend.dialect.accurate_sum
    rest = "rows_read, unmatched, miss_y, miss_p, n, sae, sse, se4, mean_y, var_y"
    backend.materialise(
        _as_text(
            backend,
            k,
            rest,
            f"SELECT {g}, COUNT(*) AS rows_read, "
            "COUNT(*) FILTER (WHERE um) AS unmatched, "
            "COUNT(*) FILTER (WHERE y IS NULL AND NOT um) AS miss_y, "
            "COUNT(*) FILTER (WHERE p IS NULL AND y IS NOT NULL AND NOT um) AS miss_p, "
            f"COUNT(*) FILTER (WHERE {ok}) AS n, "
            f"{fs}(ABS(p - y)) FILTER (WHERE {ok}) AS sae, "
            f"{fs}((p - y) * (p - y)) FILTER (WHERE {ok}) AS sse, "
            f"{fs}((p - y) * (p - y) * (p - y) * (p - y)) FILTER (WHERE {ok}) AS se4, "
            f"AVG(y) FILTER (WHERE {ok}) AS mean_y, "
            f"VAR_POP(y) FILTER (WHERE {ok}) AS var_y "
            f"FROM ({prep}) t GROUP BY {g}",
        )
    )
    _check_limits(backend, req.sensitive, "TRUE", req.max_groups, req.label, None)
    rows = backend.fetch(
        f"SELECT {g}, rows_read, unmatched, miss_y, miss_p, n, sae, sse, se4, mean_y, var_y "
        f"FROM {AGG_TABLE}"
    )
    from gaio.evaluation.engines import _tables

    return _tables.regression(req.sensitive, rows)
