"""The conformity assessment report: HTML with Vega-Lite charts, and PDF from the same HTML.

Charts are Vega-Lite specs rendered to SVG offline with vl-convert and embedded as
data URIs, so the HTML is one self-contained file and WeasyPrint needs no network.
vl-convert and WeasyPrint are optional: a missing one is a :class:`ConfigurationError` that
says what to install.
"""

from __future__ import annotations

import base64
import warnings
from datetime import datetime
from typing import Any

import jinja2

from gaio.certification.model import Assessment, CertificateInfo
from gaio.certification.report_template import TEMPLATE
from gaio.certification.status import checklist_counts, requirement_status
from gaio.errors import ConfigurationError, MissingExtra

ANSWER_ORDER = ["yes", "not-applicable", "no", "open"]
COLOURS = ["#2e7d32", "#9e9e9e", "#c62828", "#f9a825"]
VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


def _svg_uri(spec: dict[str, Any]) -> str | None:
    """The chart as an SVG data URI, or None without the 'charts' extra (the report's tables
    carry the same numbers)."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    svg = vlc.vegalite_to_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


#: The chart renderer, public for other reports (the evaluation report).
svg_data_uri = _svg_uri


def checklist_chart(a: Assessment) -> dict[str, Any]:
    """Vega-Lite: stacked bars of the checks of each principle by answer."""
    titles = {p.id: p.title for p in a.plan.principles}
    rows = [
        {"principle": titles[pid], "answer": answer, "checks": counts[answer]}
        for pid, counts in checklist_counts(a).items()
        for answer in ANSWER_ORDER
        if counts[answer]
    ]
    return {
        "$schema": VEGA_LITE,
        "title": "Process checks per principle",
        "data": {"values": rows},
        "mark": "bar",
        "width": 420,
        "height": 220,
        "encoding": {
            "y": {"field": "principle", "type": "nominal", "sort": None, "title": None},
            "x": {"aggregate": "sum", "field": "checks", "type": "quantitative"},
            "color": {
                "field": "answer",
                "type": "nominal",
                "scale": {"domain": ANSWER_ORDER, "range": COLOURS},
            },
        },
    }


def test_chart(outcomes: list[tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
    """Vega-Lite: each test's value (coloured by verdict), its interval, and its bound."""
    rows = [
        {
            "test": f"{slot}: {o['test']}" + (f" {o['group']}" if o.get("group") else ""),
            "value": o["value"],
            "low": o["ci_low"] if o.get("ci_low") is not None else o["value"],
            "high": o["ci_high"] if o.get("ci_high") is not None else o["value"],
            "bound": o["min"] if o.get("min") is not None else o.get("max"),
            "verdict": o["verdict"],
        }
        for slot, o in outcomes
        if o.get("value") is not None
    ]
    if not rows:
        return None
    y = {"field": "test", "type": "nominal", "sort": None, "title": None}
    verdicts = {
        "domain": ["pass", "inconclusive", "fail"],
        "range": ["#2e7d32", "#f9a825", "#c62828"],
    }
    return {
        "$schema": VEGA_LITE,
        "title": "Test results, intervals and thresholds",
        "data": {"values": rows},
        "width": 420,
        "height": max(60, 24 * len(rows)),
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
                    "color": {"field": "verdict", "type": "nominal", "scale": verdicts},
                },
            },
            {
                "mark": {"type": "tick", "color": "black", "thickness": 2},
                "encoding": {"y": y, "x": {"field": "bound", "type": "quantitative"}},
            },
        ],
    }


def render_html(
    a: Assessment, certificates: list[CertificateInfo], generated: datetime, *, charts: bool = True
) -> str:
    evidence = a.latest_evidence()
    outcomes = [
        (slot, o)
        for slot, e in sorted(evidence.items())
        if e.kind == "test-result"
        for o in e.summary.get("outcomes", [])
    ]
    justifications = {j.principle: j.justification for j in a.justifications}
    counts = checklist_counts(a)
    test_spec = test_chart(outcomes) if charts else None
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(
        a=a,
        certificates=certificates,
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"),
        requirements=[(r, *requirement_status(a, r)) for r in a.plan.requirements],
        principles=[(p, counts[p.id], justifications.get(p.id, "")) for p in a.plan.principles],
        outcomes=[(slot, _Outcome(o)) for slot, o in outcomes],
        checklist_chart=_svg_uri(checklist_chart(a)) if charts else None,
        test_chart=_svg_uri(test_spec) if test_spec else None,
        fmt=_fmt,
    )


class _Outcome:
    """Attribute access to an outcome dict for the template (missing keys read as None)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        return self._data.get(name)


def pdf_available() -> bool:
    """Whether WeasyPrint (the 'pdf' extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None


def render_pdf(html: str) -> bytes:
    try:
        with warnings.catch_warnings():  # a packaging notice about an optional system library
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint
    except ImportError:
        raise MissingExtra("pdf", "a PDF report") from None
    except OSError as exc:
        raise ConfigurationError(
            "PDF reports need WeasyPrint's system libraries: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0 ({exc.__class__.__name__})"
        ) from None
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
