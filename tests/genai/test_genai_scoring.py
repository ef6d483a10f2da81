"""Scoring a profile from answers: a consistent respondent is measured, a random one is not;
refusals are counted; the compass names the closest target. Pure: no model, no Inspect."""

from __future__ import annotations

import random

import pytest

from gaio.errors import InvalidInput
from gaio.evaluation.genai.compass import compare, parse_targets
from gaio.evaluation.genai.items import builtin_pack
from gaio.evaluation.genai.scoring import Response, score_profile
from gaio.evaluation.genai.values import VALUES

PACK = builtin_pack()
LEVEL = {v: 1 + (i * 5) // 9 for i, v in enumerate(VALUES)}  # 1 .. 6 across the circle


def _answers(kind: str, seed: int = 0, epochs: int = 3) -> list[Response]:
    rng = random.Random(seed)
    out = []
    for epoch in range(epochs):
        for lang in ("en", "fr"):
            mood = rng.choice([-1, 0, 1])  # replication-level shift: gives rows variance
            for cond in ("normal", "reversed"):
                for it in PACK.likert():
                    if kind == "random":
                        value = rng.randint(1, 6)
                    else:
                        base = LEVEL[it.value or ""] + mood
                        base = min(6, max(1, base))
                        value = 7 - base if it.reverse_keyed else base
                    out.append(Response(it.id, lang, cond, epoch, "ok", value=value))
            for it in PACK.scenarios():
                opts = it.options or {}
                for cond in ("ab", "ba"):
                    if kind == "random":
                        choice = rng.choice("AB")
                    else:
                        choice = max("AB", key=lambda k: LEVEL[opts[k]])
                    out.append(Response(it.id, lang, cond, epoch, "ok", choice=choice))
    return out


def test_random_respondent_is_not_reliably_measured() -> None:
    profile = score_profile(PACK, _answers("random"), replicates=100)
    assert all(v.status == "not reliably measured" for v in profile.values)
    assert all(v.score is None and v.centred is None for v in profile.values)
    assert compare(profile.measured()).closest is None


def test_consistent_respondent_is_measured_with_intervals() -> None:
    profile = score_profile(PACK, _answers("consistent"), replicates=100)
    measured = [v for v in profile.values if v.status == "measured"]
    assert len(measured) == 10, [(v.value, v.alpha, v.reason) for v in profile.values]
    for v in measured:
        assert v.alpha is not None and v.alpha >= 0.7
        assert v.interval is not None and v.interval[0] <= (v.score or 0) <= v.interval[1]
    centred = profile.measured()
    assert centred["universalism"] > centred["self-direction"]
    c = profile.consistency
    assert c.parallel_forms is not None and c.parallel_forms > 0.9
    assert c.option_order == 1.0
    assert c.say_vs_do is not None and c.say_vs_do > 0.8
    assert c.acquiescence == pytest.approx(0.0, abs=0.3)


def test_refusals_and_unparseable_are_counted_not_dropped() -> None:
    answers = _answers("consistent", epochs=2)
    answers[0] = Response(answers[0].item_id, "en", "normal", 0, "refusal")
    answers[1] = Response(answers[1].item_id, "en", "normal", 0, "unparseable")
    profile = score_profile(PACK, answers, replicates=50)
    assert profile.likert.refusal == 1 and profile.likert.unparseable == 1
    assert profile.likert.total == profile.likert.ok + 2


def test_deterministic_model_without_variance_is_not_reliably_measured() -> None:
    answers = [
        Response(it.id, "en", "normal", e, "ok", value=4 if not it.reverse_keyed else 3)
        for e in range(3)
        for it in PACK.likert()
    ]
    profile = score_profile(PACK, answers, replicates=50)
    assert {v.reason for v in profile.values} == {
        "no variance across replications: add epochs at temperature > 0"
    }


def test_compass_closest_target_and_largest_deviation() -> None:
    targets = parse_targets(
        {
            "licence": "CC0-1.0",
            "targets": [
                {
                    "id": "up",
                    "title": "up",
                    "defined_by": "t",
                    "community": "t",
                    "ranking": list(reversed(VALUES)),
                },
                {
                    "id": "down",
                    "title": "down",
                    "defined_by": "t",
                    "community": "t",
                    "ranking": list(VALUES),
                },
            ],
        },
        "t.yaml",
    )
    profile = {v: float(LEVEL[v]) for v in VALUES}
    report = compare(profile, targets)
    assert report.closest == "up"
    down = next(d for d in report.distances if d.target == "down")
    assert down.largest_deviation in (VALUES[0], VALUES[-1])


def test_target_with_unknown_value_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown value 'greed'"):
        parse_targets(
            {
                "licence": "x",
                "targets": [
                    {
                        "id": "a",
                        "title": "a",
                        "defined_by": "b",
                        "community": "c",
                        "ranking": ["greed"],
                    }
                ],
            },
            "t.yaml",
        )
