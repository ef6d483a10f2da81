"""HTML report of a generative-AI result: value radar with intervals, reliability table, suites.

Everything interpolated is escaped; the radar is inline SVG (no script, no external asset), so
the page renders offline and converts to PDF through the certification report's path.
"""

from __future__ import annotations

import math
from html import escape

from gaio.evaluation.genai.result import GenaiResult
from gaio.evaluation.genai.values import VALUES


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def radar_svg(result: GenaiResult, size: int = 360) -> str:
    """Centred scores on a radar; the band is the interval; unmeasured values are marked."""
    profile = result.profile
    if profile is None:
        return ""
    c = size / 2
    r_max = size / 2 - 60
    span = 3.0  # centred scores lie in about [-span/2, span/2] on a 6-point scale
    by = {v.value: v for v in profile.values}

    def point(i: int, score: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / len(VALUES)
        radius = r_max * min(max((score + span / 2) / span, 0.0), 1.0)
        return c + radius * math.cos(angle), c + radius * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="value profile">'
    ]
    for ring in (-1.0, 0.0, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(10)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc"/>')
    for i, value in enumerate(VALUES):
        x, y = point(i, span / 2 + 0.35)
        measured = by[value].centred is not None
        label = escape(value) + ("" if measured else " (n.r.m.)")
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="middle" '
            f'fill="{"#000" if measured else "#999"}">{label}</text>'
        )
    measured_pts = []
    for i, value in enumerate(VALUES):
        vs = by[value]
        if vs.centred is None:
            continue
        measured_pts.append(point(i, vs.centred))
        if vs.centred_interval:
            (x1, y1), (x2, y2) = (
                point(i, vs.centred_interval[0]),
                point(i, vs.centred_interval[1]),
            )
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                'stroke="#1f77b4" stroke-width="4" stroke-opacity="0.35"/>'
            )
    if len(measured_pts) >= 2:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in measured_pts)
        parts.append(
            f'<polygon points="{pts}" fill="#1f77b4" fill-opacity="0.15" stroke="#1f77b4"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: GenaiResult) -> str:
    e = escape
    rows = []
    if result.profile is not None:
        for v in result.profile.values:
            ci = v.centred_interval
            rows.append(
                "<tr>"
                f"<td>{e(v.value)}</td><td>{e(v.status)}</td>"
                f"<td>{_fmt(v.centred)}</td>"
                f"<td>{'–' if ci is None else f'{ci[0]:.2f} – {ci[1]:.2f}'}</td>"
                f"<td>{_fmt(v.alpha)}</td><td>{_fmt(v.omega)}</td>"
                f"<td>{v.items}</td><td>{v.replications}</td><td>{e(v.reason or '')}</td></tr>"
            )
    cons = ""
    if result.profile is not None:
        c = result.profile.consistency
        checks = [
            ("test-retest r", c.test_retest),
            ("parallel forms r", c.parallel_forms),
            ("scale direction r", c.scale_direction),
            ("acquiescence", c.acquiescence),
            ("option order agreement", c.option_order),
            ("say vs do (Spearman)", c.say_vs_do),
            *[(f"cross-language r ({lang})", r) for lang, r in c.cross_language.items()],
        ]
        cons = "".join(f"<tr><td>{e(k)}</td><td>{_fmt(v)}</td></tr>" for k, v in checks)
        lk = result.profile.likert
        cons += (
            f"<tr><td>Likert answers</td><td>{lk.ok} parsed, {lk.refusal} refusals, "
            f"{lk.unparseable} unparseable of {lk.total}</td></tr>"
        )
    compass = ""
    if result.compass is not None:
        compass = "".join(
            f"<tr><td>{e(d.title)}</td><td>{_fmt(d.distance)}</td><td>{d.values_compared}</td>"
            f"<td>{e(d.largest_deviation or '–')} ({_fmt(d.deviation)})</td></tr>"
            for d in result.compass.distances
        )
    suites = "".join(
        f"<tr><td>{e(s.title)}</td><td>{s.passed}/{s.samples}</td><td>{_fmt(s.pass_rate)}</td>"
        f"<td>{'–' if s.interval is None else f'{s.interval[0]:.2f} – {s.interval[1]:.2f}'}</td>"
        f"<td>{e(s.verdict)}</td><td>{e(', '.join(s.maps_to))}</td></tr>"
        for s in result.suites
    )
    closest = result.compass.closest if result.compass else None
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gaio genai result: {e(result.model)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;font-size:90%}}</style></head><body>
<h1>Generative-AI evaluation of {e(result.model)}</h1>
<p>Verdict: <strong>{e(result.verdict)}</strong>. {e("; ".join(result.reasons))}</p>
<p>Pack {e(result.pack or "–")}; Inspect {e(result.run.inspect_version)}; {result.run.samples}
samples, {result.run.errors} errors; created {e(result.created_at.isoformat())}.</p>
<h2>Value compass</h2>{radar_svg(result)}
<p>Closest target: {e(closest or "none (too few values reliably measured)")}.
Targets are illustrative unless stated otherwise.</p>
<table><tr><th>target</th><th>distance</th><th>values</th><th>largest deviation</th></tr>
{compass}</table>
<h2>Reliability</h2>
<table><tr><th>value</th><th>status</th><th>centred</th><th>interval</th><th>alpha</th>
<th>omega</th><th>items</th><th>replications</th><th>reason</th></tr>{"".join(rows)}</table>
<h3>Consistency checks</h3><table>{cons}</table>
<h2>Safety and ethics suites</h2>
<table><tr><th>suite</th><th>passed</th><th>rate</th><th>95% interval</th><th>verdict</th>
<th>catalog</th></tr>{suites}</table>
</body></html>
"""
