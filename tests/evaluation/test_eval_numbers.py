"""One number format, and disparities that always name their groups."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gaio.cli.evaluate import app
from gaio.evaluation import numbers
from gaio.evaluation.result import MetricValue

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite)
def test_number_uses_a_real_minus_and_fixed_precision(v: float) -> None:
    text = numbers.number(v)
    assert "-" not in text
    assert re.fullmatch(r"−?\d+\.\d{3}", text), text
    assert abs(float(text.replace(numbers.MINUS, "-")) - v) <= 0.0005 + 1e-9


@given(finite, finite, finite)
def test_value_and_interval_share_precision(v: float, a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    text = numbers.metric(MetricValue(value=v, ci_low=lo, ci_high=hi))
    value, interval = text.split(" ", 1)
    assert interval.startswith("[") and interval.endswith("]") and ", " in interval
    low, high = interval[1:-1].split(", ")
    decimals = {len(x.split(".")[1]) for x in (value, low, high)}
    assert decimals == {3}
    assert "–" not in text and "-" not in text


def test_undefined_says_why() -> None:
    text = numbers.metric(MetricValue(value=None, undefined_reason="no actual positives"))
    assert text == "undefined (no actual positives)"


def test_every_defined_disparity_names_its_groups(credit_csv: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["fairness", str(credit_csv), "-y", "y", "-p", "yhat", "-s", "sex,age", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["classes"][0]
    by_group = {json.dumps(g["group"], sort_keys=True): g["metrics"] for g in report["groups"]}
    for d in report["disparities"]:
        if d["value"]["value"] is None:
            continue
        assert d["group"] and d["reference"], d
        if d["comparison"] == "worst_vs_best":
            metric = d["component"]
            low = by_group[json.dumps(d["group"], sort_keys=True)][metric]["value"]
            high = by_group[json.dumps(d["reference"], sort_keys=True)][metric]["value"]
            assert low <= high
            if d["kind"] == "ratio" and len(d["metrics"]) == 1:
                assert abs(low / high - d["value"]["value"]) < 1e-12


def test_four_fifths_line_reads_the_spec(credit_csv: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\ntests:\n  - metric: disparate_impact_ratio\n    min: 0.95\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["fairness", str(credit_csv), "-y", "y", "-p", "yhat", "-s", "sex", "--spec", str(spec)],
        terminal_width=200,
    )
    assert "line 0.950 (spec)" in result.output, result.output
    assert "spec verdict on the interval" in result.output
    args = ["fairness", str(credit_csv), "-y", "y", "-p", "yhat", "-s", "sex"]
    as_json = CliRunner().invoke(app, [*args, "--spec", str(spec), "--json"])
    ff = json.loads(as_json.output)["classes"][0]["four_fifths"]
    verdict = json.loads(as_json.output)["spec"]["verdict"]
    assert ff["threshold"] == 0.95 and ff["source"] == "spec" and ff["verdict"] == verdict
