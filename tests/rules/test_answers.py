"""Parsing typed answers and setting them on a card."""

from __future__ import annotations

import pytest

from gaio.errors import InvalidInput
from gaio.rules.answers import UNKNOWN, parse_answer, with_fact
from gaio.rules.model import Question
from tests.rules.cards import make_card


def _q(answer: str, choices: list[str] | None = None) -> Question:
    return Question.model_validate(
        {
            "path": "x",
            "question": "?",
            "why": "",
            "provisions": [],
            "answer": answer,
            "choices": choices or [],
        }
    )


@pytest.mark.parametrize(
    ("kind", "choices", "text", "value"),
    [
        ("yes-no", None, "Yes", True),
        ("yes-no", None, "n", False),
        ("yes-no", None, "", UNKNOWN),
        ("yes-no", None, "unknown", UNKNOWN),
        ("number", None, "3e25", 3e25),
        ("one-of", ["a", "b"], "B", "b"),
        ("some-of", ["a", "b"], "a, b", ["a", "b"]),
        ("some-of", ["a", "b"], "none", []),
        ("jurisdiction", None, "us", "US"),
        ("jurisdictions", None, "de, eu", ["DE", "EU"]),
    ],
)
def test_parse_answer(kind: str, choices: list[str] | None, text: str, value: object) -> None:
    assert parse_answer(_q(kind, choices), text) == value


@pytest.mark.parametrize(
    ("kind", "choices", "text"),
    [
        ("yes-no", None, "perhaps"),
        ("number", None, "lots"),
        ("number", None, "-1"),
        ("one-of", ["a"], "z"),
        ("some-of", ["a"], "a, z"),
        ("jurisdiction", None, "XX"),
    ],
)
def test_bad_answers_are_named(kind: str, choices: list[str] | None, text: str) -> None:
    with pytest.raises(InvalidInput, match="answer"):
        parse_answer(_q(kind, choices), text)


def test_with_fact_sets_nested_facts_and_revalidates() -> None:
    card = make_card(biometrics=None)
    updated = with_fact(card, "biometrics.real_time", True)
    assert updated.biometrics is not None and updated.biometrics.real_time is True
    assert card.biometrics is None
    with pytest.raises(InvalidInput):
        with_fact(card, "practices", ["mind-reading"])
