"""Aggregation engines. The built-ins register themselves here, as a plugin would."""

from __future__ import annotations

from gaio.evaluation.engines.base import (
    AggregationEngine,
    ClassificationRequest,
    RegressionRequest,
    engine_names,
    get_engine,
    register_engine,
)
from gaio.evaluation.engines.duckdb_engine import DuckDBEngine


def _spark() -> AggregationEngine:
    from gaio.evaluation.engines.spark_engine import SparkEngine

    return SparkEngine()


register_engine("duckdb", DuckDBEngine)
register_engine("spark", _spark)

__all__ = [
    "AggregationEngine",
    "ClassificationRequest",
    "DuckDBEngine",
    "RegressionRequest",
    "engine_names",
    "get_engine",
    "register_engine",
]
