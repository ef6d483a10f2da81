"""Human-readable rendering of result documents as Rich tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gaio.evaluation import numbers
from gaio.evaluation.result import (
    ClassReport,
    Disparity,
    ExplainResult,
    FairnessResult,
    GroupReport,
    MetricValue,
    RegressionResult,
    RobustnessResult,
    SpecReport,
)

ProgressFn = Callable[[str], None]

CLASSIFICATION_COLUMNS = ("selection_rate", "base_rate", "tpr", "fpr", "ppv", "accuracy", "f1")
SCORE_COLUMNS = ("roc_auc", "ece")


def no_progress(_: str) -> None:
    return None


HEADERS = {
    "selection_rate": "selection",
    "base_rate": "base rate",
    "tpr": "TPR",
    "fpr": "FPR",
    "ppv": "PPV",
    "accuracy": "accuracy",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "ece": "ECE",
    "mae": "MAE",
    "rmse": "RMSE",
    "r2": "R²",
}


def fmt(value: MetricValue, sep: str = " ") -> str:
    """The one number format (:mod:`gaio.evaluation.numbers`), the interval dimmed."""
    if value.value is None:
        return escape(f"[dim]{numbers.metric(value)}[/dim]")
    text = numbers.number(value.value)
    ci = numbers.interval(value.ci_low, value.ci_high)
    return text + (f"{sep}[dim]{escape(ci)}[/dim]" if ci else "")


def _group_name(group: dict[str, str | None]) -> str:
    if not group:
        return "[bold]overall[/bold]"
    return escape(numbers.group(group))


def _groups_table(
    title: str, overall: GroupReport, groups: Sequence[GroupReport], columns: Sequence[str]
) -> Table:
    table = Table(title=title, title_justify="left", caption=escape("value [confidence interval]"))
    table.add_column("group")
    table.add_column("n", justify="right")
    for c in columns:
        table.add_column(HEADERS.get(c, c), min_width=11)
    for gr in [*groups, overall]:
        name = _group_name(gr.group) + (" [yellow](small)[/yellow]" if gr.too_small else "")
        cells = (fmt(gr.metrics[c], "\n") if c in gr.metrics else "" for c in columns)
        table.add_row(name, str(gr.count), *cells)
    return table


def _print_groups(
    console: Console,
    title: str,
    overall: GroupReport,
    groups: Sequence[GroupReport],
    columns: Sequence[str],
) -> None:
    """As many metric columns per table as the console width allows."""
    name_width = max(len(_group_name(g.group)) for g in [*groups, overall]) + 12
    per_table = max(1, (console.width - name_width) // 15)
    for start in range(0, len(columns), per_table):
        chunk = columns[start : start + per_table]
        console.print(_groups_table(title if start == 0 else "", overall, groups, chunk))


def _disparity_table(title: str, disparities: Sequence[Disparity]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("disparity", "kind", "groups compared", "value [CI]"):
        table.add_column(escape(col), overflow="fold")
    for d in disparities:
        table.add_row(d.name, d.kind, compared(d), fmt(d.value))
    return table


def bounds(low: float | None, high: float | None) -> str:
    """``≥ 0.800``, ``≤ 0.100``, or ``[0.600, 0.900]``."""
    if low is not None and high is not None:
        return numbers.interval(low, high)
    if low is not None:
        return f"≥ {numbers.number(low)}"
    return f"≤ {numbers.number(high)}" if high is not None else ""


def compared(d: Disparity) -> str:
    """``sex=f (lowest) vs sex=m (highest)`` or ``sex=f vs sex=m (reference)``."""
    if d.group is None or d.reference is None:
        return "worst vs best" if d.comparison == "worst_vs_best" else ""
    if d.comparison == "worst_vs_best":
        component = f" {HEADERS.get(d.component, d.component)}" if d.component else ""
        return f"{_group_name(d.group)} (lowest{component}) vs {_group_name(d.reference)} (highest)"
    return f"{_group_name(d.group)} vs {_group_name(d.reference)} (reference)"


def four_fifths_line(report: ClassReport) -> str | None:
    """The four-fifths line, drawn where the spec draws it when there is one."""
    ff = report.four_fifths
    if ff is None or ff.ratio is None:
        return None
    colour = {"pass": "green", "fail": "red", "inconclusive": "yellow"}
    line = numbers.number(ff.threshold)
    where = "spec" if ff.source == "spec" else "four-fifths rule"
    met = "[green]met[/green]" if ff.passed else "[red]not met[/red]"
    text = (
        f"Selection-rate ratio (lowest/highest): {numbers.number(ff.ratio)}; "
        f"line {line} ({where}): point estimate {met}"
    )
    if ff.verdict is not None:
        text += f"; spec verdict on the interval: [{colour[ff.verdict]}]{ff.verdict}[/]"
    return text


def _spec_table(spec: SpecReport) -> Table:
    colour = {"pass": "green", "fail": "red", "inconclusive": "yellow"}
    table = Table(title=f"Spec: [{colour[spec.verdict]}]{spec.verdict}[/]", title_justify="left")
    for col in ("test", "group", "verdict", "value [CI]", "bounds", "why"):
        table.add_column(escape(col), overflow="fold")
    for o in spec.outcomes:
        value = MetricValue(value=o.value, ci_low=o.ci_low, ci_high=o.ci_high)
        table.add_row(
            o.test,
            (_group_name(o.group) if o.group else "")
            + (f" vs {_group_name(o.reference)}" if o.reference else ""),
            f"[{colour[o.verdict]}]{o.verdict}[/]",
            fmt(value) if o.value is not None else "undefined",
            escape(bounds(o.min, o.max)),
            o.reason,
        )
    return table


def _class(console: Console, report: ClassReport, multiclass: bool) -> None:
    suffix = f" — class {report.positive_label} vs rest" if multiclass else ""
    columns = [*CLASSIFICATION_COLUMNS]
    columns += [c for c in SCORE_COLUMNS if c in report.overall.metrics]
    _print_groups(console, f"Per group{suffix}", report.overall, report.groups, columns)
    console.print(_disparity_table(f"Disparities{suffix}", report.disparities))
    line = four_fifths_line(report)
    if line is not None:
        console.print(line)


def print_result(
    result: FairnessResult | RegressionResult | RobustnessResult | ExplainResult, console: Console
) -> None:
    rows = result.rows
    console.print(
        f"[bold]{result.kind}[/bold]: {rows.used} rows used of {rows.read}"
        + (f" ({rows.dropped} dropped)" if rows.dropped else "")
        + f" in {result.timings.get('total', 0):.2f} s"
    )
    if isinstance(result, FairnessResult):
        for report in result.classes:
            _class(console, report, result.task == "multiclass")
    elif isinstance(result, RegressionResult):
        _print_groups(console, "Per group", result.overall, result.groups, ("mae", "rmse", "r2"))
        console.print(_disparity_table("Disparities", result.disparities))
    elif isinstance(result, RobustnessResult):
        table = Table(
            title=f"Robustness: {result.metric} (baseline {fmt(result.baseline)})",
            title_justify="left",
        )
        for col in ("perturbation", "level", result.metric):
            table.add_column(col)
        for p in result.curve:
            table.add_row(p.perturbation, f"{p.level:g}", fmt(p.metric))
        console.print(table)
    else:
        table = Table(
            title=f"Permutation importance ({result.metric}, "
            f"baseline {numbers.number(result.baseline)})",
            title_justify="left",
        )
        for col in ("feature", "importance", "std"):
            table.add_column(col)
        for fi in result.importances:
            table.add_row(fi.feature, numbers.number(fi.importance, 4), numbers.number(fi.std, 4))
        console.print(table)
    if result.spec is not None:
        console.print(_spec_table(result.spec))
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
