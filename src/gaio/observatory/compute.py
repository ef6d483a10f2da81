"""The numbers of the observatory report: a pure function of its inputs and the period.

Periods are inclusive calendar days. A system counts in the period it was first registered;
an incident in the period of its date (the day it occurred, else the day it was reported); a
licence or certificate decision in the period of its ledger entry. The Art. 73 clock of a
serious incident runs from the day the provider became aware (``aware``) for the period its
grounds give (:func:`gaio.incidents.clocks.art73_clock`); it is on time when the incident's
``reported`` day is on or before the deadline, and open when there is no report yet (past the
deadline on the period's last day: overdue).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from gaio.incidents.clocks import art73_clock
from gaio.incidents.model import SeriousGround
from gaio.incidents.taxonomy import taxonomy
from gaio.observatory import findings, voice
from gaio.observatory.model import Cell, Inputs, Table

LICENCE_ACTIONS = {
    "licence.grant": "granted",
    "licence.suspend": "suspended",
    "licence.reinstate": "reinstated",
    "licence.revoke": "revoked",
}
COUNTED_ACTIONS = frozenset(
    {
        *LICENCE_ACTIONS,
        "assessment.open",
        "assessment.decide",
        "certificate.issue",
        "certificate.suspend",
        "certificate.reinstate",
        "certificate.revoke",
    }
)
"""The ledger actions a report counts (and the inputs file carries)."""
RECORD_KINDS = (
    "system",
    "system_version",
    "classification",
    "incident",
    "incident_label",
    "assessment",
    "consultation_comment",
)
"""The record kinds a report reads (public fields only)."""


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before ``start``."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def _day(value: Any) -> date | None:
    if not value:
        return None
    text = str(value)
    return date.fromisoformat(text[:10])


class _View:
    """The inputs indexed the way the sections read them."""

    def __init__(self, inputs: Inputs) -> None:
        by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in inputs.records:
            by_kind[item.kind].append(item.record)
        self.systems = by_kind["system"]
        latest: dict[str, dict[str, Any]] = {}
        for v in by_kind["system_version"]:
            known = latest.get(v["system"])
            if known is None or v["seq"] > known["seq"]:
                latest[v["system"]] = v
        self.latest_version = latest
        self.tiers = {(c["system"], c["version"]): c["tiers"] for c in by_kind["classification"]}
        self.incidents = [i for i in by_kind["incident"] if i.get("merged_into") is None]
        labels: dict[tuple[int, str], set[str]] = defaultdict(set)
        for label in by_kind["incident_label"]:
            if label["taxonomy"] == "mit" and label["status"] == "accepted":
                labels[(label["incident_id"], label["field"])].add(str(label["value"]))
        self.mit = labels
        self.assessments = by_kind["assessment"]
        self.comments = by_kind["consultation_comment"]
        self.events = inputs.events
        self.adoptions = inputs.adoptions
        self.outcomes = inputs.outcomes

    def card(self, system_id: str) -> dict[str, Any]:
        version = self.latest_version.get(system_id)
        return dict(version["card"]) if version else {}

    def system_tiers(self, system_id: str) -> list[str]:
        version = self.latest_version.get(system_id)
        if version is None:
            return ["unclassified"]
        tiers = self.tiers.get((system_id, version["version"]))
        return list(tiers) if tiers else ["unclassified"]


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _ranked(counter: Counter[str], limit: int | None = None) -> list[list[Cell]]:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [[k, v] for k, v in (rows[:limit] if limit else rows)]


def _tally(values: Iterable[Iterable[str]]) -> Counter[str]:
    counter: Counter[str] = Counter()
    for group in values:
        counter.update(set(group))
    return counter


def _names(field: str) -> dict[str, str]:
    return dict(taxonomy("mit").field(field).values or {})


def _incident_day(incident: dict[str, Any]) -> date | None:
    return _day(incident.get("occurred")) or _day(incident.get("reported"))


def _registrations(v: _View, start: date, end: date) -> list[Table]:
    new = [s for s in v.systems if _in(_day(s["created_at"]), start, end)]
    noun = "new registrations"
    tiers = _ranked(_tally(v.system_tiers(s["id"]) for s in new))
    markets = _ranked(_tally(v.card(s["id"]).get("markets") or ["unspecified"] for s in new))
    sectors = _ranked(_tally(v.card(s["id"]).get("domains") or ["unspecified"] for s in new))
    of = len(new)
    return [
        Table(
            id="registrations-tier",
            title="Systems registered, by risk tier",
            columns=["tier", "systems"],
            rows=tiers,
            finding=findings.share(tiers, noun, of=of),
        ),
        Table(
            id="registrations-jurisdiction",
            title="Systems registered, by market (jurisdiction)",
            columns=["jurisdiction", "systems"],
            rows=markets,
            finding=findings.share(markets, noun, of=of),
        ),
        Table(
            id="registrations-sector",
            title="Systems registered, by sector (domain of use)",
            columns=["sector", "systems"],
            rows=sectors,
            finding=findings.share(sectors, noun, of=of),
        ),
    ]


def _event_counts(v: _View, start: date, end: date) -> Counter[str]:
    return Counter(e.action for e in v.events if _in(e.time.date(), start, end))


def _licences(v: _View, start: date, end: date) -> Table:
    seen = _event_counts(v, start, end)
    rows: list[list[Cell]] = [[label, seen[action]] for action, label in LICENCE_ACTIONS.items()]
    return Table(
        id="licences",
        title="Licence decisions",
        columns=["decision", "licences"],
        rows=rows,
        finding=findings.counts(rows, "licence decisions"),
    )


def decision_days(v: _View, start: date, end: date) -> list[float]:
    out = []
    for a in v.assessments:
        decided = a.get("decided_at")
        if decided and _in(_day(decided), start, end):
            span = datetime.fromisoformat(decided) - datetime.fromisoformat(a["opened_at"])
            out.append(round(span.total_seconds() / 86400, 2))
    return out


def _certification(v: _View, start: date, end: date) -> Table:
    seen = _event_counts(v, start, end)
    days = decision_days(v, start, end)
    median = round(statistics.median(days), 2) if days else None
    rows: list[list[Cell]] = [
        ["assessments opened", seen["assessment.open"]],
        ["assessments decided", seen["assessment.decide"]],
        ["certificates issued", seen["certificate.issue"]],
        ["certificates suspended", seen["certificate.suspend"]],
        ["certificates revoked", seen["certificate.revoke"]],
    ]
    finding = findings.counts(rows, "certification activity")
    if median is not None:
        finding = finding[:-1] + f"; median time to decision {median} days ({len(days)} decided)."
    rows.append(["median days to decision", median])
    return Table(
        id="certification",
        title="Assessments and certificates",
        columns=["measure", "value"],
        rows=rows,
        finding=finding,
        chart="none",
    )


def _incidents(v: _View, start: date, end: date) -> list[Table]:
    now = [i for i in v.incidents if _in(_incident_day(i), start, end)]
    noun = "incidents"
    domains, subdomains = _names("domain"), _names("subdomain")

    def mit(field: str, names: dict[str, str]) -> list[list[Cell]]:
        counter: Counter[str] = Counter()
        for i in now:
            values = v.mit.get((i["id"], field)) or {"unlabelled"}
            counter.update(f"{x}. {names[x]}" if x in names else x for x in values)
        return _ranked(counter)

    by_domain, by_sub = mit("domain", domains), mit("subdomain", subdomains)
    severity = _ranked(Counter(i.get("severity") or "unrated" for i in now))
    countries = _ranked(_tally(i.get("countries") or ["unknown"] for i in now), 20)
    sectors = _ranked(_tally(i.get("sectors") or ["unknown"] for i in now), 20)
    years = list(range(end.year - 9, end.year + 1))
    per_year = Counter(d.year for i in v.incidents if (d := _incident_day(i)) and d <= end)
    trend: list[list[Cell]] = [[str(y), per_year[y]] for y in years]
    of = len(now)
    return [
        Table(
            id="incidents-mit-domain",
            title="Incidents by MIT AI Risk Repository domain",
            columns=["domain", "incidents"],
            rows=by_domain,
            finding=findings.share(by_domain, noun, of=of),
        ),
        Table(
            id="incidents-mit-subdomain",
            title="Incidents by MIT AI Risk Repository subdomain",
            columns=["subdomain", "incidents"],
            rows=by_sub,
            finding=findings.share(by_sub, noun, of=of),
        ),
        Table(
            id="incidents-severity",
            title="Incidents by severity",
            columns=["severity", "incidents"],
            rows=severity,
            finding=findings.share(severity, noun, of=of),
        ),
        Table(
            id="incidents-country",
            title="Incidents by country (top 20)",
            columns=["country", "incidents"],
            rows=countries,
            finding=findings.share(countries, noun, of=of),
        ),
        Table(
            id="incidents-sector",
            title="Incidents by sector (top 20)",
            columns=["sector", "incidents"],
            rows=sectors,
            finding=findings.share(sectors, noun, of=of),
        ),
        Table(
            id="incidents-year",
            title="Incidents per year (ten years to the period's end)",
            columns=["year", "incidents"],
            rows=trend,
            finding=findings.trend(trend, noun),
            chart="line",
        ),
    ]


def clock_status(incident: dict[str, Any], as_of: date) -> str | None:
    """``on time``, ``late``, ``open`` or ``overdue`` for a serious incident, else None."""
    grounds = [SeriousGround(g) for g in incident.get("serious") or []]
    clock = art73_clock(grounds)
    aware = _day(incident.get("aware"))
    if clock is None or aware is None:
        return None
    deadline = clock.deadline(aware)
    reported = _day(incident.get("reported"))
    if reported is not None and reported <= as_of:
        return "on time" if reported <= deadline else "late"
    return "open" if as_of <= deadline else "overdue"


def _art73(v: _View, start: date, end: date) -> Table:
    seen: Counter[str] = Counter()
    for i in v.incidents:
        if _in(_day(i.get("aware")), start, end):
            status = clock_status(i, end)
            if status:
                seen[status] += 1
    labels = ["on time", "late", "open", "overdue"]
    rows: list[list[Cell]] = [[s, seen[s]] for s in labels]
    return Table(
        id="art73-clocks",
        title="EU AI Act Art. 73 reporting clocks of serious incidents",
        columns=["status", "incidents"],
        rows=rows,
        finding=findings.clocks(*(seen[s] for s in labels)),
    )


def _adoption(v: _View, end: date) -> Table:
    per: dict[str, set[str]] = defaultdict(set)
    for a in v.adoptions:
        if date.fromisoformat(a["date"]) <= end:
            per[a["jurisdiction"]].add(a["framework"])
    ranked = sorted(per.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    rows: list[list[Cell]] = [[j, len(f), ", ".join(sorted(f))] for j, f in ranked]
    return Table(
        id="framework-adoption",
        title="Framework adoption by jurisdiction (catalog, as of the period's end)",
        columns=["jurisdiction", "frameworks", "which"],
        rows=rows,
        finding=findings.adoption(rows),
    )


def _evaluations(v: _View) -> Table:
    per: dict[str, list[Any]] = defaultdict(list)
    for o in v.outcomes:
        per[o.metric].append(o)
    rows: list[list[Cell]] = []
    for metric in sorted(per):
        items = per[metric]
        values = [o.value for o in items if o.value is not None]
        verdicts = Counter(o.verdict for o in items)
        median = round(statistics.median(values), 4) if values else None
        rows.append(
            [
                metric,
                len(items),
                verdicts["pass"],
                verdicts["fail"],
                verdicts["inconclusive"],
                median,
            ]
        )
    if rows:
        worst = max(rows, key=lambda r: (int(r[3] or 0) + int(r[4] or 0), str(r[0])))
        finding = (
            f"{len(v.outcomes)} test outcomes on {len(rows)} metrics; {worst[0]} has the most "
            f"results short of a pass ({int(worst[3] or 0) + int(worst[4] or 0)} of {worst[1]})."
        )
    else:
        finding = "No technical test results were attached to assessments."
    return Table(
        id="evaluations",
        title="Evaluation results across systems (fairness and performance tests)",
        columns=["metric", "results", "pass", "fail", "inconclusive", "median value"],
        rows=rows,
        finding=finding,
        chart="none",
    )


def headline(v: _View, start: date, end: date) -> dict[str, int]:
    seen = _event_counts(v, start, end)
    incidents = [i for i in v.incidents if _in(_incident_day(i), start, end)]
    return {
        "systems registered": sum(1 for s in v.systems if _in(_day(s["created_at"]), start, end)),
        "licences granted": seen["licence.grant"],
        "licences suspended": seen["licence.suspend"],
        "licences revoked": seen["licence.revoke"],
        "certificates issued": seen["certificate.issue"],
        "certificates revoked": seen["certificate.revoke"],
        "incidents": len(incidents),
        "serious incidents": sum(1 for i in incidents if i.get("serious")),
    }


def _changes(v: _View, start: date, end: date) -> Table:
    before, after = previous_period(start, end)
    old, new = headline(v, before, after), headline(v, start, end)
    rows: list[list[Cell]] = [[k, old[k], new[k], new[k] - old[k]] for k in new]
    return Table(
        id="changes",
        title=f"Changes since the previous period ({before} to {after})",
        columns=["measure", "previous period", "this period", "change"],
        rows=rows,
        finding=findings.changes(rows),
        chart="none",
    )


def _voice(v: _View, start: date, end: date) -> list[Table]:
    """Published consultation comments submitted in the period, by what commenters stated."""
    published = [
        (c.get("region"), c.get("community"))
        for c in v.comments
        if c.get("status") == "published" and _in(_day(c.get("submitted_at")), start, end)
    ]
    regions, communities = voice.summary(published)
    by_region, by_community = _ranked(regions), _ranked(communities)
    noun = "published consultation comments"
    return [
        Table(
            id="voice-region",
            title="Public voice: consultation comments by stated region",
            columns=["region", "comments"],
            rows=by_region,
            finding=findings.share(by_region, noun),
        ),
        Table(
            id="voice-community",
            title="Public voice: consultation comments by stated community",
            columns=["community", "comments"],
            rows=by_community,
            finding=findings.share(by_community, noun),
        ),
    ]


def sections(inputs: Inputs, start: date, end: date) -> list[Table]:
    """Every section of the report, in order."""
    v = _View(inputs)
    return [
        _changes(v, start, end),
        *_registrations(v, start, end),
        _licences(v, start, end),
        _certification(v, start, end),
        *_incidents(v, start, end),
        _art73(v, start, end),
        _adoption(v, end),
        _evaluations(v),
        *_voice(v, start, end),
    ]
