"""What an evaluation run reads and computes: one validated request instead of many arguments.

A request is the whole input of a run (the result document records it under ``parameters``);
services, the CLI, the demo and tests build one and pass it to
:func:`gaio.evaluation.run.evaluate_fairness` or :func:`~gaio.evaluation.run.evaluate_regression`.
Explicit fields win over the spec's, which win over the defaults (see ``run._settings``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gaio.evaluation.limits import DEFAULT_MAX_CLASSES, DEFAULT_MAX_GROUPS

Task = Literal["auto", "binary", "multiclass"]


class _Run(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data: str | Path = Field(
        description="CSV/Parquet path or glob; with 'query', a DuckDB file or PostgreSQL URL"
    )
    label: str = Field(min_length=1, description="column with the true outcome")
    prediction: str = Field(min_length=1, description="column with the model's prediction")
    sensitive: list[str] = Field(
        default_factory=list, description="sensitive attributes (default: the spec's)"
    )
    reference_group: str | dict[str, str] | None = Field(
        None, description="'value' (one attribute) or 'attr=value,…', or a mapping"
    )
    spec: Path | None = Field(None, description="a test spec (YAML) with thresholds")
    engine: str = Field("duckdb", description="aggregation engine: duckdb or spark")
    predictions: str | Path | None = Field(
        None, description="second file with the prediction columns, matched by row position"
    )
    query: str | None = Field(None, description="SQL selecting the rows from 'data'")
    confidence: float | None = Field(None, gt=0, lt=1, description="interval level")
    bootstrap: int | None = Field(None, ge=0, le=100_000, description="bootstrap replicates")
    seed: int | None = Field(None, description="seed of the bootstrap")
    drop_missing: bool = Field(False, description="drop rows with missing values, counted")
    min_group_size: int | None = Field(None, ge=1, description="smaller groups are flagged")
    max_groups: int = Field(DEFAULT_MAX_GROUPS, ge=1, description="refuse more groups than this")


class FairnessRun(_Run):
    """A classifier's fairness and performance, from its predictions."""

    score: str | None = Field(None, description="column with the positive class's probability")
    positive_label: str | None = Field(None, description="the positive class (default 1/true)")
    task: Task | None = Field(None, description="auto, binary or multiclass (one-vs-rest)")
    max_classes: int = Field(DEFAULT_MAX_CLASSES, ge=2, description="refuse more classes")
    ece_bins: int = Field(10, ge=2, le=1000, description="bins of the calibration error")


class RegressionRun(_Run):
    """A regressor's errors per group (MAE, RMSE, R²) and their disparities."""
