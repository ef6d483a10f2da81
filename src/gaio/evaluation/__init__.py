"""Technical evaluation of AI systems: fairness and performance from predictions, robustness
and explainability with a model; results as reproducible, versioned documents."""

from __future__ import annotations

from gaio.evaluation.result import (
    EvaluationResult,
    ExplainResult,
    FairnessResult,
    RegressionResult,
    RobustnessResult,
    parse_result,
    result_json_schema,
)
from gaio.evaluation.service import evaluate_fairness, evaluate_regression

__all__ = [
    "EvaluationResult",
    "ExplainResult",
    "FairnessResult",
    "RegressionResult",
    "RobustnessResult",
    "evaluate_fairness",
    "evaluate_regression",
    "parse_result",
    "result_json_schema",
]
