"""Mistakes refused before any work: a score as the prediction, label and prediction value sets
that share nothing, too many classes; spec verdicts as exit codes; nothing stored when refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import PROVIDER
from tests.factories import card, world
from typer.testing import CliRunner, Result

from gaio.cli.evaluate import app
from gaio.errors import InvalidInput
from gaio.evaluation.checks import check_class_values, looks_like_score
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.registry import systems


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], terminal_width=160)


def refused(result: Result, *fragments: str) -> str:
    assert isinstance(result.exception, InvalidInput), repr(result.exception)
    assert result.exception.exit_code == 2
    for fragment in fragments:
        assert fragment in result.exception.message, result.exception.message
    return result.exception.message


# --- the pure checks, over generated inputs -------------------------------------------------

fractions = st.floats(0.001, 0.999).filter(lambda v: v != int(v))
integral_labels = st.sets(st.integers(-3, 5), min_size=1, max_size=5)


@given(labels=integral_labels, preds=st.sets(fractions, min_size=1, max_size=40))
def test_fractional_predictions_against_class_labels_are_a_score(
    labels: set[int], preds: set[float]
) -> None:
    assert looks_like_score(sorted(labels), sorted(preds))
    with pytest.raises(InvalidInput) as err:
        check_class_values("y", "p", sorted(labels), sorted(preds), 50)
    assert "--score p" in err.value.message and "--prediction" in err.value.message


words = st.sampled_from(["no", "yes", "approve", "deny", "high", "low", "maybe"])


@given(labels=integral_labels, preds=st.sets(words, min_size=1, max_size=4))
def test_disjoint_value_sets_are_refused_naming_both(labels: set[int], preds: set[str]) -> None:
    as_text = sorted(str(v) for v in labels)
    if len(labels) < 2 and len(preds) < 2:
        check_class_values("y", "p", as_text, sorted(preds), 50)  # one always-wrong class
        return
    with pytest.raises(InvalidInput) as err:
        check_class_values("y", "p", as_text, sorted(preds), 50)
    message = err.value.message
    assert "share no value" in message
    for value in [*as_text, *preds]:
        assert repr(value) in message


@given(labels=st.sets(st.integers(0, 200), min_size=1, max_size=120), limit=st.integers(2, 60))
def test_class_cap(labels: set[int], limit: int) -> None:
    values = sorted(labels)
    if len(values) <= limit:
        check_class_values("y", "p", values, values, limit)
    else:
        with pytest.raises(InvalidInput, match=f"limit {limit} classes"):
            check_class_values("y", "p", values, values, limit)


@given(labels=integral_labels, preds=st.sets(st.integers(-3, 5), min_size=1, max_size=5))
def test_overlapping_integral_codes_pass(labels: set[int], preds: set[int]) -> None:
    if labels & preds:
        check_class_values("y", "p", sorted(labels), sorted(preds), 50)


# --- through the command, on real files -----------------------------------------------------


def frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = rng.random(n).round(4)
    return pd.DataFrame(
        {
            "y": y,
            "score": score,
            "yhat": (score > 0.5).astype(int),
            "yn": np.where(score > 0.5, "yes", "no"),
            "sex": rng.choice(["f", "m"], n),
        }
    )


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(60, 3000), seed=st.integers(0, 10_000))
def test_score_as_prediction_is_refused_quickly(tmp_path: Path, n: int, seed: int) -> None:
    path = tmp_path / f"d{n}_{seed}.csv"
    frame(n, seed).to_csv(path, index=False)
    result = invoke("fairness", path, "-y", "y", "-p", "score", "-s", "sex")
    refused(result, "looks like a score", "--score score")
    assert len(result.output) < 2000


def test_yes_no_against_zero_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    df = frame(400, 3)
    df.to_csv(path, index=False)
    refused(invoke("fairness", path, "-y", "y", "-p", "yn", "-s", "sex"), "'no'", "'1'")
    refused(invoke("fairness", path, "-y", "yn", "-p", "yhat", "-s", "sex"), "'yes'", "'0'")


def test_too_many_text_predictions_name_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    df = frame(300, 4)
    df["code"] = [f"c{i}" for i in range(300)]
    df.to_csv(path, index=False)
    refused(
        invoke("fairness", path, "-y", "yn", "-p", "code", "-s", "sex", "--max-classes", "10"),
        "limit 10 classes",
        "--max-classes",
    )


SPEC = "version: 1\ntests:\n  - metric: accuracy\n    scope: overall\n    min: {bound}\n"


@pytest.mark.parametrize(("bound", "code"), [(0.0, 0), (0.99, 1)])
def test_spec_verdict_is_the_exit_code(tmp_path: Path, bound: float, code: int) -> None:
    path = tmp_path / "d.csv"
    frame(500, 5).to_csv(path, index=False)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(bound=bound), encoding="utf-8")
    result = invoke("fairness", path, "-y", "y", "-p", "yhat", "-s", "sex", "--spec", spec)
    assert result.exit_code == code, result.output


def test_inconclusive_spec_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    frame(500, 6).to_csv(path, index=False)
    accuracy_probe = invoke("fairness", path, "-y", "y", "-p", "yhat", "-s", "sex", "--json")
    import json

    overall = json.loads(accuracy_probe.output)["classes"][0]["overall"]["metrics"]["accuracy"]
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(bound=overall["value"]), encoding="utf-8")
    result = invoke("fairness", path, "-y", "y", "-p", "yhat", "-s", "sex", "--spec", spec)
    assert result.exit_code == 3, result.output


def test_refused_run_stores_no_evidence(cli: Any, g: Gaio, tmp_path: Path) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    path = tmp_path / "d.csv"
    frame(400, 7).to_csv(path, index=False)
    for column in ("score", "yn"):
        r = cli(
            "--as",
            "provider:acme",
            "evaluate",
            "fairness",
            str(path),
            "-y",
            "y",
            "-p",
            column,
            "-s",
            "sex",
            "--system",
            "acme-cv-ranker",
        )
        assert r.code == 2 and "stored as evidence" not in r.err, r.err
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []
    assert not (g.settings.home / "evidence").exists()
