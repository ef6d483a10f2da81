"""Checks on the label and prediction values, run before any metric is computed.

They catch the mistakes that otherwise pass silently and produce numbers that mean nothing:
a score column passed as the prediction (one "class" per distinct score), labels and
predictions coded differently (0/1 against "no"/"yes"), and more classes than a classifier
evaluation can sensibly report. Each refusal is one :class:`~gaio.errors.InvalidInput` naming
the columns, the values seen and the flag that fixes it. Pure: no engine, no NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from gaio.errors import InvalidInput

#: How many example values a message quotes.
_SHOWN = 6


def _numeric(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _integral(v: object) -> bool:
    if isinstance(v, int):  # bool included
        return True
    if isinstance(v, float):
        return math.isfinite(v) and v == int(v)
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return True  # a text class such as "yes"
        return math.isfinite(f) and f == int(f)
    return True


def show_values(values: Iterable[object], limit: int = _SHOWN) -> str:
    """``{0, 1}`` or ``{'no', 'yes', …}`` (sorted, at most ``limit`` shown, with the count)."""
    items = sorted({repr(v) if isinstance(v, str) else _num(v) for v in values})
    shown = ", ".join(items[:limit])
    more = f", … ({len(items)} in all)" if len(items) > limit else ""
    return "{" + shown + more + "}"


def _num(v: object) -> str:
    if isinstance(v, float) and math.isfinite(v):
        return str(int(v)) if v == int(v) and abs(v) < 1e15 else f"{v:.4g}"
    return str(v)


def looks_like_score(labels: Sequence[object], predictions: Sequence[object]) -> bool:
    """Predictions with fractional numbers that the labels never use: probabilities, not classes."""
    fractional = [p for p in predictions if not _integral(p)]
    return bool(fractional) and all(_integral(y) for y in labels)


def score_hint(prediction: str, count: int, examples: Iterable[object]) -> str:
    return (
        f"Prediction column {prediction!r} holds {count} distinct numeric values such as "
        f"{show_values(examples, 3)}: it looks like a score, not a predicted class. "
        f"Pass it with --score {prediction} and name the predicted-class column with "
        "--prediction (or threshold the score into a class column first)."
    )


def check_prediction_count(
    prediction: str, count: int, examples: Sequence[object], max_classes: int, numeric: bool
) -> None:
    """Refuse a prediction column with more distinct values than ``max_classes``.

    Called by the engines on the aggregated table, before any per-class array is built: a
    score column as the prediction would otherwise make one class per distinct score.
    """
    if count <= max_classes:
        return
    if numeric:
        raise InvalidInput(score_hint(prediction, count, examples))
    raise InvalidInput(
        f"Prediction column {prediction!r} has {count} distinct values (limit {max_classes} "
        f"classes), e.g. {show_values(examples, 3)}: is it the right column? "
        "Classification metrics need classes; raise the limit with --max-classes if it is."
    )


def check_class_values(
    label: str,
    prediction: str,
    labels: Sequence[object],
    predictions: Sequence[object],
    max_classes: int,
) -> None:
    """Refuse label/prediction value sets that cannot be compared class by class.

    ``labels`` and ``predictions`` are the distinct non-missing values of the two columns
    (after the engine has brought them to one type). Refused: predictions that look like
    scores; more than ``max_classes`` classes in all; two value sets that share no value
    although one of them has two or more values (a single always-wrong class, e.g. every
    label 1 and every prediction 0, is a legitimate if sad result and passes).
    """
    if looks_like_score(labels, predictions):
        raise InvalidInput(score_hint(prediction, len(set(predictions)), predictions))
    classes = set(labels) | set(predictions)
    if len(classes) > max_classes:
        raise InvalidInput(
            f"Label column {label!r} and prediction column {prediction!r} have "
            f"{len(classes)} distinct values together (limit {max_classes} classes): "
            f"labels {show_values(labels)}, predictions {show_values(predictions)}. "
            "For a numeric target use 'gaio evaluate regression'; otherwise raise --max-classes."
        )
    disjoint = bool(labels) and bool(predictions) and not (set(labels) & set(predictions))
    if disjoint and (len(set(labels)) >= 2 or len(set(predictions)) >= 2):
        raise InvalidInput(
            f"Label column {label!r} has values {show_values(labels)} and prediction "
            f"column {prediction!r} has values {show_values(predictions)}: the two sets "
            "share no value, so no prediction could ever be right. Code both columns the "
            "same way (e.g. map yes/no to 1/0) before evaluating."
        )
