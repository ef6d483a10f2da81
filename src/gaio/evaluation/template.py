# ruff: noqa: E501
"""The HTML template of the evaluation report (Jinja2, autoescaped)."""

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Evaluation report: {{ r.kind }}</title>
<style>
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1b1b1b; max-width: 60em; margin: auto; }
h1 { font-size: 17pt; margin-bottom: 2pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #999; margin-top: 16pt; }
h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; } th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pass { color: #116611; } .fail { color: #aa1111; } .inconclusive { color: #8a6d00; } .muted { color: #666; }
.verdict { font-size: 12pt; padding: 6pt; border: 2px solid #333; } img.chart { max-width: 100%; page-break-inside: avoid; }
.charts { display: flex; flex-wrap: wrap; gap: 8pt; } code { word-break: break-all; }
</style></head><body>
<h1>Evaluation report: {{ r.kind }}{% if r.kind == 'fairness' %} ({{ r.task }}){% endif %}</h1>
<p class="muted">Computed {{ r.provenance.created_at.strftime('%Y-%m-%d %H:%M UTC') }} · report generated {{ generated }} · result document version {{ r.version }}</p>
<p>{{ r.rows.used }} rows used of {{ r.rows.read }}{% if r.rows.dropped %} ({{ r.rows.dropped }} dropped){% endif %}.
{% if r.parameters.get('sensitive') %}Groups by {{ r.parameters['sensitive'] | join(', ') }}.{% endif %}
{% if r.parameters.get('confidence') %}Intervals at {{ (r.parameters['confidence'] * 100) | round(1) }}% confidence.{% endif %}
Numbers: value [interval], three decimals.</p>

{% if r.spec %}
<h2>Spec verdict</h2>
<p class="verdict">Verdict: <strong class="{{ r.spec.verdict }}">{{ r.spec.verdict }}</strong>
<span class="muted">(pass: the whole interval within the bounds; fail: wholly outside; inconclusive: it straddles a bound or the value is undefined)</span></p>
{% if spec_image %}<img class="chart" alt="spec tests with intervals and bounds" src="{{ spec_image }}">{% endif %}
<table><tr><th>#</th><th>test</th><th>groups</th><th>value [interval]</th><th>bounds</th><th>verdict</th><th>why</th></tr>
{% for o in r.spec.outcomes %}<tr><td>{{ loop.index }}</td><td>{{ o.test }}</td>
<td>{% if o.group %}{{ group(o.group) }}{% endif %}{% if o.reference %} vs {{ group(o.reference) }}{% endif %}</td>
<td class="num">{% if o.value is not none %}{{ num(o.value) }} {{ interval(o.ci_low, o.ci_high) }}{% else %}undefined{% endif %}</td>
<td class="num">{{ bounds(o.min, o.max) }}</td><td class="{{ o.verdict }}">{{ o.verdict }}</td><td>{{ o.reason }}</td></tr>{% endfor %}
</table>
<p class="muted">Spec SHA-256 <code>{{ r.spec.sha256 }}</code></p>
{% endif %}

{% if r.warnings %}<h2>Warnings</h2><ul>{% for w in r.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}

{% for s in sections %}
<h2>Metrics per group{% if s.title %}: {{ s.title }}{% endif %}</h2>
<div class="charts">{% for name, image in s.charts %}{% if image %}<img class="chart" alt="{{ headers.get(name, name) }} per group with intervals" src="{{ image }}">{% endif %}{% endfor %}</div>
<table><tr><th>group</th><th>n</th>{% for m in s.metrics %}<th>{{ headers.get(m, m) }}</th>{% endfor %}</tr>
{% for g in s.groups %}<tr><td>{{ group(g.group) }}{% if g.too_small %} <em>(small)</em>{% endif %}</td><td class="num">{{ g.count }}</td>
{% for m in s.metrics %}<td class="num">{% if m in g.metrics %}{{ metric(g.metrics[m]) }}{% endif %}</td>{% endfor %}</tr>{% endfor %}
</table>
<h3>Disparities{% if s.title %}: {{ s.title }}{% endif %}</h3>
<table><tr><th>disparity</th><th>kind</th><th>groups compared</th><th>value [interval]</th></tr>
{% for d in s.disparities %}<tr><td>{{ d.name }}</td><td>{{ d.kind }}</td><td>{{ compared(d) }}</td><td class="num">{{ metric(d.value) }}</td></tr>{% endfor %}
</table>
{% if s.four_fifths and s.four_fifths.ratio is not none %}
<p>Selection-rate ratio (lowest/highest): <strong>{{ num(s.four_fifths.ratio) }}</strong>; line {{ num(s.four_fifths.threshold) }}
({{ 'from the spec' if s.four_fifths.source == 'spec' else 'four-fifths rule' }}): point estimate
<strong class="{{ 'pass' if s.four_fifths.passed else 'fail' }}">{{ 'met' if s.four_fifths.passed else 'not met' }}</strong>{% if s.four_fifths.verdict %};
spec verdict on the interval: <strong class="{{ s.four_fifths.verdict }}">{{ s.four_fifths.verdict }}</strong>{% endif %}.
{% if s.four_fifths.failing_groups %}Below the line: {% for g in s.four_fifths.failing_groups %}{{ group(g) }}{% if not loop.last %}; {% endif %}{% endfor %}.{% endif %}</p>
{% endif %}
{% endfor %}

{% if r.kind == 'robustness' %}
<h2>Robustness: {{ r.metric }}</h2>
<p>Baseline {{ metric(r.baseline) }}.</p>
<table><tr><th>perturbation</th><th>level</th><th>{{ r.metric }}</th></tr>
{% for p in r.curve %}<tr><td>{{ p.perturbation }}</td><td class="num">{{ p.level }}</td><td class="num">{{ metric(p.metric) }}</td></tr>{% endfor %}</table>
{% endif %}
{% if r.kind == 'explain' %}
<h2>Permutation importance ({{ r.metric }})</h2>
<p>Baseline {{ num(r.baseline) }}.</p>
<table><tr><th>feature</th><th>importance</th><th>std</th></tr>
{% for f in r.importances %}<tr><td>{{ f.feature }}</td><td class="num">{{ num(f.importance, 4) }}</td><td class="num">{{ num(f.std, 4) }}</td></tr>{% endfor %}</table>
{% endif %}

{% if guide %}
<h2>What the metrics mean</h2>
<table><tr><th>metric</th><th>measures</th><th>fits when</th></tr>
{% for name, title, what, when in guide %}<tr><td>{{ title }}</td><td>{{ what }}</td><td>{{ when }}</td></tr>{% endfor %}</table>
<p><strong>Disparities.</strong> A difference is highest − lowest (0 is parity); a ratio is lowest / highest (1 is parity).
{% for name, text in disparity_guide.items() %}<em>{{ name }}</em>: {{ text }} {% endfor %}</p>
{% if incompatibility %}<p><strong>Not everything can be equal at once.</strong> {{ incompatibility }}</p>{% endif %}
{% endif %}

<h2>Provenance</h2>
<table><tr><th>input</th><th>path</th><th>SHA-256</th><th>bytes</th></tr>
{% for i in r.inputs %}<tr><td>{{ i.role }}</td><td><code>{{ i.path or '' }}</code></td><td><code>{{ i.sha256 }}</code></td><td class="num">{{ i.size_bytes if i.size_bytes is not none else '' }}</td></tr>{% endfor %}</table>
<table><tr><th>rows read</th><th>used</th><th>dropped</th><th>missing label</th><th>missing prediction</th><th>missing score</th></tr>
<tr><td class="num">{{ r.rows.read }}</td><td class="num">{{ r.rows.used }}</td><td class="num">{{ r.rows.dropped }}</td><td class="num">{{ r.rows.missing_label }}</td><td class="num">{{ r.rows.missing_prediction }}</td><td class="num">{{ r.rows.missing_score }}</td></tr></table>
<p>Python {{ r.provenance.python }} on {{ r.provenance.platform }}; {% for name, v in r.provenance.libraries | dictsort %}{{ name }} {{ v }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>
<table><tr><th>parameter</th><th>value</th></tr>
{% for k, v in r.parameters | dictsort %}{% if v is not none %}<tr><td>{{ k }}</td><td><code>{{ v }}</code></td></tr>{% endif %}{% endfor %}</table>
</body></html>
"""
