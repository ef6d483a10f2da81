"""The default engine: DuckDB, reading CSV/Parquet out of core (files larger than memory work)."""

# SQL is assembled from identifiers quoted by the backend and from generated fragments; the only
# free text is the user's own --query, run read-only on the user's own database.
# ruff: noqa: S608

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import duckdb

from gaio.errors import InvalidInput
from gaio.evaluation.engines import _sql
from gaio.evaluation.sources import DataSource

if TYPE_CHECKING:
    import numpy as np

    from gaio.evaluation.engines.base import ClassificationRequest, RegressionRequest
    from gaio.evaluation.stats import ClassificationStats, RegressionStats


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relation_sql(source: DataSource, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """A FROM-clause expression reading ``source`` (files; queries are handled by the caller).

    With ``con``, a single CSV file is sniffed once and read with the detected dialect and
    types spelled out: otherwise DuckDB sniffs it again each time a query names it.
    """
    files = [str(p) for p in source.files]
    listed = "[" + ", ".join(_literal(f) for f in files) + "]"
    if source.kind == "csv":
        if con is not None and len(files) == 1:
            sniffed = _sniffed_csv(con, files[0])
            if sniffed is not None:
                return sniffed
        return f"read_csv({listed}, header = true)"
    if source.kind == "parquet":
        return f"read_parquet({listed})"
    if source.query is not None:
        return f"({source.query})"
    raise InvalidInput(f"The duckdb engine cannot read a {source.kind} source.")


#: DuckDB splits a CSV file into buffers of this size (16 × its 2 MiB line limit) and reads one
#: buffer per thread, so a smaller file would be read by one thread alone.
_DEFAULT_CSV_BUFFER = 32 << 20
_MIN_CSV_BUFFER = 2 << 20


def _sniffed_csv(con: duckdb.DuckDBPyConnection, path: str) -> str | None:
    """``read_csv(path, auto_detect=false, …)`` with what DuckDB sniffed, or None to let it sniff.

    Built from sniff_csv's fields (its ready-made ``Prompt`` does not escape quotes in names)
    and checked with a DESCRIBE; any surprise falls back to plain auto-detection. A file
    smaller than DuckDB's default buffer gets smaller buffers (never under the 2 MiB line
    limit), so every thread has a part to read: 1,000,000 rows (6 MB) take ~30 ms, not ~50.
    """
    fields = "Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns, "
    fields += "DateFormat, TimestampFormat"
    try:
        row = con.execute(
            f"SELECT {fields} FROM sniff_csv({_literal(path)}, header = true)"
        ).fetchone()
    except duckdb.Error:
        return None
    if row is None:
        return None
    delim, quote, escape, new_line, comment, skip, columns, date_format, timestamp_format = row

    def text(value: object) -> str:
        return _literal("" if value in (None, "(empty)") else str(value))

    names = [str(c["name"]) for c in columns]
    spelled = ", ".join(f"{_literal(str(c['name']))}: {_literal(str(c['type']))}" for c in columns)
    options = [
        "auto_detect = false",
        f"delim = {text(delim)}",
        f"quote = {text(quote)}",
        f"escape = {text(escape)}",
        f"new_line = {text(new_line)}",
        f"comment = {text(comment)}",
        f"skip = {int(skip)}",
        "header = true",
        f"columns = {{{spelled}}}",
    ]
    if date_format:
        options.append(f"dateformat = {text(date_format)}")
    if timestamp_format:
        options.append(f"timestampformat = {text(timestamp_format)}")
    size = os.path.getsize(path)
    if _MIN_CSV_BUFFER < size < _DEFAULT_CSV_BUFFER and not path.lower().endswith(".gz"):
        options.append(f"buffer_size = {max(_MIN_CSV_BUFFER, size // 4)}")
    relation = f"read_csv({_literal(path)}, {', '.join(options)})"
    try:
        described = [
            str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        ]
    except duckdb.Error:
        return None
    return relation if described == names else None


class _Backend:
    dialect = _sql.DUCKDB

    def __init__(self, con: duckdb.DuckDBPyConnection, paired: bool) -> None:
        self.con = con
        self._paired = paired

    @property
    def paired(self) -> bool:
        return self._paired

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def columns(self) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {_sql.SOURCE_VIEW}").fetchall()
        return {str(r[0]): str(r[1]).lower() for r in rows}

    def materialise(self, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {_sql.AGG_TABLE} AS {sql}")

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def fetch_columns(self, sql: str) -> dict[str, np.ndarray[Any, Any]]:
        import numpy as np

        return {k: np.asarray(v) for k, v in self.con.execute(sql).fetchnumpy().items()}


class DuckDBEngine:
    """Aggregates with DuckDB; ``threads`` and ``memory_limit`` default to DuckDB's own."""

    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.threads = threads
        self.memory_limit = memory_limit or os.environ.get("GAIO_DUCKDB_MEMORY_LIMIT")

    @contextmanager
    def _connect(self, source: DataSource, predictions: DataSource | None) -> Iterator[_Backend]:
        database = source.location if source.kind == "duckdb" else ":memory:"
        try:
            con = duckdb.connect(database, read_only=source.kind == "duckdb")
        except duckdb.Error as exc:
            raise InvalidInput(f"Cannot open DuckDB database {database!r}: {exc}") from exc
        try:
            if self.threads:
                con.execute(f"SET threads = {int(self.threads)}")
            if self.memory_limit:
                con.execute(f"SET memory_limit = {_literal(self.memory_limit)}")
            con.execute("SET enable_progress_bar = false")
            self._register(con, source, predictions)
            yield _Backend(con, predictions is not None)
        except duckdb.Error as exc:
            raise InvalidInput(f"Cannot read {source.describe()}: {_first_line(exc)}") from exc
        finally:
            con.close()

    def _register(
        self, con: duckdb.DuckDBPyConnection, source: DataSource, predictions: DataSource | None
    ) -> None:
        if source.kind == "postgres":
            from gaio.evaluation.engines.postgres import register_postgres

            register_postgres(con, source, "gaio_pg")
            data_rel = "gaio_pg"
        else:
            data_rel = relation_sql(source, con)
        view = _sql.SOURCE_VIEW
        if predictions is None:
            con.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM {data_rel}")
            return
        pred_rel = relation_sql(predictions, con)
        left_cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {data_rel}").fetchall()]
        right_cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {pred_rel}").fetchall()]
        keep_left = [c for c in left_cols if c not in right_cols]
        left = "".join(f'a."{c}", ' for c in keep_left)
        con.execute(
            f"CREATE TEMP VIEW {view} AS SELECT a.{_sql.LEFT_MARK}, {left}b.* "
            f"FROM (SELECT *, TRUE AS {_sql.LEFT_MARK} FROM {data_rel}) a "
            f"POSITIONAL JOIN (SELECT *, TRUE AS {_sql.RIGHT_MARK} FROM {pred_rel}) b"
        )

    def classification_stats(self, request: ClassificationRequest) -> ClassificationStats:
        with self._connect(request.source, request.predictions) as backend:
            return _sql.classification_stats(backend, request)

    def regression_stats(self, request: RegressionRequest) -> RegressionStats:
        with self._connect(request.source, request.predictions) as backend:
            return _sql.regression_stats(backend, request)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
