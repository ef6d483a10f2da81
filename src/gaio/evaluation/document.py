"""The evaluation report: one self-contained HTML page (and, from it, a PDF) for a result.

For a person who must act on the numbers: per-metric charts with each group's interval, the
disparities with the groups they compare, the spec's verdicts with their thresholds, a short
guide to the metrics, and the data's provenance. Charts are Vega-Lite specs; the caller turns
them into images (``to_image``: spec → data URI, or None without the 'charts' extra, in which
case the tables carry the same numbers). Pure: Jinja2 only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import jinja2

from gaio.evaluation import guide, numbers
from gaio.evaluation.result import (
    Disparity,
    ExplainResult,
    FairnessResult,
    FourFifths,
    GroupReport,
    RegressionResult,
    RobustnessResult,
    SpecOutcome,
)
from gaio.evaluation.template import TEMPLATE

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
CLASSIFICATION_METRICS = (
    "selection_rate",
    "base_rate",
    "tpr",
    "fpr",
    "ppv",
    "accuracy",
    "f1",
    "roc_auc",
    "ece",
)
REGRESSION_METRICS = ("mae", "rmse", "r2")
VERDICT_COLOURS = {
    "domain": ["pass", "inconclusive", "fail"],
    "range": ["#2e7d32", "#f9a825", "#c62828"],
}

Result = FairnessResult | RegressionResult | RobustnessResult | ExplainResult
ToImage = Callable[[dict[str, Any]], str | None]


def metric_chart(metric: str, groups: Sequence[GroupReport]) -> dict[str, Any] | None:
    """Vega-Lite: one point per group (and overall) with its interval as a rule."""
    rows = []
    for gr in groups:
        mv = gr.metrics.get(metric)
        if mv is None or mv.value is None:
            continue
        rows.append(
            {
                "group": numbers.group(gr.group),
                "value": mv.value,
                "low": mv.ci_low if mv.ci_low is not None else mv.value,
                "high": mv.ci_high if mv.ci_high is not None else mv.value,
                "overall": not gr.group,
            }
        )
    if not rows:
        return None
    y = {"field": "group", "type": "nominal", "sort": None, "title": None}
    title = guide.METRICS.get(metric, (metric, "", ""))[0]
    return {
        "$schema": VEGA_LITE,
        "title": title,
        "data": {"values": rows},
        "width": 380,
        "height": max(40, 22 * len(rows)),
        "layer": [
            {
                "mark": "rule",
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative", "title": title},
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 60},
                "encoding": {
                    "y": y,
                    "x": {"field": "value", "type": "quantitative"},
                    "color": {
                        "field": "overall",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": [False, True], "range": ["#1f5fa8", "#333333"]},
                    },
                },
            },
        ],
    }


def spec_chart(outcomes: Sequence[SpecOutcome]) -> dict[str, Any] | None:
    """Vega-Lite: each test's value coloured by verdict, its interval, and its bound(s)."""
    rows = []
    for i, o in enumerate(outcomes):
        if o.value is None:
            continue
        rows.append(
            {
                "test": f"{i + 1}. {o.test}" + (f" ({numbers.group(o.group)})" if o.group else ""),
                "value": o.value,
                "low": o.ci_low if o.ci_low is not None else o.value,
                "high": o.ci_high if o.ci_high is not None else o.value,
                "min": o.min,
                "max": o.max,
                "verdict": o.verdict,
            }
        )
    if not rows:
        return None
    y = {"field": "test", "type": "nominal", "sort": None, "title": None}
    tick = {"type": "tick", "color": "black", "thickness": 2}
    return {
        "$schema": VEGA_LITE,
        "title": "Spec tests: value, interval and bound",
        "data": {"values": rows},
        "width": 380,
        "height": max(40, 24 * len(rows)),
        "layer": [
            {
                "mark": "rule",
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative", "title": "value"},
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 60},
                "encoding": {
                    "y": y,
                    "x": {"field": "value", "type": "quantitative"},
                    "color": {"field": "verdict", "type": "nominal", "scale": VERDICT_COLOURS},
                },
            },
            {"mark": tick, "encoding": {"y": y, "x": {"field": "min", "type": "quantitative"}}},
            {"mark": tick, "encoding": {"y": y, "x": {"field": "max", "type": "quantitative"}}},
        ],
    }


def compared(d: Disparity) -> str:
    if d.group is None or d.reference is None:
        return "—"
    if d.comparison == "worst_vs_best":
        what = f" {d.component}" if d.component else ""
        return f"{numbers.group(d.group)} (lowest{what}) vs {numbers.group(d.reference)} (highest)"
    return f"{numbers.group(d.group)} vs {numbers.group(d.reference)} (reference)"


def bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return numbers.interval(low, high)
    if low is not None:
        return f"≥ {numbers.number(low)}"
    return f"≤ {numbers.number(high)}" if high is not None else ""


def _sections(result: Result, to_image: ToImage) -> list[dict[str, Any]]:
    """Per class (fairness) or once (regression): charts, tables and disparities."""
    parts: list[tuple[str, list[GroupReport], list[Disparity], FourFifths | None, tuple[str, ...]]]
    if isinstance(result, FairnessResult):
        parts = [
            (
                f"class {c.positive_label} vs rest" if result.task == "multiclass" else "",
                [*c.groups, c.overall],
                c.disparities,
                c.four_fifths,
                CLASSIFICATION_METRICS,
            )
            for c in result.classes
        ]
    elif isinstance(result, RegressionResult):
        parts = [
            ("", [*result.groups, result.overall], result.disparities, None, REGRESSION_METRICS)
        ]
    else:
        return []
    out = []
    for title, groups, disparities, ff, names in parts:
        present = [n for n in names if any(n in g.metrics for g in groups)]
        charts = []
        for name in present:
            spec = metric_chart(name, groups)
            charts.append((name, to_image(spec) if spec else None))
        out.append(
            {
                "title": title,
                "groups": groups,
                "metrics": present,
                "charts": charts,
                "disparities": disparities,
                "four_fifths": ff,
            }
        )
    return out


def render_report(result: Result, generated: datetime, to_image: ToImage) -> str:
    """The whole report as one HTML string (autoescaped)."""
    spec_image = None
    if result.spec is not None:
        chart = spec_chart(result.spec.outcomes)
        spec_image = to_image(chart) if chart else None
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    used = {
        n
        for s in _sections(result, lambda _: None)
        for n in s["metrics"]  # the guide lists what the report shows
    }
    return env.from_string(TEMPLATE).render(
        r=result,
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        sections=_sections(result, to_image),
        spec_image=spec_image,
        guide=[(n, *guide.METRICS[n]) for n in guide.METRICS if n in used],
        disparity_guide={
            k: v
            for k, v in guide.DISPARITIES.items()
            if any(
                d.name == k for sec in _sections(result, lambda _: None) for d in sec["disparities"]
            )
        },
        incompatibility=guide.INCOMPATIBILITY if isinstance(result, FairnessResult) else None,
        num=numbers.number,
        metric=numbers.metric,
        interval=numbers.interval,
        group=numbers.group,
        compared=compared,
        bounds=bounds,
        headers={n: v[0] for n, v in guide.METRICS.items()},
    )
