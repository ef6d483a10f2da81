# ruff: noqa: E501
"""The HTML template of the conformity assessment report (Jinja2, autoescaped)."""

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Conformity assessment {{ a.id }}: {{ a.plan.system_name }} {{ a.system_version }}</title>
<style>
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1b1b1b; }
h1 { font-size: 17pt; margin-bottom: 2pt; } h2 { font-size: 12.5pt; border-bottom: 1px solid #999; margin-top: 16pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; } th, td { border: 1px solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; } .ok { color: #116611; } .bad { color: #aa1111; } .muted { color: #666; }
.decision { font-size: 12pt; padding: 6pt; border: 2px solid #333; } img.chart { max-width: 100%; }
</style></head><body>
<h1>Conformity assessment report</h1>
<p><strong>{{ a.plan.system_name }}</strong> ({{ a.system }}) version {{ a.system_version }},
provider {{ a.provider }}. Assessment {{ a.id }}, state <strong>{{ a.state.value }}</strong>.</p>
<p class="muted">Card {{ a.card_hash }} · rule-set {{ a.plan.rules }} · classified on {{ a.plan.on }} ·
scope: {{ a.scope }} · generated {{ generated }}</p>

<h2>Decision</h2>
{% if a.decision %}
<p class="decision">Decision: <strong>{{ a.decision.value }}</strong> by {{ a.decided_by }} ({{ a.auditor_org }}) on {{ a.decided_at.strftime('%Y-%m-%d') }}.<br>
Rationale: {{ a.rationale }}</p>
{% if a.override %}<p class="decision bad">Approved with an override by {{ a.override.decided_by }}: {{ a.override.reason }}<br>
Open major findings: {{ a.override.open_findings | join(', ') or 'none' }}; requirements not satisfied: {{ a.override.unmet | join(', ') or 'none' }}.</p>{% endif %}
{% else %}<p class="decision">No decision yet ({{ a.state.value }}).</p>{% endif %}
{% if certificates %}<p>Certificates: {% for c in certificates %}{{ c.id }} ({{ c.status }}, valid until {{ c.valid_until.strftime('%Y-%m-%d') }}){% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}

<h2>Classification</h2>
<p>Tiers: <strong>{{ a.plan.tiers | join(', ') }}</strong></p>
<ul>{% for r in a.plan.reasons %}<li>{{ r }}</li>{% endfor %}</ul>
{% if a.plan.undetermined %}<p>Undetermined:</p><ul>{% for q in a.plan.undetermined %}<li>{{ q }}</li>{% endfor %}</ul>{% endif %}

<h2>Obligations and requirements</h2>
<table><tr><th>requirement</th><th>citation</th><th>role</th><th>applies from</th><th>status</th><th>gaps</th></tr>
{% for r, met, gaps in requirements %}<tr><td>{{ r.title }}</td><td>{{ r.citation }}</td><td>{{ r.role }}</td>
<td>{{ r.applies_from or '' }}{% if r.status != 'applies' %} ({{ r.status }}){% endif %}</td>
<td class="{{ 'ok' if met == 'satisfied' else 'bad' }}">{{ met }}</td><td>{{ gaps | join('; ') }}</td></tr>{% endfor %}
</table>

<h2>Process checklist by principle</h2>
{% if checklist_chart %}<img class="chart" alt="checklist status per principle" src="{{ checklist_chart }}">{% endif %}
<table><tr><th>principle</th><th>yes</th><th>no</th><th>not applicable</th><th>open</th><th>justification</th></tr>
{% for p, counts, justification in principles %}<tr><td>{{ p.title }}</td><td>{{ counts['yes'] }}</td><td>{{ counts['no'] }}</td>
<td>{{ counts['not-applicable'] }}</td><td>{{ counts['open'] }}</td><td>{{ justification }}</td></tr>{% endfor %}
</table>

<h2>Technical tests against thresholds</h2>
{% if test_chart %}<img class="chart" alt="test results with intervals and thresholds" src="{{ test_chart }}">{% endif %}
<table><tr><th>slot</th><th>test</th><th>value</th><th>interval</th><th>bounds</th><th>verdict</th></tr>
{% for slot, o in outcomes %}<tr><td>{{ slot }}</td><td>{{ o.test }}{% if o.group %} {{ o.group }}{% endif %}</td>
<td>{{ fmt(o.value) }}</td><td>{% if o.ci_low is not none %}[{{ fmt(o.ci_low) }}, {{ fmt(o.ci_high) }}]{% endif %}</td>
<td>{% if o.min is not none %}≥ {{ fmt(o.min) }} {% endif %}{% if o.max is not none %}≤ {{ fmt(o.max) }}{% endif %}</td>
<td class="{{ 'ok' if o.verdict == 'pass' else 'bad' }}">{{ o.verdict }}</td></tr>{% else %}<tr><td colspan="6">no test results attached</td></tr>{% endfor %}
</table>

<h2>Evidence</h2>
<table><tr><th>slot</th><th>rev.</th><th>kind</th><th>file</th><th>SHA-256</th><th>attached</th></tr>
{% for e in a.evidence %}<tr><td>{{ e.slot }}</td><td>{{ e.revision }}</td><td>{{ e.kind }}</td><td>{{ e.filename }}</td>
<td style="font-family: monospace; font-size: 7pt">{{ e.sha256 }}</td><td>{{ e.attached_by }}</td></tr>{% else %}<tr><td colspan="6">none</td></tr>{% endfor %}
</table>

<h2>Findings</h2>
<table><tr><th>#</th><th>severity</th><th>requirement</th><th>finding</th><th>corrective action</th><th>due</th><th>state</th><th>response</th></tr>
{% for f in a.findings %}<tr><td>{{ f.number }}</td><td>{{ f.severity.value }}</td><td>{{ f.requirement }}</td><td>{{ f.description }}</td>
<td>{{ f.corrective_action }}</td><td>{{ f.due or '' }}</td><td>{{ f.state }}</td><td>{{ f.response or '' }}{% if f.closing_note %} — closed: {{ f.closing_note }}{% endif %}</td></tr>
{% else %}<tr><td colspan="8">no findings</td></tr>{% endfor %}
</table>

<h2>Chain of responsibility</h2>
<table><tr><th>ledger entry</th><th>time</th><th>who</th><th>action</th></tr>
{% for s in a.steps %}<tr><td>{{ s.seq }}</td><td>{{ s.at.strftime('%Y-%m-%d %H:%M:%SZ') }}</td><td>{{ s.actor }}</td><td>{{ s.action }}</td></tr>{% endfor %}
</table>
</body></html>
"""
