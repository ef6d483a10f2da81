"""Technical evaluation of AI systems: fairness and performance from predictions, robustness
and explainability with a model; results as reproducible, versioned documents.

Names are imported on first use, so that ``gaio --help`` does not pay for DuckDB and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gaio.evaluation.model_run import evaluate_explain, evaluate_robustness
    from gaio.evaluation.result import (
        EvaluationResult,
        ExplainResult,
        FairnessResult,
        RegressionResult,
        RobustnessResult,
        parse_result,
        result_json_schema,
    )
    from gaio.evaluation.run import evaluate_fairness, evaluate_regression

_WHERE = {
    "EvaluationResult": "result",
    "ExplainResult": "result",
    "FairnessResult": "result",
    "RegressionResult": "result",
    "RobustnessResult": "result",
    "parse_result": "result",
    "result_json_schema": "result",
    "evaluate_fairness": "run",
    "evaluate_regression": "run",
    "evaluate_robustness": "model_run",
    "evaluate_explain": "model_run",
}

__all__ = [
    "EvaluationResult",
    "ExplainResult",
    "FairnessResult",
    "RegressionResult",
    "RobustnessResult",
    "evaluate_explain",
    "evaluate_fairness",
    "evaluate_regression",
    "evaluate_robustness",
    "parse_result",
    "result_json_schema",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'gaio.evaluation' has no attribute {name!r}")
    return getattr(importlib.import_module(f"gaio.evaluation.{_WHERE[name]}"), name)
