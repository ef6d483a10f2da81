"""The evaluation result document: versioned, self-describing, reproducible.

A result carries what a third party needs to recompute its numbers: the SHA-256 of every input
file and of the spec, every parameter (seed included), the library versions and the timings.
Its JSON Schema is generated from these models into ``schemas/evaluation-result.schema.json``
(:func:`result_json_schema`); a test fails when the committed file drifts.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

SCHEMA_VERSION = "1.0"

#: Libraries whose versions can change a number; recorded in every result.
RECORDED_LIBRARIES = ("gaio", "duckdb", "numpy", "pyarrow", "pydantic", "pyspark", "onnxruntime")

GroupLabel = dict[str, str | None]


class _Model(BaseModel):
    # The attribute docstrings below document the fields; they are put into the JSON Schema
    # by result_json_schema() rather than by pydantic's use_attribute_docstrings, which parses
    # this file's source on every import (a tenth of a fresh `gaio evaluate` run).
    model_config = ConfigDict(extra="forbid")


class MetricValue(_Model):
    """One number with its interval, or the reason it does not exist."""

    value: float | None
    """The point estimate; null when undefined (never silently 0)."""
    ci_low: float | None = None
    """Lower end of the confidence interval."""
    ci_high: float | None = None
    """Upper end of the confidence interval."""
    ci_method: Literal["wilson", "bootstrap", "hanley-mcneil", "normal"] | None = None
    """How the interval was computed."""
    numerator: int | None = None
    """For a rate: the count on top of the fraction."""
    denominator: int | None = None
    """For a rate: the count below the fraction."""
    undefined_reason: str | None = None
    """Why ``value`` is null, e.g. "no actual positives"."""


class GroupReport(_Model):
    """Every metric of one group (or of the whole population)."""

    group: GroupLabel
    """Sensitive attribute name → value (null for a missing value)."""
    count: int
    """Rows in the group."""
    metrics: dict[str, MetricValue]
    """Metric name → value."""
    too_small: bool = False
    """True when the group has fewer rows than ``parameters.min_group_size``."""


class Disparity(_Model):
    """One disparity: a metric compared across groups, as a difference or a ratio."""

    name: str
    """Disparity name, e.g. ``demographic_parity``."""
    metrics: list[str]
    """The per-group metrics it compares."""
    kind: Literal["difference", "ratio"]
    comparison: Literal["worst_vs_best", "vs_reference"]
    """``worst_vs_best``: max − min (difference) or min / max (ratio) over groups;
    ``vs_reference``: group − reference or group / reference."""
    group: GroupLabel | None = None
    """The compared group. ``worst_vs_best``: the group with the lowest value of the deciding
    metric (null only when the disparity is undefined)."""
    reference: GroupLabel | None = None
    """The reference group. ``worst_vs_best``: the group with the highest value."""
    component: str | None = None
    """``worst_vs_best``: the per-group metric that decided the value (equalized odds: TPR or
    FPR)."""
    value: MetricValue


class FourFifths(_Model):
    """The four-fifths rule: every group's selection rate is at least 80% of the highest."""

    threshold: float = 0.8
    """The line: 0.8, or the spec's lower bound on ``disparate_impact_ratio`` when given."""
    source: Literal["default", "spec"] = "default"
    """Where the threshold comes from."""
    verdict: Literal["pass", "fail", "inconclusive"] | None = None
    """With a spec: its verdict on the same ratio, judged on the interval (one source of
    truth: a point estimate above the line with an interval across it is inconclusive)."""
    passed: bool | None
    """Null when the selection-rate ratio is undefined."""
    ratio: float | None
    """Lowest selection rate divided by the highest."""
    failing_groups: list[GroupLabel] = Field(default_factory=list)


class ClassReport(_Model):
    """Fairness for one positive class (binary task: one; multi-class: one-vs-rest per class)."""

    positive_label: str
    overall: GroupReport
    groups: list[GroupReport]
    disparities: list[Disparity]
    four_fifths: FourFifths | None = None


class InputDigest(_Model):
    """One input, identified by content."""

    role: Literal["data", "predictions", "spec", "query", "model"]
    path: str | None = None
    sha256: str
    size_bytes: int | None = None


class RowsReport(_Model):
    """How many rows were read and used; what was missing and what was dropped."""

    read: int
    used: int
    dropped: int = 0
    missing_label: int = 0
    missing_prediction: int = 0
    missing_score: int = 0


class Provenance(_Model):
    """Where and with what the numbers were computed."""

    created_at: datetime
    python: str
    platform: str
    libraries: dict[str, str]


class SpecOutcome(_Model):
    """The verdict on one test of a spec."""

    test: str
    """The test's name (from the spec, or metric plus bound)."""
    metric: str
    verdict: Literal["pass", "fail", "inconclusive"]
    group: GroupLabel | None = None
    """For per-group tests: the group judged; for disparities: the compared group."""
    reference: GroupLabel | None = None
    """For disparities: the group it is compared with (the highest, or the reference)."""
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    min: float | None = None
    max: float | None = None
    reason: str
    """Why this verdict, in a sentence."""


class SpecReport(_Model):
    """Outcomes of a test specification; the verdict is the worst of them."""

    sha256: str
    verdict: Literal["pass", "fail", "inconclusive"]
    outcomes: list[SpecOutcome]


class _ResultBase(_Model):
    version: Literal["1.0"] = "1.0"
    """Version of this document's schema."""
    inputs: list[InputDigest]
    parameters: dict[str, Any]
    """Every parameter that affects a number, seed included."""
    rows: RowsReport
    warnings: list[str] = Field(default_factory=list)
    spec: SpecReport | None = None
    provenance: Provenance
    timings: dict[str, float]
    """Seconds per phase (``aggregate``, ``metrics``, ``bootstrap``, ``total`` …)."""


class FairnessResult(_ResultBase):
    """Classification fairness and performance from predictions."""

    kind: Literal["fairness"] = "fairness"
    task: Literal["binary", "multiclass"]
    classes: list[ClassReport]


class RegressionResult(_ResultBase):
    """Regression performance per group (MAE, RMSE, R²) and its disparities."""

    kind: Literal["regression"] = "regression"
    overall: GroupReport
    groups: list[GroupReport]
    disparities: list[Disparity]


class CurvePoint(_Model):
    perturbation: str
    level: float
    metric: MetricValue


class RobustnessResult(_ResultBase):
    """Metric degradation under seeded perturbations of the features."""

    kind: Literal["robustness"] = "robustness"
    metric: str
    baseline: MetricValue
    curve: list[CurvePoint]


class FeatureImportance(_Model):
    feature: str
    importance: float
    """Mean drop of the metric when the feature is permuted."""
    std: float


class ExplainResult(_ResultBase):
    """Permutation feature importance (and SHAP values when the extra is installed)."""

    kind: Literal["explain"] = "explain"
    metric: str
    baseline: float
    importances: list[FeatureImportance]
    shap_mean_abs: dict[str, float] | None = None


EvaluationResult = Annotated[
    FairnessResult | RegressionResult | RobustnessResult | ExplainResult,
    Field(discriminator="kind"),
]


def result_json_schema() -> dict[str, Any]:
    """The JSON Schema of every evaluation result document, fields described by their docstrings."""
    schema = TypeAdapter(EvaluationResult).json_schema()
    docs = _attribute_docstrings()
    for name, definition in schema.get("$defs", {}).items():
        model = globals().get(name)
        owners = [c.__name__ for c in model.__mro__] if isinstance(model, type) else [name]
        for field, prop in definition.get("properties", {}).items():
            doc = next((docs[(o, field)] for o in owners if (o, field) in docs), None)
            if doc is not None:
                prop.setdefault("description", doc)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://gaio.dev/schemas/evaluation-result.schema.json"
    schema["title"] = f"gaio evaluation result, version {SCHEMA_VERSION}"
    return schema


def _attribute_docstrings() -> dict[tuple[str, str], str]:
    """(class name, field) → the string literal that follows the field in this module."""
    import ast
    import inspect

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    out: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                out[(node.name, stmt.target.id)] = inspect.cleandoc(after.value.value)
    return out


def parse_result(
    data: dict[str, Any],
) -> FairnessResult | RegressionResult | RobustnessResult | ExplainResult:
    """Validate a result document read back from JSON."""
    return TypeAdapter(EvaluationResult).validate_python(data)


def sha256_file(
    path: Path, chunk: int = 1 << 20, cancelled: Callable[[], bool] | None = None
) -> tuple[str, int]:
    """SHA-256 hex digest and size of a file, read in chunks (files may exceed memory).

    ``cancelled`` is asked between chunks; when it says yes, :class:`InterruptedError` is
    raised (no digest is ever returned for part of a file).
    """
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            if cancelled is not None and cancelled():
                raise InterruptedError(f"hashing {path} was cancelled")
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def provenance() -> Provenance:
    """Where and with what a result was computed: the recorded libraries this process loaded.

    A library that was installed but not imported cannot have changed a number, so only the
    loaded ones are listed (gaio always); reading their ``__version__`` also avoids scanning
    the installed distributions on every run.
    """
    libs: dict[str, str] = {}
    for name in RECORDED_LIBRARIES:
        module = sys.modules.get(name)
        if module is None:
            continue
        version = getattr(module, "__version__", None)
        if not isinstance(version, str):
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        libs[name] = version
    return Provenance(
        created_at=datetime.now(UTC),
        python=sys.version.split()[0],
        platform=platform.platform(),
        libraries=libs,
    )
