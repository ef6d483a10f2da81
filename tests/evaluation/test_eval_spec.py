"""Test specifications: pass when the interval is within bounds, fail when wholly outside,
inconclusive when it straddles a bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaio.errors import InvalidInput
from gaio.evaluation.request import FairnessRun
from gaio.evaluation.result import MetricValue
from gaio.evaluation.run import evaluate_fairness
from gaio.evaluation.spec import judge, load_spec


@pytest.mark.parametrize(
    ("value", "low", "high", "verdict"),
    [
        (MetricValue(value=0.9, ci_low=0.85, ci_high=0.95), 0.8, None, "pass"),
        (MetricValue(value=0.7, ci_low=0.6, ci_high=0.75), 0.8, None, "fail"),
        (MetricValue(value=0.82, ci_low=0.7, ci_high=0.9), 0.8, None, "inconclusive"),
        (MetricValue(value=0.05, ci_low=0.01, ci_high=0.12), None, 0.1, "inconclusive"),
        (MetricValue(value=0.2, ci_low=0.15, ci_high=0.3), None, 0.1, "fail"),
        (MetricValue(value=0.5), 0.4, 0.6, "pass"),
        (
            MetricValue(value=None, undefined_reason="no actual positives"),
            0.4,
            None,
            "inconclusive",
        ),
    ],
)
def test_judge(value: MetricValue, low: float | None, high: float | None, verdict: str) -> None:
    assert judge(value, low, high)[0] == verdict


SPEC = """
version: 1
name: credit baseline
sensitive: [sex]
reference_group: {sex: male}
bootstrap: 200
seed: 3
tests:
  - metric: accuracy
    scope: overall
    min: 0.0
  - metric: accuracy
    scope: overall
    min: 0.999
  - metric: demographic_parity_difference
    comparison: vs_reference
    max: 0.5
  - metric: tpr
    min: 0.01
"""


def test_spec_run_gives_verdicts(tmp_path: Path, credit_csv: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    result = evaluate_fairness(
        FairnessRun(data=credit_csv, label="y", prediction="yhat", spec=spec)
    )
    assert result.parameters["sensitive"] == ["sex"]
    assert result.parameters["seed"] == 3
    report = result.spec
    assert report is not None
    verdicts = [o.verdict for o in report.outcomes]
    assert verdicts[:2] == ["pass", "fail"]
    assert report.verdict == "fail"
    tpr = [o for o in report.outcomes if o.metric == "tpr"]
    assert {o.group["sex"] for o in tpr if o.group} == {"female", "male"}
    assert any(i.role == "spec" and i.sha256 == report.sha256 for i in result.inputs)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tests: []", "tests"),
        ("tests:\n  - metric: tpr\n", "min, max or both"),
        ("tests:\n  - metric: tpx\n    min: 1\n", "unknown metric 'tpx'"),
        ("version: 2\ntests:\n  - metric: tpr\n    min: 1\n", "version"),
        ("- just a list", "mapping"),
        ("a: [", "not valid YAML"),
    ],
)
def test_bad_specs_are_refused(tmp_path: Path, text: str, message: str) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(text)
    with pytest.raises(InvalidInput, match=message):
        load_spec(spec)
