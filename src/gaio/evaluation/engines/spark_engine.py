"""Apache Spark engine (optional extra ``gaio[spark]``): the same SQL, for data beyond one machine.

The aggregation is the shared SQL of :mod:`gaio.evaluation.engines._sql`, so the metric
definitions cannot diverge between engines. A session is created in local mode unless
``GAIO_SPARK_MASTER`` (or an active session) says otherwise.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from gaio.errors import ConfigurationError, InvalidInput
from gaio.evaluation.engines import _sql
from gaio.evaluation.engines.base import ClassificationRequest, RegressionRequest
from gaio.evaluation.sources import DataSource
from gaio.evaluation.stats import ClassificationStats, RegressionStats


def _session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigurationError(
            "The spark engine needs PySpark: install gaio[spark] (and a Java runtime)."
        ) from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = os.environ.get("GAIO_SPARK_MASTER", "local[*]")
    return (
        SparkSession.builder.master(master)
        .appName("gaio-evaluation")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("GAIO_SPARK_PARTITIONS", "8"))
        .getOrCreate()
    )


class _Backend:
    dialect = _sql.SPARK
    paired = False

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def columns(self) -> dict[str, str]:
        df = self.spark.table(_sql.SOURCE_VIEW)
        return {f.name: f.dataType.simpleString().lower() for f in df.schema.fields}

    def materialise(self, sql: str) -> None:
        df = self.spark.sql(sql).cache()
        df.createOrReplaceTempView(_sql.AGG_TABLE)

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def fetch_columns(self, sql: str) -> dict[str, np.ndarray[Any, Any]]:
        df = self.spark.sql(sql)
        rows = df.collect()
        return {
            name: np.array([r[i] for r in rows], dtype=object) for i, name in enumerate(df.columns)
        }


class SparkEngine:
    """Aggregates with Spark SQL; CSV is read with a header and inferred types."""

    name = "spark"

    def _register(self, source: DataSource, predictions: DataSource | None) -> _Backend:
        if predictions is not None:
            raise InvalidInput(
                "The spark engine cannot match a separate predictions file by row position: "
                "put the prediction column in the data, or use --engine duckdb."
            )
        spark = _session()
        files = [str(p) for p in source.files]
        if source.kind == "csv":
            df = spark.read.csv(files, header=True, inferSchema=True)
        elif source.kind == "parquet":
            df = spark.read.parquet(*files)
        else:
            raise InvalidInput(
                f"The spark engine reads CSV and Parquet, not a {source.kind} query."
            )
        df.createOrReplaceTempView(_sql.SOURCE_VIEW)
        return _Backend(spark)

    def classification_stats(self, request: ClassificationRequest) -> ClassificationStats:
        backend = self._register(request.source, request.predictions)
        return _sql.classification_stats(backend, request)

    def regression_stats(self, request: RegressionRequest) -> RegressionStats:
        backend = self._register(request.source, request.predictions)
        return _sql.regression_stats(backend, request)
