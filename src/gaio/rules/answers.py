"""Answering a question: turn a typed answer into a card fact and a new card.

Pure helpers behind ``gaio classify --interactive`` (and any other face that asks questions):
:func:`parse_answer` reads what a person typed for a :class:`~gaio.rules.model.Question`,
:func:`with_fact` returns a new card with the fact set at the question's dotted path, validated as
a whole card again so an answer can never produce a card the schema would reject.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gaio.errors import InvalidInput
from gaio.registry.card import SystemCard, parse_card
from gaio.registry.vocab import check_jurisdiction
from gaio.rules.model import Question

UNKNOWN = object()
"""Returned by :func:`parse_answer` when the person does not know: the fact stays unknown."""

_YES = {"y", "yes", "true"}
_NO = {"n", "no", "false"}
_UNKNOWN_WORDS = {"", "?", "u", "unknown", "skip"}
_NONE_WORDS = {"none", "-", "[]"}


def parse_answer(question: Question, text: str) -> Any:
    """The fact value ``text`` gives for ``question``, or :data:`UNKNOWN`.

    Raises :class:`InvalidInput` quoting the answer and saying what was expected.
    """
    raw = text.strip()
    low = raw.lower()
    if low in _UNKNOWN_WORDS:
        return UNKNOWN
    kind = question.answer
    if kind == "yes-no":
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise InvalidInput(f"answer {raw!r} to {question.path}: expected yes, no or unknown")
    if kind == "number":
        try:
            value = float(raw)
        except ValueError:
            raise InvalidInput(
                f"answer {raw!r} to {question.path}: expected a number such as 3e24"
            ) from None
        if value < 0:
            raise InvalidInput(f"answer {raw!r} to {question.path}: must not be negative")
        return value
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise InvalidInput(
                f"answer {raw!r} to {question.path}: expected a date as YYYY-MM-DD"
            ) from None
    if kind == "jurisdiction":
        return _jurisdiction(question, raw)
    if kind == "one-of":
        if low not in question.choices:
            raise InvalidInput(
                f"answer {raw!r} to {question.path}: expected one of {', '.join(question.choices)}"
            )
        return low
    values = [] if low in _NONE_WORDS else [v.strip() for v in raw.split(",") if v.strip()]
    if kind == "jurisdictions":
        return [_jurisdiction(question, v) for v in values]
    bad = [v for v in values if v not in question.choices]
    if bad:
        raise InvalidInput(
            f"answer {bad[0]!r} to {question.path}: not one of {', '.join(question.choices)}"
        )
    return values


def _jurisdiction(question: Question, value: str) -> str:
    try:
        return check_jurisdiction(value)
    except ValueError as exc:
        raise InvalidInput(f"answer to {question.path}: {exc}") from None


def with_fact(card: SystemCard, path: str, value: Any) -> SystemCard:
    """A copy of ``card`` with the fact at dotted ``path`` set to ``value``, revalidated."""
    data = card.model_dump(mode="json", exclude_none=True)
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value
    return parse_card(data, source=f"answer to {path}")
