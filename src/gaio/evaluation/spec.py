"""Test specifications: the normative baseline an evaluation is judged against.

A spec is a YAML file naming metrics with bounds, the sensitive attributes and the reference
group. Each test is judged on the value *and its interval*: pass when the whole interval lies
within the bounds, fail when it lies wholly outside, inconclusive when it straddles a bound (or
the value is undefined). Without an interval the value alone decides.

Example::

    version: 1
    name: credit model, fairness baseline
    sensitive: [sex]
    reference_group: {sex: male}
    tests:
      - metric: disparate_impact_ratio       # worst group vs best
        min: 0.8
      - metric: equalized_odds_difference
        max: 0.1
      - metric: tpr                          # per group: every group is judged
        min: 0.6
      - metric: accuracy
        scope: overall
        min: 0.7
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gaio.errors import FieldError, InvalidInput
from gaio.evaluation import metrics as m
from gaio.evaluation.report import REGRESSION_METRICS
from gaio.evaluation.result import (
    ClassReport,
    Disparity,
    GroupReport,
    MetricValue,
    SpecOutcome,
    SpecReport,
    sha256_text,
)
from gaio.inputs import load_yaml, read_text

Verdict = Literal["pass", "fail", "inconclusive"]

GROUP_METRICS = frozenset([r.name for r in m.RATES] + ["f1", "ece", "roc_auc", *REGRESSION_METRICS])
DISPARITY_METRICS = frozenset(
    [f"{d.name}_{k}" for d in m.DISPARITIES for k in d.kinds]
    + [f"{n}_{k}" for n in REGRESSION_METRICS for k in ("difference", "ratio")]
)


class SpecTest(BaseModel):
    """One test: a metric and its bounds."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    metric: str
    min: float | None = None
    max: float | None = None
    comparison: Literal["worst_vs_best", "vs_reference"] = "worst_vs_best"
    """For disparities: worst group vs best, or every group vs the reference."""
    scope: Literal["each_group", "overall"] = "each_group"
    """For per-group metrics: judge every group, or the whole population."""
    positive_label: str | None = None
    """Multi-class only: the class this test applies to (default: every class)."""

    @model_validator(mode="after")
    def _check(self) -> SpecTest:
        if self.min is None and self.max is None:
            raise ValueError("a test needs min, max or both")
        if self.metric not in GROUP_METRICS | DISPARITY_METRICS:
            known = ", ".join(sorted(GROUP_METRICS | DISPARITY_METRICS))
            raise ValueError(f"unknown metric {self.metric!r}; known: {known}")
        return self

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        bounds = [
            f"≥ {self.min:g}" if self.min is not None else "",
            f"≤ {self.max:g}" if self.max is not None else "",
        ]
        return f"{self.metric} {' and '.join(b for b in bounds if b)}"


class TestSpec(BaseModel):
    """A test specification (``version: 1``)."""

    __test__ = False  # not a pytest class
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    name: str | None = None
    task: Literal["auto", "binary", "multiclass", "regression"] = "auto"
    positive_label: str | None = None
    sensitive: list[str] | None = None
    reference_group: dict[str, str] | None = None
    confidence: float = Field(0.95, gt=0, lt=1)
    bootstrap: int = Field(1000, ge=0)
    seed: int = 0
    min_group_size: int = Field(30, ge=1)
    tests: list[SpecTest] = Field(min_length=1)


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema of a test spec (``schemas/evaluation-spec.schema.json``).

    The metric names are listed as an enum, so an editor can complete them; the rule that a
    test needs ``min`` or ``max`` is stated with ``anyOf``.
    """
    schema = TestSpec.model_json_schema()
    test = schema["$defs"]["SpecTest"]
    test["properties"]["metric"] = {
        "type": "string",
        "enum": sorted(GROUP_METRICS | DISPARITY_METRICS),
        "description": "a per-group metric (judged per group or overall) or a disparity "
        "(<name>_difference / <name>_ratio)",
    }
    test["anyOf"] = [{"required": ["min"]}, {"required": ["max"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://gaio.dev/schemas/evaluation-spec.schema.json"
    schema["title"] = "gaio evaluation test specification, version 1"
    return schema


def load_spec(path: Path) -> tuple[TestSpec, str]:
    """Parse and validate a spec file; returns it with the SHA-256 of its text."""
    text = read_text(path, "spec")
    raw = load_yaml(text, f"spec {path}")
    if not isinstance(raw, dict):
        raise InvalidInput(f"Spec {str(path)!r} must be a mapping with a 'tests' list.")
    try:
        spec = TestSpec.model_validate(raw)
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        first = errors[0]
        raise InvalidInput(
            f"Spec {str(path)!r} is invalid at {first.path or '(top)'}: {first.message}",
            errors=errors,
        ) from exc
    return spec, sha256_text(text)


def judge(value: MetricValue, low: float | None, high: float | None) -> tuple[Verdict, str]:
    """Pass / fail / inconclusive for one value and its interval against [low, high]."""
    if value.value is None:
        return "inconclusive", f"undefined: {value.undefined_reason}"
    lo = value.ci_low if value.ci_low is not None else value.value
    hi = value.ci_high if value.ci_high is not None else value.value
    below = low is not None and hi < low
    above = high is not None and lo > high
    if below or above:
        return (
            "fail",
            "the whole interval is outside the bounds" if lo != hi else "outside the bounds",
        )
    inside = (low is None or lo >= low) and (high is None or hi <= high)
    if inside:
        return (
            "pass",
            "the whole interval is within the bounds" if lo != hi else "within the bounds",
        )
    return "inconclusive", "the interval straddles a bound"


def _outcome(
    test: SpecTest,
    value: MetricValue,
    group: dict[str, str | None] | None,
    reference: dict[str, str | None] | None = None,
) -> SpecOutcome:
    verdict, reason = judge(value, test.min, test.max)
    return SpecOutcome(
        test=test.title,
        metric=test.metric,
        verdict=verdict,
        group=group,
        reference=reference,
        value=value.value,
        ci_low=value.ci_low,
        ci_high=value.ci_high,
        min=test.min,
        max=test.max,
        reason=reason,
    )


def _disparity_outcomes(test: SpecTest, disparities: Sequence[Disparity]) -> list[SpecOutcome]:
    name, kind = test.metric.rsplit("_", 1)
    found = [
        d
        for d in disparities
        if d.name == name and d.kind == kind and d.comparison == test.comparison
    ]
    if not found:
        missing = MetricValue(
            value=None,
            undefined_reason=f"no {test.comparison.replace('_', ' ')} disparity computed"
            + (" (no reference group given)" if test.comparison == "vs_reference" else ""),
        )
        return [_outcome(test, missing, None)]
    return [_outcome(test, d.value, d.group, d.reference) for d in found]


def _group_outcomes(
    test: SpecTest, overall: GroupReport, groups: Sequence[GroupReport]
) -> list[SpecOutcome]:
    targets = [overall] if test.scope == "overall" else list(groups)
    out = []
    for gr in targets:
        value = gr.metrics.get(test.metric) or MetricValue(
            value=None, undefined_reason=f"{test.metric} was not computed (no score column?)"
        )
        out.append(_outcome(test, value, gr.group if test.scope == "each_group" else None))
    return out


def evaluate_classification_spec(
    spec: TestSpec, sha256: str, classes: Sequence[ClassReport]
) -> SpecReport:
    outcomes: list[SpecOutcome] = []
    for test in spec.tests:
        for report in classes:
            if test.positive_label is not None and test.positive_label != report.positive_label:
                continue
            if test.metric in DISPARITY_METRICS:
                found = _disparity_outcomes(test, report.disparities)
            else:
                found = _group_outcomes(test, report.overall, report.groups)
            if len(classes) > 1:
                found = [
                    o.model_copy(update={"test": f"{o.test} [class {report.positive_label}]"})
                    for o in found
                ]
            outcomes.extend(found)
    return _report(sha256, outcomes)


def evaluate_regression_spec(
    spec: TestSpec,
    sha256: str,
    overall: GroupReport,
    groups: Sequence[GroupReport],
    disparities: Sequence[Disparity],
) -> SpecReport:
    outcomes: list[SpecOutcome] = []
    for test in spec.tests:
        if test.metric in DISPARITY_METRICS:
            outcomes.extend(_disparity_outcomes(test, disparities))
        else:
            outcomes.extend(_group_outcomes(test, overall, groups))
    return _report(sha256, outcomes)


#: Spec metrics that bound the selection-rate ratio, i.e. draw the four-fifths line.
FOUR_FIFTHS_METRICS = ("disparate_impact_ratio", "demographic_parity_ratio")


def with_spec_four_fifths(
    spec: TestSpec, outcomes: SpecReport, classes: Sequence[ClassReport]
) -> list[ClassReport]:
    """The class reports with their four-fifths line drawn where the spec draws it.

    One source of truth: when the spec bounds the worst-vs-best selection-rate ratio from
    below, that bound is the line, and the spec's verdict (judged on the interval) is shown
    beside the point-estimate check, so "met" never sits next to "inconclusive" unexplained.
    """
    from gaio.evaluation.report import four_fifths_from_groups

    tests = [
        t
        for t in spec.tests
        if t.metric in FOUR_FIFTHS_METRICS and t.min is not None and t.comparison == "worst_vs_best"
    ]
    if not tests:
        return list(classes)
    test = tests[0]
    out = []
    for report in classes:
        verdicts = {
            o.verdict
            for o in outcomes.outcomes
            if o.metric == test.metric
            and (len(classes) == 1 or o.test.endswith(f"[class {report.positive_label}]"))
        }
        verdict: Verdict | None = (
            "fail"
            if "fail" in verdicts
            else "inconclusive"
            if "inconclusive" in verdicts
            else "pass"
            if verdicts
            else None
        )
        ff = four_fifths_from_groups(report.groups, float(test.min or 0.0))
        ff = ff.model_copy(update={"source": "spec", "verdict": verdict})
        out.append(report.model_copy(update={"four_fifths": ff}))
    return out


def _report(sha256: str, outcomes: list[SpecOutcome]) -> SpecReport:
    verdicts = {o.verdict for o in outcomes}
    verdict: Verdict = (
        "fail" if "fail" in verdicts else "inconclusive" if "inconclusive" in verdicts else "pass"
    )
    return SpecReport(sha256=sha256, verdict=verdict, outcomes=outcomes)
