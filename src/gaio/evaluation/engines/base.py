"""The aggregation engine extension point: one pass over the data → sufficient statistics.

An engine is anything with a ``name`` and the two methods of :class:`AggregationEngine`.
Built-ins (``duckdb``, ``spark``) are registered here exactly as a plugin would register
itself, with :func:`register_engine`; :func:`get_engine` looks one up by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from gaio.errors import ConfigurationError
from gaio.evaluation.limits import DEFAULT_MAX_CLASSES, DEFAULT_MAX_GROUPS
from gaio.evaluation.sources import DataSource

if TYPE_CHECKING:
    from gaio.evaluation.stats import ClassificationStats, RegressionStats

__all__ = ["DEFAULT_MAX_CLASSES", "DEFAULT_MAX_GROUPS"]


@dataclass(frozen=True)
class ClassificationRequest:
    """What to aggregate for a classification evaluation.

    ``predictions`` is an optional second table holding the prediction (and score) columns,
    aligned with ``source`` row by row.
    """

    source: DataSource
    label: str
    prediction: str
    sensitive: tuple[str, ...]
    score: str | None = None
    predictions: DataSource | None = None
    ece_bins: int = 10
    max_groups: int = DEFAULT_MAX_GROUPS
    max_classes: int = DEFAULT_MAX_CLASSES


@dataclass(frozen=True)
class RegressionRequest:
    """What to aggregate for a regression evaluation."""

    source: DataSource
    label: str
    prediction: str
    sensitive: tuple[str, ...]
    predictions: DataSource | None = None
    max_groups: int = DEFAULT_MAX_GROUPS


@runtime_checkable
class AggregationEngine(Protocol):
    """Computes sufficient statistics in one pass; must raise ``InvalidInput`` on bad input."""

    name: str

    def classification_stats(self, request: ClassificationRequest) -> ClassificationStats: ...

    def regression_stats(self, request: RegressionRequest) -> RegressionStats: ...


EngineFactory = Callable[[], AggregationEngine]
_REGISTRY: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make an engine available under ``name`` (a later registration replaces an earlier one)."""
    _REGISTRY[name] = factory


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def get_engine(name: str) -> AggregationEngine:
    """A fresh engine by name; ``ConfigurationError`` names the known ones when unknown."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(engine_names())
        raise ConfigurationError(f"Unknown evaluation engine {name!r}; known: {known}.") from None
    return factory()
