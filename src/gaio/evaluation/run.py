"""Use cases of the evaluation package, callable without the CLI.

Each function resolves and checks its inputs, aggregates once through an engine, derives every
metric from the sufficient statistics and returns a complete, versioned result document.
Nothing is stored here: recording a result as evidence is the caller's business.

Start-up matters as much as the scan on a million rows (a fresh ``gaio`` process): the engine
therefore starts scanning on a worker thread before NumPy, the metrics and the result models
are imported, and those imports run while the engine works (DuckDB releases the GIL). That is
why this module imports them inside the functions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from gaio.errors import InvalidInput
from gaio.evaluation import engines as _engines  # noqa: F401  (registers the built-ins)
from gaio.evaluation.engines.base import (
    ClassificationRequest,
    RegressionRequest,
    get_engine,
)
from gaio.evaluation.sources import DataSource, digests, resolve_source

if TYPE_CHECKING:
    from gaio.evaluation.request import FairnessRun, RegressionRun
    from gaio.evaluation.result import FairnessResult, InputDigest, RegressionResult, RowsReport
    from gaio.evaluation.spec import TestSpec
    from gaio.evaluation.stats import ClassificationStats, GroupKey, LabelValue, RowAccounting

_T = TypeVar("_T")

Progress = Callable[[str], None]


def _no_progress(_: str) -> None:
    return None


@dataclass
class _Settings:
    sensitive: tuple[str, ...]
    confidence: float
    bootstrap: int
    seed: int
    min_group_size: int
    reference: dict[str, str] | None
    positive_label: str | None
    task: str


def _settings(
    spec: TestSpec | None,
    run: FairnessRun | RegressionRun,
    positive_label: str | None,
    task: str | None,
) -> _Settings:
    """Explicit fields of the run win over the spec, which wins over the defaults."""
    sensitive, confidence, bootstrap, seed = run.sensitive, run.confidence, run.bootstrap, run.seed
    min_group_size, reference_group = run.min_group_size, run.reference_group
    chosen = list(sensitive) if sensitive else (spec.sensitive if spec else None)
    if not chosen:
        raise InvalidInput(
            "Name at least one sensitive attribute (--sensitive A,B or in the spec)."
        )
    if len(set(chosen)) != len(chosen):
        raise InvalidInput(f"A sensitive attribute is named twice: {chosen}.")
    ref = parse_reference(reference_group, chosen) if reference_group is not None else None
    return _Settings(
        sensitive=tuple(chosen),
        confidence=confidence if confidence is not None else (spec.confidence if spec else 0.95),
        bootstrap=bootstrap if bootstrap is not None else (spec.bootstrap if spec else 1000),
        seed=seed if seed is not None else (spec.seed if spec else 0),
        min_group_size=min_group_size or (spec.min_group_size if spec else 30),
        reference=ref or (spec.reference_group if spec else None),
        positive_label=positive_label or (spec.positive_label if spec else None),
        task=task or (spec.task if spec else "auto"),
    )


def parse_reference(value: str | dict[str, str], sensitive: Sequence[str]) -> dict[str, str]:
    """``"male"`` (one attribute), ``"sex=male,race=white"``, or a mapping → {attribute: value}."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if "=" not in value:
        if len(sensitive) != 1:
            raise InvalidInput(
                f"Reference group {value!r} is ambiguous with several attributes: "
                "write it as attr=value,attr=value."
            )
        return {sensitive[0]: value}
    out = {}
    for part in value.split(","):
        attr, _, v = part.partition("=")
        out[attr.strip()] = v.strip()
    return out


def _reference_index(
    ref: dict[str, str] | None, attributes: Sequence[str], groups: Sequence[GroupKey]
) -> int | None:
    if ref is None:
        return None
    if set(ref) != set(attributes):
        raise InvalidInput(
            f"Reference group {ref} must give a value for each of {list(attributes)}."
        )
    wanted = tuple(ref[a] for a in attributes)
    for i, key in enumerate(groups):
        if key == wanted:
            return i
    shown = ", ".join(
        ",".join(f"{a}={v}" for a, v in zip(attributes, k, strict=True)) for k in groups[:10]
    )
    raise InvalidInput(f"Reference group {ref} does not occur in the data; groups are: {shown}.")


def _check_rows(
    acc: RowAccounting, label: str, prediction: str, score: str | None, drop_missing: bool
) -> list[str]:
    if acc.unmatched_rows:
        raise InvalidInput(
            f"The data and the predictions file differ in length by {acc.unmatched_rows} row(s); "
            "rows are matched by position, so both must have the same number of rows."
        )
    parts = []
    if acc.missing_label:
        parts.append(f"label column {label!r}: {acc.missing_label}")
    if acc.missing_prediction:
        parts.append(f"prediction column {prediction!r}: {acc.missing_prediction}")
    if acc.missing_score:
        parts.append(f"score column {score!r}: {acc.missing_score}")
    if not parts:
        return []
    detail = "; ".join(parts)
    if not drop_missing:
        raise InvalidInput(
            f"Missing values (null or NaN) in {detail} row(s) of {acc.rows_read}. "
            "Fix the data, or pass --drop-missing to drop those rows (the result reports how many)."
        )
    return [f"Dropped {acc.dropped} of {acc.rows_read} rows with missing values ({detail})."]


def _check_groups(attributes: Sequence[str], groups: Sequence[GroupKey]) -> None:
    if len(groups) < 2:
        value = groups[0] if groups else ()
        raise InvalidInput(
            f"Only one group ({dict(zip(attributes, value, strict=False))}) in the data: "
            "comparing groups needs at least two."
        )
    for i, attr in enumerate(attributes):
        values = {key[i] for key in groups}
        if len(values) == 1:
            raise InvalidInput(
                f"Sensitive attribute {attr!r} has a single value ({next(iter(values))!r}) "
                "in the data: it cannot separate groups."
            )


_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")


def match_label(text: str, classes: Sequence[LabelValue]) -> LabelValue | None:
    for c in classes:
        if str(c) == text:
            return c
    for c in classes:
        if isinstance(c, bool):
            if (text.lower() in _TRUE and c is True) or (text.lower() in _FALSE and c is False):
                return c
        elif isinstance(c, int | float):
            try:
                if float(text) == float(c):
                    return c
            except ValueError:
                continue
    return None


def _positive_labels(
    stats: ClassificationStats, settings: _Settings, label: str
) -> tuple[str, list[LabelValue]]:
    classes = list(stats.classes)
    task = settings.task
    if task == "regression":
        raise InvalidInput("This spec is for a regression task: use 'gaio evaluate regression'.")
    if task == "binary" and len(classes) > 2:
        shown = ", ".join(repr(c) for c in classes[:10])
        raise InvalidInput(
            f"Label column {label!r} has {len(classes)} distinct values ({shown}); binary metrics "
            "need two. Use --task multiclass for one-vs-rest metrics."
        )
    multiclass = task == "multiclass" or len(classes) > 2
    if settings.positive_label is not None:
        chosen = match_label(settings.positive_label, classes)
        if chosen is None:
            if multiclass or len(classes) >= 2:
                raise InvalidInput(
                    f"Positive label {settings.positive_label!r} is not among the labels "
                    f"{[str(c) for c in classes]}."
                )
            chosen = settings.positive_label
        return ("multiclass" if multiclass else "binary"), [chosen]
    if multiclass:
        return "multiclass", classes
    for c in classes:
        if (isinstance(c, bool) and c is True) or (
            isinstance(c, int | float) and not isinstance(c, bool) and c == 1
        ):
            return "binary", [c]
    if all((isinstance(c, bool) and c is False) or c == 0 for c in classes):
        return "binary", [1]
    raise InvalidInput(
        f"Cannot tell which label is positive among {[str(c) for c in classes]}: "
        "pass --positive-label."
    )


class _Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}
        self._last = self.start

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.marks[name] = round(now - self._last, 6)
        self._last = now

    def done(self) -> dict[str, float]:
        return self.marks | {"total": round(time.perf_counter() - self.start, 6)}


@dataclass
class _Background(Generic[_T]):
    """The engine's scan and the inputs' SHA-256, both running on worker threads."""

    scan: Future[tuple[_T, float]]
    hashed: Future[list[InputDigest]]


@contextmanager
def _in_background(
    work: Callable[[], _T], source: DataSource, predictions: DataSource | None
) -> Iterator[_Background[_T]]:
    """Start ``work`` (the scan, timed) and the hashing of the inputs on worker threads.

    If the body raises (bad input found by the scan or by the row checks), the hashing is told
    to stop between chunks, so the error is reported without reading a large file to the end.
    """
    stop = threading.Event()

    def timed() -> tuple[_T, float]:
        start = time.perf_counter()
        out = work()
        return out, round(time.perf_counter() - start, 6)

    def hashed() -> list[InputDigest]:
        out = digests(source, "data", stop.is_set)
        if predictions is not None:
            out += digests(predictions, "predictions", stop.is_set)
        return out

    with ThreadPoolExecutor(max_workers=2) as pool:
        running = _Background(pool.submit(timed), pool.submit(hashed))
        try:
            yield running
        except BaseException:
            stop.set()
            raise


def _load_spec(spec: Path | None) -> tuple[TestSpec, str] | None:
    if spec is None:
        return None
    from gaio.evaluation.spec import load_spec

    return load_spec(spec)


def evaluate_fairness(run: FairnessRun, *, progress: Progress = _no_progress) -> FairnessResult:
    """Fairness and performance of a classifier from its predictions (no model needed).

    Raises :class:`gaio.errors.InvalidInput` on bad input, before any result is produced.
    """
    data, label, prediction, score = run.data, run.label, run.prediction, run.score
    spec, engine, predictions, query = run.spec, run.engine, run.predictions, run.query
    drop_missing, max_groups, ece_bins = run.drop_missing, run.max_groups, run.ece_bins
    timer = _Timer()
    loaded = _load_spec(spec)
    settings = _settings(loaded[0] if loaded else None, run, run.positive_label, run.task)
    source = resolve_source(data, query=query)
    pred_source = resolve_source(predictions) if predictions is not None else None
    request = ClassificationRequest(
        source=source,
        label=label,
        prediction=prediction,
        sensitive=settings.sensitive,
        score=score,
        predictions=pred_source,
        ece_bins=ece_bins,
        max_groups=max_groups,
        max_classes=run.max_classes,
    )
    progress("aggregating")
    work = partial(get_engine(engine).classification_stats, request)
    with _in_background(work, source, pred_source) as running:
        import numpy as np

        from gaio.evaluation.report import class_report
        from gaio.evaluation.result import FairnessResult, InputDigest, provenance

        timer.mark("imports")
        stats, timer.marks["aggregate"] = running.scan.result()
        warnings = _check_rows(stats.accounting, label, prediction, score, drop_missing)
        _check_groups(stats.attributes, stats.groups)
        inputs = running.hashed.result()
    timer.mark("aggregate_wait")
    task_name, positives = _positive_labels(stats, settings, label)
    if score is not None and task_name == "multiclass":
        raise InvalidInput(
            "--score is the probability of the positive class: it needs a binary task."
        )
    for p in positives:
        stats = stats.with_class(p)
    reference = _reference_index(settings.reference, stats.attributes, stats.groups)
    progress("metrics")
    rng = np.random.default_rng(settings.seed)
    reports = [
        class_report(
            stats,
            p,
            confidence=settings.confidence,
            replicates=settings.bootstrap,
            rng=rng,
            reference=reference,
            min_group_size=settings.min_group_size,
        )
        for p in positives
    ]
    timer.mark("metrics_and_bootstrap")
    warnings += _small_group_warnings(reports[0].groups, settings.min_group_size)
    spec_report = None
    if loaded is not None:
        from gaio.evaluation.spec import evaluate_classification_spec, with_spec_four_fifths

        inputs.append(InputDigest(role="spec", path=str(spec), sha256=loaded[1]))
        spec_report = evaluate_classification_spec(loaded[0], loaded[1], reports)
        reports = with_spec_four_fifths(loaded[0], spec_report, reports)
    parameters: dict[str, Any] = {
        "label": label,
        "prediction": prediction,
        "score": score,
        "sensitive": list(settings.sensitive),
        "positive_label": settings.positive_label,
        "classes": [str(c) for c in stats.classes],
        "task": task_name,
        "reference_group": settings.reference,
        "confidence": settings.confidence,
        "bootstrap": settings.bootstrap,
        "bootstrap_method": "stratified multinomial on counts",
        "seed": settings.seed,
        "drop_missing": drop_missing,
        "min_group_size": settings.min_group_size,
        "max_groups": max_groups,
        "ece_bins": ece_bins,
        "engine": engine,
        "source": source.kind,
        "query": query,
        "predictions_matched_by": "row position" if predictions else None,
    }
    return FairnessResult(
        task=task_name,
        classes=reports,
        inputs=inputs,
        parameters=parameters,
        rows=_rows(stats.accounting),
        warnings=warnings,
        spec=spec_report,
        provenance=provenance(),
        timings=timer.done(),
    )


def _rows(acc: RowAccounting) -> RowsReport:
    from gaio.evaluation.result import RowsReport

    return RowsReport(
        read=acc.rows_read,
        used=acc.rows_used,
        dropped=acc.dropped,
        missing_label=acc.missing_label,
        missing_prediction=acc.missing_prediction,
        missing_score=acc.missing_score,
    )


def _small_group_warnings(groups: Sequence[Any], min_size: int) -> list[str]:
    out = []
    for g in groups:
        if g.too_small:
            label = ", ".join(f"{k}={v}" for k, v in g.group.items())
            out.append(
                f"Group {label} has {g.count} row(s), fewer than {min_size}: "
                "too small to support a conclusion; read its intervals."
            )
    return out


def evaluate_regression(
    run: RegressionRun, *, progress: Progress = _no_progress
) -> RegressionResult:
    """MAE, RMSE and R² per group with their disparities, from predictions."""
    data, label, prediction = run.data, run.label, run.prediction
    spec, engine, predictions, query = run.spec, run.engine, run.predictions, run.query
    drop_missing, max_groups = run.drop_missing, run.max_groups
    timer = _Timer()
    loaded = _load_spec(spec)
    settings = _settings(loaded[0] if loaded else None, run, None, "auto")
    source = resolve_source(data, query=query)
    pred_source = resolve_source(predictions) if predictions is not None else None
    request = RegressionRequest(
        source=source,
        label=label,
        prediction=prediction,
        sensitive=settings.sensitive,
        predictions=pred_source,
        max_groups=max_groups,
    )
    progress("aggregating")
    work = partial(get_engine(engine).regression_stats, request)
    with _in_background(work, source, pred_source) as running:
        import numpy as np

        from gaio.evaluation.report import regression_disparities, regression_reports
        from gaio.evaluation.result import InputDigest, RegressionResult, provenance

        timer.mark("imports")
        stats, timer.marks["aggregate"] = running.scan.result()
        warnings = _check_rows(stats.accounting, label, prediction, None, drop_missing)
        _check_groups(stats.attributes, stats.groups)
        inputs = running.hashed.result()
    timer.mark("aggregate_wait")
    reference = _reference_index(settings.reference, stats.attributes, stats.groups)
    progress("metrics")
    overall, groups = regression_reports(
        stats, confidence=settings.confidence, min_group_size=settings.min_group_size
    )
    disparities = regression_disparities(
        groups,
        confidence=settings.confidence,
        replicates=settings.bootstrap,
        rng=np.random.default_rng(settings.seed),
        reference=reference,
    )
    timer.mark("metrics_and_bootstrap")
    warnings += _small_group_warnings(groups, settings.min_group_size)
    spec_report = None
    if loaded is not None:
        from gaio.evaluation.spec import evaluate_regression_spec

        inputs.append(InputDigest(role="spec", path=str(spec), sha256=loaded[1]))
        spec_report = evaluate_regression_spec(loaded[0], loaded[1], overall, groups, disparities)
    parameters: dict[str, Any] = {
        "label": label,
        "prediction": prediction,
        "sensitive": list(settings.sensitive),
        "reference_group": settings.reference,
        "confidence": settings.confidence,
        "bootstrap": settings.bootstrap,
        "bootstrap_method": "parametric normal per group",
        "seed": settings.seed,
        "drop_missing": drop_missing,
        "min_group_size": settings.min_group_size,
        "max_groups": max_groups,
        "engine": engine,
        "source": source.kind,
        "query": query,
    }
    return RegressionResult(
        overall=overall,
        groups=groups,
        disparities=disparities,
        inputs=inputs,
        parameters=parameters,
        rows=_rows(stats.accounting),
        warnings=warnings,
        spec=spec_report,
        provenance=provenance(),
        timings=timer.done(),
    )
