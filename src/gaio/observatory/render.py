# ruff: noqa: E501
"""The observatory report as HTML (charts as embedded SVG) and PDF, with the same machinery as
the conformity assessment report (:mod:`gaio.certification.report`)."""

from __future__ import annotations

from typing import Any

import jinja2

from gaio.certification.report import VEGA_LITE, render_pdf
from gaio.certification.report import _svg_uri as svg_uri
from gaio.observatory.model import ObservatoryReport, Table

__all__ = ["chart_spec", "render_html", "render_pdf", "svg_uri"]

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{{ r.title }}: {{ r.period_from }} to {{ r.period_to }}</title>
<style>
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1b1b1b; max-width: 60em; }
h1 { font-size: 17pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #999; margin-top: 16pt; }
table { border-collapse: collapse; margin: 6pt 0; } th, td { border: 1px solid #ccc; padding: 2pt 6pt; text-align: left; }
th { background: #eee; } .finding { font-weight: bold; } .muted { color: #555; } img.chart { max-width: 100%; }
code { font-size: 8pt; word-break: break-all; }
</style></head><body>
<h1>{{ r.title }}</h1>
<p>Period <strong>{{ r.period_from }}</strong> to <strong>{{ r.period_to }}</strong>
(compared with {{ r.previous_from }} to {{ r.previous_to }}). Generated {{ generated }}.</p>
<p class="muted">Every number below is computed from the public records and ledger events at ledger
tree size <strong>{{ r.checkpoint.size }}</strong>, root <code>{{ r.checkpoint.root }}</code>
(inputs sha256 <code>{{ r.inputs_sha256 }}</code>). Check it with
<code>gaio report verify observatory-report.json</code>.</p>
{% for t, chart in sections %}
<section id="{{ t.id }}">
<h2>{{ t.title }}</h2>
<p class="finding">{{ t.finding }}</p>
{% if chart %}<img class="chart" alt="{{ t.title }}" src="{{ chart }}">{% endif %}
<table><tr>{% for c in t.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for row in t.rows %}<tr>{% for cell in row %}<td>{{ '—' if cell is none else cell }}</td>{% endfor %}</tr>
{% else %}<tr><td colspan="{{ t.columns | length }}">none in this period</td></tr>{% endfor %}
</table>
</section>
{% endfor %}
{% if r.checkpoint.note %}<h2>Ledger checkpoint</h2><pre><code>{{ r.checkpoint.note }}</code></pre>{% endif %}
</body></html>
"""


def chart_spec(table: Table) -> dict[str, Any] | None:
    """Vega-Lite for a section's first two columns, or None (no chart, or nothing to draw)."""
    if table.chart == "none" or not any(row[1] for row in table.rows):
        return None
    label, value = table.columns[0], table.columns[1]
    rows = [{label: str(r[0]), value: r[1]} for r in table.rows]
    x: dict[str, Any] = {"field": value, "type": "quantitative"}
    y: dict[str, Any] = {"field": label, "type": "nominal", "sort": None, "title": None}
    if table.chart == "line":
        return {
            "$schema": VEGA_LITE,
            "data": {"values": rows},
            "mark": {"type": "line", "point": True},
            "width": 420,
            "height": 160,
            "encoding": {"x": {"field": label, "type": "ordinal"}, "y": x},
        }
    return {
        "$schema": VEGA_LITE,
        "data": {"values": rows},
        "mark": "bar",
        "width": 420,
        "height": max(40, 18 * len(rows)),
        "encoding": {"y": y, "x": x},
    }


def render_html(report: ObservatoryReport, *, charts: bool = True) -> str:
    def chart(t: Table) -> str | None:
        spec = chart_spec(t) if charts else None
        return svg_uri(spec) if spec else None

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(TEMPLATE).render(
        r=report,
        generated=report.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        sections=[(t, chart(t)) for t in report.sections],
    )
