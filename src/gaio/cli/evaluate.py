"""``gaio evaluate …``: the evaluation sub-commands.

Errors are raised as :class:`gaio.errors.GaioError` and not caught: the main app prints one
line and exits 2 for bad input. ``--json`` prints the result document; otherwise Rich tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gaio.errors import InvalidInput, invalid_input_from
from gaio.evaluation.limits import DEFAULT_MAX_CLASSES, DEFAULT_MAX_GROUPS

if TYPE_CHECKING:
    from gaio.cli.render.evaluation import ProgressFn
    from gaio.evaluation.result import (
        ExplainResult,
        FairnessResult,
        RegressionResult,
        RobustnessResult,
    )

app = typer.Typer(
    no_args_is_help=True,
    help="Technical evaluation: fairness and performance from predictions; robustness and "
    "explainability with a model; generative AI (genai).",
)


def _add_genai() -> None:
    from gaio.cli.genai import app as genai_app

    app.add_typer(genai_app, name="genai")


_add_genai()

DataArg = Annotated[
    str,
    typer.Argument(
        help="CSV or Parquet file (or glob); with --query, a DuckDB file or postgresql:// URL."
    ),
]
LabelOpt = Annotated[str, typer.Option("--label", "-y", help="Column with the true label.")]
PredOpt = Annotated[str, typer.Option("--prediction", "-p", help="Column with the prediction.")]
SensitiveOpt = Annotated[
    str | None,
    typer.Option(
        "--sensitive",
        "-s",
        help="Sensitive attribute column(s), comma-separated; several give intersectional groups.",
    ),
]
SpecOpt = Annotated[
    Path | None,
    typer.Option("--spec", help="Test specification (YAML): metrics, bounds, reference group."),
]
EngineOpt = Annotated[str, typer.Option("--engine", help="Aggregation engine: duckdb or spark.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result document as JSON.")]
SystemOpt = Annotated[
    str | None,
    typer.Option(
        "--system",
        metavar="ID[@VERSION]",
        help="Store the result as evidence of this system version (default: its latest) and "
        "record it in the ledger.",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Also write the result document to this file.")
]
RefOpt = Annotated[
    str | None,
    typer.Option("--reference", help="Reference group: VALUE, or ATTR=VALUE,ATTR=VALUE."),
]
PredFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--predictions",
        help="Separate file with the prediction (and score) columns, matched by row position.",
    ),
]
QueryOpt = Annotated[
    str | None,
    typer.Option(
        "--query", help="SQL selecting the rows, run on the DuckDB/PostgreSQL source DATA."
    ),
]
ConfOpt = Annotated[
    float | None, typer.Option("--confidence", help="Confidence level of intervals [default 0.95].")
]
BootOpt = Annotated[
    int | None,
    typer.Option(
        "--bootstrap", help="Bootstrap replicates for disparities [default 1000; 0 = none]."
    ),
]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Seed of the bootstrap [default 0].")]
DropOpt = Annotated[
    bool,
    typer.Option(
        "--drop-missing",
        help="Drop rows with a missing label/prediction/score instead of refusing; "
        "the result says how many.",
    ),
]
MinGroupOpt = Annotated[
    int | None,
    typer.Option("--min-group-size", help="Warn about groups smaller than this [default 30]."),
]
MaxGroupsOpt = Annotated[
    int,
    typer.Option(
        "--max-groups", help="Refuse a sensitive attribute with more distinct values than this."
    ),
]

MaxClassesOpt = Annotated[
    int,
    typer.Option(
        "--max-classes",
        help="Refuse labels/predictions with more distinct values than this (a score column "
        "given as --prediction, an id column given as --label).",
    ),
]

#: Exit status of an evaluation judged against a spec (bad input exits 2, nothing stored).
SPEC_EXIT = {"pass": 0, "fail": 1, "inconclusive": 3}


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        raise InvalidInput("--sensitive is empty: name at least one column.")
    return parts


def _no_progress(_: str) -> None:
    return None


@contextmanager
def _progress(enabled: bool, total: int | None = None) -> Iterator[ProgressFn]:
    """A transient bar on stderr (phase, steps done of ``total``, elapsed, ETA), shown only on
    a terminal and not with --json. Each call names the step that starts now."""
    if not enabled or not sys.stderr.isatty():
        yield _no_progress
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=total)
        started = [0]

        def step(phase: str) -> None:
            bar.update(task, description=phase, completed=started[0])
            started[0] += 1

        yield step


def _target(ctx: typer.Context, system: str | None) -> str | None:
    """Check the --system target before any work, so a bad id costs nothing."""
    if system is None:
        return None
    from gaio.services.evaluation.evidence import resolve_target

    state = ctx.obj
    system_id, version = resolve_target(state.gaio(), state.actor, system)
    return f"{system_id}@{version}"


def _emit(
    result: FairnessResult | RegressionResult | RobustnessResult | ExplainResult,
    as_json: bool,
    output: Path | None,
    ctx: typer.Context | None = None,
    target: str | None = None,
    kind: str = "",
) -> None:
    text = result.model_dump_json(indent=2)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    if target is not None and ctx is not None:
        from gaio.services.evaluation.evidence import store_document

        summary: dict[str, object] = {"evaluation": kind, "result_version": result.version}
        if result.spec is not None:
            summary["verdict"] = result.spec.verdict
        stored = store_document(
            ctx.obj.gaio(),
            ctx.obj.actor,
            target,
            kind=f"evaluation-{kind}",
            data=(text + "\n").encode("utf-8"),
            media_type="application/json",
            summary=summary,
        )
        sys.stderr.write(f"stored as evidence {stored.id} (sha256 {stored.sha256})\n")
    if as_json:
        typer.echo(text)
    else:
        from rich.console import Console

        from gaio.cli.render.evaluation import print_result

        print_result(result, Console())
    if result.spec is not None and SPEC_EXIT[result.spec.verdict]:
        raise typer.Exit(SPEC_EXIT[result.spec.verdict])


def _request(kind: str, **fields: Any) -> Any:
    """The run request, its validation errors named as the options the user typed."""
    from pydantic import ValidationError

    from gaio.evaluation import request

    try:
        return getattr(request, kind)(**fields)
    except ValidationError as exc:
        names = {f: "--" + f.replace("_", "-") for f in fields}
        names |= {"data": "DATA", "reference_group": "--reference", "label": "-y/--label"}
        raise invalid_input_from("evaluate", exc, names) from None


@app.command()
def fairness(
    ctx: typer.Context,
    data: DataArg,
    label: LabelOpt,
    prediction: PredOpt,
    sensitive: SensitiveOpt = None,
    score: Annotated[
        str | None,
        typer.Option(
            "--score",
            help="Column with the score (probability of the positive class): "
            "adds calibration (ECE) and ROC AUC.",
        ),
    ] = None,
    positive_label: Annotated[
        str | None, typer.Option("--positive-label", help="The positive class (default 1 / true).")
    ] = None,
    task: Annotated[
        str | None, typer.Option("--task", help="auto, binary or multiclass (one-vs-rest).")
    ] = None,
    reference: RefOpt = None,
    spec: SpecOpt = None,
    engine: EngineOpt = "duckdb",
    predictions: PredFileOpt = None,
    query: QueryOpt = None,
    confidence: ConfOpt = None,
    bootstrap: BootOpt = None,
    seed: SeedOpt = None,
    drop_missing: DropOpt = False,
    min_group_size: MinGroupOpt = None,
    max_groups: MaxGroupsOpt = DEFAULT_MAX_GROUPS,
    max_classes: MaxClassesOpt = DEFAULT_MAX_CLASSES,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    system: SystemOpt = None,
) -> None:
    """Fairness and performance of a classifier from its predictions (no model needed).

    Refused before any work (exit 2): a score column given as the prediction, label and
    prediction values that share nothing (0/1 against no/yes), more classes than
    --max-classes.

    Exit status: 0 done (and the spec, if any, passed); 1 a spec test failed; 3 the spec is
    inconclusive (an interval straddles a bound, or a value is undefined); 2 bad input,
    refused before any work, nothing stored as evidence.
    """
    from gaio.evaluation.run import evaluate_fairness

    if task not in (None, "auto", "binary", "multiclass"):
        raise InvalidInput(f"--task must be auto, binary or multiclass, not {task!r}.")
    target = _target(ctx, system)
    run = _request(
        "FairnessRun",
        data=data,
        label=label,
        prediction=prediction,
        sensitive=_split(sensitive) or [],
        score=score,
        positive_label=positive_label,
        task=task,
        reference_group=reference,
        spec=spec,
        engine=engine,
        predictions=predictions,
        query=query,
        confidence=confidence,
        bootstrap=bootstrap,
        seed=seed,
        drop_missing=drop_missing,
        min_group_size=min_group_size,
        max_groups=max_groups,
        max_classes=max_classes,
    )
    with _progress(not as_json, total=2) as progress:
        result = evaluate_fairness(run, progress=progress)
    _emit(result, as_json, output, ctx, target, "fairness")


@app.command()
def regression(
    ctx: typer.Context,
    data: DataArg,
    label: LabelOpt,
    prediction: PredOpt,
    sensitive: SensitiveOpt = None,
    reference: RefOpt = None,
    spec: SpecOpt = None,
    engine: EngineOpt = "duckdb",
    predictions: PredFileOpt = None,
    query: QueryOpt = None,
    confidence: ConfOpt = None,
    bootstrap: BootOpt = None,
    seed: SeedOpt = None,
    drop_missing: DropOpt = False,
    min_group_size: MinGroupOpt = None,
    max_groups: MaxGroupsOpt = DEFAULT_MAX_GROUPS,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    system: SystemOpt = None,
) -> None:
    """MAE, RMSE and R² per group, and their disparities, from predictions.

    Exit status: 0 done (and the spec, if any, passed); 1 a spec test failed; 3 the spec is
    inconclusive; 2 bad input, refused before any work, nothing stored as evidence.
    """
    from gaio.evaluation.run import evaluate_regression

    target = _target(ctx, system)
    run = _request(
        "RegressionRun",
        data=data,
        label=label,
        prediction=prediction,
        sensitive=_split(sensitive) or [],
        reference_group=reference,
        spec=spec,
        engine=engine,
        predictions=predictions,
        query=query,
        confidence=confidence,
        bootstrap=bootstrap,
        seed=seed,
        drop_missing=drop_missing,
        min_group_size=min_group_size,
        max_groups=max_groups,
    )
    with _progress(not as_json, total=2) as progress:
        result = evaluate_regression(run, progress=progress)
    _emit(result, as_json, output, ctx, target, "regression")


ModelArg = Annotated[
    str,
    typer.Argument(
        help="Model: .onnx, .skops, an http(s):// endpoint, or a pickle with --trust-pickle."
    ),
]
FeaturesOpt = Annotated[
    str | None,
    typer.Option(
        "--features",
        help="Feature columns, comma-separated, in the model's order "
        "[default: every column but the label].",
    ),
]
TrustOpt = Annotated[
    bool,
    typer.Option(
        "--trust-pickle",
        help="Allow loading a pickle. A pickle runs any code inside it: only for files you trust.",
    ),
]
SampleOpt = Annotated[int, typer.Option("--sample", help="Rows to sample (seeded); 0 = all.")]
MetricOpt = Annotated[str, typer.Option("--metric", help="accuracy, mae or rmse.")]
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="HTTP model: seconds per request.")]
RetriesOpt = Annotated[int, typer.Option("--retries", help="HTTP model: attempts per batch.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", help="HTTP model: rows per request.")]


@app.command()
def robustness(
    ctx: typer.Context,
    model: ModelArg,
    data: DataArg,
    label: LabelOpt,
    features: FeaturesOpt = None,
    metric: MetricOpt = "accuracy",
    perturbations: Annotated[
        str,
        typer.Option(
            "--perturbations", help="gaussian_noise, category_swap, missing (comma-separated)."
        ),
    ] = "gaussian_noise,category_swap,missing",
    levels: Annotated[
        str, typer.Option("--levels", help="Severity levels, comma-separated.")
    ] = "0.05,0.1,0.2,0.5",
    sample: SampleOpt = 10_000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    trust_pickle: TrustOpt = False,
    timeout: TimeoutOpt = 10.0,
    retries: RetriesOpt = 3,
    batch_size: BatchOpt = 256,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    system: SystemOpt = None,
) -> None:
    """Metric degradation under seeded perturbations (noise, category swaps, missing values)."""
    from gaio.evaluation.model_run import evaluate_robustness

    try:
        level_values = [float(v) for v in levels.split(",") if v.strip()]
    except ValueError as exc:
        raise InvalidInput(f"--levels must be numbers, got {levels!r}.") from exc
    target = _target(ctx, system)
    steps = len(_split(perturbations) or []) * len(level_values)
    with _progress(not as_json, total=steps or None) as progress:
        result = evaluate_robustness(
            model,
            data,
            label=label,
            features=_split(features),
            metric=metric,
            perturbations=_split(perturbations) or [],
            levels=level_values,
            sample=sample or None,
            seed=seed,
            trust_pickle=trust_pickle,
            timeout=timeout,
            retries=retries,
            batch_size=batch_size,
            progress=progress,
        )
    _emit(result, as_json, output, ctx, target, "robustness")


@app.command()
def explain(
    ctx: typer.Context,
    model: ModelArg,
    data: DataArg,
    label: LabelOpt,
    features: FeaturesOpt = None,
    metric: MetricOpt = "accuracy",
    repeats: Annotated[int, typer.Option("--repeats", help="Shuffles per feature.")] = 5,
    shap: Annotated[
        bool, typer.Option("--shap", help="Also mean |SHAP| per feature (needs gaio[shap]).")
    ] = False,
    sample: SampleOpt = 10_000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    trust_pickle: TrustOpt = False,
    timeout: TimeoutOpt = 10.0,
    retries: RetriesOpt = 3,
    batch_size: BatchOpt = 256,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    system: SystemOpt = None,
) -> None:
    """Permutation feature importance (and SHAP values when installed)."""
    from gaio.evaluation.model_run import evaluate_explain

    target = _target(ctx, system)
    named = _split(features)
    with _progress(not as_json, total=len(named) if named else None) as progress:
        result = evaluate_explain(
            model,
            data,
            label=label,
            features=_split(features),
            metric=metric,
            repeats=repeats,
            shap=shap,
            sample=sample or None,
            seed=seed,
            trust_pickle=trust_pickle,
            timeout=timeout,
            retries=retries,
            batch_size=batch_size,
            progress=progress,
        )
    _emit(result, as_json, output, ctx, target, "explain")


@app.command()
def report(
    result: Annotated[
        Path, typer.Argument(help="A result document: the JSON of '--json' or '-o FILE'.")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory to write into.")] = Path("."),
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf",
            help="Also write the PDF [default: when the 'pdf' extra is installed].",
        ),
    ] = None,
) -> None:
    """Write an HTML (and PDF) report of a result: per-metric charts with intervals, the
    disparities with their groups, the spec's verdicts and thresholds, a guide to the metrics
    and the data's provenance."""
    from gaio.services.evaluation.report import write_report

    for path in write_report(result, out, pdf=pdf):
        typer.echo(f"wrote {path}")
