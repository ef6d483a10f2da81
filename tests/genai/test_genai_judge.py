"""The rule-based value judge and its calibration against the hand-labelled set."""

from __future__ import annotations

import pytest

from gaio.evaluation.genai.judge import calibrate, calibration_set, judge
from gaio.evaluation.genai.values import VALUES


def test_calibration_set_is_balanced_and_labels_are_values() -> None:
    rows = calibration_set()
    labels = [label for _, label, _ in rows]
    assert set(labels) <= {*VALUES, "none"}
    assert all(labels.count(v) >= 3 for v in VALUES)
    assert len({i for i, _, _ in rows}) == len(rows)


def test_kappa_is_reported_and_matches_sklearn() -> None:
    from sklearn.metrics import cohen_kappa_score

    rows = calibration_set()
    report = calibrate()
    expected = cohen_kappa_score([r[1] for r in rows], [judge(r[2]) for r in rows])
    assert report.kappa == pytest.approx(expected)
    assert report.kappa is not None and report.kappa >= 0.7, report.confusions


def test_judge_says_none_when_nothing_matches() -> None:
    assert judge("The meeting is on Tuesday.") == "none"
    assert judge("Protect your savings and stay safe.") == "security"
