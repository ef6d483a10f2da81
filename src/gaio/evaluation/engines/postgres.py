"""PostgreSQL as a source: rows streamed with a server-side cursor into DuckDB as Arrow batches.

DuckDB's own postgres extension is downloaded at run time, which gaio cannot rely on; psycopg
streams instead, so a query result larger than memory still works. It needs the 'postgres'
(psycopg) and 'parquet' (PyArrow) extras, imported only when such a source is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gaio.errors import InvalidInput, MissingExtra
from gaio.evaluation.sources import DataSource

BATCH_ROWS = 100_000


if TYPE_CHECKING:
    import duckdb


def register_postgres(con: duckdb.DuckDBPyConnection, source: DataSource, name: str) -> None:
    """Register the rows of ``source.query`` in ``con`` as the relation ``name``."""
    try:
        import psycopg
    except ImportError:
        raise MissingExtra("postgres", "reading evaluation data from PostgreSQL") from None
    try:
        import pyarrow as pa
    except ImportError:
        raise MissingExtra("parquet", "reading evaluation data from PostgreSQL") from None

    assert source.query is not None
    try:
        conn = psycopg.connect(source.location)
    except psycopg.Error as exc:
        raise InvalidInput(f"Cannot connect to PostgreSQL: {str(exc).strip()}") from exc
    cur = conn.cursor(name="gaio_eval")
    try:
        cur.execute(source.query)  # the user's own query, run with the user's credentials
        first = cur.fetchmany(BATCH_ROWS)
    except psycopg.Error as exc:
        conn.close()
        raise InvalidInput(f"PostgreSQL query failed: {str(exc).strip()}") from exc
    names = [d.name for d in cur.description or []]
    first_batch = pa.RecordBatch.from_pylist([dict(zip(names, r, strict=True)) for r in first])
    schema = first_batch.schema

    def batches() -> Iterator[Any]:
        try:
            yield first_batch
            while rows := cur.fetchmany(BATCH_ROWS):
                data: list[dict[str, Any]] = [dict(zip(names, r, strict=True)) for r in rows]
                yield pa.RecordBatch.from_pylist(data, schema=schema)
        finally:
            conn.close()

    reader = pa.RecordBatchReader.from_batches(schema, batches())
    con.register(name, reader)
